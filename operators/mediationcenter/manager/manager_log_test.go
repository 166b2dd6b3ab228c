package manager

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestCleanStopHandler(t *testing.T) {
	for _, tc := range []struct {
		name, msg string
		err       error
		wantLevel string
	}{
		{"the Lease released at stop", stopSequenceMessage, errors.New("leader election lost"), "level=INFO"},
		{"another error after stop", stopSequenceMessage, errors.New("cache sync failed"), "level=ERROR"},
		{"a reconcile error", "Reconciler error", errors.New("leader election lost"), "level=ERROR"},
		{"a request cut short by the stop", "Unexpected error when reading response body", context.Canceled, "level=INFO"},
		{"a wrapped cancellation", "Reconciler error", fmt.Errorf("while adding the finalizer: %w", context.Canceled), "level=INFO"},
		{"a deadline", "Reconciler error", context.DeadlineExceeded, "level=ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(cleanStopHandler{slog.NewTextHandler(&buf, nil)})
			log.Error(tc.msg, "err", tc.err)
			if !strings.Contains(buf.String(), tc.wantLevel) {
				t.Errorf("logged %q, want %s", buf.String(), tc.wantLevel)
			}
		})
	}
}
