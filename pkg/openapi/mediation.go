package openapi

import "github.com/getkin/kin-openapi/openapi3"

// mediationSchemas are a mediation's parts as mediation-room writes them:
// its team, sessions and their records, escalations, joint meeting,
// agreement and its performance, and the menu of mediators (点单式).
// Text a role may not read comes back as a placeholder, not left out.
func mediationSchemas() openapi3.Schemas {
	member := object("A mediator seated on a mediation, by seat.", []string{"seat", "mediator_id", "role", "agency"}, openapi3.Schemas{
		"seat":        str("", "lead"),
		"mediator_id": str("", "med-ma"),
		"role":        str("", "people_mediator"),
		"agency":      str("the unit the mediator belongs to", "jo-bafang"),
		"reasons":     arrayOf(str("", "熟悉邻里纠纷"), "why the mediator was chosen"),
	})
	record := object("What a session found and decided.", []string{"focus", "positions", "opinion", "result", "recorded_at"}, openapi3.Schemas{
		"focus": str("the dispute focus (争议焦点)", "院墙越界 20 厘米"),
		"positions": arrayOf(object("", []string{"party", "position"}, openapi3.Schemas{
			"party":    str("applicant or respondent", "applicant"),
			"position": str("", "要求拆除越界部分"),
		}), "each side's position"),
		"opinion": str("the mediators' opinion", "按宅基地证确定界址"),
		"legal_opinion": object("A lawyer's legal opinion (三所联调).", []string{"lawyer_id", "facts", "legal_basis", "analysis", "advice", "issued_at"}, openapi3.Schemas{
			"lawyer_id":   str("", "law-li"),
			"facts":       str("", "双方院墙相邻"),
			"legal_basis": arrayOf(str("", "《民法典》第二百八十八条"), "statutes cited"),
			"analysis":    str("", ""),
			"advice":      str("", ""),
			"issued_at":   dateTime(""),
		}),
		"result":            str("agreed, partial, failed or continue", "agreed"),
		"agencies_involved": arrayOf(str("", "jo-bafang"), ""),
		"recorded_by":       str("", "med-ma"),
		"recorded_at":       dateTime(""),
	})
	session := object("A session, scheduled or recorded.", []string{"no", "tier", "room", "starts_at", "participants", "joint", "scheduled_at"}, openapi3.Schemas{
		"no":           integer("from 1"),
		"tier":         integer("the tier it was held at"),
		"room":         ref("Agency"),
		"starts_at":    dateTime(""),
		"participants": arrayOf(ref("TeamMember"), ""),
		"joint":        boolean("a joint session (三所联调): police, judicial office, lawyer"),
		"scheduled_at": dateTime(""),
		"record":       ref("SessionRecord"),
	})
	return openapi3.Schemas{
		"TeamMember":    member,
		"SessionRecord": record,
		"Session":       session,
		"Escalation": object("A move to another tier.", []string{"from_tier", "to_tier", "trigger", "reason", "at"}, openapi3.Schemas{
			"from_tier": integer(""),
			"to_tier":   integer(""),
			"trigger":   str("", "failed_sessions"),
			"reason":    str("", "两次调解未成"),
			"at":        dateTime(""),
		}),
		"JointMeeting": object("A joint meeting (联席会议) convened on the case.", []string{"id", "triggers", "agencies", "convened_at"}, openapi3.Schemas{
			"id":          str("", "jm-1"),
			"triggers":    arrayOf(str("", "high_risk"), "why it was convened"),
			"reason":      str("", ""),
			"agencies":    arrayOf(str("", "jo-bafang"), "the units convened"),
			"departments": arrayOf(str("", "housing"), "outside departments convened"),
			"convened_at": dateTime(""),
			"decisions": arrayOf(object("", []string{"decision", "owner", "due_by"}, openapi3.Schemas{
				"decision": str("", "住建部门出具界址意见"),
				"owner":    str("an agency or department ID", "housing"),
				"due_by":   dateTime(""),
			}), ""),
			"concluded_at": dateTime(""),
		}),
		"Settlement": object("The agreement signed (调解协议), as the mediation keeps it.", []string{"summary"}, openapi3.Schemas{
			"summary": str("", "院墙后退 20 厘米"),
			"terms":   arrayOf(str("", "12 月 1 日前拆除越界部分"), ""),
			"obligations": arrayOf(object("One performable obligation.", []string{"obligor", "duty", "manner", "place", "deadline"}, openapi3.Schemas{
				"obligor":    str("applicant or respondent", "respondent"),
				"duty":       str("", "拆除越界院墙"),
				"amount_fen": int64Of("money, in fen"),
				"manner":     str("", "一次性支付"),
				"place":      str("", "八坊司法所"),
				"deadline":   dateTime(""),
			}), ""),
			"signatures": arrayOf(object("", []string{"signer", "signed_at"}, openapi3.Schemas{
				"signer":    str("applicant, respondent, third_party or mediator", "applicant"),
				"signed_at": dateTime(""),
			}), ""),
			"text": str("rendered at signing", ""),
		}),
		"TermPerformance": object("How one obligation is being performed.", []string{"term", "due_by", "status"}, openapi3.Schemas{
			"term":        integer("the obligation's number, from 1"),
			"due_by":      dateTime(""),
			"status":      str("pending, performed or missed", "pending"),
			"recorded_at": dateTime(""),
			"note":        str("", ""),
		}),
		"HandOff": object("Where the case went when mediation ended another way.", []string{"route", "counts_as", "to", "reason"}, openapi3.Schemas{
			"route":     str("litigation, legal_aid, punishment_procedure or judicial_confirmation", "litigation"),
			"counts_as": str("resolved, failed or not_mediated", "failed"),
			"to":        ref("Agency"),
			"reason":    str("", ""),
		}),
		"Proposals": object("The mediators a mediation could have, by seat, ranked (点单式).", []string{"tier", "seats"}, openapi3.Schemas{
			"tier":  integer(""),
			"seats": mapOf(orNull("the seat's candidates (Proposal), best first", "[]Proposal"), "by seat"),
		}),
		"Roster": object("The county's mediation rooms and mediators (the default roster until its policy names them), and who is on duty now.",
			[]string{"county", "from_policy", "rooms", "members", "on_duty_now"}, openapi3.Schemas{
				"county":      str("", "622901"),
				"from_policy": boolean("false: the default roster"),
				"rooms":       orNull("its rooms (RosterRoom); null in the default roster, which has none", "[]RosterRoom"),
				"members": arrayOf(object("A mediator, by a pseudonymous ID.", []string{"id", "agency", "role", "tier", "capacity", "on_call"}, openapi3.Schemas{
					"id":       str("", "med-ma"),
					"agency":   str("", "jo-bafang"),
					"township": str("where the agency serves; none county-wide", "bafang"),
					"role":     str("", "people_mediator"),
					"tier":     integer(""),
					"capacity": integer("open mediations the mediator may hold"),
					"on_call":  boolean(""),
					"room":     str("", "room-bafang"),
				}), ""),
				"on_duty_now": arrayOf(str("", "med-ma"), "the members on shift at this moment"),
			}),
		"RosterRoom": object("A mediation room.", []string{"id", "agency", "kind", "tier"}, openapi3.Schemas{
			"id":             str("", "room-bafang"),
			"name":           str("", "八坊派出所三所联调室"),
			"agency":         str("the unit hosting it", "pcs-bafang"),
			"kind":           str("", "joint"),
			"tier":           integer("1 street centre, 2 police station, 3 village"),
			"township":       str("", "bafang"),
			"joint_agencies": arrayOf(str("", "jo-bafang"), "the units sitting with the host (三所联调)"),
		}),
		"Proposal": object("A candidate mediator for a seat.", []string{"mediator_id", "agency", "role", "score", "load"}, openapi3.Schemas{
			"mediator_id": str("", "med-ma"),
			"agency":      str("", "jo-bafang"),
			"role":        str("", "people_mediator"),
			"score":       integer("higher is a better match"),
			"load":        integer("the mediator's open mediations"),
		}),
	}
}
