package ports

import (
	"reflect"
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/intake/internal/dispute"
)

// TestRegistrationBodyMapsEveryField: a field the mapping forgets, either
// way, would be lost from a request or from its fingerprint.
func TestRegistrationBodyMapsEveryField(t *testing.T) {
	reg := storedshape.Filled[dispute.Registration]()
	if got := registrationBodyOf(reg).registration(); !reflect.DeepEqual(got, reg) {
		t.Fatalf("a registration came back from its body changed:\n got %+v\nwant %+v", got, reg)
	}
	body := storedshape.Filled[registrationBody]()
	if got := registrationBodyOf(body.registration()); !reflect.DeepEqual(got, body) {
		t.Fatalf("a body came back from its registration changed:\n got %+v\nwant %+v", got, body)
	}
	for _, empty := range []dispute.Registration{{}, {Parties: []dispute.PartyInput{}}} {
		if got := registrationBodyOf(empty).registration(); !reflect.DeepEqual(got, empty) {
			t.Fatalf("%#v came back as %#v", empty, got)
		}
	}
}
