package load

import (
	"slices"
	"testing"
)

func TestALoadCountsEachCaseOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shares []Share
		want   Load
	}{
		{"opened", []Share{ShareOpen}, Load{Open: []string{"m"}}},
		{"opened twice", []Share{ShareOpen, ShareOpen}, Load{Open: []string{"m"}}},
		{"resolved", []Share{ShareOpen, ShareResolved}, Load{Open: []string{}, Closed: 1, Resolved: 1, Counted: []string{"m"}}},
		{"resolved twice", []Share{ShareOpen, ShareResolved, ShareResolved}, Load{Open: []string{}, Closed: 1, Resolved: 1, Counted: []string{"m"}}},
		{"failed", []Share{ShareOpen, ShareClosed}, Load{Open: []string{}, Closed: 1, Counted: []string{"m"}}},
		{"closed without its opening", []Share{ShareClosed}, Load{Closed: 1, Counted: []string{"m"}}},
		{"left the team", []Share{ShareOpen, ShareNone}, Load{Open: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l Load
			for _, s := range tc.shares {
				l.Apply("m", s)
			}
			if len(l.Open) != len(tc.want.Open) || !slices.Equal(l.Counted, tc.want.Counted) ||
				l.Closed != tc.want.Closed || l.Resolved != tc.want.Resolved {
				t.Fatalf("load %+v, want %+v", l, tc.want)
			}
		})
	}
}

func TestALoadRemembersABoundedNumberOfClosings(t *testing.T) {
	var l Load
	for i := range 3 * maxCounted {
		l.Apply(string(rune('a'+i%26))+string(rune(i)), ShareClosed)
	}
	if len(l.Counted) != maxCounted || l.Closed != 3*maxCounted {
		t.Fatalf("counted %d, closed %d", len(l.Counted), l.Closed)
	}
}
