// Command supervision runs the supervision service against external Kafka and
// MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_*
// variables.
//
//	supervision          serve
//	supervision replay   drop the read models and rebuild them from the
//	                     event log, then exit (run it with the service stopped)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/services/supervision"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "replay" {
		os.Exit(bootstrap.Main(supervision.Name, replay))
	}
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "usage: %s [replay]\n", os.Args[0])
		os.Exit(2)
	}
	os.Exit(bootstrap.Main(supervision.Name, supervision.Run))
}

func replay(ctx context.Context, cfg config.Common, log *slog.Logger) error {
	_, err := supervision.Replay(ctx, cfg, log)
	return err
}
