package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
)

// mediation is mediation-room's GET /v1/mediations/:id, as far as the
// mediator's page shows it.
type mediation struct {
	ID, DisputeID, CaseCode       string
	Round, Tier                   int
	Category, RiskLevel, Township string
	Jurisdiction, Station, Room   agencyRef
	Status                        string
	OpenedAt                      time.Time
	Team                          []teamSeat
	TeamGaps                      []string
	Sessions                      []mediationSession
	ClosedAt                      *time.Time
	Agreement                     *publishedAgreement
	FailReason                    string
	// Settlement says whether there is an agreement to read: the page
	// shows its text as mediation-room renders it from its template.
	// Performance tracks its obligations.
	Settlement   *struct{ Summary string }
	Performance  *struct{ Terms []termPerformance }
	Breached     bool
	Escalations  []escalation
	JointMeeting *jointMeeting
	HandedOff    []handOff
}

type publishedAgreement struct {
	TermCount int
	AmountFen int64
}

type handOff struct {
	Route  string
	To     agencyRef
	Reason string
}

type termPerformance struct {
	Term       int
	DueBy      time.Time
	Status     string
	RecordedAt *time.Time
	Note       string
}

type escalation struct {
	FromTier, ToTier int
	Trigger, Reason  string
	At               time.Time
}

type jointMeeting struct {
	Triggers    []string
	Reason      string
	Agencies    []string
	Departments []string
	ConvenedAt  time.Time
	ConcludedAt *time.Time
	Decisions   []decision
}

type decision struct {
	Decision, Owner string
	DueBy           time.Time
}

// Owners are whom a meeting's decisions may fall to: its agencies and
// departments.
func (j jointMeeting) Owners() []string {
	return append(append([]string{}, j.Agencies...), j.Departments...)
}

type teamSeat struct{ Seat, MediatorID, Role, Agency string }

// mediationSession is one session of a mediation.
type mediationSession struct {
	No, Tier     int
	Room         agencyRef
	StartsAt     time.Time
	Participants []teamSeat
	Joint        bool
	Record       *sessionRecord
}

type sessionRecord struct {
	Focus        string
	Positions    []struct{ Party, Position string }
	Opinion      string
	LegalOpinion *legalOpinion
	Result       string
	RecordedAt   time.Time
}

type legalOpinion struct {
	LawyerID, Facts  string
	LegalBasis       []string
	Analysis, Advice string
}

// proposals is mediation-room's menu of mediators by seat (点单式).
type proposals struct {
	Tier  int
	Seats map[string][]proposal
}

type proposal struct {
	MediatorID, Agency, Role string
	Score, Load              int
}

func seatsOf(in []fengqiaoapi.TeamMember) []teamSeat {
	var out []teamSeat
	for _, m := range in {
		out = append(out, teamSeat{Seat: m.Seat, MediatorID: m.MediatorId, Role: m.Role, Agency: m.Agency})
	}
	return out
}

func sessionOf(in fengqiaoapi.Session) mediationSession {
	out := mediationSession{No: in.No, Tier: in.Tier, Room: agencyOf(in.Room), StartsAt: in.StartsAt,
		Participants: seatsOf(in.Participants), Joint: in.Joint}
	if r := in.Record; r != nil {
		rec := sessionRecord{Focus: r.Focus, Opinion: r.Opinion, Result: r.Result, RecordedAt: r.RecordedAt}
		for _, p := range r.Positions {
			rec.Positions = append(rec.Positions, struct{ Party, Position string }{p.Party, p.Position})
		}
		if l := r.LegalOpinion; l != nil {
			rec.LegalOpinion = &legalOpinion{LawyerID: l.LawyerId, Facts: l.Facts, LegalBasis: l.LegalBasis, Analysis: l.Analysis, Advice: l.Advice}
		}
		out.Record = &rec
	}
	return out
}

