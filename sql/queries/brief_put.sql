-- Archives a briefing. The PDF travels as hex: a parameter carries text, not bytes.
INSERT INTO briefs (id, period, lang, made_at, made_by, data_version, headline, html, pdf)
SELECT toUUID({id:String}), {period:String}, {lang:String}, now64(3, 'UTC'), {made_by:String},
       {data_version:UInt64}, {headline:String}, {html:String}, unhex({pdf_hex:String})
