package intake_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

func TestPersonalDataIsSealedAtRest(t *testing.T) {
	h := servicetest.Start(t, intake.NewWith(intake.Options{DataKey: []byte("0123456789abcdef0123456789abcdef")}))
	officer := servicetest.Officer("622901")
	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	if party(d)["phone"] != "13812345678" || d["address"] != "城北路 12 号" {
		t.Fatalf("the officer does not see the personal data: %v", d)
	}

	client, err := mongo.Connect(options.Client().ApplyURI(h.Stack.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	raw, err := client.Database(h.Config.MongoDatabase).Collection("intake.disputes").FindOne(context.Background(), bson.D{}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	stored := raw.String()
	for _, secret := range []string{"13812345678", "11010519491231002X", "张三", "城北路", "民警到场劝解"} {
		if strings.Contains(stored, secret) {
			t.Errorf("the store holds %q in the clear", secret)
		}
	}
	// The summary is not personal data (it travels on the slip): it shows the
	// check above reads the stored text as it is.
	if !strings.Contains(stored, "enc:a256gcm:") || !strings.Contains(stored, "院墙争执") {
		t.Errorf("no sealed field in %s", stored)
	}
}
