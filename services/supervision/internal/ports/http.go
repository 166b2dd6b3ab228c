// Package ports adapts supervision's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// HTTP serves the supervision API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.GET("/counties/:code/kpis", h.countyKPIs)
	g.GET("/counties/:code/kpis/:by", h.kpisBy)
	g.GET("/counties/:code/ledger", h.ledger)
	g.GET("/counties/:code/overdue", h.overdue(countyArea))
	g.GET("/prefectures/:code/ledger", h.areaLedger(prefectureArea))
	g.GET("/prefectures/:code/overdue", h.overdue(prefectureArea))
	g.GET("/provinces/:code/ledger", h.areaLedger(provinceArea))
	g.GET("/provinces/:code/overdue", h.overdue(provinceArea))
	g.GET("/counties/:code/warnings", h.warnings)
	g.GET("/counties/:code/unstaffed", h.unstaffed)
	g.GET("/counties/:code/statistics", h.statistics)
	g.GET("/prefectures/:code/kpis", h.areaKPIs(prefectureArea))
	g.GET("/prefectures/:code/statistics", h.areaStatistics(prefectureArea))
	g.GET("/prefectures/:code/warnings", h.areaWarnings(prefectureArea))
	g.GET("/provinces/:code/kpis", h.areaKPIs(provinceArea))
	g.GET("/provinces/:code/statistics", h.areaStatistics(provinceArea))
	g.GET("/provinces/:code/warnings", h.areaWarnings(provinceArea))
	g.GET("/disputes/stages", h.stages)
	g.GET("/disputes/:id/timeline", h.timeline)
	g.GET("/disputes/:id/supervision", h.supervision, httpserver.ETag(h.App.SupervisionETag))
	g.POST("/disputes/:id/urges", h.urge)
	g.POST("/disputes/:id/urges/:urge/read", h.readUrge)
	g.GET("/watchlist", h.watchList)
	g.PUT("/watchlist/:id", h.watch(true))
	g.DELETE("/watchlist/:id", h.watch(false))
}

func callerOf(c echo.Context) identity.Caller {
	caller, _ := identity.FromContext(c.Request().Context())
	return caller
}

func (h HTTP) countyKPIs(c echo.Context) error {
	code, month, err := countyAndMonth(c, false)
	if err != nil {
		return err
	}
	listed, err := overdueCases(c)
	if err != nil {
		return err
	}
	kpis := h.App.CountyKPIs
	if !listed {
		kpis = h.App.CountyKPIsCounted
	}
	k, err := kpis(c.Request().Context(), callerOf(c), code, month)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, kpisOf(code, month, k))
}

func (h HTTP) kpisBy(c echo.Context) error {
	code, month, err := countyAndMonth(c, false)
	if err != nil {
		return err
	}
	by := casefile.Dimension(c.Param("by"))
	if !validDimension(by, casefile.Dimensions()) {
		return invalid("path:by", "must be township, village, grid, unit or officer")
	}
	listed, err := overdueCases(c)
	if err != nil {
		return err
	}
	kpisBy := h.App.KPIsBy
	if !listed {
		kpisBy = h.App.KPIsByCounted
	}
	ks, err := kpisBy(c.Request().Context(), callerOf(c), code, by, month)
	if err != nil {
		return toProblem(err)
	}
	out := map[string]kpisView{}
	for key, k := range ks {
		out[key] = kpisOf(code, month, k)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "by": by, "kpis": out})
}

func (h HTTP) ledger(c echo.Context) error {
	code, err := county(c)
	if err != nil {
		return err
	}
	day, err := dayParam(c, h.App.Now())
	if err != nil {
		return err
	}
	limit, limited, err := overdueLimit(c)
	if err != nil {
		return err
	}
	var l casefile.Ledger
	if limited {
		l, err = h.App.LedgerPage(c.Request().Context(), callerOf(c), code, day, limit)
	} else {
		l, err = h.App.Ledger(c.Request().Context(), callerOf(c), code, day)
	}
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, ledgerOf(l))
}

