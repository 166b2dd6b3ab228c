package console

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/pkg/identity"
)

// The committee's and the supervisor's pages (政法委督办): the daily
// ledger, the overdue list, urges and the watch list, all read from
// supervision's API with the signed-in person's token. Supervision decides
// who may urge or watch (the committee); the console only offers the forms
// to the roles it expects them to succeed for.

// ledgerItem is one line of supervision's daily ledger (日清日结).
type ledgerItem struct {
	DisputeID string
	CaseCode  string
	What      string
	DueBy     time.Time
	At        time.Time
}

// ledgerLine is what one unit or officer has on the day. OverdueCount
// counts its overdue things, of which Overdue lists those among the
// county's first the page asked for.
type ledgerLine struct {
	Key          string
	DueToday     []ledgerItem
	Overdue      []ledgerItem
	Closed       []ledgerItem
	OverdueCount int
}

// Unlisted is how many of the line's overdue things are not listed.
func (ln ledgerLine) Unlisted() int { return max(0, ln.OverdueCount-len(ln.Overdue)) }

type ledger struct {
	Day      string
	AsOf     time.Time
	Units    []ledgerLine
	Officers []ledgerLine
}

// OverdueCount is how many things the county has overdue on the day;
// OverdueListed how many of them the ledger lists.
func (l ledger) OverdueCount() int {
	n := 0
	for _, ln := range l.Units {
		n += ln.OverdueCount
	}
	return n
}

// OverdueListed: see OverdueCount.
func (l ledger) OverdueListed() int {
	n := 0
	for _, ln := range l.Units {
		n += len(ln.Overdue)
	}
	return n
}

// urge is one urge (督办) with its read receipt.
type urge struct {
	ID, Comment, By, ReadBy string
	At                      time.Time
	ReadAt                  *time.Time
}

// supervised is what the committee did about one dispute, as the pages
// show supervision's answer.
type supervised struct {
	DisputeID string
	Urges     []urge
	Watched   bool
	WatchedAt *time.Time
}

func supervisedOf(s fengqiaoapi.Supervised) supervised {
	out := supervised{DisputeID: s.DisputeId, Watched: s.Watched, WatchedAt: s.WatchedAt}
	for _, u := range s.Urges {
		out.Urges = append(out.Urges, urge{ID: u.Id, Comment: u.Comment, By: u.By, ReadBy: deref(u.ReadBy), At: u.At, ReadAt: u.ReadAt})
	}
	return out
}

// deref is what an optional field holds, or its zero value.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// overdueItem is one thing owed past its deadline, with who owes it.
type overdueItem struct {
	ledgerItem
	Unit string
}

// ledgerWhat names a ledger line's item in words: supervision writes it
// as kind[:detail] (sign_copy:<copy>, settle, revisit:<id>, signed:<copy>,
// settled, closed:<route>, revisited:<outcome>).
func ledgerWhat(what string) string {
	kind, detail, _ := strings.Cut(what, ":")
	switch kind {
	case "sign_copy":
		return "签收" + nameIn(copyNames, detail)
	case "signed":
		return "已签收" + nameIn(copyNames, detail)
	case "settle":
		return "化解纠纷"
	case "settled":
		return "调解成功"
	case "revisit":
		return "回访"
	case "revisited":
		return "已回访：" + choiceName(revisitOutcomes, detail)
	case "closed":
		return "办结（" + nameIn(closedRoutes, detail) + "）"
	}
	return what
}

// closedRoutes are the ways a dispute leaves mediation without one.
var closedRoutes = map[string]string{
	"litigation": "引导诉讼", "legal_aid": "转法律援助", "punishment_procedure": "移交治安处罚",
}

// ledgerOverdueLimit is how many overdue things the ledger page lists,
// the longest overdue first: a county may have thousands overdue, which
// the overdue list pages; the page counts them all, by unit.
const ledgerOverdueLimit = queueLimit

