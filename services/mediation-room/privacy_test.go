package mediationroom_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/sealing"
	mediationroom "fengqiao.dev/services/mediation-room"
)

var dataKey = []byte("0123456789abcdef0123456789abcdef")

// assertAgreementPrivate checks a resolved mediation's free text, the
// agreement's and the session records' (docs/privacy.md): sealed in the
// store, absent from the mediations topic, withheld from the committee,
// readable by the mediator (secrets[1] must be the agreement's summary).
func assertAgreementPrivate(t *testing.T, h *servicetest.Harness, path string, mediator identity.Caller, secrets ...string) {
	t.Helper()
	id := strings.TrimPrefix(path, "/v1/mediations/")
	raw, err := h.Collection(t, "mediation-room.mediations").
		FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		t.Fatalf("the stored mediation %s: %v", id, err)
	}
	stored := raw.String()
	if !strings.Contains(stored, "enc:a256gcm:"+sealing.KeyID(dataKey)+":") {
		t.Errorf("no field sealed under key %s in the stored mediation", sealing.KeyID(dataKey))
	}
	for _, msg := range h.Read(t, events.TopicMediations, 1) {
		for _, secret := range secrets {
			if strings.Contains(string(msg.Value), secret) {
				t.Errorf("the mediations topic carries %q in the clear", secret)
			}
		}
	}
	for _, secret := range secrets {
		if strings.Contains(stored, secret) {
			t.Errorf("the store holds %q in the clear", secret)
		}
	}

	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	if status, _, _ := h.DoRaw(t, "GET", path+"/agreement", nil, committee); status != http.StatusForbidden {
		t.Errorf("the committee read the agreement's text: %d", status)
	}
	status, body, _ := h.DoRaw(t, "GET", path, nil, committee)
	if status != http.StatusOK {
		t.Fatalf("the committee's view: %d %s", status, body)
	}
	for _, secret := range secrets {
		if strings.Contains(string(body), secret) {
			t.Errorf("the committee's view shows %q", secret)
		}
	}
	if _, body, _ := h.DoRaw(t, "GET", path, nil, mediator); strings.Contains(string(body), secrets[1]) {
		t.Errorf("the mediator reads the agreement's summary without stating why: %s", body)
	}
	if _, body, _ := h.DoRaw(t, "GET", path+"?purpose=mediation", nil, mediator); !strings.Contains(string(body), secrets[1]) {
		t.Errorf("the mediator cannot read the agreement's summary: %s", body)
	}
	assertTextReadsAudited(t, h, path, committee, mediator, secrets...)
}

// assertTextReadsAudited: the mediation's text reads and writes are on the
// room's audit trail, which the committee queries by case; it names who and
// why, never the text, and its chain verifies.
func assertTextReadsAudited(t *testing.T, h *servicetest.Harness, path string, committee, mediator identity.Caller, secrets ...string) {
	t.Helper()
	_, m := h.Do(t, "GET", path, nil, committee)
	status, raw, _ := h.DoRaw(t, "GET", "/v1/audit/records?case="+m["dispute_id"].(string), nil, committee)
	if status != http.StatusOK {
		t.Fatalf("the room's audit trail: %d %s", status, raw)
	}
	for _, secret := range secrets {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the audit trail holds %q", secret)
		}
	}
	for _, want := range []string{`"action":"change"`, `"purpose":"mediation"`, `"officer":"` + mediator.Officer + `"`, `"/agreement"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the audit trail lacks %s: %s", want, raw)
		}
	}
	if _, v := h.Do(t, "GET", "/v1/audit/verify", nil, committee); v["intact"] != true {
		t.Errorf("the room's audit chain: %v", v)
	}
}

// assertResealMovesTheAgreement rotates the key under a resolved
// mediation: the re-seal job moves its agreement to the new key. The
// running service holds the old key only, so this comes last.
func assertResealMovesTheAgreement(t *testing.T, h *servicetest.Harness, path string) {
	t.Helper()
	id := strings.TrimPrefix(path, "/v1/mediations/")
	newKey := []byte("fedcba9876543210fedcba9876543210")
	reseal := mediationroom.ResealWith(mediationroom.Options{DataKey: newKey, OldDataKeys: [][]byte{dataKey}})
	if err := reseal(t.Context(), h.Config, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("re-seal: %v", err)
	}
	raw, err := h.Collection(t, "mediation-room.mediations").
		FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if resealed := raw.String(); strings.Contains(resealed, sealing.KeyID(dataKey)) || !strings.Contains(resealed, ":"+sealing.KeyID(newKey)+":") {
		t.Errorf("after the re-seal the agreement is not under the new key alone: %s", resealed)
	}
}
