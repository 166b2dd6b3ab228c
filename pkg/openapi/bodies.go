package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"

	"fengqiao.dev/pkg/httpserver"
)

// Request bodies are decoded strictly (httpserver.DecodeJSONWith): a field
// not named here is refused, and every string is bounded, in characters,
// by the service's text limits or else by httpserver.DefaultMaxText. The
// schemas say the same, so that a generated client and a form can check a
// body before it is sent; what needs the stored record (a mediator on the
// team, a term of the agreement) only the service can check.

// text is a string of at most max characters; at least one when required,
// since the services refuse a blank one.
func text(description string, example any, required bool, max int) *openapi3.SchemaRef {
	s := openapi3.NewStringSchema()
	s.Description, s.Example = description, example
	if required {
		s.MinLength = 1
	}
	n := uint64(max)
	s.MaxLength = &n
	return s.NewRef()
}

// id is an ID, code or label: bounded by the default limit.
func id(description string, example any, required bool) *openapi3.SchemaRef {
	return text(description, example, required, httpserver.DefaultMaxText)
}

// oneOf is a string that must be one of values.
func oneOf(description string, example any, values ...string) *openapi3.SchemaRef {
	s := openapi3.NewStringSchema()
	s.Description, s.Example = description, example
	for _, v := range values {
		s.Enum = append(s.Enum, v)
	}
	return s.NewRef()
}

// atLeastOne is an array that must hold an item.
func atLeastOne(items *openapi3.SchemaRef, description string) *openapi3.SchemaRef {
	return atLeast(1, items, description)
}

func atLeast(n uint64, items *openapi3.SchemaRef, description string) *openapi3.SchemaRef {
	s := arrayOf(items, description)
	s.Value.MinItems = n
	return s
}

