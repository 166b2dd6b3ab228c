package embedded

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestTheStoreLoggerFormatsOnlyWhatItWrites(t *testing.T) {
	var out bytes.Buffer
	base := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	log := newStoreLogger(base, false)
	formatted := 0
	costly := slog.Any("args", slog.AnyValue(formatCounter{&formatted}))
	log.With(costly).Info("statement")
	if formatted != 0 || out.Len() != 0 {
		t.Fatalf("a dropped line formatted its attributes %d times and wrote %q", formatted, out.String())
	}
	log.WithGroup("sql").With(slog.String("query", "INSERT"), costly).Warn("slow statement", slog.Int("rows", 1))
	want := `level=WARN msg="slow statement" component=ferretdb sql.query=INSERT sql.args=formatted sql.rows=1`
	if got := strings.TrimSpace(out.String()); !strings.HasSuffix(got, want) || formatted != 1 {
		t.Fatalf("got %q (formatted %d times), want it to end with %q", got, formatted, want)
	}
}

// formatCounter counts how often a handler formats it.
type formatCounter struct{ n *int }

func (c formatCounter) LogValue() slog.Value {
	*c.n++
	return slog.StringValue("formatted")
}
