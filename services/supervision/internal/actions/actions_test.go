package actions

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)

func TestComment(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		err            error
	}{
		{"kept without surrounding spaces", "  请尽快化解 ", "请尽快化解", nil},
		{"empty", "", "", ErrComment},
		{"only spaces", " \t\n", "", ErrComment},
		{"500 characters", strings.Repeat("办", 500), strings.Repeat("办", 500), nil},
		{"501 characters", strings.Repeat("办", 501), "", ErrComment},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Comment(tc.in)
			if got != tc.want || !errors.Is(err, tc.err) {
				t.Errorf("Comment(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}
}

func TestUrgesAreNamedInOrderAndReadOnce(t *testing.T) {
	var s Supervised
	s.Of("d1", "370202")
	first := s.Urge("请尽快化解", "c1@committee", at)
	second := s.Urge("再催", "c1@committee", at.Add(time.Hour))
	if first.ID != "u1" || second.ID != "u2" || len(s.Urges) != 2 || s.DisputeID != "d1" || s.CountyCode != "370202" {
		t.Fatalf("after two urges: %+v", s)
	}
	for _, tc := range []struct {
		name, id, by string
		err          error
		wantBy       string
	}{
		{"the first reader is kept", "u1", "o1@gc", nil, "o1@gc"},
		{"a second reader changes nothing", "u1", "o2@gc", nil, "o1@gc"},
		{"an urge not on the dispute", "u9", "o1@gc", ErrNoSuchUrge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Read(tc.id, tc.by, at.Add(2*time.Hour))
			if !errors.Is(err, tc.err) {
				t.Fatalf("Read(%s) = %v, want %v", tc.id, err, tc.err)
			}
			if tc.err == nil && (s.Urges[0].ReadBy != tc.wantBy || !s.Urges[0].ReadAt.Equal(at.Add(2*time.Hour))) {
				t.Errorf("after Read(%s): %+v", tc.id, s.Urges[0])
			}
		})
	}
	if s.Urges[1].ReadAt != nil {
		t.Errorf("reading u1 marked u2 read: %+v", s.Urges[1])
	}
}

func TestWatch(t *testing.T) {
	var s Supervised
	s.Watch(true, "c1@committee", at)
	if !s.Watched || s.WatchedBy != "c1@committee" || s.WatchedAt == nil || !s.WatchedAt.Equal(at) {
		t.Fatalf("after Watch(true): %+v", s)
	}
	s.Watch(false, "c2@committee", at.Add(time.Hour))
	if s.Watched || s.WatchedBy != "" || s.WatchedAt != nil {
		t.Fatalf("after Watch(false): %+v", s)
	}
}
