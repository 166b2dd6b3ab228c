package ports

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/httpserver"
)

// copyTitles are the printed names of the three copies (三联单: 存根联 is
// the station's, 督办联 the committee's, 办理联 the jurisdiction's).
var copyTitles = map[events.Copy]string{
	events.CopyCommittee:    "第一联 督办联（党委政法委）",
	events.CopyJurisdiction: "第二联 办理联（属地责任单位）",
	events.CopyPolice:       "第三联 存根联（派出所）",
}

// slipPage is the printable slip: the three copies on one page,
// each cut along the dashed line, each with the case code (一案一码). It
// carries what the committee copy carries, no parties: a printed sheet
// travels further than an API response.
var slipPage = template.Must(template.New("slip").Funcs(template.FuncMap{
	"title": func(c events.Copy) string { return copyTitles[c] },
	"when":  func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04") },
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>矛盾纠纷移交三联单 {{.CaseCode}}</title>
<style>
body{font-family:"Noto Serif CJK SC",serif;margin:1cm}
section{border-bottom:1px dashed #000;padding:0.6cm 0;page-break-inside:avoid}
h1{font-size:16pt;margin:0} .code{font-family:monospace;font-size:14pt}
table{border-collapse:collapse;width:100%} td{border:1px solid #000;padding:4px}
@media print{section{height:8.5cm}}
</style></head><body>
{{range .Copies}}<section>
<h1>矛盾纠纷移交三联单 · {{title .Copy}}</h1>
<p>案件编码 <span class="code">{{$.CaseCode}}</span> · 第 {{$.Round}} 轮 · 单号 {{$.ID}}</p>
<table>
<tr><td>纠纷类别</td><td>{{$.Category}}</td><td>风险等级</td><td>{{$.RiskLevel}}</td></tr>
<tr><td>发生地</td><td colspan="3">{{$.Place.CountyCode}} {{$.Place.TownshipCode}} {{$.Place.VillageCode}} {{$.Place.Grid}}</td></tr>
<tr><td>简要情况</td><td colspan="3">凭案件编码在受理系统查阅</td></tr>
<tr><td>移交单位</td><td>{{$.IssuedBy.ID}}</td><td>签发时间</td><td>{{when $.IssuedAt}}</td></tr>
<tr><td>接收单位</td><td>{{.Recipient.ID}}</td><td>签收时限</td><td>{{when .AcceptBy}}</td></tr>
<tr><td>签收人</td><td>{{.AcceptedBy}}</td><td>签收时间</td><td>{{if .AcceptedAt}}{{when .AcceptedAt}}{{end}}</td></tr>
{{if .Paused}}<tr><td>暂停计时</td><td colspan="3">{{when .Paused.Since}} 起：{{.Paused.Reason}}</td></tr>{{end}}
</table>
</section>{{end}}
</body></html>`))

func (h HTTP) PrintSlip(c echo.Context) error {
	caller := httpserver.Caller(c)
	s, err := h.App.Slip(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	var page bytes.Buffer
	if err := slipPage.Execute(&page, s); err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, page.Bytes())
}
