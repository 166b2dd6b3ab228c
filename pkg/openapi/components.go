package openapi

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"fengqiao.dev/pkg/httpserver"
)

// Schema shorthands. Response schemas name what a client relies on and
// leave the rest open (additional properties allowed): a service may add a
// field without breaking a generated client, never drop or retype one.

func str(description string, example any) *openapi3.SchemaRef {
	s := openapi3.NewStringSchema()
	s.Description, s.Example = description, example
	return s.NewRef()
}

func integer(description string) *openapi3.SchemaRef {
	s := openapi3.NewIntegerSchema()
	s.Description = description
	return s.NewRef()
}

func boolean(description string) *openapi3.SchemaRef {
	s := openapi3.NewBoolSchema()
	s.Description = description
	return s.NewRef()
}

func dateTime(description string) *openapi3.SchemaRef {
	s := openapi3.NewDateTimeSchema()
	s.Description = description
	return s.NewRef()
}

func arrayOf(items *openapi3.SchemaRef, description string) *openapi3.SchemaRef {
	s := openapi3.NewArraySchema()
	s.Items, s.Description = items, description
	return s.NewRef()
}

func ref(name string) *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

// object is an object schema with its properties; required names those a
// client can count on.
func object(description string, required []string, props openapi3.Schemas) *openapi3.SchemaRef {
	s := openapi3.NewObjectSchema()
	s.Description, s.Required, s.Properties = description, required, props
	return s.NewRef()
}

// pageOf is a page of a collection route: its items, the cursor of the
// next page (empty on the last) and, when the page is the whole list, its
// total (httpserver.PageOf).
func pageOf(item string) *openapi3.SchemaRef {
	return object("A page of a collection: pass next_cursor as cursor for the next one; empty on the last page.",
		[]string{"items", "next_cursor"}, openapi3.Schemas{
			"items":       arrayOf(ref(item), ""),
			"next_cursor": str("opaque; send it back as ?cursor=", "MjAyNi0xMi0wMVQwODowMDowMFp8ZDEyMw"),
			"total": integer("how many match: given when this page is the whole list (the first page, with an empty " +
				"next_cursor), the one count no list pays for; otherwise count the pages' items"),
		})
}

