package warehouse

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/google/uuid"
)

// ArchivedBrief is a briefing kept as it was made.
type ArchivedBrief struct {
	ID          string
	Period      string
	Lang        string
	Made        string
	MadeBy      string
	DataVersion uint64
	Headline    string
	// PDFBytes is the PDF's size; 0 when it was made without Chromium.
	PDFBytes int
	// HTML and PDF are filled by Brief only, not by the list.
	HTML string
	PDF  []byte
}

// ArchiveBrief keeps a briefing and returns its id. The archive is not data the pages
// show: keeping one starts no data version, and it is read uncached.
func (w *Warehouse) ArchiveBrief(ctx context.Context, b ArchivedBrief) (string, error) {
	text, err := namedQuery("brief_put")
	if err != nil {
		return "", err
	}
	id := uuid.NewString()
	err = w.eng.exec(ctx, text, Params{"id": id, "period": b.Period, "lang": b.Lang, "made_by": b.MadeBy,
		"data_version": strconv.FormatUint(b.DataVersion, 10), "headline": b.Headline, "html": b.HTML, "pdf_hex": hex.EncodeToString(b.PDF)})
	if err != nil {
		return "", fmt.Errorf("archive briefing %s: %w", b.Period, err)
	}
	return id, nil
}

// Briefs lists the archived briefings, newest first.
func (w *Warehouse) Briefs(ctx context.Context) ([]ArchivedBrief, error) {
	text, err := namedQuery("briefs")
	if err != nil {
		return nil, err
	}
	res, err := w.eng.query(ctx, text, nil)
	if err != nil {
		return nil, fmt.Errorf("list briefings: %w", err)
	}
	out := []ArchivedBrief{}
	err = res.each(func(rr *rowReader) { out = append(out, readBrief(rr)) })
	return out, err
}

// Brief reads one archived briefing with its page and PDF.
func (w *Warehouse) Brief(ctx context.Context, id string) (ArchivedBrief, error) {
	if _, err := uuid.Parse(id); err != nil {
		return ArchivedBrief{}, fmt.Errorf("briefing %q: %w", id, ErrNotFound)
	}
	text, err := namedQuery("brief_get")
	if err != nil {
		return ArchivedBrief{}, err
	}
	res, err := w.eng.query(ctx, text, Params{"id": id})
	if err != nil {
		return ArchivedBrief{}, fmt.Errorf("read briefing %s: %w", id, err)
	}
	var out []ArchivedBrief
	var decodeErr error
	err = res.each(func(rr *rowReader) {
		b := readBrief(rr)
		b.HTML = rr.str("html")
		b.PDF, decodeErr = hex.DecodeString(rr.str("pdf_hex"))
		out = append(out, b)
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return ArchivedBrief{}, fmt.Errorf("read briefing %s: %w", id, err)
	}
	if len(out) == 0 {
		return ArchivedBrief{}, fmt.Errorf("briefing %s: %w", id, ErrNotFound)
	}
	return out[0], nil
}

func readBrief(rr *rowReader) ArchivedBrief {
	return ArchivedBrief{ID: rr.str("id_text"), Period: rr.str("period"), Lang: rr.str("lang"), Made: rr.str("made"),
		MadeBy: rr.str("made_by"), DataVersion: uint64(rr.int("data_version")), Headline: rr.str("headline"), PDFBytes: rr.int("pdf_bytes")}
}
