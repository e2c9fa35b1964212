-- The archived briefings, newest first, without their pages.
SELECT toString(id) AS id_text, period, lang, toString(made_at) AS made, made_by, data_version, headline,
       length(pdf) AS pdf_bytes
FROM briefs
ORDER BY made_at DESC, id
LIMIT 500
