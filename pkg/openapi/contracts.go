package openapi

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"fengqiao.dev/pkg/access"
)

// contract is what a route of the access table takes and answers beyond
// its path, method and roles, which the table already has.
type contract struct {
	id      string // operationId, the generated client's method name
	query   openapi3.Parameters
	paged   bool // takes limit and cursor
	request *openapi3.RequestBody
	answers []answer
}

// answer is one success response of a route.
type answer struct {
	status  int
	media   string
	schema  *openapi3.SchemaRef
	headers []string // names in components/headers
}

func (c contract) responses() map[string]*openapi3.ResponseRef {
	m := map[string]*openapi3.ResponseRef{}
	for _, a := range c.answers {
		if same, ok := m[strconv.Itoa(a.status)]; ok {
			// Another form of the same answer (content negotiation).
			same.Value.Content[a.media] = openapi3.NewMediaType().WithSchemaRef(a.schema)
			continue
		}
		resp := openapi3.NewResponse().WithDescription(http.StatusText(a.status)).
			WithContent(openapi3.NewContentWithSchemaRef(a.schema, []string{a.media}))
		if len(a.headers) > 0 {
			resp.Headers = openapi3.Headers{}
			for _, h := range a.headers {
				resp.Headers[h] = &openapi3.HeaderRef{Ref: "#/components/headers/" + h}
			}
		}
		m[strconv.Itoa(a.status)] = &openapi3.ResponseRef{Value: resp}
	}
	return m
}

func ok(schema string, headers ...string) answer {
	return answer{status: http.StatusOK, media: "application/json", schema: ref(schema), headers: headers}
}

func created(schema string, headers ...string) answer {
	return answer{status: http.StatusCreated, media: "application/json", schema: ref(schema), headers: headers}
}

// okList is a JSON object holding one array under key, as the routes that
// list what belongs to one dispute answer.
func okList(key, item string) answer {
	return answer{status: http.StatusOK, media: "application/json",
		schema: object("", []string{key}, openapi3.Schemas{key: arrayOf(ref(item), "")})}
}

func okText(media, description string) answer {
	s := openapi3.NewStringSchema()
	s.Description = description
	return answer{status: http.StatusOK, media: media, schema: s.NewRef()}
}

func jsonBody(schema string, required bool) *openapi3.RequestBody {
	b := openapi3.NewRequestBody().WithJSONSchemaRef(ref(schema))
	b.Required = required
	return b
}

func formBody(schema string) *openapi3.RequestBody {
	return openapi3.NewRequestBody().WithRequired(true).
		WithContent(openapi3.NewContentWithSchemaRef(ref(schema), []string{"application/x-www-form-urlencoded"}))
}

func params(ps ...*openapi3.ParameterRef) openapi3.Parameters { return ps }

var (
	dueWindow = params(
		queryParam("due_before", "due before this time, RFC 3339", "2026-12-01T08:00:00+08:00"),
		queryParam("due_after", "due at or after this time, RFC 3339", "2026-11-24T08:00:00+08:00"))
	monthParam   = queryParam("month", "a month, YYYY-MM (default: the current one)", "2026-11")
	ledgerDate   = queryParam("date", "a day, YYYY-MM-DD (default: today, China Standard Time)", "2026-11-23")
	overdueCases = boolQueryParam("overdue_cases", "true (the default): overdue_by_unit lists the overdue disputes' case codes; "+
		"false: overdue only counts them and overdue_by_unit stays empty, an answer that costs the same however many are overdue "+
		"(the overdue list, /v1/counties/{code}/overdue, names them a page at a time)", false)
	overdueLimit = intQueryParam("overdue_limit", "list only the first N overdue things of the county, the longest overdue first "+
		"(each line's overdue_count still counts them all; the overdue list, /v1/counties/{code}/overdue, pages the rest); "+
		"absent: list them all", 0, 1000, 50)
	auditParams = params(
		queryParam("case", "a dispute's ID: who looked at it", "d-01J8Z2"),
		queryParam("officer", "a staff ID: what they opened", "A1024"),
		monthParam,
		queryParam("from", "from this time, RFC 3339", "2026-11-01T00:00:00+08:00"),
		queryParam("to", "until this time (exclusive), RFC 3339", "2026-12-01T00:00:00+08:00"))
)

