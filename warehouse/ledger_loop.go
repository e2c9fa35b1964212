package warehouse

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// The closure loop of a ledger item: the responsible unit reports progress and asks for
// closure, a province verifier closes the item or returns it with a reason, and an admin
// may reopen a closed item (the decision a ledger file's conflicting row asks for). Each
// step is a status event with who took it, when and why.
const (
	StepProgress       = "progress"
	StepRequestClosure = "request_closure"
	StepApprove        = "approve"
	StepReturn         = "return"
	StepReopen         = "reopen"
)

// ErrStepRefused is a step the item's status does not allow (closing an item nobody asked
// to close, reporting progress on a closed one) or one missing its reason.
var ErrStepRefused = errors.New("step refused")

// LedgerStep is one step of the loop as the dashboard asks for it.
type LedgerStep struct {
	ItemID string
	// Scope is the taker's: an item it does not see is not found.
	Scope RowScope
	Kind  string // one of the Step* constants
	By    string // the account taking the step
	Note  string // why: the progress made, the reason of a return or reopening
	// Progress is the percentage a progress step reports; the other steps keep or set it.
	Progress    float64
	Attachments []Attachment
}

// Attachment is a file of evidence sent with a progress step; Data is set only when one
// file is read or written, never in lists.
type Attachment struct {
	ID          string `json:"id"`
	ItemID      string `json:"item_id"`
	EventAt     string `json:"event_at"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	UploadedBy  string `json:"uploaded_by"`
	Data        []byte `json:"-"`
}

// nextStatus is the status and progress an item in status cur (at progress pct) moves to by
// step s, or why it may not. Only an item asked to be closed can be closed or returned.
func nextStatus(cur string, pct float64, s LedgerStep) (string, float64, error) {
	refuse := func(format string, a ...any) (string, float64, error) {
		return "", 0, fmt.Errorf("%w: "+format, append([]any{ErrStepRefused}, a...)...)
	}
	switch s.Kind {
	case StepProgress:
		if cur == StatusClosed || cur == StatusClosureRequested {
			return refuse("item %s is %s; progress is reported on an open item", s.ItemID, cur)
		}
		if s.Progress < 0 || s.Progress > 100 {
			return refuse("progress %v%% is not between 0 and 100", s.Progress)
		}
		if s.Progress == 100 {
			return StatusRectified, 100, nil
		}
		return StatusInProgress, s.Progress, nil
	case StepRequestClosure:
		if cur == StatusClosed || cur == StatusClosureRequested {
			return refuse("item %s is %s already", s.ItemID, cur)
		}
		return StatusClosureRequested, 100, nil
	case StepApprove:
		if cur != StatusClosureRequested {
			return refuse("item %s is %s; only an item whose closure was requested is closed", s.ItemID, cur)
		}
		return StatusClosed, 100, nil
	case StepReturn:
		if cur != StatusClosureRequested {
			return refuse("item %s is %s; only a closure request is returned", s.ItemID, cur)
		}
		if s.Note == "" {
			return refuse("a return needs its reason")
		}
		return StatusReturned, pct, nil
	case StepReopen:
		if cur != StatusClosed {
			return refuse("item %s is %s; only a closed item is reopened", s.ItemID, cur)
		}
		if s.Note == "" {
			return refuse("reopening needs its reason")
		}
		return StatusReturned, pct, nil
	}
	return refuse("no step %q", s.Kind)
}

// TakeLedgerStep records step on the item as of now, with its attachments, and returns
// the event written. The item's status now decides whether the step is allowed; two
// people stepping on one item at the same moment are not serialised (the later event wins).
func (w *Warehouse) TakeLedgerStep(ctx context.Context, s LedgerStep, now time.Time) (StatusEvent, error) {
	var ev StatusEvent
	items, err := w.LedgerOn(ctx, s.Scope, now)
	if err != nil {
		return ev, err
	}
	var cur *LedgerItem
	for i := range items {
		if items[i].ItemID == s.ItemID {
			cur = &items[i]
			break
		}
	}
	if cur == nil {
		return ev, fmt.Errorf("ledger item %q: %w", s.ItemID, ErrNotFound)
	}
	status, pct, err := nextStatus(cur.Status, cur.Progress, s)
	if err != nil {
		return ev, err
	}
	now = stepTime(now)
	at := now.Format("2006-01-02 15:04:05.000")
	ev = StatusEvent{Date: now.Format("2006-01-02"), Status: status, Progress: pct, Note: s.Note, By: s.By, At: now.Format("2006-01-02 15:04:05")}
	err = w.change(ctx, func() error {
		for _, a := range s.Attachments {
			err := w.execNamed(ctx, "ecology_attachment_put", Params{"id": uuid.NewString(), "item_id": s.ItemID, "at": at,
				"file_name": a.FileName, "content_type": a.ContentType, "size": strconv.Itoa(len(a.Data)), "sha256": a.SHA256,
				"data": base64.StdEncoding.EncodeToString(a.Data), "by": s.By})
			if err != nil {
				return fmt.Errorf("store attachment %q of %s: %w", a.FileName, s.ItemID, err)
			}
		}
		err := w.execNamed(ctx, "ecology_step_put", Params{"item_id": s.ItemID, "status": status,
			"progress": strconv.FormatFloat(pct, 'f', -1, 64), "note": s.Note, "by": s.By, "at": at})
		if err != nil {
			return fmt.Errorf("record %s of %s: %w", s.Kind, s.ItemID, err)
		}
		return nil
	})
	if err != nil {
		return StatusEvent{}, err
	}
	return ev, nil
}

// lastStep is the time of this process's latest step: an item's status is its event of the
// latest (day, time), so two steps at one millisecond (or under a stopped clock) would tie.
var lastStep struct {
	sync.Mutex
	at time.Time
}

// stepTime is now in UTC to the millisecond, moved past this process's previous step.
func stepTime(now time.Time) time.Time {
	lastStep.Lock()
	defer lastStep.Unlock()
	now = now.UTC().Truncate(time.Millisecond)
	if !now.After(lastStep.at) {
		now = lastStep.at.Add(time.Millisecond)
	}
	lastStep.at = now
	return now
}

// ItemAttachments lists an item's attachments, without their bytes, oldest first; none when
// scope does not see the item.
func (w *Warehouse) ItemAttachments(ctx context.Context, scope RowScope, itemID string) ([]Attachment, error) {
	res, err := w.named(ctx, "ecology_attachments_of", scope.params(Params{"item_id": itemID}))
	if err != nil {
		return nil, err
	}
	out := []Attachment{}
	err = res.each(func(rr *rowReader) {
		out = append(out, Attachment{ID: rr.str("id"), ItemID: itemID, EventAt: rr.str("event_at"), FileName: rr.str("file_name"),
			ContentType: rr.str("content_type"), Size: rr.int("size"), SHA256: rr.str("sha256"), UploadedBy: rr.str("uploaded_by")})
	})
	return out, err
}

// AttachmentFile reads one attachment with its bytes; one of an item scope does not see is
// not found. Never cached: files stay out of the result cache.
func (w *Warehouse) AttachmentFile(ctx context.Context, scope RowScope, id string) (Attachment, error) {
	var a Attachment
	text, err := namedQuery("ecology_attachment")
	if err != nil {
		return a, err
	}
	res, err := w.eng.query(ctx, text, scope.params(Params{"id": id}))
	if err != nil {
		return a, fmt.Errorf("read attachment %s: %w", id, err)
	}
	found := false
	var decodeErr error
	err = res.each(func(rr *rowReader) {
		found = true
		a = Attachment{ID: id, ItemID: rr.str("item_id"), EventAt: rr.str("event_at"), FileName: rr.str("file_name"),
			ContentType: rr.str("content_type"), Size: rr.int("size"), SHA256: rr.str("sha256"), UploadedBy: rr.str("uploaded_by")}
		a.Data, decodeErr = base64.StdEncoding.DecodeString(rr.str("data"))
	})
	switch {
	case err != nil:
		return a, fmt.Errorf("read attachment %s: %w", id, err)
	case decodeErr != nil:
		return a, fmt.Errorf("read attachment %s: %w", id, decodeErr)
	case !found:
		return a, fmt.Errorf("attachment %s: %w", id, ErrNotFound)
	}
	return a, nil
}

// LoopClosure is an item closed by a verifier on the dashboard and not reopened since.
type LoopClosure struct {
	By string
	On time.Time
}

// LoopClosures maps the items a verifier closed on the dashboard (their latest step) to who
// closed them and when: a ledger file may not reopen those (see etl's ecology job).
func (w *Warehouse) LoopClosures(ctx context.Context) (map[string]LoopClosure, error) {
	res, err := w.named(ctx, "ecology_loop_closures", nil)
	if err != nil {
		return nil, err
	}
	out := map[string]LoopClosure{}
	err = res.each(func(rr *rowReader) {
		if on, err := time.Parse("2006-01-02", rr.str("closed_on")); err == nil {
			out[rr.str("item_id")] = LoopClosure{By: rr.str("by"), On: on}
		}
	})
	return out, err
}
