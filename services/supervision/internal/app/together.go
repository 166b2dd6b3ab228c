package app

import (
	"errors"
	"sync"
)

// together runs writes of distinct documents side by side and joins their
// errors. A change of one case file moves a dozen read-model documents
// (its county's tally, sums of the month and of all time, sums by key in
// five dimensions, its obligations); one after the other, each a store
// round trip, they made supervision's projection the platform's slowest
// consumer. Each document counts a change once (its own recent change
// IDs), so a redelivery after a partial failure moves only what was left.
func together(writes ...func() error) error {
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	for i, w := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
