package loadgen

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// Category is a first-level category of a county's taxonomy and the codes
// of its second level, as GET /v1/categories returns them.
type Category struct {
	Code          string
	Subcategories []string
}

// Report is one POST /v1/disputes: who records it and what.
type Report struct {
	County, Station, Officer string
	IdempotencyKey           string
	Body                     Registration
	// Repeat: the applicant's phone number is one an earlier report of this
	// run used, so the platform should link it instead of opening a dispute.
	Repeat bool
}

// Registration is the request body of POST /v1/disputes.
type Registration struct {
	Channel     string  `json:"channel"`
	ExternalRef string  `json:"external_ref"`
	CountyCode  string  `json:"county_code"`
	Place       Place   `json:"place"`
	Category    string  `json:"category"`
	Subcategory string  `json:"subcategory,omitempty"`
	Parties     []Party `json:"parties"`
	Summary     string  `json:"summary"`
	Narrative   string  `json:"narrative"`
}

// Party is one party of a registration.
type Party struct {
	Role  string `json:"role"`
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
}

// maxDisputesPerRun bounds a run: the phone numbers of a run are its nonce
// followed by a five-digit sequence, so they stay distinct within the run
// and, unless two runs draw the same nonce, from every earlier run on the
// same data directory, which would otherwise link them as repeats.
const maxDisputesPerRun = 100_000

// Generator writes realistic, valid disputes for the counties: their own
// township and village codes and police stations, categories of their
// taxonomy, and parties distinct from every other report of the run except
// for the configured share of repeats. It is safe for concurrent use.
type Generator struct {
	counties    []County
	categories  map[string][]Category // by county code
	repeatShare float64
	nonce       int

	mu       sync.Mutex
	rnd      *rand.Rand
	seq      int
	previous []Report // first reports a repeat can repeat, newest last
}

// NewGenerator returns a generator; seed makes its choices reproducible
// (the nonce is drawn from it too, so give each run its own seed).
func NewGenerator(counties []County, categories map[string][]Category, repeatShare float64, seed uint64) (*Generator, error) {
	for _, c := range counties {
		if len(categories[c.Code]) == 0 {
			return nil, fmt.Errorf("county %s has no categories", c.Code)
		}
	}
	if repeatShare < 0 || repeatShare > 1 {
		return nil, fmt.Errorf("the share of repeats must be between 0 and 1, not %v", repeatShare)
	}
	rnd := rand.New(rand.NewPCG(seed, seed^0x5eed))
	return &Generator{counties: counties, categories: categories, repeatShare: repeatShare, rnd: rnd, nonce: rnd.IntN(10_000)}, nil
}

// Next returns the next report, or an error once the run has used every
// distinct phone number it can.
func (g *Generator) Next() (Report, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seq >= maxDisputesPerRun {
		return Report{}, fmt.Errorf("a run writes at most %d disputes", maxDisputesPerRun)
	}
	g.seq++
	if len(g.previous) > 0 && g.rnd.Float64() < g.repeatShare {
		return g.repeat(), nil
	}
	r := g.first()
	g.remember(r)
	return r, nil
}

// first is a report about new parties.
func (g *Generator) first() Report {
	c := g.counties[g.rnd.IntN(len(g.counties))]
	cat := g.categories[c.Code][g.rnd.IntN(len(g.categories[c.Code]))]
	sub := ""
	if len(cat.Subcategories) > 0 && g.rnd.IntN(2) == 0 {
		sub = cat.Subcategories[g.rnd.IntN(len(cat.Subcategories))]
	}
	r := g.recorded(c)
	r.Body = Registration{
		Channel: channels[g.rnd.IntN(len(channels))], CountyCode: c.Code,
		Place:    c.Places[g.rnd.IntN(len(c.Places))],
		Category: cat.Code, Subcategory: sub,
		Parties: []Party{
			{Role: "applicant", Name: g.name(), Phone: g.phone()},
			{Role: "respondent", Name: g.name()},
		},
		Summary:   summaries[g.rnd.IntN(len(summaries))],
		Narrative: "双方因此发生争执，民警到场劝解，当事人同意调解。",
	}
	r.Body.ExternalRef = r.IdempotencyKey
	return r
}

// repeat is a new report of the same parties as an earlier one: another
// call about the same quarrel.
func (g *Generator) repeat() Report {
	earlier := g.previous[g.rnd.IntN(len(g.previous))]
	r := g.recorded(g.county(earlier.County))
	r.Body = earlier.Body
	r.Body.Parties = append([]Party(nil), earlier.Body.Parties...)
	r.Body.ExternalRef = r.IdempotencyKey
	r.Repeat = true
	return r
}

// recorded is a report's caller and its own idempotency key.
func (g *Generator) recorded(c County) Report {
	station := g.rnd.IntN(len(c.Stations))
	return Report{
		County: c.Code, Station: c.Stations[station],
		Officer:        fmt.Sprintf("L%d%03d", station, g.rnd.IntN(1000)),
		IdempotencyKey: fmt.Sprintf("load-%04d-%06d", g.nonce, g.seq),
	}
}

func (g *Generator) county(code string) County {
	for _, c := range g.counties {
		if c.Code == code {
			return c
		}
	}
	panic("a repeat of a report from a county the generator does not have: " + code)
}

// remember keeps the last first reports for repeats; a bounded window keeps
// the repeats of a long run about recent disputes, as they are in life.
func (g *Generator) remember(r Report) {
	const window = 1000
	if len(g.previous) == window {
		g.previous = g.previous[1:]
	}
	g.previous = append(g.previous, r)
}

// phone is a mainland mobile number unique to this report within the run.
func (g *Generator) phone() string {
	return fmt.Sprintf("13%04d%05d", g.nonce, g.seq%maxDisputesPerRun)
}

func (g *Generator) name() string {
	return surnames[g.rnd.IntN(len(surnames))] + givenNames[g.rnd.IntN(len(givenNames))]
}

var (
	channels   = []string{"alert_110", "walk_in", "patrol"}
	surnames   = []string{"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "马", "周", "吴", "徐"}
	givenNames = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"}
	summaries  = []string{"院墙争执", "宅基地边界争议", "拖欠工资", "借款未还", "噪音扰邻", "漏水损坏楼下", "婚后财产分割", "承包地界争议", "物业费争议", "交通事故赔偿"}
)
