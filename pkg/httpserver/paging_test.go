package httpserver

import "testing"

func TestAPageCountsItsItemsOnlyWhenItIsTheWholeList(t *testing.T) {
	for _, tc := range []struct {
		name        string
		items       []string
		after, next string
		total       *int
	}{
		{"first and last page", []string{"a", "b"}, "", "", new(2)},
		{"an empty list", nil, "", "", new(0)},
		{"first of several pages", []string{"a", "b"}, "", "k2", nil},
		{"last of several pages", []string{"c"}, "k2", "", nil},
		{"a middle page", []string{"c"}, "k2", "k3", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := PageOf(tc.items, tc.after, tc.next)
			switch {
			case tc.total == nil && p.Total != nil:
				t.Errorf("total %d, want none", *p.Total)
			case tc.total != nil && (p.Total == nil || *p.Total != *tc.total):
				t.Errorf("total %v, want %d", p.Total, *tc.total)
			}
			if p.Items == nil {
				t.Error("items are null, want an array")
			}
		})
	}
}
