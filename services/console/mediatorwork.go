package console

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
)

// The mediator's daily work beyond sessions and outcome: their queue of
// mediations, and every other act mediation-room offers on one —
// 三所联调 with a reason, the joint meeting and its decisions, legal aid
// beside the mediation, the agreement's text from the room's template and
// the performance of its obligations (履约).

// mediationQueue is the signed-in person's list of mediations: a mediator's
// own (mediation-room narrows it to them), anyone else's the county's.
type mediationQueue struct {
	queuePage[mediation]
	State string
}

// mediationStates are the states the queue filters by, as mediation-room
// names them; "open" is the work still to do.
var mediationStates = []choice{{"open", "调解中"}, {"resolved", "调解成功"}, {"failed", "调解未成"}, {"referred", "已移交"}}

// myMediations lists the mediations in a state, the most recently opened
// first as mediation-room orders them.
func (s *Console) myMediations(c echo.Context) error {
	u := currentUser(c)
	state := c.QueryParam("state")
	if choiceName(mediationStates, state) == state {
		state = "open"
	}
	params := &fengqiaoapi.ListMediationsParams{State: &state, Limit: new(queueLimit), Cursor: optional(c.QueryParam("cursor"))}
	var out mediationQueue
	answer, err := typed(s.api.mediationRoom.ListMediationsWithResponse(c.Request().Context(), params, as(u.Token)))
	out.NextCursor, out.Total, out.Items = answer.NextCursor, deref(answer.Total), mediationsOf(answer.Items)
	if unavailable(err) {
		out.Unavailable, err = true, nil
	}
	if err != nil {
		return err
	}
	out.State = state
	title := "调解案件"
	if u.Role == "mediator" {
		title = "我的调解"
	}
	return s.render(c, http.StatusOK, "mediations", page{Title: title, Data: out})
}

// unavailable reports a service without the list route yet (404 or 405).
func unavailable(err error) bool {
	var ae *apiError
	return asAPIError(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed)
}

// Forms of the acts, as typed when refused.
type (
	reasonForm  struct{ Reason string }
	conveneForm struct{ Reason, Departments string }
	decisionRow struct {
		Index                  int
		Decision, Owner, DueBy string
	}
	obligationRow struct {
		Index                                          int
		Obligor, Duty, Amount, Manner, Place, Deadline string
	}
	performanceForm struct{ Term, Performed, Note string }
)

// decisionRows and obligationRows are how many rows the forms offer.
const (
	decisionRows   = 3
	obligationRows = 2
)

func emptyDecisions() []decisionRow {
	rows := make([]decisionRow, decisionRows)
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

func emptyObligations() []obligationRow {
	rows := make([]obligationRow, obligationRows)
	for i := range rows {
		rows[i] = obligationRow{Index: i, Obligor: "respondent"}
	}
	return rows
}

// The acts' field errors in Chinese, by mediation-room's pointers.
var (
	reasonMessages   = map[string]string{"#/reason": "请写明原因"}
	decisionMessages = map[string]string{"#/decisions": "请至少记录一项决定"}
	performanceMsgs  = map[string]string{"#/performed": "请选择是否已履行", "#/term": "协议中没有该履行事项"}
)

// rowMessages are the Chinese of a row's field errors (decisions,
// obligations), by the pointer's last segment.
var rowMessages = map[string]string{
	"decision": "请写明决定事项", "owner": "请选择责任单位", "due_by": "请填写完成时限",
	"obligor": "请选择履行人", "duty": "请写明履行事项", "amount_fen": "金额不能为负数", "manner": "请写明履行方式",
	"place": "请写明履行地点", "deadline": "请填写履行期限",
}

// rowFieldErrors keys a refusal's field errors like fieldErrors, naming a
// row's field in Chinese by its last segment ("#/decisions/1/owner").
func rowFieldErrors(ae *apiError, form string, messages map[string]string) map[string]string {
	out := fieldErrors(ae, form, messages)
	for _, fe := range ae.Errors {
		i := strings.LastIndex(fe.Pointer, "/")
		if msg, ok := rowMessages[fe.Pointer[i+1:]]; ok && i > 0 {
			out[form+":"+fe.Pointer] = msg
		}
	}
	return out
}

func (s *Console) toJointSession(c echo.Context) error {
	f := reasonForm{Reason: trimmed(c, "reason")}
	return s.actOnMediation(c, "/joint-session", map[string]string{"reason": f.Reason}, "joint", reasonMessages, "joint",
		func(p *mediationPage) { p.Joint = f })
}

func (s *Console) requestLegalAid(c echo.Context) error {
	f := reasonForm{Reason: trimmed(c, "reason")}
	return s.actOnMediation(c, "/legal-aid", map[string]string{"reason": f.Reason}, "legalaid", reasonMessages, "legalaid",
		func(p *mediationPage) { p.LegalAid = f })
}

func (s *Console) conveneMeeting(c echo.Context) error {
	f := conveneForm{Reason: trimmed(c, "reason"), Departments: trimmed(c, "departments")}
	body := map[string]any{"reason": f.Reason, "departments": lines(f.Departments)}
	return s.actOnMediation(c, "/joint-meeting", body, "convene", reasonMessages, "convened", func(p *mediationPage) { p.Convene = f })
}

// concludeMeeting sends the meeting's decisions; an empty row is no
// decision, a due date is the end of that day in Beijing.
func (s *Console) concludeMeeting(c echo.Context) error {
	rows := emptyDecisions()
	var decisions []map[string]any
	for i := range rows {
		r := &rows[i]
		at := "decision" + strconv.Itoa(i) + "_"
		r.Decision, r.Owner, r.DueBy = trimmed(c, at+"text"), c.FormValue(at+"owner"), c.FormValue(at+"due")
		if r.Decision == "" && r.DueBy == "" {
			continue
		}
		d := map[string]any{"decision": r.Decision, "owner": r.Owner}
		if due, ok := endOfDay(r.DueBy); ok {
			d["due_by"] = due
		}
		decisions = append(decisions, d)
	}
	body := map[string]any{"decisions": decisions}
	return s.actOnMediationRows(c, "/joint-meeting/decisions", body, "decisions", decisionMessages, "concluded",
		func(p *mediationPage) { p.Decisions = rows })
}

func (s *Console) recordPerformance(c echo.Context) error {
	f := performanceForm{Term: c.FormValue("term"), Performed: c.FormValue("performed"), Note: trimmed(c, "note")}
	body := map[string]any{"note": f.Note}
	if term, err := strconv.Atoi(f.Term); err == nil {
		body["term"] = term
	}
	if f.Performed == "yes" || f.Performed == "no" {
		body["performed"] = f.Performed == "yes"
	}
	return s.actOnMediation(c, "/performance", body, "performance", performanceMsgs, "performed",
		func(p *mediationPage) { p.Performance = f })
}

// endOfDay is a date typed in Beijing as the last minute of that day, in
// UTC: a deadline "by the 10th" includes the 10th.
func endOfDay(date string) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", date, shanghai)
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(24*time.Hour - time.Minute).UTC(), true
}