func route(service, method, path string) access.Route {
	return access.Route{Service: service, Method: method, Path: path}
}

// contracts has a contract for every route of the access table; a test
// checks that none is missing.
var contracts = map[access.Route]contract{
	// intake
	route("intake", "POST", "/v1/disputes"): {id: "registerDispute", request: jsonBody("Registration", true),
		answers: []answer{created("Dispute", "Location"), ok("Dispute", "Location", "Idempotent-Replayed")}},
	route("intake", "GET", "/v1/disputes"): {id: "listDisputes", paged: true, answers: []answer{ok("DisputePage")}, query: params(
		queryParam("station", "the recording police station's ID", "pcs-bafang"),
		queryParam("state", "registered, reopened or closed", "registered"),
		queryParam("category", "", "neighbour"),
		queryParam("township", "", "622901001"))},
	route("intake", "GET", "/v1/disputes/:id"):       {id: "getDispute", answers: []answer{ok("Dispute", "ETag")}},
	route("intake", "POST", "/v1/disputes/:id/risk"): {id: "overrideRisk", request: jsonBody("RiskOverride", true), answers: []answer{ok("Dispute")}},
	route("intake", "GET", "/v1/categories"):         {id: "listCategories", answers: []answer{ok("Taxonomy")}},
	route("intake", "GET", "/v1/jurisdiction"):       {id: "getJurisdiction", answers: []answer{ok("Jurisdiction")}},
	route("intake", "GET", "/v1/open311/v2/services.json"): {id: "open311Services",
		query: params(queryParam("jurisdiction_id", "the county code", "622901")), answers: []answer{ok("Open311Requests")}},
	route("intake", "POST", "/v1/open311/v2/requests.json"): {id: "open311Submit", request: formBody("Open311Request"),
		answers: []answer{created("Open311Requests"), ok("Open311Requests")}},
	route("intake", "GET", "/v1/open311/v2/requests.json"): {id: "open311List", paged: true, answers: []answer{ok("Open311Requests", "Link")}, query: params(
		queryParam("jurisdiction_id", "the county code", "622901"),
		queryParam("service_request_id", "comma-separated IDs", "d-01J8Z2"),
		queryParam("service_code", "", "neighbour"),
		queryParam("status", "open or closed", "open"),
		queryParam("start_date", "at most 90 days before end_date; the last 90 days when neither is given", "2026-11-01T00:00:00+08:00"),
		queryParam("end_date", "", "2026-12-01T00:00:00+08:00"))},
	route("intake", "GET", "/v1/open311/v2/requests/:id"): {id: "open311Get",
		query: params(queryParam("jurisdiction_id", "the county code", "622901")), answers: []answer{ok("Open311Requests")}},
	route("intake", "GET", "/v1/audit/records"): {id: "listAuditRecords", query: auditParams, answers: []answer{okList("records", "AuditRecord")}},
	route("intake", "GET", "/v1/audit/verify"):  {id: "verifyAuditTrail", answers: []answer{ok("AuditVerification")}},

	// referral
	route("referral", "GET", "/v1/slips/:id"): {id: "getSlip", answers: []answer{ok("Slip", "ETag")}},
	route("referral", "GET", "/v1/copies"): {id: "listCopies", paged: true, answers: []answer{ok("CopyPage")}, query: append(params(
		queryParam("unit", "the unit the copy is addressed to", "jo-bafang"),
		queryParam("state", "awaiting, signed or returned", "awaiting"),
		queryParam("overdue", "true or false", "true"),
		queryParam("township", "", "622901001")), dueWindow...)},
	route("referral", "GET", "/v1/slips/:id/print"):                {id: "printSlip", answers: []answer{okText("text/html", "the three copies, to print")}},
	route("referral", "GET", "/v1/disputes/:id/slips"):             {id: "listSlipsOfDispute", answers: []answer{okList("slips", "Slip")}},
	route("referral", "POST", "/v1/slips/:id/copies/:copy/accept"): {id: "acceptCopy", answers: []answer{ok("Slip")}},
	route("referral", "POST", "/v1/slips/:id/copies/:copy/return"): {id: "returnCopy", request: jsonBody("CopyReason", true), answers: []answer{ok("Slip")}},
	route("referral", "POST", "/v1/slips/:id/copies/:copy/pause"):  {id: "pauseCopy", request: jsonBody("CopyReason", true), answers: []answer{ok("Slip")}},
	route("referral", "POST", "/v1/slips/:id/copies/:copy/resume"): {id: "resumeCopy", answers: []answer{ok("Slip")}},
	route("referral", "POST", "/v1/slips/:id/transfer"):            {id: "transferSlip", request: jsonBody("Transfer", true), answers: []answer{ok("Slip")}},

	// mediation room
	route("mediation-room", "GET", "/v1/rooms"): {id: "listRooms", answers: []answer{ok("Roster")}},
	route("mediation-room", "GET", "/v1/mediations"): {id: "listMediations", paged: true, answers: []answer{ok("MediationPage")}, query: params(
		queryParam("mediator", "a mediator's ID", "med-ma"),
		queryParam("state", "", "in_session"))},
	route("mediation-room", "GET", "/v1/mediations/:id"):                          {id: "getMediation", answers: []answer{ok("Mediation", "ETag")}},
	route("mediation-room", "GET", "/v1/disputes/:id/mediations"):                 {id: "listMediationsOfDispute", answers: []answer{okList("mediations", "Mediation")}},
	route("mediation-room", "GET", "/v1/mediations/:id/proposals"):                {id: "listProposals", answers: []answer{ok("Proposals")}},
	route("mediation-room", "GET", "/v1/mediations/:id/agreement"):                {id: "getAgreementText", answers: []answer{okText("text/plain", "the agreement's text (调解协议书)")}},
	route("mediation-room", "POST", "/v1/mediations/:id/outcome"):                 {id: "recordOutcome", request: jsonBody("Outcome", true), answers: []answer{ok("Mediation")}},
	route("mediation-room", "POST", "/v1/mediations/:id/objections"):              mediationWrite("objectToMediator", "Objection"),
	route("mediation-room", "POST", "/v1/mediations/:id/preferences"):             mediationWrite("setPreferences", "Preferences"),
	route("mediation-room", "POST", "/v1/mediations/:id/joint-session"):           mediationWrite("sendToJointSession", "JointSessionRequest"),
	route("mediation-room", "POST", "/v1/mediations/:id/sessions"):                mediationWrite("scheduleSession", "SessionSchedule"),
	route("mediation-room", "POST", "/v1/mediations/:id/sessions/:no/record"):     mediationWrite("recordSession", "SessionRecordInput"),
	route("mediation-room", "POST", "/v1/mediations/:id/performance"):             mediationWrite("recordPerformance", "PerformanceReport"),
	route("mediation-room", "POST", "/v1/mediations/:id/joint-meeting"):           mediationWrite("conveneJointMeeting", "JointMeetingCall"),
	route("mediation-room", "POST", "/v1/mediations/:id/legal-aid"):               mediationWrite("requestLegalAid", "LegalAidRequest"),
	route("mediation-room", "POST", "/v1/mediations/:id/joint-meeting/decisions"): mediationWrite("recordJointMeetingDecisions", "JointMeetingDecisions"),
	route("mediation-room", "GET", "/v1/audit/records"):                           {id: "listAuditRecords", query: auditParams, answers: []answer{okList("records", "AuditRecord")}},
	route("mediation-room", "GET", "/v1/audit/verify"):                            {id: "verifyAuditTrail", answers: []answer{ok("AuditVerification")}},

	// revisit
	route("revisit", "GET", "/v1/revisits"): {id: "listRevisits", paged: true, answers: []answer{ok("RevisitPage")}, query: append(params(
		queryParam("unit", "the unit that revisits", "jo-bafang"),
		queryParam("assignee", "the person assigned", "A1024"),
		queryParam("state", "scheduled (the default), completed, awaiting or all", "scheduled")), dueWindow...)},
	route("revisit", "GET", "/v1/revisits/workload"):      {id: "getRevisitWorkload", answers: []answer{ok("RevisitWorkload")}},
	route("revisit", "GET", "/v1/revisits/:id"):           {id: "getRevisit", answers: []answer{ok("Revisit", "ETag")}},
	route("revisit", "GET", "/v1/disputes/:id/revisits"):  {id: "listRevisitsOfDispute", answers: []answer{okList("revisits", "Revisit")}},
	route("revisit", "POST", "/v1/disputes/:id/revisits"): {id: "scheduleRevisit", request: jsonBody("ScheduleRevisit", false), answers: []answer{created("Revisit")}},
	route("revisit", "POST", "/v1/revisits/:id/result"):   {id: "recordRevisitResult", request: jsonBody("RevisitResult", true), answers: []answer{ok("Revisit")}},
	route("revisit", "POST", "/v1/revisits/:id/assign"):   {id: "assignRevisit", request: jsonBody("Assignment", true), answers: []answer{ok("Revisit")}},

	// supervision
	route("supervision", "GET", "/v1/counties/:code/kpis"):            {id: "getCountyKPIs", query: params(monthParam, overdueCases), answers: []answer{ok("CountyKPIs")}},
	route("supervision", "GET", "/v1/counties/:code/kpis/:by"):        {id: "getKPIsBy", query: params(monthParam, overdueCases), answers: []answer{ok("KPIsByArea")}},
	route("supervision", "GET", "/v1/counties/:code/ledger"):          {id: "getLedger", query: params(ledgerDate, overdueLimit), answers: []answer{ok("Ledger")}},
	route("supervision", "GET", "/v1/counties/:code/overdue"):         {id: "listCountyOverdue", paged: true, answers: []answer{ok("OverduePage")}},
	route("supervision", "GET", "/v1/prefectures/:code/ledger"):       {id: "getPrefectureLedger", query: params(ledgerDate), answers: []answer{ok("AreaLedger")}},
	route("supervision", "GET", "/v1/prefectures/:code/overdue"):      {id: "listPrefectureOverdue", paged: true, answers: []answer{ok("OverduePage")}},
	route("supervision", "GET", "/v1/provinces/:code/ledger"):         {id: "getProvinceLedger", query: params(ledgerDate), answers: []answer{ok("AreaLedger")}},
	route("supervision", "GET", "/v1/provinces/:code/overdue"):        {id: "listProvinceOverdue", paged: true, answers: []answer{ok("OverduePage")}},
	route("supervision", "GET", "/v1/counties/:code/warnings"):        {id: "getWarnings", query: params(monthParam, queryParam("level", "township (the default), village or grid", "township")), answers: []answer{ok("Warnings")}},
	route("supervision", "GET", "/v1/counties/:code/unstaffed"):       {id: "listUnstaffedMediations", answers: []answer{ok("Unstaffed")}},
	route("supervision", "GET", "/v1/counties/:code/statistics"):      statistics("getCountyStatistics", "the county's"),
	route("supervision", "GET", "/v1/prefectures/:code/kpis"):         {id: "getPrefectureKPIs", query: params(monthParam), answers: []answer{ok("AreaKPIs")}},
	route("supervision", "GET", "/v1/prefectures/:code/warnings"):     {id: "getPrefectureWarnings", query: params(monthParam), answers: []answer{ok("AreaWarnings")}},
	route("supervision", "GET", "/v1/prefectures/:code/statistics"):   statistics("getPrefectureStatistics", "the prefecture's counties'"),
	route("supervision", "GET", "/v1/provinces/:code/kpis"):           {id: "getProvinceKPIs", query: params(monthParam), answers: []answer{ok("AreaKPIs")}},
	route("supervision", "GET", "/v1/provinces/:code/warnings"):       {id: "getProvinceWarnings", query: params(monthParam), answers: []answer{ok("AreaWarnings")}},
	route("supervision", "GET", "/v1/provinces/:code/statistics"):     statistics("getProvinceStatistics", "the province's counties'"),
	route("supervision", "GET", "/v1/disputes/:id/timeline"):          {id: "getTimeline", answers: []answer{ok("Timeline")}},
	route("supervision", "GET", "/v1/disputes/:id/supervision"):       {id: "getSupervision", answers: []answer{ok("Supervised", "ETag")}},
	route("supervision", "POST", "/v1/disputes/:id/urges"):            {id: "urge", request: jsonBody("Urge", true), answers: []answer{created("UrgeRecord")}},
	route("supervision", "POST", "/v1/disputes/:id/urges/:urge/read"): {id: "readUrge", answers: []answer{ok("Supervised")}},
	route("supervision", "GET", "/v1/watchlist"):                      {id: "getWatchList", answers: []answer{okList("disputes", "Supervised")}},
	route("supervision", "PUT", "/v1/watchlist/:id"):                  {id: "watchDispute", answers: []answer{ok("Supervised")}},
	route("supervision", "DELETE", "/v1/watchlist/:id"):               {id: "unwatchDispute", answers: []answer{ok("Supervised")}},

	// Many disputes in one read, as many as a page of a queue holds.
	route("supervision", "GET", "/v1/disputes/stages"): {id: "listDisputeStages", query: params(disputeIDs(100)),
		answers: []answer{okList("disputes", "DisputeStage")}},
}

