package shop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/esimshop/esimshop/store"
)

// JobConfig tunes the background job workers. Zero values take defaults.
type JobConfig struct {
	Workers     int           // concurrent workers; default 2
	Lease       time.Duration // how long a claimed job is ours before another worker may take it over; default 2m
	BaseDelay   time.Duration // first retry delay (before jitter); default 10s, so the first retry comes within ~15s
	MaxDelay    time.Duration // retry delay cap; default 15m
	MaxAttempts int           // tries before giving up; default 8
	Poll        time.Duration // idle poll interval; default 2s
}

func (c JobConfig) withDefaults() JobConfig {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	def(&c.Lease, 2*time.Minute)
	def(&c.BaseDelay, 10*time.Second)
	def(&c.MaxDelay, 15*time.Minute)
	def(&c.Poll, 2*time.Second)
	return c
}

// jobFunc runs one job. Returning nil completes it; an error retries it
// with backoff until the attempts run out; a *retryAt reschedules it;
// errJobDone says the job completed itself.
type jobFunc func(ctx context.Context, j store.Job) error

// errJobDone tells the queue that a job completed itself, in the same
// transaction as its last write (see sendESIMEmail).
var errJobDone = errors.New("job completed by its own transaction")

// retryAt asks for the job to run again at a given time without counting
// as a failure (e.g. reconciliation checking back later).
type retryAt struct {
	at     time.Time
	reason string
}

func (r *retryAt) Error() string {
	return "check again at " + r.at.Format(time.RFC3339) + ": " + r.reason
}

// permanentError marks a job failure that retrying cannot fix (a vendor
// refusal such as 1003 or 1047): the job gives up at once and the operator
// is told, instead of retrying for hours.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent wraps err so the queue does not retry it.
func permanent(err error) error { return &permanentError{err: err} }

// giveUpFunc is told when a job has failed for the last time.
type giveUpFunc func(ctx context.Context, j store.Job, err error)

// jobKind is a kind of job: how to run it and what to do when it fails for good.
type jobKind struct {
	run    jobFunc
	giveUp giveUpFunc
}

// jobKinds maps job kinds to their handlers.
func (s *Shop) jobKinds() map[string]jobKind {
	return map[string]jobKind{
		store.JobPlaceOrder:    {s.placeOrder, s.placementFailed},
		store.JobSendESIMEmail: {s.sendESIMEmail, s.emailFailed},
		store.JobReconcile:     {s.reconcile, s.reconcileFailed},
		store.JobRefund:        refundJobKind(s),
	}
}

// queue runs the jobs stored in the database with a few workers.
type queue struct {
	db     *store.DB
	log    *slog.Logger
	cfg    JobConfig
	now    func() time.Time
	kinds  map[string]jobKind
	wakeCh chan struct{} // wakes idle workers
}

func newQueue(db *store.DB, log *slog.Logger, cfg JobConfig, now func() time.Time, kinds map[string]jobKind) *queue {
	return &queue{db: db, log: log, cfg: cfg, now: now, kinds: kinds, wakeCh: make(chan struct{}, 1)}
}

// wake nudges idle workers.
func (q *queue) wake() {
	select {
	case q.wakeCh <- struct{}{}:
	default:
	}
}

// run claims and runs jobs until ctx ends. A job already running when ctx
// ends is finished (with its own time limit), so shutdown drains workers
// instead of abandoning jobs; a job abandoned by a crash is taken over by
// any worker once its lease runs out.
func (q *queue) run(ctx context.Context) {
	for ctx.Err() == nil {
		j, ok, err := q.db.ClaimJob(context.WithoutCancel(ctx), q.now(), q.cfg.Lease)
		if err != nil {
			q.log.Error("claiming a job", "err", err)
		}
		if err != nil || !ok {
			q.idle(ctx)
			continue
		}
		q.runJob(j)
	}
}

// idle waits for a wake-up, the next scheduled job or the poll interval.
func (q *queue) idle(ctx context.Context) {
	wait := q.cfg.Poll
	if at, ok, err := q.db.NextJobAt(ctx); err == nil && ok {
		if d := at.Sub(q.now()); d < wait {
			wait = max(d, 10*time.Millisecond)
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-q.wakeCh:
	case <-t.C:
	}
}

// runJob runs one claimed job and records its outcome.
func (q *queue) runJob(j store.Job) {
	// The job gets the lease minus a margin, independent of shutdown: a
	// job that started is finished or times out, never cut mid-write.
	ctx, cancel := context.WithTimeout(context.Background(), q.cfg.Lease-q.cfg.Lease/10)
	defer cancel()
	k, known := q.kinds[j.Kind]
	var err error
	if !known {
		err = fmt.Errorf("unknown job kind %q", j.Kind)
	} else {
		err = runSafely(ctx, k.run, j)
	}
	log := q.log.With("job", j.ID, "kind", j.Kind, "order_id", j.OrderID, "attempt", j.Attempts)
	var again *retryAt
	switch {
	case errors.Is(err, errJobDone):
		err = nil
	case err == nil:
		err = q.db.CompleteJob(ctx, j)
	case errors.As(err, &again):
		log.Info("job rescheduled", "at", again.at, "reason", again.reason)
		err = q.db.RetryJob(ctx, j, again.at, again.reason)
	case !known || j.Attempts >= q.cfg.MaxAttempts || errors.As(err, new(*permanentError)):
		log.Error("job failed for good", "err", err)
		if known && k.giveUp != nil {
			k.giveUp(ctx, j, err)
		}
		err = q.db.FailJob(ctx, j, err.Error())
	default:
		delay := backoff(q.cfg.BaseDelay, q.cfg.MaxDelay, j.Attempts)
		log.Warn("job failed, will retry", "err", err, "in", delay.Round(time.Millisecond))
		err = q.db.RetryJob(ctx, j, q.now().Add(delay), err.Error())
	}
	if err != nil {
		log.Error("recording job outcome", "err", err)
	}
}

// runSafely runs a job, turning a panic into an error so one bad job
// cannot take the worker (or the shop) down.
func runSafely(ctx context.Context, f jobFunc, j store.Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job panicked: %v", r)
		}
	}()
	return f(ctx, j)
}

// backoff is the delay before retry n (1-based): base·2^(n-1), capped,
// with ±50% jitter so retries of many jobs do not arrive together.
func backoff(base, limit time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d/2 + rand.N(d)
}