// yuanToFen reads an amount in yuan ("1200", "1200.50") as fen. ok is
// false when it is not a number: the console refuses it itself, since
// sending none would read as no money owed.
func yuanToFen(yuan string) (int64, bool) {
	if yuan == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(yuan, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return 0, false
	}
	return int64(math.Round(v * 100)), true
}

// agreementBody is the outcome's agreement: the free-text terms, the
// performable obligations and, when there are obligations, the parties'
// signatures as the mediator ticks them (mediation-room requires both
// sides' for an obligation to be held against anyone). Its error is
// worded for the person, who sees it next to the obligations.
func agreementBody(f outcomeForm, now time.Time) (map[string]any, error) {
	a := map[string]any{"summary": f.Summary, "terms": lines(f.Terms)}
	var obligations []map[string]any
	for _, o := range f.Obligations {
		if o.Duty == "" && o.Amount == "" && o.Manner == "" && o.Place == "" && o.Deadline == "" {
			continue
		}
		fen, ok := yuanToFen(o.Amount)
		if !ok {
			return nil, fmt.Errorf("履行事项 %d 的金额不是数字", o.Index+1)
		}
		ob := map[string]any{"obligor": o.Obligor, "duty": o.Duty, "amount_fen": fen, "manner": o.Manner, "place": o.Place}
		if due, ok := endOfDay(o.Deadline); ok {
			ob["deadline"] = due
		}
		obligations = append(obligations, ob)
	}
	if len(obligations) > 0 {
		a["obligations"] = obligations
		var signatures []map[string]any
		for _, signer := range f.Signed {
			signatures = append(signatures, map[string]any{"signer": signer, "signed_at": now.UTC()})
		}
		a["signatures"] = signatures
	}
	return a, nil
}

// actOnMediationRows is actOnMediation for a form of rows, whose fields'
// errors name the row.
func (s *Console) actOnMediationRows(c echo.Context, path string, body any, form string, messages map[string]string, done string, keep func(*mediationPage)) error {
	return s.actOnMediationWith(c, path, body, form, done, keep, func(ae *apiError) map[string]string {
		return rowFieldErrors(ae, form, messages)
	})
}

// agreementText is the agreement as mediation-room renders it from its
// template, read for the mediation (the read is recorded); empty when the
// person may not read it.
func (s *Console) agreementText(c echo.Context, id string) string {
	u := currentUser(c)
	r, err := s.api.mediationRoom.GetAgreementTextWithResponse(c.Request().Context(), id, as(u.Token, purposeHeader, mediationPurpose))
	if err := check(r, err); err != nil {
		s.log.WarnContext(c.Request().Context(), "cannot read a mediation's agreement text", "err", err)
		return ""
	}
	return string(r.Body) // the text mediation-room rendered from its template
}
