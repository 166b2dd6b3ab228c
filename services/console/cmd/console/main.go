// Command console serves the web console (工作台), configured from the
// environment: HTTP_ADDR, CONSOLE_PUBLIC_URL, AUTH_ISSUER, AUTH_AUDIENCE,
// CONSOLE_CLIENT_ID, CONSOLE_SESSION_KEY and the five services' URLs
// (INTAKE_URL, REFERRAL_URL, MEDIATION_ROOM_URL, REVISIT_URL,
// SUPERVISION_URL). It needs no broker and no store.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fengqiao.dev/services/console"
)

func main() {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(os.Getenv("LOG_LEVEL")))); err != nil {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg, err := console.FromEnv()
	if err != nil {
		log.Error("invalid configuration", "service", console.Name, "err", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := console.New(cfg, console.Options{Logger: log})
	if err != nil {
		log.Error("cannot start", "service", console.Name, "err", err)
		os.Exit(1)
	}
	log.Info("serving", "service", console.Name, "addr", cfg.Addr)
	if err := c.Run(ctx); err != nil {
		log.Error("service failed", "service", console.Name, "err", err)
		os.Exit(1)
	}
}
