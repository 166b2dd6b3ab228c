package ports

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// Open311 is a GeoReport v2 facade (https://wiki.open311.org/GeoReport_v2)
// over intake, so hotline and grid apps that speak the only widely used open
// standard can submit and track a dispute. jurisdiction_id is the
// county code and must be the caller's; service_code is the category.
// Errors are GeoReport's (a JSON array of code and description), and the
// caller is an OAuth client as everywhere: its token comes as the bearer
// header or, on a POST, as api_key (docs/security.md). Where we differ
// from the standard: only the JSON format is served, and a list pages
// (list).
type Open311 struct {
	App *app.App
	// Audit records the personal data a submitted request creates.
	Audit Auditor
}

// prefix311 is where the facade is served.
const prefix311 = "/v1/open311/v2/"

// Prepare readies the server for the facade: its refusals in GeoReport's
// format, and api_key taken as the bearer token of a POST of a service
// request. Its routes are served with the API's, each by the method named
// as its operationId (bootstrap.Service.Serve).
func (o Open311) Prepare(s *httpserver.Server) {
	s.AcceptTokenInForm(prefix311+"requests.json", "api_key")
	s.RenderErrorsUnder(prefix311, renderError311)
}

// categoryNames are the statistics categories' names (人民调解统计).
var categoryNames = map[events.Category]string{
	events.CategoryMarriageFamily: "婚姻家庭纠纷", events.CategoryNeighbour: "邻里纠纷",
	events.CategoryHousingHomestead: "房屋宅基地纠纷", events.CategoryContract: "合同纠纷",
	events.CategoryProductionBusiness: "生产经营纠纷", events.CategoryDamages: "损害赔偿纠纷",
	events.CategoryLandForest: "山林土地纠纷", events.CategoryRequisitionDemolition: "征地拆迁纠纷",
	events.CategoryEnvironment: "环境污染纠纷", events.CategoryLabour: "劳动争议",
	events.CategoryConsumer: "消费纠纷", events.CategoryMedical: "医疗纠纷", events.CategoryTraffic: "道路交通纠纷",
	events.CategoryPropertyManagement: "物业管理纠纷", events.CategoryOther: "其他纠纷",
}

type service311 struct {
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

func (o Open311) Open311Services(c echo.Context) error {
	if err := o.jurisdiction(c, c.QueryParam("jurisdiction_id")); err != nil {
		return err
	}
	out := []service311{}
	for _, cat := range events.Categories() {
		out = append(out, service311{
			ServiceCode: string(cat), ServiceName: categoryNames[cat], Description: categoryNames[cat] + "（人民调解）",
			Type: "realtime", Keywords: string(cat), Group: "矛盾纠纷",
		})
	}
	return c.JSON(http.StatusOK, out)
}

// jurisdiction checks that jurisdiction_id, when given, is the caller's county.
func (o Open311) jurisdiction(c echo.Context, id string) error {
	caller := httpserver.Caller(c)
	if id != "" && id != caller.County {
		return problem.Forbidden("jurisdiction_id " + id + " is not your county")
	}
	return nil
}

// Open311Submit maps a GeoReport request onto a registration: the requester is the
// applicant, the description the narrative (and, cut, the summary);
// attribute[township_code], [village_code], [grid], [external_ref] and
// [channel] (default citizen_report) carry what GeoReport has no field for.
func (o Open311) Open311Submit(c echo.Context) error {
	form, err := httpserver.FormParams(c)
	if err != nil {
		return err
	}
	if err := httpserver.CheckForm(form, formLimits); err != nil {
		return err
	}
	caller := httpserver.Caller(c)
	if err := o.jurisdiction(c, form.Get("jurisdiction_id")); err != nil {
		return err
	}
	reg, err := registrationOf311(form.Get, caller.County)
	if err != nil {
		return err
	}
	d, outcome, err := o.App.Register(c.Request().Context(), app.RegisterDispute{Registration: reg, Caller: caller, RequestHash: fingerprint(reg)})
	if err != nil {
		return toProblem311(err)
	}
	if outcome == app.Created {
		// Stored by now: a failure to record is logged, not answered as a
		// refusal of what was accepted.
		if err := record(c, o.Audit, o.App.Now(), caller, d.CountyCode, d.ID, events.AuditCreate, audit.PurposeRegistration, submittedFields); err != nil {
			slog.ErrorContext(c.Request().Context(), "cannot record a registration in the audit trail", "dispute", d.ID, "err", err)
		}
	}
	status := http.StatusCreated
	if outcome != app.Created {
		status = http.StatusOK
	}
	return c.JSON(status, []map[string]any{{"service_request_id": d.ID, "service_notice": noticeOf(outcome), "account_id": nil}})
}

// submittedFields are the personal fields a service request fills in.
var submittedFields = []string{"/parties", "/address", "/summary", "/narrative"}

func registrationOf311(get func(string) string, county string) (dispute.Registration, error) {
	attr := func(k string) string { return get("attribute[" + k + "]") }
	channel := events.Channel(attr("channel"))
	if channel == "" {
		channel = events.ChannelCitizenReport
	}
	name := strings.TrimSpace(get("last_name") + get("first_name"))
	description := strings.TrimSpace(get("description"))
	summary := description
	if utf8.RuneCountInString(summary) > 60 {
		summary = string([]rune(summary)[:60])
	}
	lat, long, err := coordinates311(get)
	if err != nil {
		return dispute.Registration{}, err
	}
	return dispute.Registration{
		Channel: channel, ExternalRef: attr("external_ref"), CountyCode: county, Category: events.Category(get("service_code")),
		Place: dispute.PlaceInput{
			TownshipCode: attr("township_code"), VillageCode: attr("village_code"), Grid: attr("grid"),
			Address: get("address_string"), Lat: lat, Long: long,
		},
		Parties: []dispute.PartyInput{{Role: events.PartyApplicant, Name: name, Phone: get("phone")}},
		Summary: summary, Narrative: description,
	}, nil
}

// coordinates311 reads lat and long as decimal degrees; whether they are
// in range, and given together, the registration checks.
func coordinates311(get func(string) string) (lat, long *float64, err error) {
	var faults []problem.FieldError
	read := func(name string) *float64 {
		s := strings.TrimSpace(get(name))
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			faults = append(faults, problem.FieldError{Pointer: "form:" + name, Detail: "must be a number of degrees (WGS 84), e.g. 35.600346"})
			return nil
		}
		return &v
	}
	lat, long = read("lat"), read("long")
	if len(faults) > 0 {
		return nil, nil, problem.Invalid("the dispute cannot be registered as submitted", faults...)
	}
	return lat, long, nil
}

func noticeOf(o app.Outcome) string {
	switch o {
	case app.Linked:
		return "已并入既有纠纷（重复报告）"
	case app.Replayed:
		return "已受理（重复提交）"
	}
	return "已受理"
}
