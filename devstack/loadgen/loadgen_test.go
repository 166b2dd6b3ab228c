package loadgen_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"fengqiao.dev/devstack"
	"fengqiao.dev/devstack/loadgen"
	"fengqiao.dev/embedded"
)

// A short run against the whole platform in process, as `make loadtest`
// starts it: every dispute opened gets its three copies on the county
// topics, only repeats are linked, and the raw pipe carries every message.
// On both backends of the embedded store (PostgreSQL where installed).
func TestRunAgainstTheInProcessPlatform(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole platform")
	}
	for _, backend := range []embedded.Backend{embedded.BackendSQLite, embedded.BackendPostgreSQL} {
		t.Run(string(backend), func(t *testing.T) { runAgainstTheInProcessPlatform(t, backend) })
	}
}

func runAgainstTheInProcessPlatform(t *testing.T, backend embedded.Backend) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const samples = "../../operators/mediationcenter/config/samples"
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: samples, StoreBackend: backend, Logger: slog.New(slog.DiscardHandler)})
	if errors.Is(err, embedded.PostgreSQLNotFound) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("platform stopped with: %v", err)
		}
	}()
	counties, err := loadgen.LoadCounties(samples)
	if err != nil {
		t.Fatal(err)
	}

	var progress bytes.Buffer
	r, err := loadgen.Run(ctx, loadgen.Config{
		IntakeURL: p.URLs["intake"], Issuer: p.IdP.Issuer, Brokers: p.Infra.Brokers, Kafka: p.KafkaUser("admin").Security(), Counties: counties,
		Rate: 2, Duration: 4 * time.Second, PipeAlone: 2 * time.Second, Preload: 3, PreloadConcurrency: 1, RepeatShare: 0.25,
		Deadline: 45 * time.Second, Seed: 1, Progress: &progress,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Write(&out)
	t.Logf("\n%s", out.String())

	if r.Preload == nil || r.Preload.Accepted+len(r.Preload.Errors) == 0 || r.Preload.Missing != 0 {
		t.Errorf("preload: %+v", r.Preload)
	}
	if r.Sent != 8 || r.Opened == 0 || r.Opened+r.Linked+r.ErrorCount() != r.Sent {
		t.Errorf("sent %d, opened %d, linked %d, errors %v", r.Sent, r.Opened, r.Linked, r.Errors)
	}
	if r.Missing != 0 || r.Copies.N != r.Opened {
		t.Errorf("%d disputes opened, %d with all three copies, %d missing", r.Opened, r.Copies.N, r.Missing)
	}
	// A repeat of a report still in flight may open its own dispute; one
	// linked without being a repeat would be parties that were not distinct.
	if r.Linked > r.Repeats {
		t.Errorf("%d repeats sent, %d linked", r.Repeats, r.Linked)
	}
	if r.Pipe.N != r.Sent || r.PipeLost != 0 || r.PipeAlone.N != 4 || r.P50Ratio() <= 0 {
		t.Errorf("raw pipe: %+v, %d lost, alone %+v, ratio %.1f", r.Pipe, r.PipeLost, r.PipeAlone, r.P50Ratio())
	}
}
