// Package loadgen drives the platform the way its users do and measures it:
// police officers POST disputes to intake at a fixed rate, and the agencies'
// systems read the three copies of each referral slip on their county's
// topics. It knows the platform only by its public HTTP API and its Kafka
// topics, so it measures any version of the services and the store alike.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/messaging/rawpipe"
)

// Config of a run.
type Config struct {
	IntakeURL string
	// Issuer is the platform's OpenID provider (devstack's): reports are
	// sent as each county's police system, with its token.
	Issuer  string
	Brokers []string
	// Kafka logs the generator in: it reads every county's copies and
	// creates its own pipe topics, which on a broker with ACLs takes the
	// superuser (devstack.Platform.KafkaUser("admin")). Empty for an open one.
	Kafka    config.KafkaSecurity
	Counties []County

	// Rate reports per second for Duration: the measured load. Reports are
	// sent on schedule whether or not earlier ones have been answered, as
	// officers do not wait for each other.
	Rate     float64
	Duration time.Duration
	// Preload disputes are stored first, as fast as the platform accepts
	// them with PreloadConcurrency requests at a time, and the load starts
	// once their copies have arrived (or SettleTimeout has passed).
	Preload            int
	PreloadConcurrency int
	SettleTimeout      time.Duration
	// RepeatShare of the reports repeat the parties of an earlier one.
	RepeatShare float64
	// PipeAlone: how long to run the raw pipe on its own, at Rate, before
	// the load; 0: not at all, and the ratios are to the pipe during the load.
	PipeAlone time.Duration
	// Deadline: a dispute whose three copies have not all arrived this long
	// after its POST counts as missing.
	Deadline       time.Duration
	RequestTimeout time.Duration
	// MaxInFlight bounds the POSTs awaiting an answer; a report due when
	// that many are in flight is not sent and counted as an error.
	MaxInFlight int
	Seed        uint64
	// Progress receives a line now and then while the run goes on; nil: none.
	Progress io.Writer
	// MeasureStart and MeasureEnd, when set, are called around the measured
	// load (after the preload, until the last copy): where a profile goes.
	MeasureStart, MeasureEnd func()
}

func (c *Config) defaults() error {
	if c.IntakeURL == "" || c.Issuer == "" || len(c.Brokers) == 0 || len(c.Counties) == 0 {
		return errors.New("a run needs intake's URL, the identity provider, the brokers and at least one county")
	}
	if c.Rate <= 0 || c.Duration <= 0 {
		return errors.New("a run needs a positive rate and duration")
	}
	if n := c.Preload + int(math.Ceil(c.Rate*c.Duration.Seconds())); n > maxDisputesPerRun {
		return fmt.Errorf("a run writes at most %d disputes, this one would write %d", maxDisputesPerRun, n)
	}
	if c.PreloadConcurrency <= 0 {
		c.PreloadConcurrency = 8
	}
	if c.SettleTimeout <= 0 {
		c.SettleTimeout = 10 * time.Minute
	}
	if c.Deadline <= 0 {
		c.Deadline = 30 * time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 256
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return nil
}

// Run preloads, then drives the load and reads the copies, and reports.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	client := newIntake(cfg.IntakeURL, cfg.Issuer, cfg.RequestTimeout, max(cfg.MaxInFlight, cfg.PreloadConcurrency))
	gen, err := newRunGenerator(ctx, client, cfg)
	if err != nil {
		return nil, err
	}
	// The readers serve both phases; each phase has its own tracker so the
	// load's figures hold only the load's disputes.
	var current atomic.Pointer[tracker]
	current.Store(newTracker())
	readers, err := readCopies(ctx, clusterOf(cfg), cfg.Counties, func(id string, c events.Copy, at time.Time) {
		current.Load().arrived(id, c, at)
	})
	if err != nil {
		return nil, err
	}
	defer readers.close()

	result := &Result{Started: time.Now(), Rate: cfg.Rate, Duration: cfg.Duration, Deadline: cfg.Deadline}
	if cfg.Preload > 0 {
		if result.Preload, err = preload(ctx, cfg, client, gen, current.Load()); err != nil {
			return nil, err
		}
		current.Store(newTracker())
	}
	if err := measure(ctx, cfg, client, gen, current.Load(), result); err != nil {
		return nil, err
	}
	return result, nil
}

func newRunGenerator(ctx context.Context, client *intake, cfg Config) (*Generator, error) {
	categories := map[string][]Category{}
	for _, c := range cfg.Counties {
		cats, err := client.countyCategories(ctx, c)
		if err != nil {
			return nil, err
		}
		categories[c.Code] = cats
	}
	return NewGenerator(cfg.Counties, categories, cfg.RepeatShare, cfg.Seed)
}