func schemas() openapi3.Schemas {
	s := openapi3.Schemas{
		"Problem":    problemSchema(),
		"FieldError": fieldErrorSchema(),
		"Place":      placeSchema(),
		"PartyInput": partyInputSchema(),
		"Party": object("A party as the caller's role sees it: by label (当事人甲) unless it handles the case.",
			[]string{"role", "name"}, openapi3.Schemas{
				"role":      str("applicant or respondent", "applicant"),
				"name":      str("the name, or a label", "张三"),
				"id_number": str("masked for a role that may not see it", "622901********1234"),
				"phone":     str("masked for a role that may not see it", "138****5678"),
			}),
		"DisputePlace": object("Where a dispute is: the county and, as far as known, the township, village and grid.",
			[]string{"county_code"}, openapi3.Schemas{
				"county_code":   str("", "622901"),
				"township_code": str("", "622901001"),
				"village_code":  str("", "622901001001"),
				"grid":          str("", "网格3"),
			}),
		"Agency": object("A unit: its kind and ID.", nil, openapi3.Schemas{"kind": str("", "police_station"), "id": str("", "pcs-bafang"),
			"name": str("its name, where the answer names units", "八坊派出所")}),
		"Registration": registrationSchema(),
		"Dispute":      disputeSchema(),
		"RiskOverride": object("An officer's risk grade override and why.", []string{"level", "reason"}, openapi3.Schemas{
			"level":  oneOf("the risk level: low, medium or high", "high", "low", "medium", "high"),
			"reason": str("why, for the record", "当事人扬言报复，升为高风险"),
		}),
		"Slip":     slipSchema(),
		"Copy":     copySchema(),
		"CopyItem": copyItemSchema(),
		"CopyReason": object("Why a copy is returned (退单) or its clock paused.", []string{"reason"}, openapi3.Schemas{
			"reason": str("", "不属于本辖区，请改派至东关街道"),
		}),
		"Mediation": mediationSchema(),
		"Outcome": object("A mediation's outcome: resolved with an agreement, failed with a reason, or sent to judicial confirmation.",
			[]string{"result"}, openapi3.Schemas{
				"result":                str("resolved, failed, litigation, legal_aid or punishment_procedure", "resolved"),
				"agreement":             ref("Agreement"),
				"judicial_confirmation": boolean("the parties apply to the court to confirm the agreement (司法确认)"),
				"reason":                str("why it failed", "被申请人拒绝调解"),
				"fight":                 boolean("it was a fight: grounds the punishment procedure"),
				"refused_by":            arrayOf(str("", "respondent"), "the parties that refuse mediation"),
			}),
		"Agreement": object("The agreement reached (调解协议).", []string{"summary"}, openapi3.Schemas{
			"summary": str("", "院墙后退 20 厘米"),
			"terms":   arrayOf(str("", "12 月 1 日前拆除越界部分"), "what each party undertakes"),
		}),
		"Revisit": revisitSchema(),
		"RevisitResult": object("What the revisit found.", []string{"outcome"}, openapi3.Schemas{
			"outcome":      str("stable, rebound or partially_settled", "stable"),
			"note":         str("", "回访当事人，协议已履行，关系缓和"),
			"satisfaction": str("", "satisfied"),
		}),
		"Assignment": object("Who revisits.", []string{"officer"}, openapi3.Schemas{"officer": str("a staff ID", "A1024")}),
		"ScheduleRevisit": object("A revisit scheduled by hand.", nil, openapi3.Schemas{
			"round":  integer("the dispute's round (default: the current one)"),
			"due_by": dateTime("when it is due"),
		}),
		"Transfer": object("A slip handed to another county of the province (跨县移交): the receiving county holds the case from then on.",
			[]string{"to_county_code", "place", "reason"}, openapi3.Schemas{
				"to_county_code": str("the receiving county, of the same province", "620902"),
				"place":          ref("Place"),
				"reason":         str("why the case goes to the other county", "用人单位在肃州区，由肃州区调处欠薪纠纷"),
			}),
		"Urge": object("A committee's urge to the responsible unit.", []string{"comment"}, openapi3.Schemas{
			"comment": str("", "请于三日内完成调解并反馈"),
		}),
		"Object":          object("A JSON object; its fields are described with the route.", nil, nil),
		"Open311Request":  open311RequestSchema(),
		"Open311Requests": arrayOf(ref("Object"), "GeoReport v2 answers are arrays"),
		"DisputePage":     pageOf("Dispute"),
		"CopyPage":        pageOf("CopyItem"),
		"MediationPage":   pageOf("Mediation"),
		"RevisitPage":     pageOf("Revisit"),
		"OverdueItem": object("One obligation past its due time (超期未办): what a unit or officer owes about a dispute, since when.",
			[]string{"county_code", "unit", "dispute_id", "case_code", "what", "due_by"}, openapi3.Schemas{
				"county_code": str("the county that holds the dispute", "622901"),
				"unit":        str("the responsible unit", "gc-622901001"),
				"officer":     str("the responsible officer, once one signed for the case", "S7"),
				"dispute_id":  str("", "d-01J8Z2"),
				"case_code":   str("", "LX-2026-000123"),
				"what":        str("sign_copy:<copy>, settle or revisit:<id>", "settle"),
				"due_by":      dateTime("when it fell due"),
			}),
		"DisputeStage": object("Where a dispute stands in the loop, and the earliest obligation it still owes.",
			[]string{"dispute_id", "case_code", "stage", "round"}, openapi3.Schemas{
				"dispute_id": str("", "d-01J8Z2"),
				"case_code":  str("", "LX-2026-000123"),
				"stage":      str("registered, referred, accepted, in_mediation, resolved, failed, not_mediated, revisit_scheduled, closed or reopened", "referred"),
				"round":      integer("the dispute's round"),
				"next_deadline": object("absent when the dispute owes nothing", []string{"what", "due_by"}, openapi3.Schemas{
					"what":   str("sign_copy:<copy>, settle or revisit:<id>", "sign_copy:jurisdiction"),
					"due_by": dateTime("when it falls due"),
				}),
			}),
		"OverduePage":     pageOf("OverdueItem"),
		"AuditRecordPage": pageOf("AuditRecord"),
		"RevisitWorkload": object("Owed revisits per unit (the revisiting jurisdiction) and per officer, most overdue first.",
			[]string{"as_of", "units", "officers"}, openapi3.Schemas{
				"as_of":    dateTime(""),
				"units":    arrayOf(ref("RevisitLoad"), "by the unit's ID"),
				"officers": arrayOf(ref("RevisitLoad"), "by officer; key empty for the unassigned"),
			}),
		"RevisitLoad": object("One unit's or officer's owed revisits.", []string{"key", "due", "overdue"}, openapi3.Schemas{
			"key":         str("", "jo-bafang"),
			"due":         integer("owed, not yet due"),
			"overdue":     integer("past their due date"),
			"overdue_ids": arrayOf(str("", "d-01J8Z2.r1.v1"), "the overdue revisits"),
		}),
		"ServiceStatus": object("", []string{"status"}, openapi3.Schemas{"status": str("", "ok")}),
	}
	maps.Copy(s, figureSchemas())
	maps.Copy(s, caseSchemas())
	maps.Copy(s, countySchemas())
	maps.Copy(s, mediationSchemas())
	maps.Copy(s, mediationWriteSchemas())
	maps.Copy(s, auditSchemas())
	maps.Copy(s, readinessSchemas())
	maps.Copy(s, disputeHistorySchemas())
	return s
}