// ledgerOf reads a county's ledger of day ("" today), listing only its
// first overdueLimit overdue things when that is set (the CSV export
// lists them all).
func (s *Console) ledgerOf(ctx context.Context, u user, day string, overdueLimit *int) (ledger, error) {
	params := &fengqiaoapi.GetLedgerParams{OverdueLimit: overdueLimit}
	if day != "" {
		params.Date = &day
	}
	l, err := typed(s.api.supervision.GetLedgerWithResponse(ctx, u.County, params, as(u.Token)))
	if err != nil {
		return ledger{}, fmt.Errorf("while reading the county's ledger: %w", err)
	}
	return ledgerOf(l), nil
}

// overdueLimit is the page size of the overdue list, an inbox's.
const overdueLimit = queueLimit

// overdueOf is one page of the county's overdue list from supervision's
// GET /v1/counties/:code/overdue: every obligation past its due time now,
// the longest overdue first, read from supervision's obligations index
// rather than the county's whole ledger. cursor is the previous page's
// next_cursor ("" for the first page).
func (s *Console) overdueOf(ctx context.Context, u user, cursor string, limit int) (queuePage[overdueItem], error) {
	params := &fengqiaoapi.ListCountyOverdueParams{Limit: &limit, Cursor: optional(cursor)}
	answer, err := typed(s.api.supervision.ListCountyOverdueWithResponse(ctx, u.County, params, as(u.Token)))
	if err != nil {
		return queuePage[overdueItem]{}, fmt.Errorf("while reading the county's overdue list: %w", err)
	}
	out := queuePage[overdueItem]{NextCursor: answer.NextCursor, Total: deref(answer.Total)}
	for _, it := range answer.Items {
		out.Items = append(out.Items, overdueItem{ledgerItem{DisputeID: it.DisputeId, CaseCode: it.CaseCode, What: it.What, DueBy: it.DueBy}, it.Unit})
	}
	return out, nil
}

// validDay keeps a ?date= the ledger can be asked for; anything else is
// refused next to the field, before supervision is called.
func validDay(raw string) bool {
	if raw == "" {
		return true
	}
	_, err := time.Parse(time.DateOnly, raw)
	return err == nil
}

type ledgerPage struct {
	Ledger ledger
	Date   string
}

func (s *Console) showLedger(c echo.Context) error {
	u, day := currentUser(c), c.QueryParam("date")
	if !validDay(day) {
		return s.render(c, http.StatusBadRequest, "ledger", page{Title: "每日台账", Data: ledgerPage{Date: day},
			Errors: map[string]string{"#/date": "请按 年-月-日 填写日期"}, Error: "日期不正确。"})
	}
	limit := ledgerOverdueLimit
	l, err := s.ledgerOf(c.Request().Context(), u, day, &limit)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "ledger", page{Title: "每日台账 " + l.Day, Data: ledgerPage{Ledger: l, Date: l.Day}})
}

func (s *Console) showOverdue(c echo.Context) error {
	u := currentUser(c)
	q, err := s.overdueOf(c.Request().Context(), u, c.QueryParam("cursor"), overdueLimit)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusBadRequest {
		// The cursor is the only input the user can change, so a refused
		// request is an edited or stale cursor.
		return s.render(c, http.StatusBadRequest, "overdue", page{Title: "超期未办", Data: queuePage[overdueItem]{},
			Error: "无法打开这一页，请从第一页重新查看。"})
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "overdue", page{Title: "超期未办", Data: q})
}

// casePage is a dispute's supervision: the committee's urges and whether
// the dispute is watched, with the forms the user's role may use.
type casePage struct {
	DisputeID string
	CaseCode  string
	Stage     string
	Sup       supervised
	CanUrge   bool
	Comment   string
}

func (s *Console) loadCaseSupervision(c echo.Context) (casePage, error) {
	u, id := currentUser(c), c.Param("id")
	ctx := c.Request().Context()
	t, err := typed(s.api.supervision.GetTimelineWithResponse(ctx, id, as(u.Token)))
	if err != nil {
		return casePage{}, err
	}
	sup, err := typed(s.api.supervision.GetSupervisionWithResponse(ctx, id, as(u.Token)))
	if err != nil {
		return casePage{}, err
	}
	return casePage{DisputeID: id, CaseCode: t.CaseCode, Stage: t.Stage, Sup: supervisedOf(sup), CanUrge: u.Role == identity.RoleCommittee}, nil
}

