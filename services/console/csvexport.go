package console

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// utf8BOM opens every CSV the console serves: without it Excel, which
// most county offices open a CSV with, reads UTF-8 as the local code page
// and shows the Chinese as mojibake.
const utf8BOM = "\ufeff"

// csvTime writes a time for a spreadsheet: Beijing time, sortable as text.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

// sendCSV writes rows under header as an attachment named filename.
func sendCSV(c echo.Context, filename string, header []string, rows [][]string) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte(utf8BOM)); err != nil {
		return fmt.Errorf("while writing %s: %w", filename, err)
	}
	w := csv.NewWriter(c.Response())
	if err := w.Write(header); err != nil {
		return fmt.Errorf("while writing %s: %w", filename, err)
	}
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("while writing %s: %w", filename, err)
	}
	return nil
}

// ledgerCSV is the day's ledger, one line per item, units' lines only
// (an officer's line repeats its unit's items).
func (s *Console) ledgerCSV(c echo.Context) error {
	u, day := currentUser(c), c.QueryParam("date")
	if !validDay(day) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	l, err := s.ledgerOf(c.Request().Context(), u, day, nil)
	if err != nil {
		return err
	}
	n, err := s.namesFor(c.Request().Context(), u)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, ln := range l.Units {
		for _, part := range []struct {
			name  string
			items []ledgerItem
		}{{"今日到期", ln.DueToday}, {"超期", ln.Overdue}, {"今日办结", ln.Closed}} {
			for _, it := range part.items {
				rows = append(rows, []string{l.Day, n.AgencyID(ln.Key), part.name, it.CaseCode, ledgerWhat(it.What), csvTime(it.DueBy), csvTime(it.At)})
			}
		}
	}
	return sendCSV(c, "ledger-"+u.County+"-"+l.Day+".csv",
		[]string{"日期", "责任单位", "栏目", "纠纷编号", "事项", "办理时限", "办结时间"}, rows)
}

// The overdue CSV reads supervision's list a page of overdueCSVPage at a
// time (the largest page a list route serves) and stops after
// overdueCSVMax items: a county that far behind needs its list worked
// through rather than a longer spreadsheet, and the bound keeps one
// download from holding the console and supervision for minutes.
const (
	overdueCSVPage = 200
	overdueCSVMax  = 10_000
)

// overdueCSV is the whole overdue list as the page shows it, every page
// of it up to overdueCSVMax items; a list cut there says so in its last
// line.
func (s *Console) overdueCSV(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	var items []overdueItem
	cursor, cut := "", false
	for {
		q, err := s.overdueOf(ctx, u, cursor, overdueCSVPage)
		if err != nil {
			return err
		}
		items = append(items, q.Items...)
		if q.NextCursor == "" {
			break
		}
		if len(items) >= overdueCSVMax {
			cut = true
			break
		}
		cursor = q.NextCursor
	}
	if len(items) > overdueCSVMax {
		items, cut = items[:overdueCSVMax], true
	}
	n, err := s.namesFor(ctx, u)
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([][]string, 0, len(items)+1)
	for _, it := range items {
		rows = append(rows, []string{it.CaseCode, n.AgencyID(it.Unit), ledgerWhat(it.What), csvTime(it.DueBy), timeLeft(it.DueBy, now)})
	}
	if cut {
		rows = append(rows, []string{fmt.Sprintf("仅导出超时最久的前 %d 项，其余未导出", overdueCSVMax), "", "", "", ""})
	}
	return sendCSV(c, "overdue-"+u.County+"-"+now.In(shanghai).Format(time.DateOnly)+".csv",
		[]string{"纠纷编号", "责任单位", "事项", "办理时限", "超时"}, rows)
}
