package policy

// Agency returns the agency with the given ID.
func (p *CountyPolicy) Agency(id string) (Agency, bool) {
	for _, a := range p.Agencies {
		if a.ID == id {
			return a, true
		}
	}
	return Agency{}, false
}

// Route returns the agency responsible for a dispute of category c in
// township ("谁主管谁负责"): a rule for that township wins over a county-wide
// rule; a category without a rule falls back to the rules for Other.
func (p *CountyPolicy) Route(c Category, township string) (Agency, bool) {
	for _, cat := range []Category{c, Other} {
		if id, ok := p.routeExact(cat, township); ok {
			return p.Agency(id)
		}
	}
	return Agency{}, false
}

func (p *CountyPolicy) routeExact(c Category, township string) (string, bool) {
	wide := ""
	for _, r := range p.Routing {
		switch {
		case r.Category != c:
		case r.Township == township && township != "":
			return r.Agency, true
		case r.Township == "" && wide == "":
			wide = r.Agency
		}
	}
	return wide, wide != ""
}

// MediatorsFor returns the mediators at tier skilled in category c, on-call ones
// first, in policy order otherwise.
func (p *CountyPolicy) MediatorsFor(c Category, tier Tier) []Mediator {
	var onCall, rest []Mediator
	for _, m := range p.Mediators {
		if m.Tier != tier || m.Capacity < 1 || !hasSkill(m, c) {
			continue
		}
		if m.OnCall {
			onCall = append(onCall, m)
		} else {
			rest = append(rest, m)
		}
	}
	return append(onCall, rest...)
}

func hasSkill(m Mediator, c Category) bool {
	for _, s := range m.Skills {
		if s == c {
			return true
		}
	}
	return false
}

// ExtraRevisits returns the extra revisits a settled dispute of category c
// gets, and their interval.
func (r RevisitPolicy) ExtraRevisits(c Category) (int, Duration) {
	for _, rule := range r.ReboundProne {
		if rule.Category == c {
			return rule.ExtraRevisits, rule.Interval
		}
	}
	return 0, Duration{}
}

// Township finds a township of the jurisdiction tree by its ID or by its
// 9-digit division code, the form in which intake records a place.
func (p *CountyPolicy) Township(idOrCode string) (Township, bool) {
	for _, t := range p.Jurisdiction {
		if idOrCode != "" && (t.ID == idOrCode || t.Code == idOrCode) {
			return t, true
		}
	}
	return Township{}, false
}

// Village finds a village of t by its ID or its 12-digit division code.
func (t Township) Village(idOrCode string) (Village, bool) {
	for _, v := range t.Villages {
		if idOrCode != "" && (v.ID == idOrCode || v.Code == idOrCode) {
			return v, true
		}
	}
	return Village{}, false
}

// CommunityOfficer returns the police officer the county's roster names
// for a police station, who follows its disputes in second handling
// (二次处置: the command room re-dispatches to the community officer, the
// Ganzhou article); false when the roster names none, and second handling
// falls back to the station's duty officer.
func (p *CountyPolicy) CommunityOfficer(station string) (Mediator, bool) {
	for _, m := range p.Mediators {
		if m.Role == RolePoliceOfficer && m.Agency == station {
			return m, true
		}
	}
	return Mediator{}, false
}
