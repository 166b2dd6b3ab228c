package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleDailyWorkInABrowser drives the work queues in headless
// Chromium against the whole platform: the officer's cases show the new
// dispute's stage; the mediator finds the mediation in their queue and
// records the agreement with an obligation from there (refused next to the
// signatures until both parties signed), reads it as the room's template
// renders it and records its performance; the centre finds the revisit
// among those due and records it; and people of another county see
// nothing of the case, in their queues or at its address.
func TestConsoleDailyWorkInABrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("starts the platform and a browser")
	}
	p := consolePlatform(t)
	b := openBrowser(t, exe, p.ConsoleURL, 150*time.Second)

	disputeID, caseCode := registerAndSign(b)

	// The officer's station lists the case, open, with where it stands.
	b.signIn("/cases", "officer-622901")
	if row := get(b, chromedp.Text(chromedp.CSS(`#cases tbody`))); !strings.Contains(row, caseCode) {
		t.Errorf("the station's open cases do not list %s: %s", caseCode, row)
	}
	b.shot("cases")
	b.signOut()

	// The mediator opens the mediation from their queue.
	b.signIn("/mediations", "mediator-622901")
	b.waitForLink(p.ConsoleURL+"/mediations", `#mediations a[href^="/mediations/"]`)
	if queue := get(b, chromedp.Text(chromedp.CSS(`#mediations tbody`))); !strings.Contains(queue, caseCode) {
		t.Fatalf("the mediator's queue does not list %s: %s", caseCode, queue)
	}
	b.shot("my-mediations")
	b.do(
		chromedp.Click(chromedp.CSS(`#mediations a[href^="/mediations/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule`)),
		chromedp.SetValue(chromedp.CSS(`#starts_at`), time.Now().Add(time.Hour).In(beijing).Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS(`#schedule`)),
		chromedp.WaitVisible(chromedp.CSS(`#record`)),
		chromedp.SendKeys(chromedp.CSS(`#focus`), "院墙位置"),
		chromedp.SendKeys(chromedp.CSS(`#applicant`), "要求李四拆除越界院墙"),
		chromedp.SendKeys(chromedp.CSS(`#respondent`), "院墙按老宅基地砌筑"),
		chromedp.SendKeys(chromedp.CSS(`#opinion`), "双方各让一步，院墙后移半米"),
		chromedp.SetValue(chromedp.CSS(`#session-result`), "agreed"),
		// The outcome form is on the page before the record too: wait for
		// the recorded page's notice, not for the form.
		clickForFlash(`#record`),
	)
	// The agreement with an obligation, first signed by one side only.
	b.do(
		chromedp.SetValue(chromedp.CSS(`#outcome`), "resolved"),
		chromedp.SendKeys(chromedp.CSS(`#summary`), "院墙后移半米"),
		chromedp.SendKeys(chromedp.CSS(`#terms`), "李四将院墙后移半米"),
		chromedp.SetValue(chromedp.CSS(`#obligation0_obligor`), "respondent"),
		chromedp.SendKeys(chromedp.CSS(`#obligation0_duty`), "赔偿张三修缮费"),
		chromedp.SendKeys(chromedp.CSS(`#obligation0_amount`), "1200"),
		chromedp.SendKeys(chromedp.CSS(`#obligation0_manner`), "银行转账"),
		chromedp.SendKeys(chromedp.CSS(`#obligation0_place`), "八坊街道人民调解委员会"),
		chromedp.SetValue(chromedp.CSS(`#obligation0_deadline`), time.Now().AddDate(0, 0, 10).In(beijing).Format("2006-01-02")),
		chromedp.Click(chromedp.CSS(`input[name=signed][value=applicant]`)),
		chromedp.Click(chromedp.CSS(`#close`)),
		chromedp.WaitVisible(chromedp.CSS(`#err-outcome-agreement-signatures`)),
	)
	if duty := get(b, chromedp.Value(chromedp.CSS(`#obligation0_duty`))); duty != "赔偿张三修缮费" {
		t.Errorf("after the refusal the obligation reads %q", duty)
	}
	b.shot("agreement-field-error")
	b.do(
		chromedp.Click(chromedp.CSS(`input[name=signed][value=respondent]`)),
		clickForFlash(`#close`),
	)
	if state := get(b, chromedp.Text(chromedp.CSS(`#mediation-state`))); !strings.Contains(state, "调解成功") {
		t.Fatalf("after the agreement the mediation reads %q", state)
	}
	// Read for the mediation, the agreement shows as the room's template
	// renders it, and its obligation is recorded performed.
	b.do(chromedp.Click(chromedp.CSS(`#read-records`)), chromedp.WaitVisible(chromedp.CSS(`#agreement-text`)))
	if text := get(b, chromedp.Text(chromedp.CSS(`#agreement-text`))); !strings.Contains(text, "人民调解协议书") || !strings.Contains(text, "赔偿张三修缮费") {
		t.Errorf("the agreement reads %q", text)
	}
	b.shot("mediation-agreement")
	b.do(
		chromedp.Click(chromedp.CSS(`#performed-yes`)),
		clickForFlash(`#record-performance`),
	)
	if term := get(b, chromedp.Text(chromedp.CSS(`#performance .term-state`))); !strings.Contains(term, "已履行") {
		t.Errorf("after 履约 the obligation reads %q", term)
	}
	b.shot("performance")
	b.signOut()

	// The centre finds the revisit among those due and records it.
	b.signIn("/revisits", "centre-622901")
	b.waitForLink(p.ConsoleURL+"/revisits", `#revisits a[href^="/revisits/"]`)
	b.shot("revisits-due")
	b.do(
		chromedp.Click(chromedp.CSS(`#revisits a[href^="/revisits/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#record-revisit`)),
		chromedp.Click(chromedp.CSS(`#outcome-stable`)),
		chromedp.SetValue(chromedp.CSS(`#satisfaction`), "satisfied"),
		clickForFlash(`#record-revisit`),
	)
	if outcome := get(b, chromedp.Text(chromedp.CSS(`#revisit-outcome`))); !strings.Contains(outcome, "稳定") {
		t.Fatalf("after the revisit it reads %q", outcome)
	}
	b.signOut()

	// Another county's people see nothing of it: not in their queues, and
	// its address answers "not found".
	for _, other := range []struct{ user, queue string }{
		{"centre-620902", "/inbox"}, {"officer-620902", "/cases"}, {"mediator-620902", "/mediations?state=resolved"},
	} {
		b.signIn(other.queue, other.user)
		if page := get(b, chromedp.Text(chromedp.CSS(`main`))); strings.Contains(page, caseCode) {
			t.Errorf("%s's %s shows %s", other.user, other.queue, caseCode)
		}
		if other.queue == "/inbox" {
			b.shot("other-county-inbox")
		}
		b.do(chromedp.Navigate(p.ConsoleURL + "/disputes/" + disputeID))
		if page := get(b, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, "未找到该记录") || strings.Contains(page, caseCode) {
			t.Errorf("%s at the case's address reads %q", other.user, page)
		}
		b.shot("other-county-not-found")
		b.signOut()
	}
}

// registerAndSign has the officer register a dispute and the centre sign
// its copy, by clicking and typing, and returns its ID and case code.
func registerAndSign(b *browserRun) (disputeID, caseCode string) {
	b.t.Helper()
	b.signIn("/disputes/new", "officer-622901")
	b.do(append(registerWallDispute("13812345678"),
		chromedp.WaitVisible(chromedp.CSS(`#case-code`)),
		chromedp.WaitVisible(chromedp.CSS(`.slip table.copies`)),
	)...)
	location := get(b, chromedp.Location())
	disputeID = strings.TrimPrefix(strings.SplitN(location, "?", 2)[0], b.console+"/disputes/")
	caseCode = strings.TrimSpace(get(b, chromedp.Text(chromedp.CSS(`#case-code`))))
	b.signOut()

	b.signIn("/disputes/"+disputeID, "centre-622901")
	b.do(
		chromedp.Click(chromedp.CSS(`a[href$="/copies/jurisdiction"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#sign`)),
		clickForFlash(`#sign`),
	)
	b.signOut()
	return disputeID, caseCode
}