func (h HTTP) warnings(c echo.Context) error {
	code, month, err := countyAndMonth(c, false)
	if err != nil {
		return err
	}
	if month == nil {
		m := casefile.MonthOf(h.App.Now())
		month = &m
	}
	level := casefile.Dimension(c.QueryParam("level"))
	if level == "" {
		level = casefile.ByTownship
	}
	if !validDimension(level, []casefile.Dimension{casefile.ByTownship, casefile.ByVillage, casefile.ByGrid}) {
		return invalid("query:level", "must be township, village or grid")
	}
	ws, err := h.App.Warnings(c.Request().Context(), callerOf(c), code, level, *month)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "month": month.String(), "level": level, "areas": viewsOf(ws, warningOf)})
}

func (h HTTP) statistics(c echo.Context) error {
	code, month, err := countyAndMonth(c, true)
	if err != nil {
		return err
	}
	format, err := statisticsFormat(c)
	if err != nil {
		return err
	}
	rows, err := h.App.CountyStatistics(c.Request().Context(), callerOf(c), code, *month)
	if err != nil {
		return toProblem(err) // access is checked before the first byte is written
	}
	return writeStatistics(c, format, code+"-"+month.String(), rows)
}

func (h HTTP) areaKPIs(kind areaKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, month, err := areaAndMonth(c, kind, false)
		if err != nil {
			return err
		}
		total, counties, err := h.App.AreaKPIs(c.Request().Context(), callerOf(c), code, month)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, areaKPIsOf(kind, code, month, total, counties))
	}
}

func (h HTTP) areaWarnings(kind areaKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, month, err := areaAndMonth(c, kind, false)
		if err != nil {
			return err
		}
		if month == nil {
			m := casefile.MonthOf(h.App.Now())
			month = &m
		}
		ws, err := h.App.AreaWarnings(c.Request().Context(), callerOf(c), code, *month)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, map[string]any{"level": kind.name, "code": code, "month": month.String(), "counties": viewsOf(ws, warningOf)})
	}
}

func (h HTTP) areaStatistics(kind areaKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, month, err := areaAndMonth(c, kind, true)
		if err != nil {
			return err
		}
		format, err := statisticsFormat(c)
		if err != nil {
			return err
		}
		rows, err := h.App.AreaStatistics(c.Request().Context(), callerOf(c), code, *month)
		if err != nil {
			return toProblem(err)
		}
		return writeStatistics(c, format, code+"-"+month.String(), rows)
	}
}

func (h HTTP) unstaffed(c echo.Context) error {
	code, err := county(c)
	if err != nil {
		return err
	}
	list, err := h.App.Unstaffed(c.Request().Context(), callerOf(c), code)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "mediations": viewsOf(list, unstaffedOf)})
}

func (h HTTP) timeline(c echo.Context) error {
	cf, err := h.App.CaseFile(c.Request().Context(), callerOf(c), c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, timelineOf(cf, h.App.UnitNames(cf.CountyCode)))
}

// maxStageIDs bounds the disputes one stages request names: a page of a
// queue is at most 100 items, and each is one read by _id.
const maxStageIDs = 100

// stages answers where each of up to maxStageIDs disputes stands and what
// it owes next, for the caller's county's disputes among them.
func (h HTTP) stages(c echo.Context) error {
	ids := c.QueryParams()["id"]
	switch {
	case len(ids) == 0:
		return invalid("query:id", "name at least one dispute: ?id=…&id=…")
	case len(ids) > maxStageIDs:
		return invalid("query:id", fmt.Sprintf("at most %d disputes at once", maxStageIDs))
	case slices.Contains(ids, ""):
		return invalid("query:id", "must not be empty")
	}
	ss, err := h.App.Stages(c.Request().Context(), callerOf(c), ids)
	if err != nil {
		return toProblem(err)
	}
	out := make([]stageView, 0, len(ss))
	for _, s := range ss {
		out = append(out, stageOf(s))
	}
	return c.JSON(http.StatusOK, map[string]any{"disputes": out})
}

func toProblem(err error) error {
	if p := problem.Refusal(err, "no such dispute in your county"); p != nil {
		return p
	}
	var fe app.FieldError
	switch {
	case errors.As(err, &fe):
		return invalid(fe.Pointer, fe.Detail)
	case errors.Is(err, app.ErrOtherCounty):
		return problem.NotFound("no such county, prefecture or province among the ones you may read")
	case errors.Is(err, actions.ErrNoSuchUrge):
		return problem.NotFound("no such urge on this dispute")
	}
	return err
}