func slipProperties() openapi3.Schemas {
	return openapi3.Schemas{
		"id":          str("the dispute's ID and its round", "d-01J8Z2.r1"),
		"dispute_id":  str("", "d-01J8Z2"),
		"case_code":   str("", "临夏调〔2026〕0042号"),
		"county_code": str("", "622901"),
		"round":       integer("the dispute's round"),
		"category":    str("", "neighbour"),
		"risk_level":  oneOf("the risk level: low, medium or high", "low", "low", "medium", "high"),
		"place":       ref("DisputePlace"),
		"issued_by":   ref("Agency"),
		"issued_at":   dateTime(""),
		"copies":      arrayOf(ref("Copy"), "the three copies (an agency's system: its own only)"),
	}
}

var slipRequired = []string{"id", "dispute_id", "case_code", "county_code", "round", "category", "risk_level", "place", "issued_by", "issued_at", "copies"}

func slipSchema() *openapi3.SchemaRef {
	return object("A triplicate slip (三联单) and its copies.", slipRequired, slipProperties())
}

func copySchema() *openapi3.SchemaRef {
	return object("One copy of a slip: to whom, on which topic, its clock and its signature.",
		[]string{"copy", "recipient", "topic", "accept_by", "level", "returns", "backstop"}, openapi3.Schemas{
			"copy":        str("police, jurisdiction or committee", "jurisdiction"),
			"recipient":   ref("Agency"),
			"topic":       str("the county's topic this copy is published on", "fengqiao.county.622901.referral.jurisdiction"),
			"accept_by":   dateTime("when the signature is due, on the county's business-day calendar"),
			"accepted_at": dateTime(""),
			"accepted_by": str("who signed", "A1024"),
			"level":       str("the level that handles it: village, station, street_centre or county_committee", "street_centre"),
			"returns":     integer("how often it was returned (退单)"),
			"backstop":    boolean("sent to the backstop unit after the returns allowed"),
			"paused_for":  str("time its clock was paused", "26h0m0s"),
			"warned":      arrayOf(integer(""), "the warnings sent so far, as percent of the time allowed (50, 75)"),
			"paused": object("present while the copy's clock is paused", []string{"reason", "staff", "since"}, openapi3.Schemas{
				"reason": str("", "当事人住院，暂缓调处"),
				"staff":  str("who paused it", "A1024"),
				"since":  dateTime(""),
			}),
		})
}

func copyItemSchema() *openapi3.SchemaRef {
	props := slipProperties()
	props["queued"] = object("which copy is queued, for which unit", []string{"copy", "unit", "state", "at"}, openapi3.Schemas{
		"copy":  str("", "jurisdiction"),
		"unit":  str("", "gc-622901001"),
		"state": str("awaiting, signed or returned", "awaiting"),
		"at":    dateTime("when it is due, or when it was returned"),
	})
	return object("A slip in a copy queue, as GET /v1/slips/{id} shows it, and which copy of it is queued.",
		append(slices.Clone(slipRequired), "queued"), props)
}

