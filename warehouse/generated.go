package warehouse

import (
	"context"
	"time"
)

// CampaignGenerated says whether the campaign reports of a month (empty: any month) are
// generated demo data, as the loaded rows say: pages show the generated notice from the
// data, never as fixed text.
func (w *Warehouse) CampaignGenerated(ctx context.Context, month string) (bool, error) {
	if month != "" {
		if _, err := time.Parse("2006-01-02", month); err != nil {
			return false, nil
		}
	}
	res, err := w.named(ctx, "campaign_generated", Params{"month": month})
	if err != nil {
		return false, err
	}
	generated := false
	err = res.each(func(rr *rowReader) { generated = rr.int("generated") == 1 })
	return generated, err
}
