package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"jinwei/warehouse"
)

// Lease timing: the holder renews when less than half its lease is left, so a holder that
// dies is replaced within leaseTTL.
const (
	leaseName = "alerts"
	leaseTTL  = 20 * time.Second
)

// dueBatch is how many due deliveries one pass sends.
const dueBatch = 50

// Attacher fetches what a delivery's Attachment field names ("brief:2024-q3"), so a
// briefing's PDF is made when it is sent rather than kept in the warehouse.
type Attacher func(ctx context.Context, ref string) (*Attachment, error)

// Service evaluates the rules after every load (Nudge, or a new data version seen by
// polling), on its schedule, and sends what is due. Only the holder of the warehouse's
// lease does either, so several server processes send each alert once.
type Service struct {
	st     Store
	cfg    Config
	set    settings
	home   string
	log    *slog.Logger
	holder string
	client *http.Client
	now    func() time.Time

	mu        sync.Mutex
	attachers map[string]Attacher
	briefs    Briefs

	nudge chan struct{}
}

// New checks the config and makes the service; Run starts it.
func New(st Store, cfg Config, home string, log *slog.Logger) (*Service, error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	return &Service{st: st, cfg: cfg, set: set, home: home, log: log,
		holder: fmt.Sprintf("%s:%d:%08x", host, os.Getpid(), rand.Uint32()),
		client: &http.Client{Timeout: 30 * time.Second}, now: time.Now, attachers: map[string]Attacher{},
		nudge: make(chan struct{}, 1)}, nil
}

// Attach registers what fetches attachments named "prefix:…".
func (s *Service) Attach(prefix string, a Attacher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attachers[prefix] = a
}