func mediationSchema() *openapi3.SchemaRef {
	return object("A mediation of a dispute's round: where, by whom, how far it has gone.",
		[]string{"id", "dispute_id", "county_code", "case_code", "round", "tier", "category", "risk_level",
			"jurisdiction", "station", "room", "status", "opened_at"}, openapi3.Schemas{
			"id":            str("the slip's ID and the mediation's number", "d-01J8Z2.r1.m1"),
			"dispute_id":    str("", "d-01J8Z2"),
			"county_code":   str("", "622901"),
			"case_code":     str("", "临夏调〔2026〕0042号"),
			"round":         integer("the dispute's round"),
			"tier":          integer("3 the village peacemakers, 2 the police station's committee, 1 the street centre"),
			"category":      str("", "neighbour"),
			"risk_level":    oneOf("the risk level: low, medium or high", "low", "low", "medium", "high"),
			"township":      str("", "622901001"),
			"jurisdiction":  ref("Agency"),
			"station":       ref("Agency"),
			"room":          ref("Agency"),
			"status":        str("open, resolved, failed, referred or not_mediated", "open"),
			"opened_at":     dateTime(""),
			"closed_at":     dateTime(""),
			"team":          arrayOf(ref("TeamMember"), "the mediators seated on it"),
			"team_gaps":     arrayOf(str("", "lawyer"), "seats the assignment left empty"),
			"sessions":      arrayOf(ref("Session"), "its sessions, scheduled and recorded"),
			"escalations":   arrayOf(ref("Escalation"), "its moves between tiers"),
			"joint_meeting": ref("JointMeeting"),
			"agreement": object("the agreement as published: how many terms, how much money", []string{"term_count"}, openapi3.Schemas{
				"term_count": integer(""),
				"amount_fen": int64Of("the money obligations' sum, in fen"),
			}),
			"settlement": ref("Settlement"),
			"performance": object("the obligations' performance", []string{"terms"}, openapi3.Schemas{
				"terms": arrayOf(ref("TermPerformance"), ""),
			}),
			"breached":    boolean("a missed term reopened the case"),
			"handed_off":  arrayOf(ref("HandOff"), ""),
			"fail_reason": str("", "被申请人拒绝调解"),
		})
}

func revisitSchema() *openapi3.SchemaRef {
	return object("A revisit (回访) of a settled case: who follows up, by when, and what it found.",
		[]string{"id", "dispute_id", "county_code", "round", "category", "risk_level", "revisitor", "settled_by", "police",
			"channel", "status", "settled_at", "scheduled_at", "due_by", "attempts", "max_attempts"}, openapi3.Schemas{
			"id":           str("the slip's ID and the revisit's number", "d-01J8Z2.r1.v1"),
			"dispute_id":   str("", "d-01J8Z2"),
			"county_code":  str("", "622901"),
			"round":        integer("the dispute's round"),
			"kind":         str("first, extra, unscheduled or follow_up", "first"),
			"category":     str("", "neighbour"),
			"risk_level":   oneOf("the risk level: low, medium or high; empty while the revisit awaits the settlement it follows", "low", "low", "medium", "high", ""),
			"revisitor":    ref("Agency"),
			"officer":      str("the person assigned", "A1024"),
			"settled_by":   ref("Agency"),
			"police":       ref("Agency"),
			"channel":      str("home_visit, phone or wechat", "phone"),
			"status":       str("scheduled, awaiting or completed", "scheduled"),
			"settled_at":   dateTime(""),
			"scheduled_at": dateTime(""),
			"due_by":       dateTime(""),
			"attempts":     integer("tries to reach the parties so far"),
			"max_attempts": integer(""),
			"completed_at": dateTime(""),
			"outcome":      str("stable, rebound or partially_settled", "stable"),
			"note":         str("", "回访当事人，协议已履行，关系缓和"),
			"satisfaction": str("satisfied, basically_satisfied or dissatisfied", "satisfied"),
			"completed_by": str("who recorded the result", "A1024"),
			"escalated":    str("why it was escalated: overdue or unreachable", "overdue"),
			"escalated_at": dateTime(""),
			"follows":      str("the revisit this one follows up", "d-01J8Z2.r1.v1"),
		})
}

