package ports

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
)

// countyArea is a county as the overdue list reads it: an area of one.
var countyArea = areaKind{"county", 6, countyCode}

// areaCode reads the code of a county, prefecture or province in the path.
func areaCode(c echo.Context, kind areaKind) (string, error) {
	code := c.Param("code")
	if kind == countyArea {
		return county(c)
	}
	if !kind.code.MatchString(code) {
		return "", problem.Invalid("unknown "+kind.name+" code", problem.FieldError{Pointer: "path:code",
			Detail: fmt.Sprintf("must be the %d leading digits of its counties' GB/T 2260 codes", kind.digits)})
	}
	return code, nil
}

// areaLedger is a prefecture's or province's daily ledger: each county's
// counts, per unit.
func (h HTTP) areaLedger(kind areaKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := areaCode(c, kind)
		if err != nil {
			return err
		}
		day, err := dayParam(c, h.App.Now())
		if err != nil {
			return err
		}
		l, err := h.App.AreaLedgerOf(c.Request().Context(), httpserver.Caller(c), code, day)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, map[string]any{"level": kind.name, "code": code, "day": l.Day, "as_of": l.AsOf,
			"due_today": l.DueToday, "overdue": l.Overdue, "closed": l.Closed, "counties": mapping.Slice(l.Counties, ledgerCountsOf)})
	}
}

// overdue is the overdue list of a county, prefecture or province: every
// obligation past its due time now, the longest overdue first, a page at
// a time.
func (h HTTP) overdue(kind areaKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := areaCode(c, kind)
		if err != nil {
			return err
		}
		page, err := httpserver.PageParams(c, queueindex.CheckKey)
		if err != nil {
			return err
		}
		items, next, err := h.App.OverduePage(c.Request().Context(), httpserver.Caller(c), code, page.After, page.Limit)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, httpserver.PageOf(mapping.Slice(items, overdueItemOf), page.After, next))
	}
}