// preload stores cfg.Preload disputes as fast as the platform takes them,
// then waits for their copies so the load starts on a platform at rest.
func preload(ctx context.Context, cfg Config, client *intake, gen *Generator, t *tracker) (*PreloadResult, error) {
	started := time.Now()
	pr := &PreloadResult{Requested: cfg.Preload, Errors: map[string]int{}}
	var mu sync.Mutex
	var next atomic.Int64
	progress := startProgress(ctx, cfg.Progress, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("preload: %d/%d accepted (%.1f/s), %d errors", pr.Accepted, pr.Requested, perSecond(pr.Accepted, time.Since(started)), len(pr.Errors))
	})
	var wg sync.WaitGroup
	for range cfg.PreloadConcurrency {
		wg.Go(func() {
			for next.Add(1) <= int64(cfg.Preload) && ctx.Err() == nil {
				r, err := gen.Next()
				if err != nil {
					return
				}
				posted := time.Now()
				out, err := client.register(ctx, r)
				mu.Lock()
				if err != nil {
					pr.Errors[failureKind(err)]++
				} else {
					pr.Accepted++
				}
				mu.Unlock()
				if err == nil && !out.Linked {
					t.opened(out.DisputeID, posted)
				}
			}
		})
	}
	wg.Wait()
	pr.Took = time.Since(started)
	progress.stop()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	fmt.Fprintf(cfg.Progress, "preload: %d accepted in %s; waiting for their copies\n", pr.Accepted, pr.Took.Round(time.Second))
	settleCtx, cancel := context.WithTimeout(ctx, cfg.SettleTimeout)
	defer cancel()
	waiting := startProgress(settleCtx, cfg.Progress, func() string {
		n, _ := t.pending()
		return fmt.Sprintf("preload: %d of %d disputes still without all copies", n, t.count())
	})
	err := t.waitAll(settleCtx, cfg.SettleTimeout)
	waiting.stop()
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	pr.Settled = time.Since(started)
	pr.Missing, _ = t.pending()
	return pr, nil
}

// clusterOf is how the generator's own clients reach the broker.
func clusterOf(cfg Config) messaging.Cluster {
	return messaging.Cluster{Brokers: cfg.Brokers, Security: cfg.Kafka}
}

// measure sends the load on schedule, with the raw pipe alongside at the
// same rate, then waits for the copies and fills in the result.
func measure(ctx context.Context, cfg Config, client *intake, gen *Generator, t *tracker, result *Result) error {
	pipe, err := rawpipe.Start(ctx, clusterOf(cfg), fmt.Sprintf("fengqiao.loadtest.%d.pipe", time.Now().UnixNano()))
	if err != nil {
		return err
	}
	defer func() {
		if err := pipe.Close(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(cfg.Progress, "load: %v\n", err)
		}
	}()
	if cfg.PipeAlone > 0 {
		result.PipeAlone = measurePipeAlone(ctx, cfg, pipe)
	}
	if cfg.MeasureStart != nil {
		cfg.MeasureStart()
	}
	res := &loadResults{errors: map[string]int{}}
	started := time.Now()
	progress := startProgress(ctx, cfg.Progress, func() string {
		return fmt.Sprintf("load: %s", res.summary(time.Since(started)))
	})
	sendOnSchedule(ctx, cfg, client, gen, pipe, t, res)
	loadTook := time.Since(started)
	progress.stop()

	waitCtx, cancel := context.WithTimeout(ctx, cfg.Deadline)
	pipe.WaitAll(waitCtx)
	cancel()
	if err := t.waitAll(ctx, cfg.Deadline); err != nil {
		return err
	}
	if cfg.MeasureEnd != nil {
		cfg.MeasureEnd()
	}

	result.Sent, result.Opened, result.Linked, result.Repeats = res.sent, res.opened, res.linked, res.repeats
	result.Errors, result.Post = res.errors, percentiles(res.post)
	// Over the whole duration at least: the last report is due one interval
	// before it ends, and a rate is not achieved by answering early.
	result.Achieved = perSecond(res.opened+res.linked, max(loadTook, cfg.Duration))
	copies, missing := t.latencies(cfg.Deadline)
	result.Copies, result.Missing = percentiles(copies), missing
	pipeGot, pipeSent := pipe.Latencies()
	result.Pipe, result.PipeLost = percentiles(pipeGot), pipeSent-len(pipeGot)
	return nil
}

