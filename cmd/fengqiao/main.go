// Command fengqiao is the operator's tool for a running platform:
//
//	fengqiao dlq list    <topic> [filters]           dead letters with their reason and origin
//	fengqiao dlq show    <topic> <partition/offset>  one letter, its headers and value
//	fengqiao dlq redrive <topic> (--ref P/O ... | filters | --all) --as <who>
//	fengqiao where       <dispute-id>                where the dispute is, who has it, which trace to open
//
// Kafka is reached as the services reach it (KAFKA_BROKERS and the
// KAFKA_SASL_* / KAFKA_TLS variables); supervision's API at
// --supervision or FENGQIAO_SUPERVISION_URL, as the caller the
// X-Fengqiao-* flags name, with a bearer token from --token or
// FENGQIAO_TOKEN when the API asks for one. docs/tracing.md shows it at work.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

const usage = `usage:
  fengqiao dlq list    <topic> [--type T] [--group G] [--reason TEXT] [--key K]
  fengqiao dlq show    <topic> <partition/offset>
  fengqiao dlq redrive <topic> (--ref P/O ... | --type T | --group G | --reason TEXT | --key K | --all) --as WHO
  fengqiao where       <dispute-id> [--supervision URL] [--county C --agency A --role R --officer O] [--token T]
`

// run is the command, its output and its environment, so tests drive it
// whole.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "dlq":
		err = runDLQ(ctx, args[1:], stdout, getenv, log)
	case "where":
		err = runWhere(ctx, args[1:], stdout, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("unknown command %q", args[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "fengqiao: %v\n", err)
		if _, ok := err.(usageError); ok {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a command line that cannot be run as written.
type usageError string

func (e usageError) Error() string { return string(e) }