func problemSchema() *openapi3.SchemaRef {
	return object("An RFC 9457 problem: nothing was changed.", []string{"type", "title", "status"}, openapi3.Schemas{
		"type":     str("a URI under https://fengqiao.dev/problems/ (docs/problems.md)", "https://fengqiao.dev/problems/invalid-request"),
		"title":    str("", "Invalid request"),
		"status":   integer("the HTTP status"),
		"detail":   str("for the person at the keyboard", "the dispute cannot be registered as submitted"),
		"instance": str("", ""),
		"errors":   arrayOf(ref("FieldError"), "every field at fault"),
	})
}

func fieldErrorSchema() *openapi3.SchemaRef {
	return object("One field at fault.", []string{"pointer", "detail"}, openapi3.Schemas{
		"pointer": str("a JSON Pointer into the body (#/parties/0/phone), or query:NAME, header:NAME", "#/parties/0/phone"),
		"detail":  str("", "is not a valid mainland mobile or landline number"),
	})
}

func placeSchema() *openapi3.SchemaRef {
	return object("Where the dispute is, by the county's jurisdiction tree.", nil, openapi3.Schemas{
		"township_code": str("a township or street of the county", "622901001"),
		"village_code":  str("a village or community of the township", "622901001001"),
		"grid":          str("the grid (网格) within the village", "网格3"),
		"address":       str("", "八坊街道新华路12号"),
	})
}

func partyInputSchema() *openapi3.SchemaRef {
	return object("A party as the recording officer gives it.", []string{"role", "name"}, openapi3.Schemas{
		"role":      str("applicant or respondent", "applicant"),
		"name":      str("", "张三"),
		"phone":     str("", "13812345678"),
		"id_number": str("resident ID number", "622901199001011234"),
		"address":   str("", "八坊街道新华路12号"),
	})
}

func registrationSchema() *openapi3.SchemaRef {
	r := object("A dispute as recorded by the police or an agency's system.",
		[]string{"channel", "county_code", "place", "category", "parties", "summary"}, openapi3.Schemas{
			"channel":             str("where it was found: alert_110, hotline_12345, walk_in, patrol, …", "alert_110"),
			"external_ref":        str("the channel's own reference; a repeat of it links to the first dispute", "110-20261123-0042"),
			"county_code":         str("the county (six digits); must be the caller's", "622901"),
			"place":               ref("Place"),
			"category":            str("of the county's categories (GET /v1/categories)", "neighbour"),
			"subcategory":         str("a path under category in the county's taxonomy", ""),
			"parties":             arrayOf(ref("PartyInput"), "at least one applicant"),
			"group_size":          integer("how many people, for a group dispute"),
			"summary":             str("", "邻里因排水沟堵塞发生争执"),
			"narrative":           str("", "张三称李四家排水沟堵塞致其院内积水，双方多次争吵。"),
			"threats_of_violence": boolean("raises the risk grade"),
			"vulnerable_parties":  boolean("raises the risk grade"),
			"stage":               str("how far it has gone", ""),
			"duration_days":       integer("how long it has been going on"),
			"redirect":            ref("Object"),
		})
	return r
}

func disputeSchema() *openapi3.SchemaRef {
	return object("A dispute as the caller's role sees it; withheld names the fields masked for it.",
		[]string{"id", "case_code", "county_code", "round", "status", "channel", "place", "category", "risk_level",
			"parties", "summary", "narrative", "recorded_by", "registered_at", "risk_reasons", "reopenings", "reports"}, openapi3.Schemas{
			"id":                str("", "d-01J8Z2"),
			"case_code":         str("the case's number as people read it", "临夏调〔2026〕0042号"),
			"county_code":       str("", "622901"),
			"round":             integer("1, then one more for each reopening"),
			"status":            str("registered, reopened, closed or redirected", "registered"),
			"channel":           str("", "alert_110"),
			"external_ref":      str("the channel's own reference", "110-20261123-0042"),
			"place":             ref("DisputePlace"),
			"address":           str("withheld from a role that may not see personal data", "八坊街道新华路12号"),
			"category":          str("", "neighbour"),
			"subcategory":       str("a path under category in the county's taxonomy", "boundary"),
			"risk_level":        oneOf("the risk level: low, medium or high", "low", "low", "medium", "high"),
			"parties":           arrayOf(ref("Party"), "by label (当事人甲) for a role that may not see personal data"),
			"summary":           str("empty for a role that may not read the text", "邻里因排水沟堵塞发生争执"),
			"narrative":         str("empty for a role that may not read the text", "张三称李四家排水沟堵塞致其院内积水，双方多次争吵。"),
			"recorded_by":       ref("Agency"),
			"registered_at":     dateTime(""),
			"closed_at":         dateTime("when the current round was closed (a stable revisit)"),
			"second_handled_at": dateTime("when a second unit first handled it"),
			"withheld":          arrayOf(str("", "/parties"), "JSON pointers of the fields masked for this caller"),
			"risk_reasons":      arrayOf(str("", "+3 threats of violence"), "why the risk is graded as it is: each rule's points, then what raised it (an officer's override, second handling, a reopening)"),
			"reopenings":        arrayOf(ref("Reopening"), "its reopenings, oldest first"),
			"reports":           arrayOf(ref("RepeatReport"), "the repeat reports linked to it, oldest first"),
		})
}

