package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"fengqiao.dev/embedded/servicetest"
)

// committeeSupervises is the committee's part of the browser test, on a
// desktop screen after the phone: the county's figures count the resolved
// dispute and the charts are drawn; the committee urges the dispute with a
// comment, puts it on the watch list and downloads the day's ledger as CSV
// for Excel, then the overdue list and its CSV. The browser must be
// signed in as the committee.
func (b *browserRun) committeeSupervises(disputeID string) {
	b.t.Helper()
	b.do(chromedp.EmulateReset(), chromedp.EmulateViewport(1280, 900))

	servicetest.Eventually(b.t, 30*time.Second, "the county's KPIs count the settled dispute", func() bool {
		b.do(chromedp.Navigate(b.console+"/county"), chromedp.WaitVisible(chromedp.CSS(`#kpi-resolution`)))
		return get(b, chromedp.Text(chromedp.CSS(`#kpi-resolution`))) != "0.0%"
	})
	servicetest.Eventually(b.t, 10*time.Second, "ECharts draws the county's charts", func() bool {
		return get(b, chromedp.Evaluate[bool](`document.querySelectorAll('.chart.drawn canvas').length === 2`))
	})
	if rows := get(b, chromedp.Evaluate[int](`document.querySelectorAll('#warnings-table tbody tr').length`)); rows == 0 {
		b.t.Error("the warning heat table has no township")
	}
	b.shot("county-charts")

	const comment = "请属地综治中心本周内上门化解并回告"
	b.do(
		chromedp.Navigate(b.console+"/disputes/"+disputeID),
		chromedp.Click(chromedp.CSS(`#supervision-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#send-urge`)),
		chromedp.Click(chromedp.CSS(`#send-urge`)),
		chromedp.WaitVisible(chromedp.CSS(`#err-comment`)),
	)
	b.shot("urge-field-error")
	b.do(
		chromedp.SendKeys(chromedp.CSS(`#urge-comment`), comment),
		clickForFlash(`#send-urge`),
	)
	if urges := get(b, chromedp.Text(chromedp.CSS(`#urges`))); !strings.Contains(urges, comment) || !strings.Contains(urges, "责任单位未阅") {
		b.t.Errorf("after urging, the case's urges read %q", urges)
	}
	b.do(chromedp.Click(chromedp.CSS(`#watch`)), chromedp.WaitVisible(chromedp.CSS(`#unwatch`)))
	b.shot("urge-and-watch")

	b.do(chromedp.Navigate(b.console+"/watchlist"), chromedp.WaitVisible(chromedp.CSS(`#watchlist-table`)))
	if !get(b, chromedp.Evaluate[bool](`document.querySelector('#watchlist-table a[href="/disputes/`+disputeID+`/supervision"]') !== null`)) {
		b.t.Error("the watch list does not hold the dispute")
	}
	b.shot("watchlist")

	b.do(chromedp.Navigate(b.console+"/ledger"), chromedp.WaitVisible(chromedp.CSS(`#ledger-table`)))
	b.shot("ledger")
	b.downloadCSV(`#ledger-csv`, "ledger-*.csv", "日期,责任单位")
	b.do(chromedp.Navigate(b.console+"/overdue"), chromedp.WaitVisible(chromedp.CSS(`#overdue-table`)))
	b.shot("overdue")
	b.downloadCSV(`#overdue-csv`, "overdue-*.csv", "纠纷编号,责任单位")
}

// downloadCSV clicks a CSV link and checks the file the browser saved
// next to the screenshots opens with the UTF-8 byte order mark Excel needs
// and begins with its Chinese headings.
func (b *browserRun) downloadCSV(link, pattern, headings string) {
	b.t.Helper()
	old, _ := filepath.Glob(filepath.Join(screenshots, pattern))
	for _, f := range old {
		_ = os.Remove(f)
	}
	if _, err := chromedp.CallBrowser(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: screenshots}); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS(link)))
	var data []byte
	servicetest.Eventually(b.t, 20*time.Second, "the browser saves the CSV", func() bool {
		files, _ := filepath.Glob(filepath.Join(screenshots, pattern))
		if len(files) != 1 {
			return false
		}
		data, _ = os.ReadFile(files[0])
		return len(data) > 0
	})
	if text, ok := strings.CutPrefix(string(data), "\ufeff"); !ok || !strings.HasPrefix(text, headings) {
		b.t.Errorf("the downloaded CSV begins %q", data[:min(len(data), 40)])
	}
}