// mediationWriteSchemas are the bodies of mediation-room's writes, one per
// route, as services/mediation-room/internal/ports/requests.go decodes them and
// internal/ports/limits.go bounds their text (docs/input-limits.md).
func mediationWriteSchemas() openapi3.Schemas {
	party := oneOf("applicant, respondent or third_party", "respondent", "applicant", "respondent", "third_party")
	return openapi3.Schemas{
		"Objection": object("A party's objection to a mediator on the team (回避): the mediator is replaced and the seat matched again without them.",
			[]string{"mediator_id", "party", "reason"}, openapi3.Schemas{
				"mediator_id": id("a mediator on the case's team", "med-ma", true),
				"party":       party,
				"reason": oneOf("why the party objects", "relative",
					"conflict_of_interest", "relative", "prior_involvement", "other"),
				"detail": text("what the objection is; required when reason is other", "调解员与被申请人系表兄弟关系", false, 500),
			}),
		"Preferences": object("The mediators a party asks for (点单式): the team is matched again, honouring them where it can.",
			[]string{"mediator_ids"}, openapi3.Schemas{
				"mediator_ids": atLeastOne(id("", "med-ma", false), "mediators' IDs, as the menu (GET /v1/mediations/{id}/proposals) names them"),
			}),
		"JointSessionRequest": object("A request to take a village-tier case straight to the police station's joint table (三所联调) "+
			"without first failing at the village; the reason stays with the mediation.",
			[]string{"reason"}, openapi3.Schemas{
				"reason": text("why", "双方矛盾较深，需派出所、司法所和律师共同调解", true, 500),
			}),
		"SessionSchedule": object("The next session in the mediation's room; the last session must have its record first.",
			[]string{"starts_at"}, openapi3.Schemas{
				"starts_at":    dateTime("when the session starts"),
				"participants": arrayOf(id("", "med-ma", true), "mediators' IDs, each on the case's team (default: the whole team)"),
			}),
		"SessionRecordInput": object("A session's record (调解笔录): the focus, both sides' positions, the mediators' opinion and the result. "+
			"A failed session may move the case up a tier and convene the joint meeting.",
			[]string{"focus", "positions", "opinion", "result"}, openapi3.Schemas{
				"focus": text("the dispute focus (争议焦点)", "院墙越界 20 厘米", true, 500),
				"positions": atLeast(2, object("One side's position.", []string{"party", "position"}, openapi3.Schemas{
					"party":    id("applicant, respondent or another party's role", "applicant", true),
					"position": text("the applicant's and the respondent's may not be blank", "要求拆除越界部分", false, 2000),
				}), "each side's position: the applicant's and the respondent's at least"),
				"opinion": text("the mediators' opinion", "按宅基地证确定界址，越界部分限期拆除", true, 2000),
				"legal_opinion": object("A lawyer's legal opinion (法律意见书), from a lawyer who sat in the session; "+
					"required when a joint session reaches agreement.",
					[]string{"lawyer_id", "facts", "legal_basis", "advice"}, openapi3.Schemas{
						"lawyer_id":   id("a lawyer who sat in the session", "law-li", true),
						"facts":       text("the facts as found", "双方院墙相邻，被申请人新建院墙越过界址 20 厘米", true, 4000),
						"legal_basis": atLeastOne(id("", "《民法典》第二百八十八条", false), "statutes cited"),
						"analysis":    text("", "相邻权利人应当按照有利生产、方便生活、团结互助、公平合理的原则处理相邻关系", false, 4000),
						"advice":      text("", "建议被申请人拆除越界部分", true, 2000),
						"issued_at":   dateTime("default: when the record is filed"),
					}),
				"result":            oneOf("", "agreed", "agreed", "partial", "failed", "continue"),
				"agencies_involved": arrayOf(id("", "jo-bafang", false), "units that took part, added to the mediation's"),
			}),
		"JointMeetingCall": object("A person's call for the case's joint meeting (联席会议), without waiting for the policy's triggers; "+
			"a case has one.", []string{"reason"}, openapi3.Schemas{
			"reason":      text("why", "涉及宅基地确权，需住建、自然资源部门到场", true, 500),
			"departments": arrayOf(id("", "housing", false), "outside departments to call in (labour inspection, housing…), by ID"),
		}),
		"LegalAidRequest": object("A request for legal aid (法律援助) for a party, beside the mediation, which goes on; once per mediation.",
			[]string{"reason"}, openapi3.Schemas{
				"reason": text("why", "申请人经济困难，申请法律援助", true, 500),
			}),
		"JointMeetingDecisions": object("What the joint meeting decided, each with its owner and deadline; the meeting is then concluded.",
			[]string{"decisions"}, openapi3.Schemas{
				"decisions": atLeastOne(object("One decision.", []string{"decision", "owner", "due_by"}, openapi3.Schemas{
					"decision": text("", "住建部门出具界址意见", true, 500),
					"owner":    id("an agency or department ID", "housing", true),
					"due_by":   dateTime("by when"),
				}), ""),
			}),
		"PerformanceReport": object("Whether one obligation of the agreement was performed (履约); the first missed term reopens the case.",
			[]string{"term", "performed"}, openapi3.Schemas{
				"term":      minInteger("the obligation's number, from 1", 1),
				"performed": boolean("false: the term was missed"),
				"note":      text("", "被申请人已于 11 月 28 日拆除越界院墙", false, 500),
			}),
	}
}

func minInteger(description string, min float64) *openapi3.SchemaRef {
	s := integer(description)
	s.Value.Min = &min
	return s
}