// statistics is the Ministry of Justice export of a division: CSV unless
// format=xlsx or the Accept header asks for the spreadsheet.
func statistics(id, whose string) contract {
	return contract{id: id, query: params(monthParam, queryParam("format", "csv (the default) or xlsx", "xlsx")), answers: []answer{
		okText("text/csv", whose+" people's mediation statistics, one row per county, month, category and outcome"),
		okText("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "the same rows as a spreadsheet"),
	}}
}

// mediationWrite is a write on a mediation: its own body, answered with
// the mediation as a read shows it.
func mediationWrite(id, body string) contract {
	return contract{id: id, request: jsonBody(body, true), answers: []answer{ok("Mediation")}}
}

// serviceRoute is a route every service serves outside /v1, without a
// token: probes, metrics and this document.
type serviceRoute struct {
	method, path, id, summary string
	answer                    answer
}

func serviceRoutes() []serviceRoute {
	return []serviceRoute{
		{"GET", "/openapi.json", "getOpenAPIDocument", "this document: the serving service's part", okText("application/json", "an OpenAPI 3.1 document")},
		{"GET", "/healthz", "getHealth", "liveness", ok("ServiceStatus")},
		{"GET", "/readyz", "getReadiness", "readiness: the broker and the store answer", ok("Readiness")},
		{"GET", "/metrics", "getMetrics", "Prometheus metrics", okText("text/plain", "Prometheus text format")},
	}
}

func (r serviceRoute) build() *openapi3.Operation {
	op := &openapi3.Operation{OperationID: r.id, Summary: r.summary, Responses: openapi3.NewResponses(),
		Security: &openapi3.SecurityRequirements{}}
	op.Responses.Set(strconv.Itoa(r.answer.status), contract{answers: []answer{r.answer}}.responses()[strconv.Itoa(r.answer.status)])
	if r.path == "/readyz" {
		op.Responses.Set("503", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("not ready").
			WithContent(openapi3.NewContentWithJSONSchemaRef(ref("ReadinessProblem")))})
	}
	return op
}

// tagged reports whether the route answers with the entity-tag of what it
// reads.
func (c contract) tagged() bool {
	for _, a := range c.answers {
		if slices.Contains(a.headers, "ETag") {
			return true
		}
	}
	return false
}
