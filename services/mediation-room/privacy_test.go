package mediationroom_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
)

// assertAgreementPrivate checks a resolved mediation's agreement text
// (docs/privacy.md): sealed in the store, absent from the mediations topic,
// withheld from the committee, readable by the mediator.
func assertAgreementPrivate(t *testing.T, h *servicetest.Harness, path string, secrets ...string) {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(h.Stack.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	id := strings.TrimPrefix(path, "/v1/mediations/")
	raw, err := client.Database(h.Config.MongoDatabase).Collection("mediation-room.mediations").
		FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		t.Fatalf("the stored mediation %s: %v", id, err)
	}
	stored := raw.String()
	if !strings.Contains(stored, "enc:a256gcm:") {
		t.Errorf("no sealed field in the stored mediation")
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
	mediator := servicetest.Caller("622901", "room-622901100", identity.RoleMediator, "M1")
	if _, body, _ := h.DoRaw(t, "GET", path, nil, mediator); !strings.Contains(string(body), secrets[1]) {
		t.Errorf("the mediator cannot read the agreement's summary: %s", body)
	}
}