// auditSchemas are the audit trail as pkg/audit serves it: its records
// (events.AuditRecorded, the links of the hash chains) and their check.
func auditSchemas() openapi3.Schemas {
	return openapi3.Schemas{
		"AuditRecord": object("One link of an audit hash chain: who read or changed which personal fields of a case, when, "+
			"from where and why; never the data itself. hash is the SHA-256 of the record with prev_hash.",
			[]string{"dispute_id", "county_code", "chain", "seq", "at", "actor", "action", "fields", "client", "purpose", "prev_hash", "hash"},
			openapi3.Schemas{
				"dispute_id":  str("the case", "d-01J8Z2"),
				"county_code": str("the case's county", "622901"),
				"chain":       str("the service's chain of the county's cases", "intake.622901.3"),
				"seq":         int64Of("1, 2, 3, … within the chain"),
				"at":          dateTime(""),
				"actor": object("Who: staff ID and unit, never a name.", []string{"county", "agency", "role"}, openapi3.Schemas{
					"county":  str("", "622901"),
					"agency":  str("", "pcs-bafang"),
					"role":    str("", "officer"),
					"officer": str("the staff ID", "A1024"),
				}),
				"action":    oneOf("read: shown unmasked; create: recorded first; change: changed", "read", "read", "create", "change"),
				"fields":    arrayOf(str("", "/parties"), "JSON pointers of the personal fields read or changed"),
				"client":    str("the client address the request came from", "10.0.3.17"),
				"purpose":   str("why, as stated (docs/security.md)", "mediation"),
				"prev_hash": str("hex; empty for the first link", ""),
				"hash":      str("hex", "9f2c…"),
			}),
		"AuditVerification": object("The caller's county's chains of the serving service, each checked from its first record to its head.",
			[]string{"intact", "records", "chains"}, openapi3.Schemas{
				"intact":  boolean("every chain verifies"),
				"records": int64Of("the records in all the chains"),
				"chains": arrayOf(object("One chain and its head.", []string{"chain", "seq", "hash"}, openapi3.Schemas{
					"chain":  str("", "intake.622901.3"),
					"seq":    int64Of("the head's position: the chain's length"),
					"hash":   str("the head's hash, hex; empty for an empty chain", ""),
					"broken": str("where the chain breaks; absent when it verifies", ""),
				}), ""),
			}),
	}
}

// readinessSchemas are GET /readyz's answers (httpserver.Server): ready,
// or which of the service's checks (the broker, the store) failed.
func readinessSchemas() openapi3.Schemas {
	return openapi3.Schemas{
		"Readiness": object("The service is ready: its broker and store answer.", []string{"status"}, openapi3.Schemas{
			"status": oneOf("", "ready", "ready"),
		}),
		"ReadinessProblem": object("The service is not ready: the checks that failed, by name, and why.",
			[]string{"status", "failing"}, openapi3.Schemas{
				"status":  oneOf("", "unavailable", "unavailable"),
				"failing": mapOf(str("the check's error", "dial tcp 127.0.0.1:9092: connection refused"), "by check: kafka, mongodb"),
			}),
	}
}

// disputeHistorySchemas are the parts of a Dispute that say how its risk
// and its rounds came about: risk reasons are plain strings; these are its
// reopenings and the repeat reports linked to it.
func disputeHistorySchemas() openapi3.Schemas {
	return openapi3.Schemas{
		"Reopening": object("A reopening: a revisit found the settled dispute came back, and the next round began.",
			[]string{"round", "reason", "caused_by", "at"}, openapi3.Schemas{
				"round":     integer("the round it opened"),
				"reason":    str("", "rebound found at revisit"),
				"note":      str("the revisit's own words; empty for a role that may not read the text", "双方再次因院墙发生争吵"),
				"caused_by": str("the revisit that found it", "d-01J8Z2.r1.v1"),
				"at":        dateTime(""),
			}),
		"RepeatReport": object("A later report of the same dispute, linked to it rather than recorded again.",
			[]string{"channel", "station", "matched_on", "at"}, openapi3.Schemas{
				"channel":      str("", "hotline_12345"),
				"external_ref": str("the channel's own reference", "12345-20261125-0107"),
				"station":      ref("Agency"),
				"matched_on":   arrayOf(oneOf("", "party", "party", "address", "external_ref"), "what it shares with the dispute"),
				"at":           dateTime(""),
			}),
	}
}