func mediationOf(m fengqiaoapi.Mediation) mediation {
	out := mediation{ID: m.Id, DisputeID: m.DisputeId, CaseCode: m.CaseCode, Round: m.Round, Tier: m.Tier,
		Category: m.Category, RiskLevel: m.RiskLevel, Township: deref(m.Township), Jurisdiction: agencyOf(m.Jurisdiction),
		Station: agencyOf(m.Station), Room: agencyOf(m.Room), Status: m.Status, OpenedAt: m.OpenedAt,
		Team: seatsOf(deref(m.Team)), TeamGaps: deref(m.TeamGaps), ClosedAt: m.ClosedAt, FailReason: deref(m.FailReason),
		Breached: deref(m.Breached)}
	for _, s := range deref(m.Sessions) {
		out.Sessions = append(out.Sessions, sessionOf(s))
	}
	if a := m.Agreement; a != nil {
		out.Agreement = &publishedAgreement{TermCount: a.TermCount, AmountFen: deref(a.AmountFen)}
	}
	if st := m.Settlement; st != nil {
		out.Settlement = &struct{ Summary string }{st.Summary}
	}
	if p := m.Performance; p != nil {
		out.Performance = &struct{ Terms []termPerformance }{}
		for _, t := range p.Terms {
			out.Performance.Terms = append(out.Performance.Terms, termPerformance{Term: t.Term, DueBy: t.DueBy,
				Status: t.Status, RecordedAt: t.RecordedAt, Note: deref(t.Note)})
		}
	}
	for _, e := range deref(m.Escalations) {
		out.Escalations = append(out.Escalations, escalation{FromTier: e.FromTier, ToTier: e.ToTier, Trigger: e.Trigger, Reason: e.Reason, At: e.At})
	}
	if j := m.JointMeeting; j != nil {
		jm := &jointMeeting{Triggers: j.Triggers, Reason: deref(j.Reason), Agencies: j.Agencies, Departments: deref(j.Departments),
			ConvenedAt: j.ConvenedAt, ConcludedAt: j.ConcludedAt}
		for _, d := range deref(j.Decisions) {
			jm.Decisions = append(jm.Decisions, decision{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy})
		}
		out.JointMeeting = jm
	}
	for _, h := range deref(m.HandedOff) {
		out.HandedOff = append(out.HandedOff, handOff{Route: h.Route, To: agencyOf(h.To), Reason: h.Reason})
	}
	return out
}

func mediationsOf(ms []fengqiaoapi.Mediation) []mediation {
	var out []mediation
	for _, m := range ms {
		out = append(out, mediationOf(m))
	}
	return out
}

func proposalsOf(p fengqiaoapi.Proposals) proposals {
	out := proposals{Tier: p.Tier, Seats: map[string][]proposal{}}
	for seat, candidates := range p.Seats {
		for _, c := range candidates {
			out.Seats[seat] = append(out.Seats[seat], proposal{MediatorID: c.MediatorId, Agency: c.Agency, Role: c.Role, Score: c.Score, Load: c.Load})
		}
	}
	return out
}

// mediationPage is a mediation with the forms of its next steps, as typed
// when a form was refused.
type mediationPage struct {
	Mediation mediation
	Proposals proposals
	CanAct    bool
	// MayWork: the role works on mediations, open or settled (履约 is
	// recorded after the outcome).
	MayWork bool
	// Purposed: the person asked to read the session records for the
	// mediation, a read mediation-room records in its audit trail
	// (docs/privacy.md); without it the records' text is withheld.
	Purposed bool
	// Pending is the scheduled session still without its record: the next
	// session waits for it.
	Pending  *mediationSession
	Schedule scheduleForm
	Record   recordForm
	Outcome  outcomeForm
	// The other acts' forms (mediatorwork.go).
	Joint, LegalAid reasonForm
	Convene         conveneForm
	Decisions       []decisionRow
	Performance     performanceForm
	// AgreementText is the agreement rendered from mediation-room's
	// template, read with the records for the mediation.
	AgreementText string
}

// CanJoint: a case at the village tier may move to the station's 三所联调
// table; one at a joint table already has nowhere to go.
func (p mediationPage) CanJoint() bool { return p.CanAct && p.Mediation.Tier > 2 }

// CanConvene: a case has one joint meeting.
func (p mediationPage) CanConvene() bool { return p.CanAct && p.Mediation.JointMeeting == nil }

// CanConclude: the convened meeting's decisions are still to record.
func (p mediationPage) CanConclude() bool {
	return p.CanAct && p.Mediation.JointMeeting != nil && p.Mediation.JointMeeting.ConcludedAt == nil
}

