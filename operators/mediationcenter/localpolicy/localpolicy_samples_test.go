package localpolicy_test

import (
	"testing"

	"fengqiao.dev/operators/mediationcenter/localpolicy"
)

// TestSamplesLoad keeps the sample counties valid: the embedded stack
// publishes them on `make run`.
func TestSamplesLoad(t *testing.T) {
	centers, err := localpolicy.LoadDir("../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"622901": true, "620902": true, "370202": true}
	for _, c := range centers {
		p := localpolicy.Derive(&c)
		if !p.Staffing.Staffed {
			t.Errorf("sample %s is not staffed: %v", c.Spec.County.Code, p.Staffing.Gaps)
		}
		delete(want, c.Spec.County.Code)
	}
	if len(want) > 0 {
		t.Errorf("samples missing for counties %v", want)
	}
}
