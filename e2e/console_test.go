package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fengqiao.dev/devstack"
	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/embedded/servicetest"
)

// screenshots is where the browser test leaves a picture of each page it
// visits, for a reviewer.
var screenshots, _ = filepath.Abs("../var/console")

// beijing is the time people type in the console's forms (China keeps no
// summer time).
var beijing = time.FixedZone("CST", 8*60*60)

// chromium finds Debian's chromium (mk/chromium.mk installs it). Without
// it the test is skipped, unless FENGQIAO_REQUIRE_CHROMIUM is set, as
// `make test` sets it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("FENGQIAO_REQUIRE_CHROMIUM") != "" {
		t.Fatal("chromium is not installed: make chromium installs it")
	}
	t.Skip("chromium is not installed (make chromium)")
	return ""
}

// TestConsoleInABrowser drives the console in headless Chromium against the
// whole platform, signing in through the real OpenID provider: an officer
// registers a dispute (first with a phone number intake refuses, shown next
// to its field) and sees its slip; the centre's clerk signs the copy
// addressed to the centre; the committee reads the county's figures on a
// phone-sized screen.
func TestConsoleInABrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("starts the platform and a browser")
	}
	p := consolePlatform(t)
	b := openBrowser(t, exe, p.ConsoleURL, 90*time.Second)

	// The officer: every page asks to sign in first, at the provider.
	b.signIn("/disputes/new", "officer-622901")
	b.shot("register")
	b.do(append(registerWallDispute("12345"),
		chromedp.WaitVisible(chromedp.CSS(`#err-parties-0-phone`)),
	)...)
	phoneError := get(b, chromedp.Text(chromedp.CSS(`#err-parties-0-phone`)))
	describedBy := get(b, chromedp.AttributeValue(chromedp.CSS(`#party0_phone`), "aria-describedby")).Value
	if !strings.Contains(phoneError, "电话号码不正确") || describedBy != "err-parties-0-phone" {
		t.Fatalf("the phone's error next to it: %q, described by %q", phoneError, describedBy)
	}
	if focused := get(b, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "party0_phone" {
		t.Errorf("after the refusal the focus is on %q, not the phone at fault", focused)
	}
	b.shot("register-field-error")

	// Corrected, it is registered, and the slip shows once referral has
	// issued it (the page refreshes itself until then).
	b.do(
		chromedp.Clear(chromedp.CSS(`#party0_phone`)),
		chromedp.SendKeys(chromedp.CSS(`#party0_phone`), "13812345678"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#case-code`)),
		chromedp.WaitVisible(chromedp.CSS(`.slip table.copies`)),
	)
	location, slipText := get(b, chromedp.Location()), get(b, chromedp.Text(chromedp.CSS(`.slip`)))
	disputeID := strings.TrimPrefix(strings.SplitN(location, "?", 2)[0], p.ConsoleURL+"/disputes/")
	for _, want := range []string{"属地联", "八坊街道综治中心", "派出所联", "政法委联", "待签收"} {
		if !strings.Contains(slipText, want) {
			t.Errorf("the slip does not show %q: %s", want, slipText)
		}
	}
	b.shot("dispute-with-slip")
	b.signOut()

	// The centre's clerk opens the dispute and signs the copy addressed to
	// the centre.
	b.signIn("/disputes/"+disputeID, "centre-622901")
	b.do(
		chromedp.Click(chromedp.CSS(`a[href$="/copies/jurisdiction"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#sign`)),
	)
	b.shot("copy-to-sign")
	b.do(clickForFlash(`#sign`))
	state := get(b, chromedp.Text(chromedp.CSS(`#copy-state`)))
	if !strings.Contains(state, "已签收") {
		t.Fatalf("after 签收 the copy reads %q", state)
	}
	b.shot("copy-signed")

	// The slip prints each copy on a page of its own, in Beijing time.
	b.do(chromedp.Click(chromedp.CSS(`a[href$="/print"]`)), chromedp.WaitVisible(chromedp.CSS(`#print-committee`)))
	if sheet := get(b, chromedp.Text(chromedp.CSS(`.print-sheet`))); !strings.Contains(sheet, "第二联 办理联") ||
		!strings.Contains(sheet, time.Now().In(beijing).Format("2006年01月02日")) {
		t.Errorf("the printable slip reads %s", sheet)
	}
	pdf := get(b, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); pages != 3 {
		t.Errorf("the slip prints on %d pages, not one a copy", pages)
	}
	if err := os.WriteFile(filepath.Join(screenshots, "slip.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	b.shot("slip-print")

	// The dispute's timeline shows the signature once supervision has it.
	servicetest.Eventually(t, 30*time.Second, "the timeline shows the 签收", func() bool {
		b.do(chromedp.Navigate(p.ConsoleURL + "/disputes/" + disputeID + "/timeline"))
		return strings.Contains(get(b, chromedp.Text(chromedp.CSS(`main`))), "签收")
	})
	if notes := get(b, chromedp.Text(chromedp.CSS(`.timeline`))); !strings.Contains(notes, "签发三联单，共3联") {
		t.Errorf("the timeline does not show supervision's notes: %s", notes)
	}
	b.shot("timeline")
	b.signOut()

	// The mediator opens the mediation from the dispute, schedules a
	// session, records it (a record without its focus is refused next to
	// the field) and registers the agreement.
	b.signIn("/disputes/"+disputeID, "mediator-622901")
	b.waitForLink(p.ConsoleURL+"/disputes/"+disputeID, `a[href^="/mediations/"]`)
	b.do(
		chromedp.Click(chromedp.CSS(`a[href^="/mediations/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule`)),
		chromedp.SetValue(chromedp.CSS(`#starts_at`), time.Now().Add(time.Hour).In(beijing).Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS(`#schedule`)),
		chromedp.WaitVisible(chromedp.CSS(`#record`)),
		chromedp.SendKeys(chromedp.CSS(`#applicant`), "要求李四拆除越界院墙"),
		chromedp.SendKeys(chromedp.CSS(`#respondent`), "院墙按老宅基地砌筑"),
		chromedp.SendKeys(chromedp.CSS(`#opinion`), "双方各让一步，院墙后移半米"),
		chromedp.SetValue(chromedp.CSS(`#session-result`), "agreed"),
		chromedp.Click(chromedp.CSS(`#record`)),
		chromedp.WaitVisible(chromedp.CSS(`#err-record-focus`)),
	)
	if focusError := get(b, chromedp.Text(chromedp.CSS(`#err-record-focus`))); !strings.Contains(focusError, "争议焦点") {
		t.Fatalf("the focus's error next to it: %q", focusError)
	}
	b.shot("session-field-error")
	b.do(
		chromedp.SendKeys(chromedp.CSS(`#focus`), "院墙位置"),
		clickForFlash(`#record`),
		chromedp.SetValue(chromedp.CSS(`#outcome`), "resolved"),
		chromedp.SendKeys(chromedp.CSS(`#summary`), "院墙后移半米"),
		chromedp.SendKeys(chromedp.CSS(`#terms`), "李四于十日内将院墙后移半米"),
		clickForFlash(`#close`),
	)
	if state := get(b, chromedp.Text(chromedp.CSS(`#mediation-state`))); !strings.Contains(state, "调解成功") {
		t.Fatalf("after the agreement the mediation reads %q", state)
	}
	// The record's text is read for the mediation, when asked.
	b.do(chromedp.Click(chromedp.CSS(`#read-records`)), chromedp.WaitVisible(chromedp.CSS(`#session-1 dl`)))
	if record := get(b, chromedp.Text(chromedp.CSS(`#session-1`))); !strings.Contains(record, "院墙位置") {
		t.Fatalf("the session's record reads %q", record)
	}
	b.shot("mediation")
	b.signOut()

	// The centre revisits the parties and records the dispute stable.
	b.signIn("/disputes/"+disputeID, "centre-622901")
	b.waitForLink(p.ConsoleURL+"/disputes/"+disputeID, `a[href^="/revisits/"]`)
	b.do(
		chromedp.Click(chromedp.CSS(`a[href^="/revisits/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#record-revisit`)),
		chromedp.Click(chromedp.CSS(`#outcome-stable`)),
		chromedp.SetValue(chromedp.CSS(`#satisfaction`), "satisfied"),
		clickForFlash(`#record-revisit`),
	)
	if outcome := get(b, chromedp.Text(chromedp.CSS(`#revisit-outcome`))); !strings.Contains(outcome, "稳定") {
		t.Fatalf("after the revisit it reads %q", outcome)
	}
	b.shot("revisit")
	b.signOut()

	// The committee, on a phone: the county's figures fit the screen's
	// width, and show the new dispute once supervision has counted it.
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	b.signIn("/county", "committee-622901")
	servicetest.Eventually(t, 30*time.Second, "the county's KPIs count the dispute", func() bool {
		b.do(chromedp.Navigate(p.ConsoleURL + "/county"))
		registered := get(b, chromedp.Text(chromedp.CSS(`#kpi-registered`)))
		return registered != "" && registered != "0"
	})
	pageWidth := get(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if pageWidth > 390 {
		t.Errorf("on a 390-pixel screen the page is %d pixels wide", pageWidth)
	}
	b.shot("county-on-a-phone")
	b.committeeSupervises(disputeID)
}

type browserRun struct {
	t       *testing.T
	ctx     context.Context
	console string
}

func (b *browserRun) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// get runs an action that reads something off the page.
func get[T any](b *browserRun, action chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, action)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// signIn opens path, which sends the browser to the provider's login
// form, and logs user in there; the provider sends it back to path.
func (b *browserRun) signIn(path, user string) {
	b.t.Helper()
	b.do(
		chromedp.Navigate(b.console+path),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), idp.DevPassword),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
	)
	if location := get(b, chromedp.Location()); !strings.HasPrefix(location, b.console+path) {
		b.t.Fatalf("signed in as %s, the browser is at %s, not %s", user, location, path)
	}
}

// waitForLink reloads a page until it shows a link the services' events
// put there (a mediation opens, a revisit is scheduled, a moment later).
func (b *browserRun) waitForLink(page, selector string) {
	b.t.Helper()
	servicetest.Eventually(b.t, 30*time.Second, "the page links "+selector, func() bool {
		b.do(chromedp.Navigate(page))
		return get(b, chromedp.Evaluate[bool](`document.querySelector('`+selector+`') !== null`))
	})
}

func (b *browserRun) signOut() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`.who button`)), chromedp.WaitVisible(chromedp.CSS(`a.button[href="/login"]`)))
}