// CanAskLegalAid: legal aid is asked once a mediation.
func (p mediationPage) CanAskLegalAid() bool {
	if !p.CanAct {
		return false
	}
	for _, h := range p.Mediation.HandedOff {
		if h.Route == "legal_aid" {
			return false
		}
	}
	return true
}

// PendingTerms are the obligations whose performance is still to record,
// for a resolved mediation (a missed one reopens the case).
func (p mediationPage) PendingTerms() []termPerformance {
	if p.Mediation.Status != "resolved" || p.Mediation.Performance == nil || !p.MayWork {
		return nil
	}
	var out []termPerformance
	for _, t := range p.Mediation.Performance.Terms {
		if t.Status == "pending" {
			out = append(out, t)
		}
	}
	return out
}

type scheduleForm struct{ StartsAt string }

type recordForm struct {
	Focus, Applicant, Respondent, Opinion, Result string
	LawyerID, Facts, LegalBasis, Analysis, Advice string
}

type outcomeForm struct {
	Result, Reason, Summary, Terms string
	JudicialConfirmation, Fight    bool
	RefusedBy                      []string
	Obligations                    []obligationRow
	// Signed are the parties who signed the agreement.
	Signed []string
}

// HasSigned reports whether the form names role as having signed.
func (f outcomeForm) HasSigned(role string) bool {
	for _, r := range f.Signed {
		if r == role {
			return true
		}
	}
	return false
}

// Refuses reports whether the form names a party as refusing mediation.
func (f outcomeForm) Refuses(role string) bool {
	for _, r := range f.RefusedBy {
		if r == role {
			return true
		}
	}
	return false
}

// The forms' field errors in Chinese, by the services' pointers; a field
// without one shows the service's own words.
var (
	scheduleMessages = map[string]string{"#/starts_at": "请填写调解时间", "#/participants": "参加人员须是调解小组成员"}
	recordMessages   = map[string]string{
		"#/focus": "请填写争议焦点", "#/positions": "请填写申请人和被申请人的意见", "#/opinion": "请填写调解员意见",
		"#/result": "请选择本次调解结果", "#/legal_opinion": "联合调解达成协议的，须附律师法律意见书",
		"#/legal_opinion/lawyer_id": "须为参加本次调解的律师", "#/legal_opinion/facts": "请填写查明的事实",
		"#/legal_opinion/legal_basis": "请至少写一条法律依据", "#/legal_opinion/advice": "请填写律师意见",
	}
	outcomeMessages = map[string]string{
		"#/result": "请选择调解结果", "#/reason": "请写明原因", "#/agreement/summary": "请填写协议摘要",
		"#/agreement/terms":      "请至少填写一条协议条款，每行一条",
		"#/agreement/signatures": "有履行义务的协议须有申请人和被申请人签名",
		"#/refused_by":           "治安处罚程序仅用于打架斗殴且当事人拒绝调解：请勾选打架斗殴并选择拒绝调解的一方",
	}
)

// The header a person's purpose for reading personal text is stated in,
// and the purpose of preparing or holding a session (pkg/audit's).
const (
	purposeHeader    = "Fengqiao-Purpose"
	mediationPurpose = "mediation"
)

// mediationWorkRoles may act on a mediation (mediation-room checks again).
var mediationWorkRoles = map[string]bool{"mediator": true, "jurisdiction": true, "officer": true}

