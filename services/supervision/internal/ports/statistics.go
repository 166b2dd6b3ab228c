package ports

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"fengqiao.dev/services/supervision/internal/casefile"
)

// The statistics export's two forms: CSV for machines, XLSX for the
// Ministry of Justice's report, which is filed as a spreadsheet.
const (
	mimeCSV  = "text/csv"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// statisticsFormat chooses the form: ?format=csv|xlsx, else the first of
// them the Accept header names, else CSV.
func statisticsFormat(c echo.Context) (string, error) {
	switch f := c.QueryParam("format"); f {
	case "csv", "xlsx":
		return f, nil
	case "":
	default:
		return "", invalid("query:format", "must be csv or xlsx")
	}
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		media, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		switch {
		case err != nil:
		case media == mimeXLSX:
			return "xlsx", nil
		case media == mimeCSV:
			return "csv", nil
		}
	}
	return "csv", nil
}

// writeStatistics answers rows in the chosen form, as an attachment named
// after the division and month.
func writeStatistics(c echo.Context, format, name string, rows []casefile.StatRow) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	h.Add(echo.HeaderVary, echo.HeaderAccept)
	if format == "xlsx" {
		h.Set(echo.HeaderContentType, mimeXLSX)
		c.Response().WriteHeader(http.StatusOK)
		return writeXLSX(c.Response(), rows)
	}
	h.Set(echo.HeaderContentType, mimeCSV+"; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return casefile.WriteStatistics(c.Response(), rows)
}

// statisticsSheet is the workbook's one sheet.
const statisticsSheet = "人民调解统计"

// writeXLSX writes rows as a workbook of one sheet under the Chinese
// headings, counts and amounts as numbers, streamed row by row so a
// province's export does not sit in memory twice.
func writeXLSX(w io.Writer, rows []casefile.StatRow) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName("Sheet1", statisticsSheet); err != nil {
		return fmt.Errorf("while naming the statistics sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(statisticsSheet)
	if err != nil {
		return fmt.Errorf("while starting the statistics sheet: %w", err)
	}
	heading := make([]any, len(casefile.StatHeadings))
	for i, h := range casefile.StatHeadings {
		heading[i] = h
	}
	if err := sw.SetRow("A1", heading); err != nil {
		return fmt.Errorf("while writing the statistics' headings: %w", err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		values := []any{r.Month, r.County, string(r.Category), r.Outcome, r.Tier, r.Count, r.AmountFen}
		if err := sw.SetRow(cell, values); err != nil {
			return fmt.Errorf("while writing line %d of the statistics: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("while finishing the statistics sheet: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("while writing the statistics workbook: %w", err)
	}
	return nil
}
