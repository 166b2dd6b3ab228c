package casefile

import "time"

// Rate is a ratio reported with its parts, so a reader can check it and a
// county can be compared with the sources' figures (DOMAIN.md: Linxia >80%
// resolved, revisit rate ≥95%). Value is 0 when Denominator is 0.
type Rate struct {
	Value       float64
	Numerator   int
	Denominator int
}

// NewRate builds numerator ÷ denominator, 0 when the denominator is 0.
func NewRate(numerator, denominator int) Rate {
	r := Rate{Numerator: numerator, Denominator: denominator}
	if denominator > 0 {
		r.Value = float64(numerator) / float64(denominator)
	}
	return r
}

// KPIs are one county's supervision figures (监督) as of a time.
type KPIs struct {
	AsOf time.Time
	// Registered counts the disputes registered: every case file. A case
	// file exists only because an event about a registered dispute arrived
	// (its own registration may still be in flight on the disputes topic),
	// so every numerator below is a subset of it.
	Registered int
	// Stages counts the disputes by their current stage (Stage); every
	// stage is present, zero or not, and the counts sum to Registered.
	Stages map[Stage]int
	// Resolution is the resolution rate (化解率): disputes whose latest
	// round reached "resolved" or later — resolved, revisit_scheduled or
	// closed (Stage.IsResolved) — ÷ disputes registered. A dispute whose
	// settlement rebounded counts again only once its new round is settled.
	Resolution Rate
	// Revisit is the revisit rate (回访率): disputes with a completed
	// revisit, stable or rebound (Revisited) ÷ disputes resolved at least
	// once, in any round (ResolvedOnce). A completed revisit implies a
	// settlement, so the numerator is a subset of the denominator.
	Revisit Rate
}

// Compute returns the KPIs of files as of asOf. The caller passes the case
// files of one county; asOf is reported, not used to filter.
func Compute(files []CaseFile, asOf time.Time) KPIs {
	k := KPIs{AsOf: asOf, Registered: len(files), Stages: make(map[Stage]int, len(Stages()))}
	for _, s := range Stages() {
		k.Stages[s] = 0
	}
	var resolved, settledOnce, revisited int
	for _, f := range files {
		stage := f.Stage()
		k.Stages[stage]++
		if stage.IsResolved() {
			resolved++
		}
		if f.ResolvedOnce() {
			settledOnce++
			if f.Revisited() {
				revisited++
			}
		}
	}
	k.Resolution = NewRate(resolved, k.Registered)
	k.Revisit = NewRate(revisited, settledOnce)
	return k
}