// Nudge asks for an evaluation now: a load has finished (committed, failed or refused).
func (s *Service) Nudge() {
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

// Seed writes the config's rules the warehouse does not hold yet.
func (s *Service) Seed(ctx context.Context) error {
	n, err := s.st.SeedAlertRules(ctx, s.cfg.Seeds())
	if err != nil {
		return fmt.Errorf("seed alert rules: %w", err)
	}
	if n > 0 {
		s.log.Info("alert rules seeded from the config", "rules", n)
	}
	return nil
}

// Run evaluates and sends until ctx ends; what fails is logged and tried again.
func (s *Service) Run(ctx context.Context) {
	var (
		heldUntil time.Time
		seen      uint64
		evaluated bool
		nudged    bool
		daily     = s.set.schedule.Next(s.now())
	)
	tick := time.NewTicker(s.set.poll)
	defer tick.Stop()
	for {
		now := s.now()
		if heldUntil.Sub(now) < leaseTTL/2 {
			held, err := s.st.AcquireLease(ctx, leaseName, s.holder, leaseTTL)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				s.log.Warn("alerts: lease", "error", err)
				heldUntil = time.Time{}
			case held:
				heldUntil = now.Add(leaseTTL)
			default:
				heldUntil = time.Time{}
			}
		}
		if !heldUntil.IsZero() {
			version, err := s.st.DataVersion(ctx)
			due := !evaluated || nudged || version != seen || !now.Before(daily)
			if err == nil && due {
				if n, err := s.Evaluate(ctx); err != nil {
					s.log.Warn("alerts: evaluate", "error", err)
				} else {
					evaluated, nudged, seen = true, false, version
					s.log.Info("alerts evaluated", "fired", n, "data_version", version)
				}
				if !now.Before(daily) {
					daily = s.set.schedule.Next(now)
				}
			}
			if err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("alerts: send", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.nudge:
			nudged = true
		}
	}
}

// Evaluate runs the rules once and queues a delivery of each alert to each recipient.
func (s *Service) Evaluate(ctx context.Context) (int, error) {
	subs, err := s.st.Subscriptions(ctx)
	if err != nil {
		return 0, err
	}
	accounts, err := s.st.Accounts(ctx)
	if err != nil {
		return 0, err
	}
	roles := map[string]string{}
	for _, a := range accounts {
		if !a.Disabled {
			roles[a.Name] = a.Role
		}
	}
	n, err := Evaluate(ctx, s.st, s.home, s.cfg.Deadlines, s.now(), func(a Alert) error {
		return s.queue(ctx, a, s.recipients(a, subs, roles))
	})
	if err != nil {
		return n, err
	}
	return n, s.queueBriefs(ctx, subs, roles)
}

// recipient is where one delivery goes.
type recipient struct {
	channel, target, user string
}

// recipients are the rule's channels (each address of a mail channel) and the accounts
// subscribed to the rule whose role the rule admits and whose unit the alert concerns.
func (s *Service) recipients(a Alert, subs []warehouse.Subscription, roles map[string]string) []recipient {
	var out []recipient
	for _, name := range a.Rule.Channels {
		ch, ok := s.set.channels[name]
		if !ok {
			continue
		}
		if ch.Type == ChannelEmail {
			for _, to := range ch.To {
				out = append(out, recipient{channel: ChannelEmail, target: to})
			}
			continue
		}
		out = append(out, recipient{channel: ch.Type, target: ch.Name})
	}
	for _, sub := range subs {
		role, ok := roles[sub.User]
		switch {
		case !sub.Enabled || sub.Kind != warehouse.SubscribeAlerts || !ok || sub.Email == "":
			continue
		case sub.Topic != "" && sub.Topic != a.Rule.ID:
			continue
		case !a.Rule.SendsTo(role):
			continue
		case sub.Unit != "" && !slices.ContainsFunc(a.Units, func(u string) bool { return u == sub.Unit || strings.HasPrefix(u, cityPrefix(sub.Unit)) }):
			continue
		}
		out = append(out, recipient{channel: ChannelEmail, target: sub.Email, user: sub.User})
	}
	// One mail per address, even when a rule's channel and a subscription both name it.
	slices.SortFunc(out, func(x, y recipient) int { return strings.Compare(x.channel+x.target, y.channel+y.target) })
	return slices.CompactFunc(out, func(x, y recipient) bool { return x.channel == y.channel && x.target == y.target })
}

// cityPrefix is the prefix a city's counties share (620100 → 6201); other codes match
// only themselves.
func cityPrefix(code string) string {
	if len(code) == 6 && strings.HasSuffix(code, "00") && !strings.HasSuffix(code, "0000") {
		return code[:4]
	}
	return code + "\x00"
}

// queue writes one pending delivery per recipient, except those the alert has already.
func (s *Service) queue(ctx context.Context, a Alert, to []recipient) error {
	have, err := s.st.DeliveryIDs(ctx, a.ID)
	if err != nil {
		return err
	}
	now := s.now()
	for _, r := range to {
		d := warehouse.Delivery{ID: hashID(a.ID, r.channel, r.target), AlertID: a.ID, RuleID: a.Rule.ID, Subject: a.Subject,
			DataVersion: a.DataVersion, Channel: r.channel, Target: r.target, Recipient: r.user, Title: a.Title, Body: a.Body,
			Status: warehouse.DeliveryPending, NextAt: now, CreatedAt: now}
		if have[d.ID] {
			continue
		}
		if err := s.st.PutDelivery(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// Queue writes a pending delivery made elsewhere (a briefing for its subscribers); its id
// makes a second queueing of the same delivery do nothing.
func (s *Service) Queue(ctx context.Context, d warehouse.Delivery) error {
	have, err := s.st.DeliveryIDs(ctx, d.AlertID)
	if err != nil || have[d.ID] {
		return err
	}
	now := s.now()
	d.Status, d.NextAt, d.CreatedAt = warehouse.DeliveryPending, now, now
	return s.st.PutDelivery(ctx, d)
}

// SendDue sends the deliveries whose time has come, recording each attempt.
func (s *Service) SendDue(ctx context.Context) error {
	due, err := s.st.DueDeliveries(ctx, s.now(), dueBatch)
	if err != nil {
		return err
	}
	for _, d := range due {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sendErr := s.send(ctx, d)
		now := s.now()
		d.Attempts++
		switch {
		case sendErr == nil:
			d.Status, d.SentAt, d.LastError = warehouse.DeliverySent, now, ""
		case d.Attempts >= s.set.maxAttempts:
			d.Status, d.LastError = warehouse.DeliveryFailed, sendErr.Error()
		default:
			d.NextAt, d.LastError = now.Add(s.backoff(d.Attempts)), sendErr.Error()
		}
		// What was sent is recorded even when shutdown has begun.
		if err := s.st.PutDelivery(context.WithoutCancel(ctx), d); err != nil {
			return err
		}
		s.log.Info("alert delivery", "id", d.ID, "rule", d.RuleID, "channel", d.Channel, "target", d.Target,
			"status", d.Status, "attempts", d.Attempts, "error", d.LastError)
	}
	return nil
}

// backoff is the wait after the n-th failed attempt: RetryBase doubled each time, at most
// an hour.
func (s *Service) backoff(n int) time.Duration {
	d := s.set.retryBase
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// send delivers one message through its channel.
func (s *Service) send(ctx context.Context, d warehouse.Delivery) error {
	m := Message{AlertID: d.AlertID, RuleID: d.RuleID, Subject: d.Subject, DataVersion: d.DataVersion, Title: d.Title, Body: d.Body}
	if d.Attachment != "" {
		prefix, _, _ := strings.Cut(d.Attachment, ":")
		s.mu.Lock()
		attach := s.attachers[prefix]
		s.mu.Unlock()
		if attach == nil {
			return fmt.Errorf("nothing here makes attachments of kind %q", prefix)
		}
		a, err := attach(ctx, d.Attachment)
		if err != nil {
			return fmt.Errorf("attachment %s: %w", d.Attachment, err)
		}
		m.Attachment = a
		if a.Text != "" {
			m.Body = strings.TrimSpace(a.Text + "\n\n" + m.Body)
		}
	}
	now := s.now()
	if d.Channel == ChannelEmail {
		return sendMail(ctx, s.cfg.SMTP, d.Target, m, now)
	}
	ch, ok := s.set.channels[d.Target]
	if !ok {
		return errors.New("no channel named " + strconv.Quote(d.Target) + " in the config any more")
	}
	switch ch.Type {
	case ChannelWebhook:
		return sendWebhook(ctx, s.client, ch, m, now)
	case ChannelDingTalk:
		return sendDingTalk(ctx, s.client, ch, m, now)
	case ChannelWeCom:
		return sendWeCom(ctx, s.client, ch, m)
	}
	return fmt.Errorf("channel %s: type %q cannot send", ch.Name, ch.Type)
}
