package etl

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"jinwei/warehouse"
)

// Clock is the scheduler's time, replaceable in tests.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// cronParser reads the jobs' schedules: five fields, or a descriptor (@hourly, @every 10m).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Schedule runs the runner's jobs on their cron schedules until ctx ends. A job still
// running when its next time comes is not started again (the loader's job lock also keeps
// runs of a job from overlapping).
func (r *Runner) Schedule(ctx context.Context, clock Clock) error {
	if clock == nil {
		clock = systemClock{}
	}
	parser := cronParser
	type entry struct {
		job   string
		sched cron.Schedule
		next  time.Time
	}
	var entries []*entry
	for _, j := range r.Jobs() {
		if j.Schedule == "" {
			continue
		}
		s, err := parser.Parse(j.Schedule)
		if err != nil {
			return fmt.Errorf("job %s: schedule %q: %w", j.Name, j.Schedule, err)
		}
		entries = append(entries, &entry{job: j.Name, sched: s, next: s.Next(clock.Now())})
	}
	if len(entries) == 0 {
		<-ctx.Done()
		return nil
	}
	for {
		soonest := entries[0]
		for _, e := range entries[1:] {
			if e.next.Before(soonest.next) {
				soonest = e
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-clock.After(soonest.next.Sub(clock.Now())):
		}
		now := clock.Now()
		for _, e := range entries {
			if e.next.After(now) {
				continue
			}
			reports, err := r.RunJob(warehouse.WithStartedBy(ctx, warehouse.StartedBySchedule), e.job)
			r.l.log.Info("scheduled job", "job", e.job, "files", len(reports), "error", err)
			e.next = e.sched.Next(clock.Now())
		}
	}
}
