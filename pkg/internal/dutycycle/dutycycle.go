// Package dutycycle bounds the share of time a periodic task may run.
//
// The services' periodic work (deadline sweeps, the outbox relay's sweep
// for unannounced events) queries by fields the embedded store (FerretDB)
// cannot index, so each run decodes a whole collection: with 100,000
// documents stored one 30-second deadline sweep took more than 30 seconds
// of CPU, and an idle platform kept every core busy. Stretching the wait
// after a slow run bounds that cost however much is stored, at the price of
// running less often.
package dutycycle

import "time"

const (
	// MaxShare is the largest share of the time a periodic task may spend
	// running.
	MaxShare = 0.02

	// SlowRun is the shortest run the bound applies to: below it a task's
	// cost is negligible at any interval the services use, and tests that
	// sweep every 50 ms keep their pace.
	SlowRun = time.Second
)

// Wait is how long to wait after a run that took took, for a task meant to
// start every interval: until interval has passed since the run started,
// and, after a slow run, at least long enough that the task runs no more
// than MaxShare of the time.
func Wait(interval, took time.Duration) time.Duration {
	wait := max(interval-took, 0)
	if took < SlowRun {
		return wait
	}
	return max(wait, time.Duration(float64(took)*(1/MaxShare-1)))
}

// Stretched reports whether Wait made the period notably longer than
// interval (worth a log line).
func Stretched(interval, took, wait time.Duration) bool {
	return took+wait > 2*interval
}
