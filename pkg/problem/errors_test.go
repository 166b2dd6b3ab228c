package problem

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestRefusal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		detail string
	}{
		{"missing, wrapped", fmt.Errorf("slips s-1: %w", ErrNotFound), http.StatusNotFound, "no such slip"},
		{"forbidden says why", fmt.Errorf("%w: only a mediator records a session", ErrForbidden), http.StatusForbidden, "forbidden: only a mediator records a session"},
		{"anything else", errors.New("store away"), 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Refusal(tc.err, "no such slip")
			if tc.status == 0 {
				if p != nil {
					t.Fatalf("Refusal = %v, want nil", p)
				}
				return
			}
			if p == nil || p.Status != tc.status || p.Detail != tc.detail {
				t.Fatalf("Refusal = %+v, want %d %q", p, tc.status, tc.detail)
			}
		})
	}
}
