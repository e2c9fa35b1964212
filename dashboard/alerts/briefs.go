package alerts

import (
	"context"
	"fmt"
	"strings"

	"jinwei/warehouse"
)

// Briefs writes the briefings (简报) subscribers receive: the dashboard's renderer.
type Briefs interface {
	// Latest is the newest period of a kind (month, quarter, year) with numbers.
	Latest(ctx context.Context, kind string) (string, error)
	// Render writes a period's briefing as a mail's text and its PDF (or print page).
	Render(ctx context.Context, period string) (*Attachment, error)
}

// briefPrefix names a briefing attachment: "brief:2024-12".
const briefPrefix = "brief"

// briefKinds are the periods one subscribes to briefings of.
var briefKinds = []string{"month", "quarter", "year"}

// SetBriefs lets the service send briefings to their subscribers: each new period's once.
func (s *Service) SetBriefs(b Briefs) {
	s.mu.Lock()
	s.briefs = b
	s.mu.Unlock()
	s.Attach(briefPrefix, func(ctx context.Context, ref string) (*Attachment, error) {
		return b.Render(ctx, strings.TrimPrefix(ref, briefPrefix+":"))
	})
}

// queueBriefs queues the latest briefing of each kind for its subscribers that have not
// had it: a new period's briefing goes out once, and a new subscriber gets the current one.
func (s *Service) queueBriefs(ctx context.Context, subs []warehouse.Subscription, roles map[string]string) error {
	s.mu.Lock()
	b := s.briefs
	s.mu.Unlock()
	if b == nil {
		return nil
	}
	for _, kind := range briefKinds {
		var to []warehouse.Subscription
		for _, sub := range subs {
			if _, ok := roles[sub.User]; ok && sub.Enabled && sub.Kind == warehouse.SubscribeBrief && sub.Email != "" &&
				(sub.Topic == kind || (sub.Topic == "" && kind == "month")) {
				to = append(to, sub)
			}
		}
		if len(to) == 0 {
			continue
		}
		period, err := b.Latest(ctx, kind)
		if err != nil {
			return fmt.Errorf("latest %s briefing: %w", kind, err)
		}
		if period == "" {
			continue
		}
		id := hashID(briefPrefix, period)
		for _, sub := range to {
			d := warehouse.Delivery{ID: hashID(id, ChannelEmail, sub.Email), AlertID: id, RuleID: briefPrefix + ":" + kind, Subject: period,
				Channel: ChannelEmail, Target: sub.Email, Recipient: sub.User, Title: "【简报】" + period, Attachment: briefPrefix + ":" + period}
			if err := s.Queue(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
