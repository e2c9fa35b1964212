package api

import "jinwei/warehouse"

// ArchivedBrief is a briefing kept as it was made, without its page and PDF
// (warehouse.ArchivedBrief).
type ArchivedBrief struct {
	ID          string `json:"id"`
	Period      string `json:"period"`
	Lang        string `json:"lang"`
	Made        string `json:"made"`
	MadeBy      string `json:"made_by"`
	DataVersion uint64 `json:"data_version"`
	Headline    string `json:"headline"`
	PDFBytes    int    `json:"pdf_bytes"`
}

// ArchivedBriefs are briefings' JSON shapes.
func ArchivedBriefs(in []warehouse.ArchivedBrief) []ArchivedBrief {
	return each(in, func(b warehouse.ArchivedBrief) ArchivedBrief {
		return ArchivedBrief{ID: b.ID, Period: b.Period, Lang: b.Lang, Made: b.Made, MadeBy: b.MadeBy,
			DataVersion: b.DataVersion, Headline: b.Headline, PDFBytes: b.PDFBytes}
	})
}
