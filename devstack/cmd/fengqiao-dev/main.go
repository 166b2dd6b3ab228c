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

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/devstack"
	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/embedded"
)

// defaultBackend is devstack's default; a bad FENGQIAO_STORE is reported
// when the flag's value is parsed.
func defaultBackend() embedded.Backend {
	if b, err := devstack.DefaultStoreBackend(); err == nil {
		return b
	}
	return embedded.Backend(os.Getenv("FENGQIAO_STORE"))
}

// printKafkaUsers prints how to log in to the broker: it authenticates
// every client (SASL/SCRAM-SHA-512) and holds each to its ACLs, so an
// agency's principal reads its county's copy of its kind and nothing else.
// The passwords are development ones, derived from the names.
func printKafkaUsers(p *devstack.Platform) {
	admin := p.KafkaUser("admin")
	fmt.Printf("Kafka logs clients in with SASL/SCRAM-SHA-512. Superuser: %s / %s\n", admin.Username, admin.Password)
	fmt.Println("Platform principals (a service run on its own logs in as its own):")
	for _, pr := range kafkaacl.Platform() {
		u := p.KafkaUser(pr.Name)
		fmt.Printf("  %-25s %s\n", u.Username, u.Password)
	}
	if len(p.Counties) == 0 {
		return
	}
	fmt.Println("Agencies (each reads only its county's copy of its kind), e.g. with kcat:")
	for _, county := range p.Counties {
		for _, c := range events.Copies() {
			u := p.KafkaUser(kafkaacl.AgencyPrincipal(county, c))
			fmt.Printf("  kcat -b %s -X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=SCRAM-SHA-512 -X sasl.username=%s -X sasl.password=%s -C -t %s -e\n",
				p.Infra.Brokers[0], u.Username, u.Password, events.CountyCopyTopic(county, c))
		}
	}
}

func main() {
	devstack.TuneGC()
	data := flag.String("data", "var/dev", "data directory of the embedded broker and store")
	host := flag.String("host", "127.0.0.1", "interface to listen on")
	kafkaPort := flag.Int("kafka-port", 19092, "Kafka broker port (0: any free port)")
	mongoPort := flag.Int("mongo-port", 27018, "MongoDB port (0: any free port)")
	httpPort := flag.Int("http-port", 8081, "first service port; the five services, then the clock, take consecutive ports")
	idpPort := flag.Int("idp-port", 8090, "the OpenID provider's port (0: any free port)")
	consolePort := flag.Int("console-port", 8080, "the web console's port (0: any free port)")
	counties := flag.String("counties", "operators/mediationcenter/config/samples", "folder of MediationCenter YAML to load and publish (empty: none)")
	store := flag.String("store", string(defaultBackend()),
		"what the embedded store keeps documents in: postgresql (a private cluster under -data; needs PostgreSQL installed, which make run sees to) or sqlite (in process); docs/performance.md compares them; env FENGQIAO_STORE")
	movable := flag.Bool("movable-clock", false,
		"development only: a clock that POST /clock on the clock URL moves forward, so deadlines, revisits and monthly figures can be shown without waiting (docs/domain.md, stories)")
	verbose := flag.Bool("v", false, "debug logs")
	otlp := flag.String("otel", os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"),
		"OTLP/HTTP endpoint of a collector for every service's spans and metrics, e.g. http://127.0.0.1:4318 (make run OTEL=...)")
	flag.Parse()
	// The five services share this process and read the standard OTEL_*
	// variables (pkg/telemetry): one setting points them all.
	if *otlp != "" {
		_ = os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", *otlp)
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var clock *devstack.Clock
	if *movable {
		clock = devstack.NewClock()
	}
	backend, err := embedded.ParseBackend(*store)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-dev:", err)
		os.Exit(2)
	}
	p, err := devstack.Start(ctx, devstack.Options{
		DataDir: *data, Host: *host, KafkaPort: *kafkaPort, MongoPort: *mongoPort, HTTPBasePort: *httpPort, IdPPort: *idpPort, ConsolePort: *consolePort, StoreBackend: backend, PolicyDir: *counties, Logger: log,
		Clock: clock,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-dev:", err)
		os.Exit(1)
	}
	fmt.Printf("Fengqiao is running (data in %s, county policies from %s). Ctrl-C stops it.\n", p.Infra.DataDir, *counties)
	fmt.Printf("  %-15s %s\n", "kafka", p.Infra.Brokers[0])
	fmt.Printf("  %-15s %s\n", "mongodb", p.Infra.MongoURI+"  (FerretDB on "+string(backend)+")")
	fmt.Printf("  %-15s %s  (a token: make token USER=officer-622901; docs/security.md)\n", "identity", p.IdP.Issuer)
	fmt.Printf("  %-15s %s  (工作台: sign in as officer-622901, centre-622901, committee-622901, … with password %s)\n", "console", p.ConsoleURL, idp.DevPassword)
	for _, name := range devstack.Services() {
		fmt.Printf("  %-15s %s  (metrics: %s/metrics)\n", name, p.URLs[name], p.URLs[name])
	}
	if *otlp != "" {
		fmt.Printf("  %-15s %s\n", "otlp", *otlp)
	}
	if clock != nil {
		fmt.Printf("  %-15s %s/clock  (movable: POST {\"advance\": \"36h\"}, {\"advance_days\": 15} or {\"set\": \"2027-01-01T00:00:00Z\"})\n", "clock", p.ClockURL)
	} else {
		fmt.Printf("  %-15s %s/clock  (the wall clock; -movable-clock to move it)\n", "clock", p.ClockURL)
	}
	printKafkaUsers(p)
	if err := p.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-dev:", err)
		os.Exit(1)
	}
	fmt.Println("Fengqiao stopped.")
}
