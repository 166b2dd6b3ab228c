package devstack

import (
	"os"
	"runtime/debug"
)

// onePlatformGCPercent is the garbage collector's target for a process
// that runs the whole platform: every service, the broker and the store.
// Most of its allocations are short-lived (documents decoded by the store
// and the mongo driver, Kafka batches), and at Go's default of 100 the
// collector took 10-14 % of the process's CPU under load. Collecting
// a quarter as often trades memory, which a development machine has, for
// that CPU.
const onePlatformGCPercent = 400

// TuneGC sets the collector's target for the one-process platform (make
// run, make loadtest), unless GOGC says otherwise.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(onePlatformGCPercent)
	}
}
