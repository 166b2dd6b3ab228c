package ports

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// request311 is a dispute as GeoReport shows it: no personal data and no
// free text, whoever asks (a hotline app has no business with the parties,
// and the summary may name them): the description is the category, and
// the address and map pin, kept with the dispute, are not shown.
type request311 struct {
	ServiceRequestID  string    `json:"service_request_id"`
	Status            string    `json:"status"`
	StatusNotes       string    `json:"status_notes,omitempty"`
	ServiceName       string    `json:"service_name"`
	ServiceCode       string    `json:"service_code"`
	Description       string    `json:"description"`
	AgencyResponsible string    `json:"agency_responsible"`
	RequestedDatetime time.Time `json:"requested_datetime"`
	UpdatedDatetime   time.Time `json:"updated_datetime"`
	Address           string    `json:"address"`
}

// GeoReport's two statuses, and the dispute states each stands for: a
// dispute is closed when its revisit found it stable, or when it was
// recorded but sent elsewhere (not for mediation).
const (
	status311Open   = "open"
	status311Closed = "closed"
)

var states311 = map[string][]string{
	status311Open:   {string(dispute.StatusRegistered), string(dispute.StatusReopened)},
	status311Closed: {string(dispute.StatusClosed), string(dispute.StatusRedirected)},
}

func request311Of(d dispute.Dispute) request311 {
	r := request311{
		ServiceRequestID: d.ID, Status: status311Open, ServiceName: categoryNames[d.Category], ServiceCode: string(d.Category),
		Description: categoryNames[d.Category], AgencyResponsible: d.RecordedBy.ID, RequestedDatetime: d.RegisteredAt,
		UpdatedDatetime: d.RegisteredAt, StatusNotes: "案件编码 " + d.CaseCode,
	}
	if d.ClosedAt != nil {
		r.Status = status311Closed
		r.UpdatedDatetime = *d.ClosedAt
	}
	if d.Redirect != nil {
		r.Status, r.StatusNotes = status311Closed, "not for mediation: "+d.Redirect.To
	}
	for _, rep := range d.Reports {
		if rep.At.After(r.UpdatedDatetime) {
			r.UpdatedDatetime = rep.At
		}
	}
	return r
}

// Open311Get is one service request, read by its ID (the store's only cheap
// lookup); another county's is as missing as an unknown one.
func (o Open311) Open311Get(c echo.Context) error {
	caller := httpserver.Caller(c)
	id := strings.TrimSuffix(c.Param("id"), ".json")
	d, err := o.App.Dispute(c.Request().Context(), caller.County, id)
	if errors.Is(err, problem.ErrNotFound) {
		return problem.NotFound("no such service request in your jurisdiction")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, []request311{request311Of(d)})
}

// Open311List is GeoReport's GET requests: by service_request_id (a comma list,
// which makes the other filters moot, as the standard says), or a page of
// the county's work queue of disputes narrowed by service_code, status
// and the requested_datetime range start_date..end_date. The standard
// bounds a list by 90 days and says nothing of paging; the page is ours:
// limit and cursor as on GET /v1/disputes, the next page's URL in a Link
// header (RFC 8288, rel="next"), since the answer must stay a bare array.
func (o Open311) Open311List(c echo.Context) error {
	caller := httpserver.Caller(c)
	if err := o.jurisdiction(c, c.QueryParam("jurisdiction_id")); err != nil {
		return err
	}
	if s := c.QueryParam("service_request_id"); s != "" {
		return o.listByID(c, caller.County, strings.Split(s, ","))
	}
	filter, err := filter311(c, o.App.Now())
	if err != nil {
		return err
	}
	page, err := httpserver.PageParams(c, queueindex.CheckKey)
	if err != nil {
		return err
	}
	found, next, err := o.App.DisputePage(c.Request().Context(), caller.County, filter, page.After, page.Limit)
	if err != nil {
		return err
	}
	if next != "" {
		c.Response().Header().Set("Link", "<"+nextPageURL(c.Request().URL, next)+`>; rel="next"`)
	}
	out := make([]request311, len(found))
	for i, d := range found {
		out[i] = request311Of(d)
	}
	return c.JSON(http.StatusOK, out)
}

