package bootstrap

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fengqiao.dev/pkg/config"
)

// RunFunc runs a service until ctx is cancelled.
type RunFunc func(ctx context.Context, cfg config.Common, log *slog.Logger) error

// Main is the body of every service's main: configuration from the
// environment, JSON logs on stderr (LOG_LEVEL: debug, info, warn, error), and
// a context cancelled by SIGINT or SIGTERM for a graceful shutdown. It
// returns the process exit code; wiring errors end the process with a
// message, not a panic.
func Main(name string, run RunFunc) int {
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	cfg, err := config.FromEnv(":8080")
	if err != nil {
		log.Error("invalid configuration", "service", name, "err", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("service failed", "service", name, "err", err)
		return 1
	}
	return 0
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(os.Getenv("LOG_LEVEL")))); err != nil {
		return slog.LevelInfo
	}
	return l
}
