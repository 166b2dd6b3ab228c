package referral_test

import (
	"strings"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral"
)

// A return's, a pause's or a transfer's reason over its bound, or holding NUL or invalid
// UTF-8, is a 400 problem naming #/reason, refused before the slip is
// looked up.
func TestReasonsAreBounded(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "S1")
	paths := map[string]string{"return": "copies/jurisdiction/return", "pause": "copies/jurisdiction/pause", "transfer": "transfer"}
	for _, action := range []string{"return", "pause", "transfer"} {
		for name, body := range map[string]string{
			"too long":      `{"reason": "` + strings.Repeat("退", 501) + `"}`,
			"NUL":           `{"reason": "不属\u0000本辖区"}`,
			"invalid UTF-8": "{\"reason\": \"不属\xff本辖区\"}",
		} {
			t.Run(action+" "+name, func(t *testing.T) {
				caller := centre
				if action == "transfer" {
					caller = committee
				}
				h.RefusesNaming(t, "/v1/slips/d-1.r1/"+paths[action], body, caller, "#/reason")
			})
		}
	}
}
