// Package ports adapts supervision's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// HTTP serves the supervision API: each route by the method named as its
// operationId (bootstrap.Service.Serve).
type HTTP struct{ App *app.App }

// The routes of the prefectures and provinces, and watching, share a
// handler with their area or their direction.
func (h HTTP) ListCountyOverdue(c echo.Context) error     { return h.overdue(countyArea)(c) }
func (h HTTP) GetPrefectureLedger(c echo.Context) error   { return h.areaLedger(prefectureArea)(c) }
func (h HTTP) ListPrefectureOverdue(c echo.Context) error { return h.overdue(prefectureArea)(c) }
func (h HTTP) GetProvinceLedger(c echo.Context) error     { return h.areaLedger(provinceArea)(c) }
func (h HTTP) ListProvinceOverdue(c echo.Context) error   { return h.overdue(provinceArea)(c) }
func (h HTTP) GetPrefectureKPIs(c echo.Context) error     { return h.areaKPIs(prefectureArea)(c) }
func (h HTTP) GetPrefectureStatistics(c echo.Context) error {
	return h.areaStatistics(prefectureArea)(c)
}
func (h HTTP) GetPrefectureWarnings(c echo.Context) error { return h.areaWarnings(prefectureArea)(c) }
func (h HTTP) GetProvinceKPIs(c echo.Context) error       { return h.areaKPIs(provinceArea)(c) }
func (h HTTP) GetProvinceStatistics(c echo.Context) error { return h.areaStatistics(provinceArea)(c) }
func (h HTTP) GetProvinceWarnings(c echo.Context) error   { return h.areaWarnings(provinceArea)(c) }
func (h HTTP) WatchDispute(c echo.Context) error          { return h.watch(true)(c) }
func (h HTTP) UnwatchDispute(c echo.Context) error        { return h.watch(false)(c) }

func (h HTTP) GetCountyKPIs(c echo.Context) error {
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
	k, err := kpis(c.Request().Context(), httpserver.Caller(c), code, month)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, kpisOf(code, month, k))
}

func (h HTTP) GetKPIsBy(c echo.Context) error {
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
	ks, err := kpisBy(c.Request().Context(), httpserver.Caller(c), code, by, month)
	if err != nil {
		return toProblem(err)
	}
	out := map[string]kpisView{}
	for key, k := range ks {
		out[key] = kpisOf(code, month, k)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "by": by, "kpis": out})
}

func (h HTTP) GetLedger(c echo.Context) error {
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
		l, err = h.App.LedgerPage(c.Request().Context(), httpserver.Caller(c), code, day, limit)
	} else {
		l, err = h.App.Ledger(c.Request().Context(), httpserver.Caller(c), code, day)
	}
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, ledgerOf(l))
}

func (h HTTP) GetWarnings(c echo.Context) error {
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
	ws, err := h.App.Warnings(c.Request().Context(), httpserver.Caller(c), code, level, *month)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "month": month.String(), "level": level, "areas": mapping.Slice(ws, warningOf)})
}

func (h HTTP) GetCountyStatistics(c echo.Context) error {
	code, month, err := countyAndMonth(c, true)
	if err != nil {
		return err
	}
	format, err := statisticsFormat(c)
	if err != nil {
		return err
	}
	rows, err := h.App.CountyStatistics(c.Request().Context(), httpserver.Caller(c), code, *month)
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
		total, counties, err := h.App.AreaKPIs(c.Request().Context(), httpserver.Caller(c), code, month)
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
		ws, err := h.App.AreaWarnings(c.Request().Context(), httpserver.Caller(c), code, *month)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, map[string]any{"level": kind.name, "code": code, "month": month.String(), "counties": mapping.Slice(ws, warningOf)})
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
		rows, err := h.App.AreaStatistics(c.Request().Context(), httpserver.Caller(c), code, *month)
		if err != nil {
			return toProblem(err)
		}
		return writeStatistics(c, format, code+"-"+month.String(), rows)
	}
}

func (h HTTP) ListUnstaffedMediations(c echo.Context) error {
	code, err := county(c)
	if err != nil {
		return err
	}
	list, err := h.App.Unstaffed(c.Request().Context(), httpserver.Caller(c), code)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"county_code": code, "mediations": mapping.Slice(list, unstaffedOf)})
}

func (h HTTP) GetTimeline(c echo.Context) error {
	cf, err := h.App.CaseFile(c.Request().Context(), httpserver.Caller(c), c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, timelineOf(cf, h.App.UnitNames(cf.CountyCode)))
}

// maxStageIDs bounds the disputes one stages request names: a page of a
// queue is at most 100 items, and each is one read by _id.
const maxStageIDs = 100

// ListDisputeStages answers where each of up to maxStageIDs disputes stands and what
// it owes next, for the caller's county's disputes among them.
func (h HTTP) ListDisputeStages(c echo.Context) error {
	ids := c.QueryParams()["id"]
	switch {
	case len(ids) == 0:
		return invalid("query:id", "name at least one dispute: ?id=…&id=…")
	case len(ids) > maxStageIDs:
		return invalid("query:id", fmt.Sprintf("at most %d disputes at once", maxStageIDs))
	case slices.Contains(ids, ""):
		return invalid("query:id", "must not be empty")
	}
	ss, err := h.App.Stages(c.Request().Context(), httpserver.Caller(c), ids)
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
