package app

import (
	"slices"
	"testing"
)

func TestAMediatorLoadCountsEachCaseOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shares []share
		want   MediatorLoad
	}{
		{"opened", []share{openShare}, MediatorLoad{Open: []string{"m"}}},
		{"opened twice", []share{openShare, openShare}, MediatorLoad{Open: []string{"m"}}},
		{"resolved", []share{openShare, resolvedShare}, MediatorLoad{Open: []string{}, Closed: 1, Resolved: 1, Counted: []string{"m"}}},
		{"resolved twice", []share{openShare, resolvedShare, resolvedShare}, MediatorLoad{Open: []string{}, Closed: 1, Resolved: 1, Counted: []string{"m"}}},
		{"failed", []share{openShare, closedShare}, MediatorLoad{Open: []string{}, Closed: 1, Counted: []string{"m"}}},
		{"closed without its opening", []share{closedShare}, MediatorLoad{Closed: 1, Counted: []string{"m"}}},
		{"left the team", []share{openShare, noShare}, MediatorLoad{Open: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l MediatorLoad
			for _, s := range tc.shares {
				l.apply("m", s)
			}
			if len(l.Open) != len(tc.want.Open) || !slices.Equal(l.Counted, tc.want.Counted) ||
				l.Closed != tc.want.Closed || l.Resolved != tc.want.Resolved {
				t.Fatalf("load %+v, want %+v", l, tc.want)
			}
		})
	}
}

func TestAMediatorLoadRemembersABoundedNumberOfClosings(t *testing.T) {
	var l MediatorLoad
	for i := range 3 * maxCounted {
		l.apply(string(rune('a'+i%26))+string(rune(i)), closedShare)
	}
	if len(l.Counted) != maxCounted || l.Closed != 3*maxCounted {
		t.Fatalf("counted %d, closed %d", len(l.Counted), l.Closed)
	}
}
