package intake_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/sealing"
	"fengqiao.dev/services/intake"
)

var dataKey = []byte("0123456789abcdef0123456789abcdef")

func TestPersonalDataIsSealedAtRest(t *testing.T) {
	h := servicetest.Start(t, intake.NewWith(intake.Options{DataKey: dataKey}))
	officer := servicetest.Officer("622901")
	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	if party(d)["phone"] != "13812345678" || d["address"] != "城北路 12 号" {
		t.Fatalf("the officer does not see the personal data: %v", d)
	}

	raw, err := h.Collection(t, "intake.disputes").FindOne(context.Background(), bson.D{}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	stored := raw.String()
	// The summary and the narrative are free text and name people as often
	// as not: sealed like the rest, and in no event of the outbox either.
	for _, secret := range []string{"13812345678", "11010519491231002X", "张三", "城北路", "民警到场劝解", "院墙争执"} {
		if strings.Contains(stored, secret) {
			t.Errorf("the store holds %q in the clear", secret)
		}
	}
	// The value names the key that sealed it, so a new key can seal new
	// records while old ones still open.
	if !strings.Contains(stored, "enc:a256gcm:"+sealing.KeyID(dataKey)+":") {
		t.Errorf("no sealed field under key %s in %s", sealing.KeyID(dataKey), stored)
	}

	// The summary stays readable, for a stated purpose, for the roles that
	// act on the dispute (a mediator on its team) and is withheld from the
	// others.
	seat(t, h, d["id"].(string), servicetest.Caller("622901", "room-1", identity.RoleMediator, "M1"))
	for _, tc := range []struct {
		caller identity.Caller
		reads  bool
	}{
		{officer, true},
		{servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7"), true},
		{servicetest.Caller("622901", "room-1", identity.RoleMediator, "M1"), true},
		{servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"), false},
		{servicetest.Caller("622901", "sys-1", identity.RoleSystem, ""), false},
	} {
		_, v := h.Do(t, "GET", "/v1/disputes/"+d["id"].(string)+"?purpose=handle_case", nil, tc.caller)
		if got := v["summary"] == "院墙争执"; got != tc.reads {
			t.Errorf("%s reads the summary: %v, want %v (%v)", tc.caller.Role, got, tc.reads, v["summary"])
		}
		if !tc.reads && (v["narrative"] != "" || !slices.Contains(v["withheld"].([]any), any("/summary"))) {
			t.Errorf("%s: narrative %q, withheld %v", tc.caller.Role, v["narrative"], v["withheld"])
		}
	}
}

// A rotation: records sealed under the old key keep opening once the
// service runs with a new key and the old one among the old keys, and the
// next write of a record seals it under the new key.
func TestSealedRecordsSurviveAKeyRotation(t *testing.T) {
	stack := embeddedtest.Start(t)
	before := servicetest.StartOn(t, stack, intake.NewWith(intake.Options{DataKey: dataKey}))
	_, d := before.Do(t, "POST", "/v1/disputes", registration(), servicetest.Officer("622901"))
	id := d["id"].(string)

	newKey := []byte("fedcba9876543210fedcba9876543210")
	after := servicetest.StartOn(t, stack, intake.NewWith(intake.Options{DataKey: newKey, OldDataKeys: [][]byte{dataKey}}))
	if status, v := after.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, servicetest.Officer("622901")); status != http.StatusOK || party(v)["phone"] != "13812345678" || v["summary"] != "院墙争执" {
		t.Fatalf("after the rotation: %d %v", status, v)
	}

	// The re-seal job moves the record to the new key, beside the serving
	// instance; run twice, the second run has nothing left to do.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reseal := intake.ResealWith(intake.Options{DataKey: newKey, OldDataKeys: [][]byte{dataKey}})
	for range 2 {
		if err := reseal(t.Context(), after.Config, log); err != nil {
			t.Fatalf("re-seal: %v", err)
		}
	}
	stored := storedDispute(t, after)
	if strings.Contains(stored, sealing.KeyID(dataKey)) || !strings.Contains(stored, "enc:a256gcm:"+sealing.KeyID(newKey)+":") {
		t.Fatalf("after the re-seal the store still names the old key: %s", stored)
	}
	// The old key can go: an instance holding the new key alone reads it.
	only := servicetest.StartOn(t, stack, intake.NewWith(intake.Options{DataKey: newKey}))
	if status, v := only.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, servicetest.Officer("622901")); status != http.StatusOK || v["narrative"] == "" || party(v)["name"] != "张三" {
		t.Fatalf("with the new key alone: %d %v", status, v)
	}
}

// storedDispute is the only stored dispute, as the store holds it.
func storedDispute(t *testing.T, h *servicetest.Harness) string {
	t.Helper()
	raw, err := h.Collection(t, "intake.disputes").FindOne(context.Background(), bson.D{}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	return raw.String()
}
