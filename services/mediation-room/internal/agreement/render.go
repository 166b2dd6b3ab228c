package agreement

import (
	"fmt"
	"strings"
	"text/template"
	"time"
)

// Header is what the agreement's text says about the case, beyond its terms.
type Header struct {
	CaseCode    string
	MediationID string
	Room        string // the room's name, as the parties know it (its ID when it has none)
	Tier        int
	SignedAt    time.Time
}

// agreementTemplate is the 人民调解协议书 layout: case, room, what was
// agreed, each obligation with amount, manner, place and deadline, then the
// signatures. Parties appear by role: the paper with names is signed in the
// room, not stored here.
var agreementTemplate = template.Must(template.New("agreement").Funcs(template.FuncMap{
	"yuan": Yuan, "role": func(r any) string { return RoleName(fmt.Sprint(r)) },
	"date": func(t time.Time) string { return t.In(cst).Format("2006年01月02日") },
	"inc":  func(i int) int { return i + 1 },
}).Parse(`人民调解协议书
案件编号: {{.H.CaseCode}}    调解编号: {{.H.MediationID}}
调解室: {{.H.Room}} (第 {{.H.Tier}} 级调解)

纠纷简要及协议内容: {{.A.Summary}}
{{range $i, $t := .A.Terms}}
{{inc $i}}. {{$t}}{{end}}{{range $i, $o := .A.Obligations}}
履行事项 {{inc $i}}: {{role $o.Obligor}}应 {{$o.Duty}}{{if $o.AmountFen}}, 金额 {{yuan $o.AmountFen}}{{end}}
    履行方式: {{$o.Manner}}    履行地点: {{$o.Place}}    履行期限: {{date $o.Deadline}}前{{end}}

本协议经双方当事人签字、人民调解员签名并加盖调解委员会印章后生效。
{{range .A.Signatures}}
签字: {{role .Signer}}    {{date .SignedAt}}{{end}}
签订日期: {{date .H.SignedAt}}
`))

// Render writes the agreement's text from the template.
func Render(h Header, a Agreement) (string, error) {
	var b strings.Builder
	if err := agreementTemplate.Execute(&b, struct {
		H Header
		A Agreement
	}{h, a}); err != nil {
		return "", fmt.Errorf("while rendering the agreement of %s: %w", h.MediationID, err)
	}
	return b.String(), nil
}