func open311RequestSchema() *openapi3.SchemaRef {
	return object("A GeoReport v2 service request, form-encoded as the standard has it; attribute[township_code], "+
		"attribute[village_code], attribute[grid] and attribute[external_ref] carry the place and the reference.",
		[]string{"service_code"}, openapi3.Schemas{
			"jurisdiction_id": str("the county code", "622901"),
			"service_code":    str("the category", "neighbour"),
			"description":     str("", "邻居家装修噪音持续到深夜"),
			"address_string":  str("", "八坊街道新华路12号"),
			"lat":             str("", "35.6012"),
			"long":            str("", "103.2107"),
			"first_name":      str("", "三"),
			"last_name":       str("", "张"),
			"phone":           str("", "13812345678"),
			"api_key":         str("the agency client's OAuth access token, when no Authorization header is sent", "eyJhbGciOiJSUzI1NiIs..."),
		})
}

// Parameters every route may share.
func parameters() openapi3.ParametersMap {
	limit := openapi3.NewIntegerSchema()
	limit.Min = new(float64(1))
	limit.Max = new(float64(httpserver.MaxPageLimit))
	limit.Default = httpserver.DefaultPageLimit
	return openapi3.ParametersMap{
		"limit": {Value: openapi3.NewQueryParameter("limit").WithSchema(limit).
			WithDescription("how many items a page holds (default " + strconv.Itoa(httpserver.DefaultPageLimit) + ")")},
		"cursor": {Value: openapi3.NewQueryParameter("cursor").WithSchema(openapi3.NewStringSchema()).
			WithDescription("the next_cursor of the previous page; build none yourself")},
		"If-Match": {Value: openapi3.NewHeaderParameter("If-Match").WithSchema(openapi3.NewStringSchema()).
			WithDescription(`the ETag of the read the change is based on; 412 when the record has changed since`)},
		"Idempotency-Key": {Value: withMaxLength(openapi3.NewHeaderParameter("Idempotency-Key"), 255).
			WithDescription("sent again with the same body, the first answer comes back (Idempotent-Replayed: true) and nothing changes; with another body, 422; while the first is still being answered, 409")},
	}
}

func withMaxLength(p *openapi3.Parameter, n uint64) *openapi3.Parameter {
	s := openapi3.NewStringSchema()
	s.MaxLength = &n
	return p.WithSchema(s)
}

func refParam(name string) *openapi3.ParameterRef {
	return &openapi3.ParameterRef{Ref: "#/components/parameters/" + name}
}

func pathParam(name string) *openapi3.ParameterRef {
	p := openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())
	if d, ok := pathParamDescriptions[name]; ok {
		p.Description, p.Example = d.description, d.example
	}
	return &openapi3.ParameterRef{Value: p}
}

// pathParamDescriptions say what each path parameter names; an ID's
// example shows how the IDs nest: a dispute, its round's slip, the
// round's first mediation and revisit.
var pathParamDescriptions = map[string]struct{ description, example string }{
	"id":   {"the record's ID: a dispute (d-…), a slip (d-….r1), a mediation (d-….r1.m1) or a revisit (d-….r1.v1), as the path says", "d-01J8Z2"},
	"copy": {"the copy of the slip: police, jurisdiction or committee", "jurisdiction"},
	"no":   {"the session's number, from 1", "1"},
	"code": {"the county code (six digits)", "622901"},
	"by":   {"township, village, grid, unit or officer", "township"},
	"urge": {"the urge's ID", "u-01J8Z6"},
}

