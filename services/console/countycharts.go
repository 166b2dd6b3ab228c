package console

import (
	"strconv"

	"fengqiao.dev/api/fengqiaoapi"
)

// The county page's charts are drawn in the browser by ECharts from
// figures the page embeds as JSON; the same figures are in the page's
// tables, so the page reads fully without scripts and a test reads the
// tables, not a canvas.

// countyCharts are the figures the county page's charts draw.
type countyCharts struct {
	Rates []chartRate `json:"rates"`
	Areas []chartArea `json:"areas"`
	Month string      `json:"month"`
}

type chartRate struct {
	Name   string   `json:"name"`
	Value  float64  `json:"value"`            // percent
	Target *float64 `json:"target,omitempty"` // percent
}

type chartArea struct {
	Name     string `json:"name"`
	Score    int    `json:"score"`
	Previous int    `json:"previous"`
	Colour   string `json:"colour"`
}

// Rates are the county's rates with their names and targets, in the
// order the page lists them.
func (p countyPage) Rates() []chartRate {
	k := p.KPIs
	plain := func(r fengqiaoapi.Rate) fengqiaoapi.TargetRate {
		return fengqiaoapi.TargetRate{Value: r.Value, Numerator: r.Numerator, Denominator: r.Denominator}
	}
	named := []struct {
		name string
		r    fengqiaoapi.TargetRate
	}{
		{"调解成功率", k.ResolutionRate}, {"按时签收率", plain(k.OnTimeRate)}, {"回访率", k.RevisitRate},
		{"反弹率", plain(k.ReboundRate)}, {"满意率", plain(k.SatisfactionRate)},
	}
	out := make([]chartRate, 0, len(named))
	for _, n := range named {
		cr := chartRate{Name: n.name, Value: percentOf(n.r.Value)}
		if n.r.Target != nil {
			t := percentOf(*n.r.Target)
			cr.Target = &t
		}
		out = append(out, cr)
	}
	return out
}

// TargetText is the target as the table shows it, a dash when the county
// set none.
func (r chartRate) TargetText() string {
	if r.Target == nil {
		return "—"
	}
	return strconv.FormatFloat(*r.Target, 'f', 1, 64) + "%"
}

func percentOf(v float64) float64 { return float64(int(v*1000+0.5)) / 10 }

// Charts are the figures the page's charts draw, areas named.
func (p countyPage) Charts(n *names) countyCharts {
	c := countyCharts{Rates: p.Rates(), Month: p.Warnings.Month}
	for _, w := range p.Warnings.Areas {
		c.Areas = append(c.Areas, chartArea{Name: n.Division(w.Area), Score: w.Score, Previous: w.PreviousScore, Colour: w.Colour})
	}
	return c
}

// Heat is the area's score as one of five shades (0–4) of its colour in
// the heat table: a red area at 95 reads darker than one at 61.
func (w warning) Heat() int { return min(max(w.Score, 0)/20, 4) }

// Trend says which way the index moved since last month, in words that
// also read without the colour.
func (w warning) Trend() string {
	switch {
	case w.Change > 0:
		return "上升"
	case w.Change < 0:
		return "下降"
	}
	return "持平"
}

// Label is a ledger item in words.
func (it ledgerItem) Label() string { return ledgerWhat(it.What) }
