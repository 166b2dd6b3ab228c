package calendar

import "fengqiao.dev/pkg/holidays"

// national is built once: the year files are embedded and checked by the
// holidays package's tests, so a failure here is a broken build.
var national = mustNational()

func mustNational() Calendar {
	n := holidays.National()
	c, err := New(China, n.Holidays, n.Workdays)
	if err != nil {
		panic(err)
	}
	return c
}

// Default is the national calendar in China Standard Time: every year the
// State Council has published, as embedded in the binary. Past its last
// covered day only weekends are days off (see holidays.Coverage).
func Default() Calendar { return national }
