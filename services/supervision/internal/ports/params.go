package ports

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/supervision/internal/casefile"
)

var countyCode = regexp.MustCompile(`^[0-9]{6}$`)

func invalid(pointer, detail string) error {
	return problem.Invalid("the request cannot be answered as sent", problem.FieldError{Pointer: pointer, Detail: detail})
}

func county(c echo.Context) (string, error) {
	code := c.Param("code")
	if !countyCode.MatchString(code) {
		return "", problem.Invalid("unknown county code",
			problem.FieldError{Pointer: "path:code", Detail: "must be a 6-digit GB/T 2260 county code"})
	}
	return code, nil
}

// countyAndMonth reads the county code and the optional (or required)
// ?month=YYYY-MM, a month in China Standard Time.
func countyAndMonth(c echo.Context, monthRequired bool) (string, *casefile.Month, error) {
	code, err := county(c)
	if err != nil {
		return "", nil, err
	}
	raw := c.QueryParam("month")
	if raw == "" && !monthRequired {
		return code, nil, nil
	}
	m, err := casefile.ParseMonth(raw)
	if err != nil {
		return "", nil, invalid("query:month", "must be a month, YYYY-MM")
	}
	return code, &m, nil
}

// dayParam reads ?date=YYYY-MM-DD (China Standard Time), today by default.
func dayParam(c echo.Context, now time.Time) (time.Time, error) {
	raw := c.QueryParam("date")
	if raw == "" {
		return now, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, raw, casefile.China)
	if err != nil {
		return time.Time{}, invalid("query:date", "must be a date, YYYY-MM-DD")
	}
	return d, nil
}

// overdueCases reads ?overdue_cases=true|false (true by default): whether
// the KPIs list the overdue disputes' case codes by unit, or only count
// them.
func overdueCases(c echo.Context) (bool, error) {
	switch c.QueryParam("overdue_cases") {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, invalid("query:overdue_cases", "must be true or false")
}

// maxOverdueLimit bounds ?overdue_limit: a ledger lists at most that many
// overdue obligations; the overdue list pages the rest.
const maxOverdueLimit = 1000

// overdueLimit reads ?overdue_limit=N (0 to maxOverdueLimit): how many of
// the ledger's overdue obligations to list; absent (false) lists them all.
func overdueLimit(c echo.Context) (int, bool, error) {
	raw := c.QueryParam("overdue_limit")
	if raw == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > maxOverdueLimit {
		return 0, false, invalid("query:overdue_limit", fmt.Sprintf("must be a whole number from 0 to %d", maxOverdueLimit))
	}
	return n, true, nil
}

func validDimension(d casefile.Dimension, allowed []casefile.Dimension) bool {
	return slices.Contains(allowed, d)
}

// areaKind is a division above the counties: what its code in a path looks
// like (the leading digits of its counties' codes) and its name in views.
type areaKind struct {
	name   string
	digits int
	code   *regexp.Regexp
}

var (
	prefectureArea = areaKind{"prefecture", 4, regexp.MustCompile(`^[0-9]{4}$`)}
	provinceArea   = areaKind{"province", 2, regexp.MustCompile(`^[0-9]{2}$`)}
)

// areaAndMonth reads a prefecture's or province's code and the optional
// (or required) ?month=YYYY-MM.
func areaAndMonth(c echo.Context, kind areaKind, monthRequired bool) (string, *casefile.Month, error) {
	code := c.Param("code")
	if !kind.code.MatchString(code) {
		return "", nil, problem.Invalid("unknown "+kind.name+" code", problem.FieldError{Pointer: "path:code",
			Detail: fmt.Sprintf("must be the %d leading digits of its counties' GB/T 2260 codes", kind.digits)})
	}
	raw := c.QueryParam("month")
	if raw == "" && !monthRequired {
		return code, nil, nil
	}
	m, err := casefile.ParseMonth(raw)
	if err != nil {
		return "", nil, invalid("query:month", "must be a month, YYYY-MM")
	}
	return code, &m, nil
}