// maxIDsListed bounds a list by IDs like a page: each is one read.
const maxIDsListed = httpserver.DefaultPageLimit

func (o Open311) listByID(c echo.Context, county string, ids []string) error {
	if len(ids) > maxIDsListed {
		return problem.Invalid("the list cannot be read as asked",
			problem.FieldError{Pointer: "query:service_request_id", Detail: "at most " + strconv.Itoa(maxIDsListed) + " IDs at once"})
	}
	out := []request311{}
	for _, id := range ids {
		d, err := o.App.Dispute(c.Request().Context(), county, strings.TrimSpace(id))
		if errors.Is(err, problem.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		out = append(out, request311Of(d))
	}
	return c.JSON(http.StatusOK, out)
}

// span311 is the widest requested_datetime range a list may ask for, and
// the range it reads when asked for none: the standard's 90 days.
const span311 = 90 * 24 * time.Hour

// filter311 reads service_code, status, start_date and end_date. A range
// given by one end spans 90 days from it; none is the last 90 days.
func filter311(c echo.Context, now time.Time) (app.DisputeFilter, error) {
	f := app.DisputeFilter{Category: c.QueryParam("service_code")}
	if f.Category != "" && !events.Category(f.Category).Valid() {
		return f, invalidQuery("service_code", "not a service_code of GET services.json")
	}
	status, err := httpserver.OneOfParam(c, "status", status311Open, status311Closed)
	if err != nil {
		return f, err
	}
	f.AnyState = states311[status]
	start, err := httpserver.TimeParam(c, "start_date")
	if err != nil {
		return f, err
	}
	end, err := httpserver.TimeParam(c, "end_date")
	if err != nil {
		return f, err
	}
	f.RegisteredFrom, f.RegisteredBefore, err = range311(start, end, now)
	return f, err
}

// range311 is the [from, before) registration range of start_date and
// end_date; end_date is inclusive in the standard, so before is just past it.
func range311(start, end *time.Time, now time.Time) (from, before time.Time, err error) {
	switch {
	case start == nil && end == nil:
		return now.Add(-span311), time.Time{}, nil
	case start == nil:
		return end.Add(-span311), end.Add(time.Millisecond), nil
	case end == nil:
		return *start, start.Add(span311), nil
	}
	if end.Before(*start) {
		return from, before, invalidQuery("end_date", "must not be before start_date")
	}
	if end.Sub(*start) > span311 {
		return from, before, invalidQuery("end_date", "must be at most 90 days after start_date")
	}
	return *start, end.Add(time.Millisecond), nil
}

func invalidQuery(name, detail string) error {
	return problem.Invalid("the list cannot be read as asked", problem.FieldError{Pointer: "query:" + name, Detail: detail})
}

// nextPageURL is the request's own URL with the cursor of the next page.
func nextPageURL(u *url.URL, next string) string {
	q := u.Query()
	q.Set("cursor", httpserver.EncodeCursor(next))
	return u.Path + "?" + q.Encode()
}

// toProblem311 renames the registration's fields at fault to the GeoReport
// fields they came from, so a hotline app can show them.
func toProblem311(err error) error {
	var ve *dispute.ValidationError
	if !errors.As(err, &ve) {
		return toProblem(err)
	}
	renamed := &dispute.ValidationError{}
	for _, f := range ve.Fields {
		renamed.Fields = append(renamed.Fields, dispute.FieldError{Pointer: field311(f.Pointer), Detail: f.Detail})
	}
	return toProblem(renamed)
}

var fields311 = map[string]string{
	"#/category": "service_code", "#/narrative": "description", "#/summary": "description",
	"#/parties/0/name": "first_name", "#/parties/0/phone": "phone", "#/channel": "attribute[channel]",
	"#/place/township_code": "attribute[township_code]", "#/place/village_code": "attribute[village_code]",
	"#/place/grid": "attribute[grid]", "#/county_code": "jurisdiction_id", "#/place/address": "address_string",
	"#/place/lat": "lat", "#/place/long": "long", "#/external_ref": "attribute[external_ref]",
}

func field311(pointer string) string {
	if f, ok := fields311[pointer]; ok {
		return "form:" + f
	}
	return pointer
}
