package openapi

import "github.com/getkin/kin-openapi/openapi3"

// Supervision's figures, field by field, as supervision writes them
// (docs/kpis.md defines each). Unlike the records' schemas, every field a
// figure always carries is required: a client draws tables and charts from
// them and must not meet a hole.

func number(description string) *openapi3.SchemaRef {
	s := openapi3.NewFloat64Schema()
	s.Format = "double" // a float64, not a generator's default float32
	s.Description = description
	return s.NewRef()
}

func int64Of(description string) *openapi3.SchemaRef {
	s := openapi3.NewInt64Schema()
	s.Description = description
	return s.NewRef()
}

// mapOf is an object whose keys the description names and whose values
// are all of one schema.
func mapOf(values *openapi3.SchemaRef, description string) *openapi3.SchemaRef {
	s := openapi3.NewObjectSchema()
	s.Description = description
	s.AdditionalProperties = openapi3.AdditionalProperties{Schema: values}
	return s.NewRef()
}

// orNull is a value that may be null: supervision writes some fields as
// null rather than leaving them out. The schema leaves the value untyped
// and marks it nullable, which OpenAPI 3.0 and 3.1 read alike (3.1 ignores
// nullable, and an untyped schema takes null there anyway; 3.0 takes null
// only when nullable), so the document stays readable under both rules.
// goType tells Go generators (oapi-codegen's x-go-type) what it holds.
func orNull(description, goType string) *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Description: description, Nullable: true,
		Extensions: map[string]any{"x-go-type": goType}}}
}