// measurePipeAlone runs the raw pipe at the load's rate with nothing else
// sent: the floor on this machine at this moment. During the load the pipe
// shares the broker, the process and the cores with the platform, so a
// platform that hogs them slows the pipe too and would look better beside
// it than it is; the ratios are taken to the pipe alone.
func measurePipeAlone(ctx context.Context, cfg Config, pipe *rawpipe.Pipe) Percentiles {
	fmt.Fprintf(cfg.Progress, "raw pipe alone: %.1f/s for %s\n", cfg.Rate, cfg.PipeAlone)
	n := max(1, int(math.Round(cfg.Rate*cfg.PipeAlone.Seconds())))
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		if !sleepUntil(ctx, start.Add(time.Duration(i)*interval)) {
			break
		}
		wg.Go(func() { _ = pipe.Send(ctx, fmt.Sprintf("alone-%d", i)) })
	}
	wg.Wait()
	waitCtx, cancel := context.WithTimeout(ctx, cfg.Deadline)
	defer cancel()
	pipe.WaitAll(waitCtx)
	got, _ := pipe.Latencies()
	pipe.Reset()
	return percentiles(got)
}

// loadResults gathers the answers of the load's POSTs.
type loadResults struct {
	mu                            sync.Mutex
	sent, opened, linked, repeats int
	errors                        map[string]int
	post                          []time.Duration
}

func (r *loadResults) summary(elapsed time.Duration) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%d sent, %d accepted (%.1f/s), %d errors", r.sent, r.opened+r.linked, perSecond(r.opened+r.linked, elapsed), len(r.errors))
}

func (r *loadResults) failed(kind string) { r.failedWith(kind, nil) }

// failedWith counts a failure under kind and logs the first of each kind
// with its whole error (a refusal's problem+json names the field at fault),
// so a run's summary line can be traced to its cause.
func (r *loadResults) failedWith(kind string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors[kind]++
	if r.errors[kind] == 1 && err != nil {
		slog.Warn("a report was not accepted; the first of its kind", "kind", kind, "error", err)
	}
}

// sendOnSchedule sends report i at start + i/rate, each in its own
// goroutine, and returns once every one has been answered.
func sendOnSchedule(ctx context.Context, cfg Config, client *intake, gen *Generator, pipe *rawpipe.Pipe, t *tracker, res *loadResults) {
	n := int(math.Round(cfg.Rate * cfg.Duration.Seconds()))
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	start := time.Now()
	var wg sync.WaitGroup
	var inFlight atomic.Int64
	for i := range n {
		if !sleepUntil(ctx, start.Add(time.Duration(i)*interval)) {
			break
		}
		// A message the pipe fails to carry is counted as lost there, not
		// among the platform's errors.
		wg.Go(func() { _ = pipe.Send(ctx, fmt.Sprintf("pipe-%d", i)) })
		r, err := gen.Next()
		if err != nil {
			res.failed(err.Error())
			continue
		}
		res.mu.Lock()
		res.sent++
		if r.Repeat {
			res.repeats++
		}
		res.mu.Unlock()
		if inFlight.Load() >= int64(cfg.MaxInFlight) {
			res.failed(fmt.Sprintf("not sent: %d requests already in flight", cfg.MaxInFlight))
			continue
		}
		inFlight.Add(1)
		wg.Go(func() {
			defer inFlight.Add(-1)
			postOne(ctx, client, r, t, res)
		})
	}
	wg.Wait()
}

func postOne(ctx context.Context, client *intake, r Report, t *tracker, res *loadResults) {
	posted := time.Now()
	out, err := client.register(ctx, r)
	took := time.Since(posted)
	if err != nil {
		res.failedWith(failureKind(err), err)
		return
	}
	if !out.Linked {
		t.opened(out.DisputeID, posted)
	}
	res.mu.Lock()
	defer res.mu.Unlock()
	res.post = append(res.post, took)
	if out.Linked {
		res.linked++
	} else {
		res.opened++
	}
}

func failureKind(err error) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Kind
	}
	return err.Error()
}

func sleepUntil(ctx context.Context, at time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// progress prints a status line every few seconds until stopped.
type progress struct {
	stopCh chan struct{}
	done   chan struct{}
}

func startProgress(ctx context.Context, w io.Writer, status func() string) *progress {
	p := &progress{stopCh: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-p.stopCh:
				return
			case <-tick.C:
				fmt.Fprintln(w, status())
			}
		}
	}()
	return p
}

func (p *progress) stop() {
	close(p.stopCh)
	<-p.done
}