func (s *Console) loadMediation(c echo.Context) (mediationPage, error) {
	u := currentUser(c)
	ctx, id := c.Request().Context(), c.Param("id")
	p := mediationPage{Purposed: c.QueryParam("purpose") == mediationPurpose}
	auth := as(u.Token)
	if p.Purposed {
		auth = as(u.Token, purposeHeader, mediationPurpose)
	}
	m, err := typed(s.api.mediationRoom.GetMediationWithResponse(ctx, id, auth))
	if err != nil {
		return p, err
	}
	p.Mediation = mediationOf(m)
	if p.Mediation.Status == "open" {
		// The menu is advice: the page works without it.
		menu, err := typed(s.api.mediationRoom.ListProposalsWithResponse(ctx, id, as(u.Token)))
		p.Proposals = proposalsOf(menu)
		if err != nil {
			s.log.WarnContext(ctx, "cannot read a mediation's proposals", "err", err)
		}
	}
	p.MayWork = mediationWorkRoles[string(u.Role)]
	p.CanAct = p.Mediation.Status == "open" && p.MayWork
	if p.Purposed && p.Mediation.Settlement != nil {
		p.AgreementText = s.agreementText(c, p.Mediation.ID)
	}
	p.Decisions = emptyDecisions()
	if n := len(p.Mediation.Sessions); n > 0 && p.Mediation.Sessions[n-1].Record == nil {
		p.Pending = &p.Mediation.Sessions[n-1]
	}
	p.Outcome.Result = "resolved"
	p.Outcome.Obligations = emptyObligations()
	return p, nil
}

func (s *Console) showMediation(c echo.Context) error {
	p, err := s.loadMediation(c)
	if err != nil {
		return err
	}
	flash := map[string]string{"scheduled": "已安排调解。", "recorded": "调解笔录已保存。", "closed": "调解结果已登记。",
		"joint": "已转三所联调。", "legalaid": "已申请法律援助。", "convened": "已提请召开联席会议。", "concluded": "联席会议决定已记录。",
		"performed": "履约情况已登记。"}[c.QueryParam("msg")]
	return s.render(c, http.StatusOK, "mediation", page{Title: "调解 " + p.Mediation.CaseCode, Data: p, Flash: flash})
}

func (s *Console) scheduleSession(c echo.Context) error {
	f := scheduleForm{StartsAt: strings.TrimSpace(c.FormValue("starts_at"))}
	body := map[string]any{}
	if at, err := time.ParseInLocation("2006-01-02T15:04", f.StartsAt, shanghai); err == nil {
		body["starts_at"] = at.UTC()
	}
	return s.actOnMediation(c, "/sessions", body, "schedule", scheduleMessages, "scheduled", func(p *mediationPage) { p.Schedule = f })
}

func (s *Console) recordSession(c echo.Context) error {
	f := recordForm{
		Focus: trimmed(c, "focus"), Applicant: trimmed(c, "applicant"), Respondent: trimmed(c, "respondent"),
		Opinion: trimmed(c, "opinion"), Result: c.FormValue("result"),
		LawyerID: trimmed(c, "lawyer_id"), Facts: trimmed(c, "facts"), LegalBasis: trimmed(c, "legal_basis"), Analysis: trimmed(c, "analysis"), Advice: trimmed(c, "advice"),
	}
	body := map[string]any{"focus": f.Focus, "opinion": f.Opinion, "result": f.Result, "positions": []map[string]string{
		{"party": "applicant", "position": f.Applicant}, {"party": "respondent", "position": f.Respondent}}}
	if f.LawyerID != "" || f.Facts != "" || f.LegalBasis != "" || f.Analysis != "" || f.Advice != "" {
		body["legal_opinion"] = map[string]any{"lawyer_id": f.LawyerID, "facts": f.Facts, "legal_basis": lines(f.LegalBasis),
			"analysis": f.Analysis, "advice": f.Advice}
	}
	no, err := strconv.Atoi(c.Param("no"))
	if err != nil || no < 1 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	return s.actOnMediation(c, "/sessions/"+strconv.Itoa(no)+"/record", body, "record", recordMessages, "recorded", func(p *mediationPage) { p.Record = f })
}

