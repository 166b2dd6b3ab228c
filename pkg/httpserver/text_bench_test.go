package httpserver

import (
	"encoding/json"
	"strings"
	"testing"
)

// registrationLike is a body of the size and shape of a dispute's
// registration with a long narrative.
var registrationLike = []byte(`{"channel": "alert_110", "external_ref": "110-20261123-0042", "county_code": "622901",
 "place": {"township_code": "622901100", "village_code": "622901100001", "grid": "G-07", "address": "城北路 12 号"},
 "category": "neighbour", "parties": [{"role": "applicant", "name": "张三", "phone": "13812345678"}, {"role": "respondent", "name": "李四"}],
 "summary": "院墙争执", "narrative": "` + strings.Repeat("两户因院墙位置发生争执，民警到场劝解。", 100) + `"}`)

// BenchmarkDecodeOnly is what decoding into structs costs without the
// text checks; BenchmarkDecodeAndCheckText adds the depth and text checks
// DecodeJSON now makes.
func BenchmarkDecodeOnly(b *testing.B) {
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(registrationLike, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAndCheckText(b *testing.B) {
	limits := TextLimits{"/narrative": 4000}
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(registrationLike, &v); err != nil {
			b.Fatal(err)
		}
		if checkDepth(registrationLike, 32) != nil || len(checkJSONText(registrationLike, limits)) != 0 {
			b.Fatal("refused")
		}
	}
}
