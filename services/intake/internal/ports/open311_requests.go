package ports

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/dispute"
)

// request311 is a dispute as GeoReport shows it: no personal data and no
// free text, whoever asks (a hotline app has no business with the parties,
// and the summary may name them): the description is the category.
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

func request311Of(d dispute.Dispute) request311 {
	r := request311{
		ServiceRequestID: d.ID, Status: "open", ServiceName: categoryNames[d.Category], ServiceCode: string(d.Category),
		Description: categoryNames[d.Category], AgencyResponsible: d.RecordedBy.ID, RequestedDatetime: d.RegisteredAt,
		UpdatedDatetime: d.RegisteredAt, StatusNotes: "案件编码 " + d.CaseCode,
	}
	if d.ClosedAt != nil {
		r.Status = "closed"
	}
	if d.Redirect != nil {
		r.Status, r.StatusNotes = "closed", "not for mediation: "+d.Redirect.To
	}
	for _, rep := range d.Reports {
		r.UpdatedDatetime = rep.At
	}
	return r
}

func (o Open311) get(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	id := strings.TrimSuffix(c.Param("id"), ".json")
	found, err := o.App.ListDisputes(c.Request().Context(), caller.County, []string{id}, "")
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return problem.NotFound("no such service request in your jurisdiction")
	}
	return c.JSON(http.StatusOK, []request311{request311Of(found[0])})
}

func (o Open311) list(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	if err := o.jurisdiction(c, c.QueryParam("jurisdiction_id")); err != nil {
		return err
	}
	var ids []string
	if s := c.QueryParam("service_request_id"); s != "" {
		ids = strings.Split(s, ",")
	}
	found, err := o.App.ListDisputes(c.Request().Context(), caller.County, ids, events.Category(c.QueryParam("service_code")))
	if err != nil {
		return err
	}
	out := []request311{}
	for _, d := range found {
		if status := c.QueryParam("status"); status == "" || status == request311Of(d).Status {
			out = append(out, request311Of(d))
		}
	}
	return c.JSON(http.StatusOK, out)
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
	"#/place/grid": "attribute[grid]", "#/county_code": "jurisdiction_id",
}

func field311(pointer string) string {
	if f, ok := fields311[pointer]; ok {
		return "form:" + f
	}
	return pointer
}
