package loadgen

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Percentiles summarise a set of latencies.
type Percentiles struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// percentiles uses the nearest-rank method: P99 of 100 values is the 99th,
// a value that was measured, not an interpolation.
func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return Percentiles{N: len(s), P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: s[len(s)-1]}
}

func (p Percentiles) String() string {
	if p.N == 0 {
		return "none measured"
	}
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  (n=%d)", ms(p.P50), ms(p.P90), ms(p.P99), ms(p.Max), p.N)
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}

// PreloadResult is what storing the disputes before the measured load took.
type PreloadResult struct {
	Requested, Accepted int
	Errors              map[string]int
	Took                time.Duration // until the last POST returned
	Settled             time.Duration // until every copy had arrived, or the wait gave up
	Missing             int           // disputes whose copies had not all arrived by then
}

// Result is the outcome of a run.
type Result struct {
	Started  time.Time
	Preload  *PreloadResult
	Rate     float64
	Duration time.Duration
	Deadline time.Duration

	Sent, Opened, Linked, Repeats int
	Achieved                      float64 // accepted reports per second of the load
	Errors                        map[string]int
	Post                          Percentiles // the POST's own response time
	Copies                        Percentiles // from the POST to the last of the three copies read
	Missing                       int         // opened disputes without all copies within Deadline

	Pipe      Percentiles // the raw two-hop kafka-go pipe during the load
	PipeLost  int
	PipeAlone Percentiles // the same pipe at the same rate before the load, alone
}

// floor is the raw pipe the platform is compared with: alone when it was
// measured so (see measurePipeAlone), else during the load.
func (r *Result) floor() Percentiles {
	if r.PipeAlone.N > 0 {
		return r.PipeAlone
	}
	return r.Pipe
}

// ErrorCount is the number of reports that failed, whatever the kind.
func (r *Result) ErrorCount() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// P50Ratio and P99Ratio compare the platform with the raw pipe (alone when
// measured alone); 0 when either was not measured.
func (r *Result) P50Ratio() float64 {
	return ratio(r.Copies.P50, r.floor().P50, r.Copies.N, r.floor().N)
}
func (r *Result) P99Ratio() float64 {
	return ratio(r.Copies.P99, r.floor().P99, r.Copies.N, r.floor().N)
}

func ratio(a, b time.Duration, na, nb int) float64 {
	if na == 0 || nb == 0 || b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Write prints the report for a person, one figure a line.
func (r *Result) Write(w io.Writer) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-14s %s\n", label, fmt.Sprintf(format, args...))
	}
	if p := r.Preload; p != nil {
		line("preload", "%d of %d accepted in %s (%.1f/s), copies settled after %s, %d without all copies%s",
			p.Accepted, p.Requested, p.Took.Round(time.Second), perSecond(p.Accepted, p.Took), p.Settled.Round(time.Second), p.Missing, errorSuffix(p.Errors))
	}
	line("load", "%.1f/s requested for %s: %d sent, %d opened, %d linked as repeats (of %d repeats sent)",
		r.Rate, r.Duration, r.Sent, r.Opened, r.Linked, r.Repeats)
	line("achieved", "%.2f/s accepted", r.Achieved)
	line("errors", "%s", errorList(r.Errors))
	line("POST", "%s", r.Post)
	line("to 3 copies", "%s", r.Copies)
	line("missing", "%d disputes without all three copies within %s", r.Missing, r.Deadline)
	line("raw pipe", "%s, %d lost (produce → consume → produce → consume, same broker, same rate, during the load)", r.Pipe, r.PipeLost)
	floor := "during the load"
	if r.PipeAlone.N > 0 {
		line("pipe alone", "%s (the same pipe before the load, nothing else sent)", r.PipeAlone)
		floor = "alone"
	}
	line("ratio", "p50 %.1f×  p99 %.1f×  (platform / raw pipe %s)", r.P50Ratio(), r.P99Ratio(), floor)
}

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func errorSuffix(errs map[string]int) string {
	if len(errs) == 0 {
		return ""
	}
	return "; errors: " + errorList(errs)
}

func errorList(errs map[string]int) string {
	if len(errs) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(errs))
	for _, kind := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, fmt.Sprintf("%s: %d", kind, errs[kind]))
	}
	return strings.Join(parts, "; ")
}

// Targets a run must meet to pass; a zero field is not checked.
type Targets struct {
	MaxP50Ratio, MaxP99Ratio float64
	MaxP99                   time.Duration
	// MinAchieved is the share of the requested rate that must be accepted.
	MinAchieved float64
	// MaxMissing and MaxErrors are checked when not negative.
	MaxMissing, MaxErrors int
}

// Missed lists the targets the run missed, each with the figure measured.
func (t Targets) Missed(r *Result) []string {
	var missed []string
	check := func(failed bool, format string, args ...any) {
		if failed {
			missed = append(missed, fmt.Sprintf(format, args...))
		}
	}
	check(t.MaxP50Ratio > 0 && !(r.P50Ratio() > 0 && r.P50Ratio() <= t.MaxP50Ratio), "p50 ratio %.1f×, target ≤ %.1f×", r.P50Ratio(), t.MaxP50Ratio)
	check(t.MaxP99Ratio > 0 && !(r.P99Ratio() > 0 && r.P99Ratio() <= t.MaxP99Ratio), "p99 ratio %.1f×, target ≤ %.1f×", r.P99Ratio(), t.MaxP99Ratio)
	check(t.MaxP99 > 0 && !(r.Copies.N > 0 && r.Copies.P99 <= t.MaxP99), "p99 %s, target ≤ %s", ms(r.Copies.P99), t.MaxP99)
	check(t.MinAchieved > 0 && r.Achieved < t.MinAchieved*r.Rate, "achieved %.2f/s, target ≥ %.2f/s", r.Achieved, t.MinAchieved*r.Rate)
	check(t.MaxMissing >= 0 && r.Missing > t.MaxMissing, "%d disputes missing copies, target ≤ %d", r.Missing, t.MaxMissing)
	check(t.MaxErrors >= 0 && r.ErrorCount() > t.MaxErrors, "%d errors, target ≤ %d", r.ErrorCount(), t.MaxErrors)
	return missed
}
