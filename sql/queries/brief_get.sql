-- One archived briefing with its page and PDF (as hex: results carry text, not bytes).
SELECT toString(id) AS id_text, period, lang, toString(made_at) AS made, made_by, data_version, headline,
       length(pdf) AS pdf_bytes, html, hex(pdf) AS pdf_hex
FROM briefs
WHERE id = toUUID({id:String})