func queryParam(name, description string, example any) *openapi3.ParameterRef {
	p := openapi3.NewQueryParameter(name).WithSchema(openapi3.NewStringSchema()).WithDescription(description)
	p.Example = example
	return &openapi3.ParameterRef{Value: p}
}

func boolQueryParam(name, description string, example bool) *openapi3.ParameterRef {
	p := openapi3.NewQueryParameter(name).WithSchema(openapi3.NewBoolSchema()).WithDescription(description)
	p.Example = example
	return &openapi3.ParameterRef{Value: p}
}

func intQueryParam(name, description string, lo, hi float64, example int) *openapi3.ParameterRef {
	p := openapi3.NewQueryParameter(name).WithSchema(openapi3.NewIntegerSchema().WithMin(lo).WithMax(hi)).WithDescription(description)
	p.Example = example
	return &openapi3.ParameterRef{Value: p}
}

// disputeIDs is a repeated ?id= naming at most n disputes.
func disputeIDs(n uint64) *openapi3.ParameterRef {
	s := openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema().WithMinLength(1))
	s.MinItems, s.MaxItems = 1, &n
	p := openapi3.NewQueryParameter("id").WithSchema(s).WithRequired(true).
		WithDescription("a dispute's ID, repeated for each (at most " + strconv.FormatUint(n, 10) + "); another county's are left out of the answer")
	p.Example = []string{"d-01J8Z2"}
	return &openapi3.ParameterRef{Value: p}
}

func headers() openapi3.Headers {
	header := func(description string) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: description, Schema: openapi3.NewStringSchema().NewRef()}}}
	}
	return openapi3.Headers{
		"ETag":                header(`the record's version, e.g. "3"; send it as If-Match with a change`),
		"Location":            header("where the created record is read"),
		"Idempotent-Replayed": header(`"true" on the first answer replayed for a repeated Idempotency-Key`),
		"Link":                header(`the next page of a GeoReport list, as <URL>; rel="next" (the answer itself must be a bare array)`),
	}
}

// problemNames are the problem responses by status, as pkg/problem writes them.
var problemNames = map[string]string{
	"400": "Invalid", "401": "Unauthenticated", "403": "Forbidden", "404": "NotFound",
	"409": "Conflict", "412": "PreconditionFailed", "413": "TooLarge", "422": "Unprocessable",
	"429": "TooManyRequests", "500": "Internal", "503": "Unavailable",
}

func problemResponses() openapi3.ResponseBodies {
	m := openapi3.ResponseBodies{}
	for status, name := range problemNames {
		code, _ := strconv.Atoi(status)
		content := openapi3.NewContentWithSchemaRef(ref("Problem"), []string{"application/problem+json"})
		content["application/problem+json"].Examples = problemExample(code)
		m[name] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription(http.StatusText(code) + " (RFC 9457 problem details)").WithContent(content)}
	}
	m["GeoReportErrors"] = geoReportErrors()
	return m
}

// geoReportErrors is how the Open311 facade refuses: GeoReport v2's array
// of {code, description}, not problem details, for every status, since its
// clients read that format and no other.
func geoReportErrors() *openapi3.ResponseRef {
	item := object("One GeoReport v2 error; the description begins with the field at fault.", []string{"code", "description"}, openapi3.Schemas{
		"code":        integer("the HTTP status"),
		"description": str("", "form:lat: must be a number"),
	})
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("GeoReport v2 errors").
		WithContent(openapi3.NewContentWithJSONSchemaRef(arrayOf(item, "GeoReport v2 errors")))}
}

func problemExample(status int) openapi3.Examples {
	if status != http.StatusBadRequest {
		return nil
	}
	return openapi3.Examples{"field": {Value: openapi3.NewExample(map[string]any{
		"type": "https://fengqiao.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
		"detail": "the dispute cannot be registered as submitted",
		"errors": []map[string]string{{"pointer": "#/parties/0/phone", "detail": "is not a valid mainland mobile or landline number"}},
	})}}
}

// problemStatuses are the problems a route may answer: every route those of
// any request, a write also those of a change.
func problemStatuses(method string, hasBody bool) []string {
	statuses := []string{"400", "401", "403", "404", "429", "500", "503"}
	if method != http.MethodGet {
		statuses = append(statuses, "409", "412", "422")
	}
	if hasBody {
		statuses = append(statuses, "413")
	}
	return statuses
}
