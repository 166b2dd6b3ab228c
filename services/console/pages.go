package console

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
)

// page is what every template is given.
type page struct {
	Title  string
	User   *user
	Names  *names
	Flash  string
	Error  string
	Errors map[string]string // field errors by the services' JSON pointers
	Now    time.Time
	Data   any
}

// Role is the user's role in words.
func (p page) Role() string {
	if p.User == nil {
		return ""
	}
	return roleNames[p.User.Role]
}

// Is reports whether the user holds the role.
func (p page) Is(role string) bool { return p.User != nil && string(p.User.Role) == role }

// Field is a field's error, empty when it has none.
func (p page) Field(pointer string) string { return p.Errors[pointer] }

var funcs = template.FuncMap{
	"time":       localTime,
	"channel":    func(code string) string { return choiceName(channels, code) },
	"partyRole":  func(code string) string { return choiceName(partyRoles, code) },
	"copyName":   func(code string) string { return nameIn(copyNames, code) },
	"stage":      func(code string) string { return nameIn(stageNames, code) },
	"status":     func(code string) string { return nameIn(statusNames, code) },
	"level":      func(code string) string { return nameIn(levelNames, code) },
	"risk":       func(code string) string { return nameIn(riskNames, code) },
	"colour":     func(code string) string { return nameIn(colourNames, code) },
	"percent":    func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" },
	"left":       timeLeft,
	"urgency":    urgency,
	"signed":     func(change int) string { return fmt.Sprintf("%+d", change) },
	"fieldID":    fieldID,
	"add":        func(a, b int) int { return a + b },
	"mstatus":    func(code string) string { return nameIn(mediationStatusNames, code) },
	"outcome":    func(code string) string { return choiceName(outcomes, code) },
	"result":     func(code string) string { return choiceName(sessionResults, code) },
	"tier":       func(t int) string { return nameIn(tierNames, t) },
	"seat":       func(code string) string { return nameIn(seatNames, code) },
	"mrole":      func(code string) string { return nameIn(mediatorRoleNames, code) },
	"rstatus":    func(code string) string { return nameIn(revisitStatusNames, code) },
	"rkind":      func(code string) string { return nameIn(revisitKindNames, code) },
	"rchannel":   func(code string) string { return nameIn(revisitChannelNames, code) },
	"routcome":   func(code string) string { return choiceName(revisitOutcomes, code) },
	"satisfied":  func(code string) string { return choiceName(satisfactions, code) },
	"yuan":       func(fen int64) string { return strconv.FormatFloat(float64(fen)/100, 'f', 2, 64) },
	"choices":    func(name string) []choice { return choiceLists[name] },
	"printTitle": func(code string) string { return nameIn(printTitles, code) },
	"args":       fieldArgs,
}

// field is what the field templates (fields.html) are given: the page,
// the field's pointer, and the input's ID and label.
type field struct {
	Page               page
	Pointer, ID, Label string
}

func fieldArgs(p page, pointer string, idAndLabel ...string) field {
	f := field{Page: p, Pointer: pointer}
	if len(idAndLabel) == 2 {
		f.ID, f.Label = idAndLabel[0], idAndLabel[1]
	}
	return f
}

// fieldID turns a JSON pointer into an element ID for aria-describedby.
func fieldID(pointer string) string {
	return "err-" + strings.NewReplacer("#/", "", "/", "-", ":", "-").Replace(pointer)
}

// urgency is a copy's deadline as a colour: overdue red, past 75% of its
// time yellow, past 50% blue (the referral service's warnings), else none.
func urgency(c slipCopy, issued, now time.Time) string {
	if c.AcceptedAt != nil {
		return "done"
	}
	total, used := c.AcceptBy.Sub(issued), now.Sub(issued)
	switch {
	case now.After(c.AcceptBy):
		return "red"
	case total > 0 && used*4 >= total*3:
		return "yellow"
	case total > 0 && used*2 >= total:
		return "blue"
	}
	return "none"
}

