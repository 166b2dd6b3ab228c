// Command fengqiao-dev runs the whole platform in one process on the
// embedded broker and store (`make run`). Data lives in -data (default
// ./var/dev), so a second run finds the disputes of the first.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fengqiao.dev/devstack"
)

func main() {
	data := flag.String("data", "var/dev", "data directory of the embedded broker and store")
	host := flag.String("host", "127.0.0.1", "interface to listen on")
	kafkaPort := flag.Int("kafka-port", 19092, "Kafka broker port (0: any free port)")
	mongoPort := flag.Int("mongo-port", 27018, "MongoDB port (0: any free port)")
	httpPort := flag.Int("http-port", 8081, "first service port; the five services take consecutive ports")
	verbose := flag.Bool("v", false, "debug logs")
	flag.Parse()

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	p, err := devstack.Start(ctx, devstack.Options{
		DataDir: *data, Host: *host, KafkaPort: *kafkaPort, MongoPort: *mongoPort, HTTPBasePort: *httpPort, Logger: log,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-dev:", err)
		os.Exit(1)
	}
	fmt.Printf("Fengqiao is running (data in %s). Ctrl-C stops it.\n", p.Infra.DataDir)
	fmt.Printf("  %-15s %s\n", "kafka", p.Infra.Brokers[0])
	fmt.Printf("  %-15s %s\n", "mongodb", p.Infra.MongoURI)
	for _, name := range devstack.Services() {
		fmt.Printf("  %-15s %s\n", name, p.URLs[name])
	}
	if err := p.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-dev:", err)
		os.Exit(1)
	}
	fmt.Println("Fengqiao stopped.")
}
