package intake_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/intake"
)

// The production entry point never falls back to the public development
// keys: without its own keys, personal data would be readable by anyone.
func TestRunRefusesToStartWithoutKeys(t *testing.T) {
	t.Setenv("INTAKE_DATA_KEY", "")
	t.Setenv("INTAKE_MATCH_KEY", "")
	err := intake.Run(context.Background(), config.Common{}, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "INTAKE_DATA_KEY") {
		t.Fatalf("Run() = %v, want a refusal naming INTAKE_DATA_KEY", err)
	}
}
