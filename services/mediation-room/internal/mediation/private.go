package mediation

import (
	"fmt"
	"slices"
)

// PrivateText detaches the mediation's free text from any memory it shares
// (a request body, a previous attempt of an update) and returns a pointer
// to each field, by a name that binds it to its place in the record: the
// agreement's text and the session records (focus, positions, opinions,
// the lawyer's facts, analysis and advice) name the parties and what they
// said, so they are sealed at rest and withheld from the roles that do not
// work on the case (docs/privacy.md).
func (m *Mediation) PrivateText() map[string]*string {
	f := map[string]*string{}
	if m.Settlement != nil {
		a := *m.Settlement
		a.Terms, a.Obligations = slices.Clone(a.Terms), slices.Clone(a.Obligations)
		m.Settlement = &a
		for name, field := range a.TextFields() {
			f["settlement/"+name] = field
		}
	}
	m.Sessions = slices.Clone(m.Sessions)
	for i := range m.Sessions {
		if m.Sessions[i].Record == nil {
			continue
		}
		r := *m.Sessions[i].Record
		m.Sessions[i].Record = &r
		at := fmt.Sprintf("sessions/%d/record/", i)
		f[at+"focus"], f[at+"opinion"] = &r.Focus, &r.Opinion
		r.Positions = slices.Clone(r.Positions)
		for j := range r.Positions {
			f[fmt.Sprintf("%spositions/%d", at, j)] = &r.Positions[j].Position
		}
		if r.LegalOpinion != nil {
			o := *r.LegalOpinion
			r.LegalOpinion = &o
			f[at+"legal_opinion/facts"], f[at+"legal_opinion/analysis"], f[at+"legal_opinion/advice"] = &o.Facts, &o.Analysis, &o.Advice
		}
	}
	return f
}