func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "web/templates/layout.html", "web/templates/fields.html")
	if err != nil {
		return nil, fmt.Errorf("cannot parse the layout: %w", err)
	}
	names, err := templateNames()
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if name == "layout" || name == "fields" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, "web/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("cannot parse the %s page: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func templateNames() ([]string, error) {
	entries, err := templateFiles.ReadDir("web/templates")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".html"))
	}
	return out, nil
}

// render writes a page; the user, when signed in, and the county's names
// are filled in.
func (s *Console) render(c echo.Context, status int, name string, p page) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	if u, ok := c.Get("user").(user); ok {
		p.User = &u
		if p.Names == nil {
			n, err := s.namesFor(c.Request().Context(), u)
			if err != nil {
				return err
			}
			p.Names = n
		}
	}
	p.Now = s.now()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return fmt.Errorf("while rendering the %s page: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// errorPage shows what went wrong in words, without internals.
func (s *Console) errorPage(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "系统暂时无法完成操作，请稍后再试。"
	var he *echo.HTTPError
	var ae *apiError
	switch {
	case errors.As(err, &he) && he.Code == http.StatusNotFound:
		status, msg = http.StatusNotFound, "页面不存在。"
	case errors.As(err, &he):
		status, msg = he.Code, http.StatusText(he.Code)
	case notFound(err):
		status, msg = http.StatusNotFound, "未找到该记录，或该记录不属于本县。"
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		status, msg = http.StatusForbidden, "您的岗位无权进行此操作。"
	default:
		s.log.ErrorContext(c.Request().Context(), "a page failed", "path", c.Path(), "err", err)
	}
	if rerr := s.render(c, status, "error", page{Title: "出错了", Error: msg}); rerr != nil {
		_ = c.String(status, msg)
	}
}

func (s *Console) home(c echo.Context) error {
	return s.render(c, http.StatusOK, "home", page{Title: "工作台", Flash: c.QueryParam("msg")})
}

// find opens a dispute by its ID.
func (s *Console) find(c echo.Context) error {
	id := strings.TrimSpace(c.QueryParam("id"))
	if id == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return c.Redirect(http.StatusSeeOther, "/disputes/"+url.PathEscape(id))
}

// registrationForm is the registration form as typed, kept to show it
// again with its errors.
type registrationForm struct {
	Channel, ExternalRef, Township, Village, Category, Address, Summary, Narrative string
	Parties                                                                        []partyRow
	IdempotencyKey                                                                 string
	Channels, PartyRoles                                                           []choice
}

type partyRow struct {
	Index                       int
	Role, Name, IDNumber, Phone string
}

// partyRows is how many parties the form offers; more join by group size
// in the service's own API.
const partyRows = 3

func emptyRegistration() registrationForm {
	f := registrationForm{Channel: "alert_110", IdempotencyKey: newKey(), Channels: channels, PartyRoles: partyRoles}
	for i := range partyRows {
		role := "respondent"
		if i == 0 {
			role = "applicant"
		}
		f.Parties = append(f.Parties, partyRow{Index: i, Role: role})
	}
	return f
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Console) newDispute(c echo.Context) error {
	return s.render(c, http.StatusOK, "register", page{Title: "登记矛盾纠纷", Data: emptyRegistration()})
}

// registerDispute sends the form to intake; its field errors come back
// next to the fields they name.
func (s *Console) registerDispute(c echo.Context) error {
	u := currentUser(c)
	f := emptyRegistration()
	f.Channel, f.ExternalRef = c.FormValue("channel"), strings.TrimSpace(c.FormValue("external_ref"))
	f.Township, f.Village, f.Category = c.FormValue("township"), c.FormValue("village"), c.FormValue("category")
	f.Address, f.Summary, f.Narrative = strings.TrimSpace(c.FormValue("address")), strings.TrimSpace(c.FormValue("summary")), strings.TrimSpace(c.FormValue("narrative"))
	if k := c.FormValue("idempotency_key"); k != "" {
		f.IdempotencyKey = k
	}
	var parties []map[string]string
	var rowOf []int // the form row of each party sent
	for i := range f.Parties {
		p := &f.Parties[i]
		at := "party" + strconv.Itoa(i) + "_"
		p.Role, p.Name = c.FormValue(at+"role"), strings.TrimSpace(c.FormValue(at+"name"))
		p.IDNumber, p.Phone = strings.TrimSpace(c.FormValue(at+"id_number")), strings.TrimSpace(c.FormValue(at+"phone"))
		if p.Name == "" && p.IDNumber == "" && p.Phone == "" && i > 0 {
			continue // an empty row is no party
		}
		parties = append(parties, map[string]string{"role": p.Role, "name": p.Name, "id_number": p.IDNumber, "phone": p.Phone})
		rowOf = append(rowOf, i)
	}
	category, sub, _ := strings.Cut(f.Category, "/")
	body := map[string]any{
		"channel": f.Channel, "external_ref": f.ExternalRef, "county_code": u.County, "category": category, "subcategory": sub,
		"place":   map[string]string{"township_code": f.Township, "village_code": f.Village, "address": f.Address},
		"parties": parties, "summary": f.Summary, "narrative": f.Narrative,
	}
	var d dispute
	rd, err := jsonOf(body)
	if err != nil {
		return err
	}
	r, err := s.api.intake.RegisterDisputeWithBodyWithResponse(c.Request().Context(),
		&fengqiaoapi.RegisterDisputeParams{IdempotencyKey: &f.IdempotencyKey}, jsonBody, rd, as(u.Token))
	if err = check(r, err); err == nil {
		// 201 a new dispute; 200 the one registered before (the key, or a repeat report)
		switch registered := cmp.Or(r.JSON201, r.JSON200); registered {
		case nil:
			err = fmt.Errorf("intake's answer (%d) is not what the OpenAPI document describes", r.StatusCode())
		default:
			d = disputeOf(*registered)
		}
	}
	var ae *apiError
	if errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusUnprocessableEntity) {
		p := page{Title: "登记矛盾纠纷", Data: f, Errors: formErrors(ae, rowOf), Error: "登记未成功，请按提示修改。"}
		if ae.Status == http.StatusUnprocessableEntity {
			f.IdempotencyKey = newKey()
			p.Data, p.Error = f, "该表单已提交过不同内容，请重新提交。"
		}
		return s.render(c, http.StatusBadRequest, "register", p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/disputes/"+url.PathEscape(d.ID)+"?msg=registered")
}

// formErrors keys the services' field errors by the form's own pointers:
// a party's index in the request becomes its row in the form.
func formErrors(ae *apiError, rowOf []int) map[string]string {
	out := map[string]string{}
	for _, fe := range ae.Errors {
		ptr := fe.Pointer
		if rest, ok := strings.CutPrefix(ptr, "#/parties/"); ok {
			idx, tail, _ := strings.Cut(rest, "/")
			if i, err := strconv.Atoi(idx); err == nil && i < len(rowOf) {
				ptr = "#/parties/" + strconv.Itoa(rowOf[i]) + "/" + tail
			}
		}
		if _, seen := out[ptr]; !seen {
			out[ptr] = fieldMessage(fe.Pointer, fe.Detail)
		}
	}
	return out
}

// disputePage is a dispute with its slips.
type disputePage struct {
	Dispute    dispute
	Slips      []slip
	Mediations []mediation
	Revisits   []revisit
	// Pending: the slip is issued from the dispute's event, a moment after
	// the registration; the page refreshes itself until it is there.
	Pending bool
}

func (s *Console) showDispute(c echo.Context) error {
	u := currentUser(c)
	id := c.Param("id")
	answer, err := typed(s.api.intake.GetDisputeWithResponse(c.Request().Context(), id, as(u.Token)))
	if err != nil {
		return err
	}
	d := disputeOf(answer)
	slips, err := typed(s.api.referral.ListSlipsOfDisputeWithResponse(c.Request().Context(), id, as(u.Token)))
	if err != nil && !notFound(err) {
		return err
	}
	p := disputePage{Dispute: d, Slips: slipsOf(slips.Slips), Pending: len(slips.Slips) == 0 && d.Status != "redirected"}
	if p.Mediations, p.Revisits, err = s.disputeFollowUps(c, u, id); err != nil {
		return err
	}
	flash := ""
	if c.QueryParam("msg") == "registered" {
		flash = "纠纷已登记，编号 " + d.CaseCode + "。"
	}
	return s.render(c, http.StatusOK, "dispute", page{Title: "纠纷 " + d.CaseCode, Flash: flash, Data: p})
}

// disputeFollowUps are the dispute's mediations and revisits; a role the
// service does not show them to, or a service without them yet, leaves the
// list empty.
func (s *Console) disputeFollowUps(c echo.Context, u user, id string) ([]mediation, []revisit, error) {
	ctx := c.Request().Context()
	ms, err := typed(s.api.mediationRoom.ListMediationsOfDisputeWithResponse(ctx, id, as(u.Token)))
	if err != nil && !notShown(err) {
		return nil, nil, err
	}
	rs, err := typed(s.api.revisit.ListRevisitsOfDisputeWithResponse(ctx, id, as(u.Token)))
	if err != nil && !notShown(err) {
		return nil, nil, err
	}
	return mediationsOf(ms.Mediations), revisitsOf(rs.Revisits), nil
}

// notShown reports a service's 404 or 403: nothing to show this user.
func notShown(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusForbidden)
}

func (s *Console) showTimeline(c echo.Context) error {
	u := currentUser(c)
	answer, err := typed(s.api.supervision.GetTimelineWithResponse(c.Request().Context(), c.Param("id"), as(u.Token)))
	if err != nil && !notFound(err) {
		return err
	}
	t := timelineOf(answer)
	return s.render(c, http.StatusOK, "timeline", page{Title: "办理过程", Data: struct {
		ID       string
		Timeline timeline
	}{c.Param("id"), t}})
}

// copyPage is one copy of a slip, with what the user may do with it.
type copyPage struct {
	Slip               slip
	Copy               slipCopy
	CanSign, CanReturn bool
	Reason             string
}

// signerRoles: which role signs which copy (the services check again).
var signerRoles = map[string]identity.Role{
	"committee": identity.RoleCommittee, "jurisdiction": identity.RoleJurisdiction, "police": identity.RoleOfficer,
}

func (s *Console) loadCopy(c echo.Context) (copyPage, error) {
	u := currentUser(c)
	answer, err := typed(s.api.referral.GetSlipWithResponse(c.Request().Context(), c.Param("id"), as(u.Token)))
	if err != nil {
		return copyPage{}, err
	}
	sl := slipOf(answer)
	for _, cp := range sl.Copies {
		if cp.Copy == c.Param("copy") {
			open := cp.AcceptedAt == nil && signerRoles[cp.Copy] == u.Role && cp.Recipient.ID == u.Agency
			return copyPage{Slip: sl, Copy: cp, CanSign: open, CanReturn: open && cp.Copy == "jurisdiction" && !cp.Backstop}, nil
		}
	}
	return copyPage{}, &apiError{problem.Details{Status: http.StatusNotFound}}
}

// printTitles are the copies' printed names, as referral prints them
// (存根联 is the station's, 督办联 the committee's, 办理联 the jurisdiction's).
var printTitles = map[string]string{
	"committee": "第一联 督办联（党委政法委）", "jurisdiction": "第二联 办理联（属地责任单位）", "police": "第三联 存根联（派出所）",
}

// printSlip is the 三联单 for paper: every copy on a page of its own, in
// names and Beijing time. It is rendered from the slip's record rather than
// referral's own print, which shows codes; like it, it carries no parties,
// since a sheet of paper travels further than a screen.
func (s *Console) printSlip(c echo.Context) error {
	u := currentUser(c)
	answer, err := typed(s.api.referral.GetSlipWithResponse(c.Request().Context(), c.Param("id"), as(u.Token)))
	if err != nil {
		return err
	}
	sl := slipOf(answer)
	return s.render(c, http.StatusOK, "print", page{Title: "矛盾纠纷移交三联单 " + sl.CaseCode, Data: sl})
}

func (s *Console) showCopy(c echo.Context) error {
	cp, err := s.loadCopy(c)
	if err != nil {
		return err
	}
	flash := map[string]string{"accepted": "已签收。", "returned": "已退单，三联单将改派。"}[c.QueryParam("msg")]
	return s.render(c, http.StatusOK, "copy", page{Title: "三联单 " + copyNames[cp.Copy.Copy], Data: cp, Flash: flash})
}

func (s *Console) acceptCopy(c echo.Context) error {
	return s.actOnCopy(c, "accept", "", "accepted")
}

func (s *Console) returnCopy(c echo.Context) error {
	return s.actOnCopy(c, "return", strings.TrimSpace(c.FormValue("reason")), "returned")
}

// actOnCopy signs or returns a copy; a refusal is shown on the copy's page,
// a field's next to it.
func (s *Console) actOnCopy(c echo.Context, action, reason, done string) error {
	u := currentUser(c)
	err := s.api.postCopy(c.Request().Context(), u.Token, c.Param("id"), c.Param("copy"), action, reason)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status != http.StatusNotFound {
		cp, lerr := s.loadCopy(c)
		if lerr != nil {
			return lerr
		}
		cp.Reason = c.FormValue("reason")
		msg := map[int]string{http.StatusConflict: "该联已签收或不能再退单。", http.StatusForbidden: "该联不是发给您单位的。"}[ae.Status]
		if msg == "" {
			msg = "操作未成功，请按提示修改。"
		}
		return s.render(c, ae.Status, "copy", page{Title: "三联单 " + copyNames[cp.Copy.Copy], Data: cp, Error: msg, Errors: formErrors(ae, nil)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/slips/"+url.PathEscape(c.Param("id"))+"/copies/"+url.PathEscape(c.Param("copy"))+"?msg="+done)
}

// countyPage is the county's figures and its warning index.
type countyPage struct {
	KPIs     fengqiaoapi.CountyKPIs
	Warnings warnings
}

// warnings is supervision's warning index of the county's townships, each
// area with what the heat table shows of it.
type warnings struct {
	Month string
	Areas []warning
}

type warning struct{ fengqiaoapi.Warning }

func warningsOf(w fengqiaoapi.Warnings) warnings {
	out := warnings{Month: w.Month}
	for _, a := range w.Areas {
		out.Areas = append(out.Areas, warning{a})
	}
	return out
}

type stageCount struct {
	Stage string
	Count int
}

// Stages are the open and closed cases by stage, in the loop's order.
func (p countyPage) Stages() []stageCount {
	out := make([]stageCount, 0, len(stageOrder))
	for _, st := range stageOrder {
		out = append(out, stageCount{st, p.KPIs.Stages[st]})
	}
	return out
}

func (s *Console) county(c echo.Context) error {
	u := currentUser(c)
	var p countyPage
	ctx := c.Request().Context()
	var err error
	// The page shows how many are overdue and links the overdue list,
	// which names them a page at a time: the KPIs count them without
	// listing their case codes, an answer the same size however many.
	counted := false
	if p.KPIs, err = typed(s.api.supervision.GetCountyKPIsWithResponse(ctx, u.County,
		&fengqiaoapi.GetCountyKPIsParams{OverdueCases: &counted}, as(u.Token))); err != nil {
		return err
	}
	w, err := typed(s.api.supervision.GetWarningsWithResponse(ctx, u.County, nil, as(u.Token)))
	if err != nil {
		return err
	}
	p.Warnings = warningsOf(w)
	return s.render(c, http.StatusOK, "county", page{Title: "全县指标与红黄蓝预警", Data: p})
}