func (b *browserRun) shot(name string) {
	b.t.Helper()
	png := get(b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(screenshots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// consolePlatform starts the platform on the sample counties and waits for
// the services.
func consolePlatform(t *testing.T) *devstack.Platform {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: samplePolicies,
		Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("platform stopped with: %v", err)
		}
	})
	for name, url := range p.URLs {
		servicetest.Eventually(t, time.Minute, name+" is ready", func() bool {
			resp, err := http.Get(url + "/readyz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == http.StatusOK
		})
	}
	return p
}

// openBrowser starts headless Chromium at a desktop size, in Chinese, for
// one test of at most timeout, closed when the test ends; screenshots go
// under var/.
func openBrowser(t *testing.T, exe, console string, timeout time.Duration) *browserRun {
	t.Helper()
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	allocator, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("disable-dev-shm-usage", true))...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocator)
	t.Cleanup(cancelBrowser)
	ctx, cancel := context.WithTimeout(browser, timeout)
	t.Cleanup(cancel)
	return &browserRun{t: t, ctx: ctx, console: console}
}

// registerWallDispute fills the registration form with the wall quarrel
// the browser tests play, the applicant's phone as given, and submits it.
func registerWallDispute(phone string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS(`#channel`), "alert_110"),
		chromedp.SetValue(chromedp.CSS(`#township`), "622901001"),
		chromedp.SetValue(chromedp.CSS(`#category`), "neighbour/boundary_wall"),
		chromedp.SendKeys(chromedp.CSS(`#party0_name`), "张三"),
		chromedp.SendKeys(chromedp.CSS(`#party0_phone`), phone),
		chromedp.SendKeys(chromedp.CSS(`#party1_name`), "李四"),
		chromedp.SendKeys(chromedp.CSS(`#summary`), "院墙争执"),
		chromedp.SendKeys(chromedp.CSS(`#narrative`), "两户因院墙位置发生争执，民警到场劝解。"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
	}
}

// clickForFlash clicks sel and waits for the page it leads to to show its
// notice. The notices of the page clicked on are taken away first: waiting
// for any notice would otherwise find the old page's at once, and the next
// step would act on a page being replaced.
func clickForFlash(sel string) chromedp.Action[chromedp.Void] {
	clearNotices := chromedp.Evaluate[bool](`document.querySelectorAll('.flash').forEach(e => e.remove()), true`)
	return chromedp.Steps(
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := clearNotices(ctx, t)
			return chromedp.Void{}, err
		},
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
}
