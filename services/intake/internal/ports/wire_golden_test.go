package ports

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// wirePath is testdata/wire/<name>: what clients send and read, and what
// is stored with every dispute (its request fingerprint), must not change
// when the types behind them do (storedshape.File compares with it).
func wirePath(name string) string { return filepath.Join("testdata", "wire", name) }

// realisticRegistration is a registration as an officer submits one, with
// a map pin and a redirect, so every kind of field is hashed.
func realisticRegistration() dispute.Registration {
	lat, long := 35.600346, 103.210621
	return dispute.Registration{
		Channel: events.ChannelAlert110, ExternalRef: "110-20261123-0042", CountyCode: "622901",
		Place: dispute.PlaceInput{
			TownshipCode: "622901100", VillageCode: "622901100001", Grid: "G-07", Address: "城北路 12 号",
			Lat: &lat, Long: &long,
		},
		Category: events.CategoryNeighbour, Subcategory: "boundary_wall",
		Parties: []dispute.PartyInput{
			{Role: events.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X", Phone: "13812345678"},
			{Role: events.PartyRespondent, Name: "李四"},
		},
		GroupSize: 3, Summary: "宅基地边界争执", Narrative: "两户因院墙位置发生争执，民警到场劝解。",
		ThreatsOfViolence: true, VulnerableParties: true, Stage: dispute.StageIntensifying, DurationDays: 30,
		Redirect: &dispute.Redirect{To: dispute.RedirectLitigation, Reason: "已起诉"},
	}
}

// TestRequestFingerprintsAreStable: every dispute stores the fingerprint of
// its request, and a replayed Idempotency-Key is refused when the new
// body's differs, so the fingerprint of a registration must never change.
func TestRequestFingerprintsAreStable(t *testing.T) {
	for name, reg := range map[string]dispute.Registration{
		"filled":     storedshape.Filled[dispute.Registration](),
		"realistic":  realisticRegistration(),
		"zero":       {},
		"open311":    mustRegistrationOf311(t),
		"no-options": {Channel: events.ChannelWalkIn, CountyCode: "622901", Category: events.CategoryLabour, Parties: []dispute.PartyInput{{Role: events.PartyApplicant, Name: "王五"}}, Summary: "欠薪", Narrative: "工地欠薪"},
	} {
		t.Run(name, func(t *testing.T) {
			storedshape.File(t, wirePath("fingerprint-"+name+".txt"), []byte(fingerprint(reg)+"\n"))
		})
	}
}

func mustRegistrationOf311(t *testing.T) dispute.Registration {
	t.Helper()
	form := map[string]string{
		"service_code": "neighbour", "description": "邻居家的狗夜里一直叫，多次沟通无果。", "address_string": "城北路 12 号",
		"lat": "35.600346", "long": "103.210621", "last_name": "张", "first_name": "三", "phone": "13812345678",
		"attribute[township_code]": "622901100", "attribute[external_ref]": "12345-0001",
	}
	reg, err := registrationOf311(func(k string) string { return form[k] }, "622901")
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestCategoriesAnswerIsStable records GET /v1/categories, of the
// province's taxonomy and of a county's override of it.
func TestCategoriesAnswerIsStable(t *testing.T) {
	override := &policy.CountyPolicy{Categories: &policy.CategoryOverride{Version: "3", Children: map[policy.Category][]policy.CategoryNode{
		"neighbour": {{Code: "livestock", Label: "牲畜", Children: []policy.CategoryNode{{Code: "dogs", Label: "犬只"}}}, {Code: "noise", Label: "噪音"}},
	}}}
	h := HTTP{App: &app.App{Policy: func(county string) (*policy.CountyPolicy, bool) {
		return override, county == "622902"
	}}}
	for name, county := range map[string]string{"default": "622901", "override": "622902"} {
		t.Run(name, func(t *testing.T) {
			storedshape.File(t, wirePath("categories-"+name+".json"), serve(t, h.ListCategories, identity.Caller{County: county, Role: identity.RoleOfficer}))
		})
	}
}

// TestDisputeViewIsStable records a dispute as GET /v1/disputes/:id shows
// it, in full and masked.
func TestDisputeViewIsStable(t *testing.T) {
	d := storedshape.Filled[dispute.Dispute]()
	for name, role := range map[string]identity.Role{"officer": identity.RoleOfficer, "supervisor": identity.RoleSupervisor} {
		t.Run(name, func(t *testing.T) {
			b, err := json.MarshalIndent(view(d, identity.Caller{County: d.CountyCode, Role: role}), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			storedshape.File(t, wirePath("dispute-view-"+name+".json"), append(b, '\n'))
		})
	}
}

// serve runs handler for caller and returns its answer's body.
func serve(t *testing.T, handler echo.HandlerFunc, caller identity.Caller) []byte {
	t.Helper()
	e := echo.New()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(identity.WithCaller(req.Context(), caller))
	rec := httptest.NewRecorder()
	if err := handler(e.NewContext(req, rec)); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}
