package supervision_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/supervision"
)

// rebuiltCollections are the read models a replay writes.
var rebuiltCollections = []string{"case_files", "county_tallies", "county_due", "county_sums", "county_key_sums",
	"county_unstaffed", "obligations", "obligation_counts"}

// generationInID is a due slot's generation in its _id: each build names
// its own.
var generationInID = regexp.MustCompile(`^([0-9]+)/[0-9]+/`)

// storedReadModels are the states of the read models a replay writes, by
// collection and _id, as extended JSON: what two rebuilds must agree on.
// A build's generation of the due index (in a tally and its slots' IDs) is
// left out.
func storedReadModels(t *testing.T, ctx context.Context, cfg config.Common) map[string]map[string]string {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(cfg.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	out := map[string]map[string]string{}
	for _, c := range rebuiltCollections {
		cur, err := client.Database(cfg.MongoDatabase).Collection(supervision.Name+"."+c).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []struct {
			ID    string   `bson:"_id"`
			State bson.Raw `bson:"state"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		out[c] = map[string]string{}
		for _, d := range docs {
			// Through JSON, which writes the fields of a document sorted:
			// the driver writes a map's in no particular order.
			ext, err := bson.MarshalExtJSON(d.State, true, false)
			if err != nil {
				t.Fatal(err)
			}
			var state map[string]any
			if err := json.Unmarshal(ext, &state); err != nil {
				t.Fatal(err)
			}
			delete(state, "generation")
			j, err := json.Marshal(state)
			if err != nil {
				t.Fatal(err)
			}
			out[c][generationInID.ReplaceAllString(d.ID, "$1/G/")] = string(j)
		}
	}
	return out
}

// checkSameReadModels: a replay that builds the read models from the case
// files it holds in memory writes what one that read the case files back
// from the store writes.
func checkSameReadModels(t *testing.T, inMemory, fromStore map[string]map[string]string) {
	t.Helper()
	for _, c := range rebuiltCollections {
		if len(inMemory[c]) == 0 && c != "county_due" {
			t.Errorf("the replay wrote no %s", c)
		}
		for _, id := range slices.Sorted(maps.Keys(fromStore[c])) {
			if got, want := inMemory[c][id], fromStore[c][id]; got != want {
				t.Errorf("%s %s built in memory:\n got %s\nwant %s", c, id, got, want)
			}
		}
		if extra := len(inMemory[c]) - len(fromStore[c]); extra != 0 {
			t.Errorf("%s: %s", c, fmt.Sprint(len(inMemory[c]), " documents built in memory, ", len(fromStore[c]), " from the store"))
		}
	}
}