func (s *Console) recordOutcome(c echo.Context) error {
	_ = c.Request().ParseForm()
	f := outcomeForm{
		Result: c.FormValue("result"), Reason: trimmed(c, "reason"), Summary: trimmed(c, "summary"), Terms: trimmed(c, "terms"),
		JudicialConfirmation: c.FormValue("judicial_confirmation") == "on", Fight: c.FormValue("fight") == "on",
		RefusedBy: c.Request().Form["refused_by"],
	}
	f.Obligations, f.Signed = emptyObligations(), c.Request().Form["signed"]
	for i := range f.Obligations {
		o := &f.Obligations[i]
		at := "obligation" + strconv.Itoa(i) + "_"
		o.Obligor, o.Duty, o.Amount = c.FormValue(at+"obligor"), trimmed(c, at+"duty"), trimmed(c, at+"amount")
		o.Manner, o.Place, o.Deadline = trimmed(c, at+"manner"), trimmed(c, at+"place"), c.FormValue(at+"deadline")
	}
	body := map[string]any{"result": f.Result, "reason": f.Reason, "judicial_confirmation": f.JudicialConfirmation,
		"fight": f.Fight, "refused_by": f.RefusedBy}
	if f.Result == "resolved" {
		a, err := agreementBody(f, s.now())
		if err != nil {
			return s.refuseOutcome(c, f, err.Error())
		}
		body["agreement"] = a
	}
	return s.actOnMediationRows(c, "/outcome", body, "outcome", outcomeMessages, "closed", func(p *mediationPage) { p.Outcome = f })
}

// actOnMediation posts one of the mediator's acts; a refusal shows the
// page again with the form as typed and each field's error next to it.
func (s *Console) actOnMediation(c echo.Context, path string, body any, form string, messages map[string]string, done string, keep func(*mediationPage)) error {
	return s.actOnMediationWith(c, path, body, form, done, keep, func(ae *apiError) map[string]string {
		return fieldErrors(ae, form, messages)
	})
}

// refuseOutcome shows the outcome form again with a mistake the console
// finds before sending (an amount that is not a number).
func (s *Console) refuseOutcome(c echo.Context, f outcomeForm, msg string) error {
	p, err := s.loadMediation(c)
	if err != nil {
		return err
	}
	p.Outcome = f
	return s.render(c, http.StatusBadRequest, "mediation", page{Title: "调解 " + p.Mediation.CaseCode, Data: p,
		Error: msg, Errors: map[string]string{"outcome:#/agreement/obligations": msg}})
}

func (s *Console) actOnMediationWith(c echo.Context, path string, body any, form, done string, keep func(*mediationPage), errorsOf func(*apiError) map[string]string) error {
	u := currentUser(c)
	id := url.PathEscape(c.Param("id"))
	err := s.api.postMediation(c.Request().Context(), u.Token, c.Param("id"), path, body)
	var ae *apiError
	if asAPIError(err, &ae) && ae.Status != http.StatusNotFound {
		p, lerr := s.loadMediation(c)
		if lerr != nil {
			return lerr
		}
		keep(&p)
		return s.render(c, refusedStatus(ae), "mediation", page{Title: "调解 " + p.Mediation.CaseCode, Data: p,
			Error: refusalMessage(ae), Errors: errorsOf(ae)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/mediations/"+id+"?msg="+done)
}

// fieldErrors keys a refusal's field errors by the form they belong to
// ("record:#/result"), since two forms of one page may share a pointer;
// an item of a list (a term) is shown at the list's field.
func fieldErrors(ae *apiError, form string, messages map[string]string) map[string]string {
	out := map[string]string{}
	for _, fe := range ae.Errors {
		ptr := fe.Pointer
		if i := strings.LastIndex(ptr, "/"); i > 0 {
			if _, err := strconv.Atoi(ptr[i+1:]); err == nil {
				ptr = ptr[:i]
			}
		}
		msg, ok := messages[ptr]
		if !ok {
			msg = fe.Detail
		}
		if _, seen := out[form+":"+ptr]; !seen {
			out[form+":"+ptr] = msg
		}
	}
	return out
}

// refusedStatus is the page's status for a service's refusal.
func refusedStatus(ae *apiError) int {
	if ae.Status == http.StatusUnprocessableEntity {
		return http.StatusBadRequest
	}
	return ae.Status
}

func refusalMessage(ae *apiError) string {
	switch ae.Status {
	case http.StatusForbidden:
		return "您的岗位无权进行此操作。"
	case http.StatusConflict:
		return "当前状态下不能进行此操作（可能已有人办理，或上一次调解尚未记录）。"
	}
	return "提交未成功，请按提示修改。"
}

func trimmed(c echo.Context, name string) string { return strings.TrimSpace(c.FormValue(name)) }

// lines splits a textarea into its non-empty lines: one term, one legal
// basis a line.
func lines(text string) []string {
	out := []string{}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