func figureSchemas() openapi3.Schemas {
	rate := func(description string, target bool) *openapi3.SchemaRef {
		props := openapi3.Schemas{
			"value":       number("numerator / denominator, 0–1 (0 when the denominator is 0)"),
			"numerator":   integer(""),
			"denominator": integer(""),
		}
		required := []string{"value", "numerator", "denominator"}
		if target {
			props["target"] = orNull("the county's target, a number 0–1, or null when it set none", "*float64")
			required = append(required, "target")
		}
		return object(description, required, props)
	}
	kpiProps := func() openapi3.Schemas {
		return openapi3.Schemas{
			"county_code": str("the county; empty in a prefecture's or province's figures", "622901"),
			"month":       str("present when the figures are of one month's registrations (YYYY-MM)", "2026-11"),
			"as_of":       dateTime("the moment the figures are taken at"),
			"registered":  integer("disputes registered"),
			"stages": mapOf(integer(""), "how many disputes are at each stage now: registered, referred, accepted, in_mediation, "+
				"resolved, failed, not_mediated, revisit_scheduled, closed, reopened"),
			"resolution_rate":        ref("TargetRate"),
			"on_time_rate":           ref("Rate"),
			"time_to_sign":           ref("Mean"),
			"revisit_rate":           ref("TargetRate"),
			"rebound_rate":           ref("Rate"),
			"satisfaction_rate":      ref("Rate"),
			"time_to_settle":         ref("Mean"),
			"amount_fen":             int64Of("what the agreements in force owe, in fen (分)"),
			"amount_yuan":            str("the same in yuan, two decimals", "12500.00"),
			"amount_fen_by_category": mapOf(int64Of(""), "the amount in fen by category"),
			"overdue":                integer("open disputes past a deadline now"),
			"overdue_by_unit":        mapOf(arrayOf(str("", "临夏调〔2026〕0042号"), ""), "their case codes by responsible unit (a county's only)"),
		}
	}
	kpiRequired := []string{"county_code", "as_of", "registered", "stages", "resolution_rate", "on_time_rate", "time_to_sign",
		"revisit_rate", "rebound_rate", "satisfaction_rate", "time_to_settle", "amount_fen", "amount_yuan",
		"amount_fen_by_category", "overdue", "overdue_by_unit"}

	areaProps := kpiProps()
	areaProps["level"] = str("prefecture or province", "prefecture")
	areaProps["code"] = str("the prefecture's or province's code", "622900")
	areaProps["counties"] = arrayOf(ref("CountyLine"), "county by county, in code order")

	warning := object("The warning index (红黄蓝预警) of one area in one month.",
		[]string{"level", "area", "month", "registered", "score", "colour", "components", "reasons", "previous_score", "previous_colour", "change"},
		openapi3.Schemas{
			"level":           str("township, village, grid or county", "township"),
			"area":            str("the area's code", "622901001"),
			"month":           str("YYYY-MM", "2026-11"),
			"registered":      integer("disputes registered in the month"),
			"score":           integer("0–100"),
			"colour":          str("red, yellow or blue", "yellow"),
			"components":      arrayOf(ref("WarningComponent"), "what the score is made of"),
			"reasons":         arrayOf(str("", "score 45: yellow (yellow from 40, red from 70)"), "why the colour, threshold by threshold"),
			"previous_score":  integer("the month before's"),
			"previous_colour": str("the month before's", "blue"),
			"change":          integer("score − previous_score"),
		})

	ledgerItem := object("One thing a unit or officer owes, or discharged, about one dispute.",
		[]string{"dispute_id", "case_code", "what"}, openapi3.Schemas{
			"dispute_id": str("", "d-01J8Z2"),
			"case_code":  str("", "临夏调〔2026〕0042号"),
			"what": str("sign_copy:<copy>, settle or revisit:<id> when owed; settled, closed:<route>, revisited:<outcome> or "+
				"signed:<copy> when discharged", "sign_copy:jurisdiction"),
			"due_by": dateTime("when it is due (what is owed)"),
			"at":     dateTime("when it was discharged (what was closed)"),
		})
	items := func(description string) *openapi3.SchemaRef { return arrayOf(ref("LedgerItem"), description) }

	return openapi3.Schemas{
		"Rate":       rate("A rate: numerator over denominator.", false),
		"TargetRate": rate("A rate with the county's target.", true),
		"Mean": object("A mean duration over count cases.", []string{"seconds", "hours", "count"}, openapi3.Schemas{
			"seconds": number(""),
			"hours":   number("the same in hours"),
			"count":   integer("the cases measured"),
		}),
		"CountyKPIs": object("A county's KPIs (docs/kpis.md), as of now or of one month's registrations.", kpiRequired, kpiProps()),
		"KPIsByArea": object("A county's KPIs split by one dimension.", []string{"county_code", "by", "kpis"}, openapi3.Schemas{
			"county_code": str("", "622901"),
			"by":          str("township, village, grid, unit or officer", "township"),
			"kpis":        mapOf(ref("CountyKPIs"), "the KPIs of each township, village, grid, unit or officer, by its code or ID"),
		}),
		"CountyLine": object("One county's figures in its prefecture's or province's.",
			[]string{"county_code", "registered", "resolution_rate", "on_time_rate", "revisit_rate", "overdue"}, openapi3.Schemas{
				"county_code":     str("", "622901"),
				"registered":      integer(""),
				"resolution_rate": ref("TargetRate"),
				"on_time_rate":    ref("Rate"),
				"revisit_rate":    ref("TargetRate"),
				"overdue":         integer("open disputes past a deadline now"),
			}),
		"AreaKPIs": object("A prefecture's or province's KPIs: all its counties together (overdue_by_unit stays empty: "+
			"units are a county's), and county by county.", append(kpiRequired, "level", "code", "counties"), areaProps),
		"WarningComponent": object("One part of a warning score.", []string{"name", "count", "ratio", "weight", "points"}, openapi3.Schemas{
			"name":   str("high_risk, medium_risk, overdue, repeats, rebounds or unresolved", "overdue"),
			"count":  integer(""),
			"ratio":  number("0–1, after the cap"),
			"weight": integer("its share of the 100 points"),
			"points": number("ratio × weight"),
		}),
		"Warning": warning,
		"Warnings": object("A county's warning index for a month, one area of the level a line, highest score first.",
			[]string{"county_code", "month", "level", "areas"}, openapi3.Schemas{
				"county_code": str("", "622901"),
				"month":       str("YYYY-MM", "2026-11"),
				"level":       str("township, village or grid", "township"),
				"areas":       arrayOf(ref("Warning"), "the county's areas of the level, and any other with disputes"),
			}),
		"AreaWarnings": object("A prefecture's or province's warning index for a month, one county a line, highest score first.",
			[]string{"level", "code", "month", "counties"}, openapi3.Schemas{
				"level":    str("prefecture or province", "prefecture"),
				"code":     str("", "622900"),
				"month":    str("YYYY-MM", "2026-11"),
				"counties": arrayOf(ref("Warning"), "each county of it, with level county"),
			}),
		"LedgerItem": ledgerItem,
		"LedgerLine": object("What one unit or officer has on the day.", []string{"key", "due_today", "overdue", "closed", "overdue_count"}, openapi3.Schemas{
			"key":           str("the unit's or officer's ID", "jo-bafang"),
			"due_today":     items("still owed, due within the day"),
			"overdue":       items("still owed, due before the day began (with overdue_limit, only those among the county's first overdue_limit)"),
			"closed":        items("discharged within the day"),
			"overdue_count": integer("how many things the line has overdue, listed or not"),
		}),
		"Ledger": object("A county's daily ledger (日清日结) of one day, China Standard Time, by responsible unit and by officer.",
			[]string{"day", "as_of", "units", "officers"}, openapi3.Schemas{
				"day":      str("YYYY-MM-DD", "2026-11-23"),
				"as_of":    dateTime("owed means owed at this moment, so a past day shows what is still open"),
				"units":    arrayOf(ref("LedgerLine"), "by unit ID"),
				"officers": arrayOf(ref("LedgerLine"), "by officer ID (an item nobody signed for yet is only on its unit's line)"),
			}),
		"LedgerCounts": object("What one county, or one unit of it, has on the day, counted.", []string{"key", "due_today", "overdue", "closed"}, openapi3.Schemas{
			"key":       str("the county's code, or the unit's ID", "622901"),
			"due_today": integer("still owed, due within the day"),
			"overdue":   integer("still owed, due before the day began"),
			"closed":    integer("discharged within the day"),
			"units":     arrayOf(ref("LedgerCounts"), "a county's units, by unit ID"),
		}),
		"AreaLedger": object("A prefecture's or province's daily ledger of one day, China Standard Time: its counties' counts, each county's per unit; the items are each county's ledger's and the division's overdue list's.",
			[]string{"day", "as_of", "due_today", "overdue", "closed", "counties"}, openapi3.Schemas{
				"day":       str("YYYY-MM-DD", "2026-11-23"),
				"as_of":     dateTime("owed means owed at this moment"),
				"due_today": integer("over the counties: still owed, due within the day"),
				"overdue":   integer("over the counties: still owed, due before the day began"),
				"closed":    integer("over the counties: discharged within the day"),
				"counties":  arrayOf(ref("LedgerCounts"), "in county code order"),
			}),
		"UnstaffedMediation": object("An open mediation whose latest assignment left a seat empty.",
			[]string{"dispute_id", "case_code", "round", "tier", "room", "since"}, openapi3.Schemas{
				"dispute_id": str("", "d-01J8Z2"),
				"case_code":  str("", "临夏调〔2026〕0042号"),
				"round":      integer("the dispute's round"),
				"tier":       integer("the mediation's tier"),
				"room":       ref("Agency"),
				"since":      dateTime("when the assignment left the seat empty"),
			}),
		"Unstaffed": object("A county's mediations short of mediators, the longest waiting first.",
			[]string{"county_code", "mediations"}, openapi3.Schemas{
				"county_code": str("", "622901"),
				"mediations":  arrayOf(ref("UnstaffedMediation"), ""),
			}),
	}
}

