package v1alpha1

import "testing"

func TestCountyDivisions(t *testing.T) {
	for _, tc := range []struct {
		code, province, prefecture string
	}{
		{"622901", "62", "6229"}, // Linxia city, Linxia prefecture, Gansu
		{"620902", "62", "6209"}, // Suzhou district, Jiuquan, Gansu
		{"370202", "37", "3702"}, // Shinan district, Qingdao, Shandong
		{"110105", "11", "1101"}, // Chaoyang district of Beijing: the municipality's districts
		{"429004", "42", "4290"}, // Xiantao: a county-level city Hubei governs directly
		{"62", "62", ""},
		{"", "", ""},
	} {
		c := County{Code: tc.code}
		if got := c.ProvinceCode(); got != tc.province {
			t.Errorf("ProvinceCode of %q = %q, want %q", tc.code, got, tc.province)
		}
		if got := c.PrefectureCode(); got != tc.prefecture {
			t.Errorf("PrefectureCode of %q = %q, want %q", tc.code, got, tc.prefecture)
		}
	}
}