func (s *Console) showCaseSupervision(c echo.Context) error {
	p, err := s.loadCaseSupervision(c)
	if err != nil {
		return err
	}
	flash := map[string]string{"urged": "已督办。", "watched": "已加入关注清单。", "unwatched": "已移出关注清单。", "read": "已阅。"}[c.QueryParam("msg")]
	return s.render(c, http.StatusOK, "supervise", page{Title: "督办 " + p.CaseCode, Data: p, Flash: flash})
}

// urgeCase sends the committee's urge with its comment; a refused comment
// is shown next to its field with what was typed.
func (s *Console) urgeCase(c echo.Context) error {
	u, id := currentUser(c), c.Param("id")
	comment := strings.TrimSpace(c.FormValue("comment"))
	err := check(s.api.supervision.UrgeWithResponse(c.Request().Context(), id, nil, fengqiaoapi.Urge{Comment: comment}, as(u.Token)))
	var ae *apiError
	if errors.As(err, &ae) && ae.Status != http.StatusNotFound {
		p, lerr := s.loadCaseSupervision(c)
		if lerr != nil {
			return lerr
		}
		p.Comment = c.FormValue("comment")
		errs := formErrors(ae, nil)
		if _, ok := errs["#/comment"]; ok {
			errs["#/comment"] = "督办意见须填写，不超过 500 字"
		}
		msg := map[int]string{http.StatusForbidden: "只有政法委可以督办。"}[ae.Status]
		if msg == "" {
			msg = "督办未成功，请按提示修改。"
		}
		return s.render(c, ae.Status, "supervise", page{Title: "督办 " + p.CaseCode, Data: p, Error: msg, Errors: errs})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/disputes/"+url.PathEscape(id)+"/supervision?msg=urged")
}

// readUrge records that the responsible unit has read an urge (its reply
// in supervision's terms: the read receipt).
func (s *Console) readUrge(c echo.Context) error {
	u, id := currentUser(c), c.Param("id")
	if err := check(s.api.supervision.ReadUrgeWithResponse(c.Request().Context(), id, c.Param("urge"), nil, as(u.Token))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/disputes/"+url.PathEscape(id)+"/supervision?msg=read")
}

// watchCase puts the dispute on the county's watch list or takes it off,
// then returns to the page the form was on (the case or the list).
func (s *Console) watchCase(c echo.Context) error {
	u, id := currentUser(c), c.Param("id")
	on := c.FormValue("watch") == "on"
	ctx, msg := c.Request().Context(), "unwatched"
	var err error
	if on {
		msg = "watched"
		err = check(s.api.supervision.WatchDisputeWithResponse(ctx, id, nil, as(u.Token)))
	} else {
		err = check(s.api.supervision.UnwatchDisputeWithResponse(ctx, id, nil, as(u.Token)))
	}
	if err != nil {
		return err
	}
	if c.FormValue("back") == "watchlist" {
		return c.Redirect(http.StatusSeeOther, "/watchlist?msg="+msg)
	}
	return c.Redirect(http.StatusSeeOther, "/disputes/"+url.PathEscape(id)+"/supervision?msg="+msg)
}

func (s *Console) showWatchList(c echo.Context) error {
	u := currentUser(c)
	answer, err := typed(s.api.supervision.GetWatchListWithResponse(c.Request().Context(), as(u.Token)))
	if err != nil {
		return err
	}
	var list struct{ Disputes []supervised }
	for _, d := range answer.Disputes {
		list.Disputes = append(list.Disputes, supervisedOf(d))
	}
	slices.SortFunc(list.Disputes, func(a, b supervised) int { return cmp.Compare(a.DisputeID, b.DisputeID) })
	flash := map[string]string{"unwatched": "已移出关注清单。", "watched": "已加入关注清单。"}[c.QueryParam("msg")]
	return s.render(c, http.StatusOK, "watchlist", page{Title: "关注清单", Data: list.Disputes, Flash: flash})
}