// caseSchemas are supervision's views of one dispute: its timeline and
// what the committee did about it.
func caseSchemas() openapi3.Schemas {
	return openapi3.Schemas{
		"Handoff": object("One step of a dispute: who handed it to whom, and when.",
			[]string{"event_id", "type", "label", "from", "to", "at", "round", "note"}, openapi3.Schemas{
				"event_id": str("the event's ID (ce_id)", "01J8Z2QK7M"),
				"type":     str("the event's type", "dev.fengqiao.referral.copy_accepted.v1"),
				"label":    str("the step in Chinese, for people", "签收"),
				"from":     ref("Agency"),
				"to":       ref("Agency"),
				"at":       dateTime("with exactly three decimals, so the times sort as strings too"),
				"copy":     str("the slip's copy the step is about, if any", "jurisdiction"),
				"round":    integer("the dispute's round"),
				"note":     str("what happened, in Chinese, with the units' names", "八坊街道综治中心签收三联单"),
				"trace_id": str("the trace the step was recorded in", "4bf92f3577b34da6a3ce929d0e0e4736"),
			}),
		"Timeline": object("Every handoff of a dispute, in order (全流程留痕).",
			[]string{"dispute_id", "case_code", "county_code", "stage", "round", "handoffs"}, openapi3.Schemas{
				"dispute_id":  str("", "d-01J8Z2"),
				"case_code":   str("", "临夏调〔2026〕0042号"),
				"county_code": str("", "622901"),
				"stage":       str("where the dispute is now (the stages of CountyKPIs)", "in_mediation"),
				"round":       integer("the dispute's round"),
				"handoffs":    arrayOf(ref("Handoff"), ""),
			}),
		"UrgeRecord": object("An urge (督办) and its read receipt.", []string{"id", "comment", "by", "at"}, openapi3.Schemas{
			"id":      str("", "u-01J8Z6"),
			"comment": str("", "请于三日内完成调解并反馈"),
			"by":      str("who urged", "C2001"),
			"at":      dateTime(""),
			"read_by": str("who of the responsible unit read it", "A1024"),
			"read_at": dateTime(""),
		}),
		"Supervised": object("What the committee did about one dispute: its urges, and whether it is watched.",
			[]string{"dispute_id", "county_code", "urges", "watched"}, openapi3.Schemas{
				"dispute_id":  str("", "d-01J8Z2"),
				"county_code": str("", "622901"),
				"urges":       orNull("its urges (UrgeRecord), oldest first; null when it has none", "[]UrgeRecord"),
				"watched":     boolean("on the county's watch list (重点关注)"),
				"watched_by":  str("", "C2001"),
				"watched_at":  dateTime(""),
			}),
	}
}
