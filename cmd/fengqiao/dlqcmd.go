package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runDLQ(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string, log *slog.Logger) error {
	if len(args) < 2 {
		return usageError("dlq needs a subcommand and a topic")
	}
	sub, topic := args[0], args[1]
	fs := flag.NewFlagSet("dlq "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f Filter
	var refs stringList
	fs.Var(&refs, "ref", "a letter, partition/offset (repeatable)")
	fs.StringVar(&f.EventType, "type", "", "only letters of this CloudEvents type")
	fs.StringVar(&f.Group, "group", "", "only letters this consumer group failed")
	fs.StringVar(&f.Reason, "reason", "", "only letters whose reason contains this text")
	fs.StringVar(&f.Key, "key", "", "only letters with this key")
	all := fs.Bool("all", false, "redrive: every letter of the topic")
	operator := fs.String("as", getenv("FENGQIAO_OPERATOR"), "redrive: who re-drives (recorded on each message and logged)")
	rest := args[2:]
	var positional []string
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return usageError(err.Error())
		}
		rest = fs.Args()
		if len(rest) > 0 {
			positional, rest = append(positional, rest[0]), rest[1:]
		}
	}
	f.Refs = refs
	cluster, err := clusterFromEnv(getenv)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		letters, err := ListDeadLetters(ctx, cluster, topic, f)
		if err != nil {
			return err
		}
		printLetters(stdout, letters)
		return nil
	case "show":
		if len(positional) != 1 {
			return usageError("dlq show needs one partition/offset")
		}
		letters, err := ListDeadLetters(ctx, cluster, topic, Filter{Refs: positional})
		if err != nil {
			return err
		}
		if len(letters) == 0 {
			return fmt.Errorf("no letter %s in %s", positional[0], dlqTopic(topic))
		}
		return showLetter(stdout, letters[0])
	case "redrive":
		if f.empty() && !*all {
			return usageError("dlq redrive needs --ref, a filter, or --all")
		}
		letters, err := ListDeadLetters(ctx, cluster, topic, f)
		if err != nil {
			return err
		}
		if err := Redrive(ctx, cluster, letters, *operator, log); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "re-drove %d letter(s) of %s\n", len(letters), dlqTopic(topic))
		return nil
	}
	return usageError(fmt.Sprintf("unknown dlq subcommand %q", sub))
}

// clusterFromEnv reads the brokers and their security as the services do.
func clusterFromEnv(getenv func(string) string) (messaging.Cluster, error) {
	brokers := strings.FieldsFunc(getenv("KAFKA_BROKERS"), func(r rune) bool { return r == ',' })
	if len(brokers) == 0 {
		return messaging.Cluster{}, usageError("set KAFKA_BROKERS (host:port, comma-separated)")
	}
	sec, err := config.KafkaSecurityFromEnv()
	if err != nil {
		return messaging.Cluster{}, fmt.Errorf("invalid Kafka security settings: %w", err)
	}
	return messaging.Cluster{Brokers: brokers, Security: sec}, nil
}

func printLetters(w io.Writer, letters []DeadLetter) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tFAILED AT\tORIGIN\tGROUP\tEVENT TYPE\tEVENT ID\tKEY\tREASON")
	for _, d := range letters {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Ref(), d.FailedAt, d.Origin, d.Group, d.EventType, d.EventID,
			d.Key, oneLine(d.Reason, 120))
	}
	tw.Flush()
}

func showLetter(w io.Writer, d DeadLetter) error {
	headers := map[string]string{}
	for _, h := range d.message.Headers {
		headers[h.Key] = string(h.Value)
	}
	value := json.RawMessage(d.message.Value)
	if !json.Valid(d.message.Value) {
		value, _ = json.Marshal(string(d.message.Value)) // shown as a string, whatever it holds
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"topic": d.Topic, "partition": d.Partition, "offset": d.Offset, "key": d.Key,
		"origin_topic": d.Origin, "consumer_group": d.Group, "reason": d.Reason, "failed_at": d.FailedAt,
		"attempts": d.Attempts, "truncated": d.Truncated, "headers": headers, "value": value,
	})
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
