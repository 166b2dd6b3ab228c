// Command fengqiao-load measures the platform under load (`make loadtest`):
// it starts the whole platform in this process as `make run` does, or
// targets one already running, optionally stores disputes first, POSTs
// disputes to intake at a fixed rate, reads the three copies of every slip
// on the county topics, and prints the latency from the POST to the last
// copy beside a raw two-hop kafka-go pipe measured in the same run. It exits
// 1 when a target given by flag is missed, so it can serve as a check.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"fengqiao.dev/devstack"
	"fengqiao.dev/devstack/loadgen"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/config"
)

type options struct {
	intakeURL, brokers, issuer string
	data, counties             string
	profile                    string
	idleProfile                string
	maxTime                    time.Duration
	idle                       time.Duration
	verbose                    bool
	store                      string
	cfg                        loadgen.Config
	targets                    loadgen.Targets
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.intakeURL, "intake", "", "intake's URL of a running platform, e.g. http://127.0.0.1:8081 (with -brokers; default: start the platform in this process)")
	flag.StringVar(&o.issuer, "issuer", "http://127.0.0.1:8090", "the running platform's OpenID provider (with -intake)")
	flag.StringVar(&o.brokers, "brokers", "", "Kafka brokers of a running platform, comma-separated, e.g. 127.0.0.1:19092")
	flag.StringVar(&o.data, "data", "", "data directory of the in-process platform (default: a fresh one, deleted afterwards)")
	flag.StringVar(&o.counties, "counties", "operators/mediationcenter/config/samples", "folder of MediationCenter YAML: the counties to load and, in process, to publish")
	flag.StringVar(&o.profile, "profile", "", "write a CPU profile of the measured load to this file (in-process platform only); the generator's own samples carry the label fengqiao-load=generator")
	flag.DurationVar(&o.maxTime, "max-time", time.Hour, "the whole run, preload included, stops with an error after this long")
	flag.StringVar(&o.idleProfile, "idle-profile", "", "write a CPU profile of the -idle window to this file (in-process platform only)")
	flag.DurationVar(&o.idle, "idle", 10*time.Second, "in process: before the load, measure the platform's CPU use this long with no traffic (0: not measured)")
	flag.StringVar(&o.store, "store", string(defaultBackend()), "in process: what the embedded store keeps documents in, postgresql or sqlite (as make run's -store; env FENGQIAO_STORE)")
	flag.BoolVar(&o.verbose, "v", false, "the in-process platform's info logs (default: warnings only)")
	c := &o.cfg
	flag.Float64Var(&c.Rate, "rate", 5, "disputes per second to POST")
	flag.DurationVar(&c.Duration, "duration", time.Minute, "how long to POST at -rate")
	flag.IntVar(&c.Preload, "preload", 0, "disputes to store before the load, as fast as the platform accepts them")
	flag.IntVar(&c.PreloadConcurrency, "preload-concurrency", 8, "POSTs in flight while preloading")
	flag.DurationVar(&c.SettleTimeout, "settle-timeout", 10*time.Minute, "longest wait for the preloaded disputes' copies before the load starts")
	flag.Float64Var(&c.RepeatShare, "repeats", 0, "share of the reports (0..1) that repeat an earlier report's parties and should be linked to its dispute")
	flag.DurationVar(&c.PipeAlone, "pipe-alone", 10*time.Second, "run the raw pipe alone at -rate this long before the load; the ratios are to it (0: to the pipe during the load)")
	flag.DurationVar(&c.Deadline, "deadline", 30*time.Second, "a dispute without all three copies this long after its POST counts as missing")
	flag.DurationVar(&c.RequestTimeout, "request-timeout", 30*time.Second, "timeout of one POST")
	flag.IntVar(&c.MaxInFlight, "max-in-flight", 256, "POSTs awaiting an answer beyond which a due report is not sent (and counted as an error)")
	flag.Uint64Var(&c.Seed, "seed", uint64(time.Now().UnixNano()), "seed of the disputes' random choices")
	t := &o.targets
	flag.Float64Var(&t.MaxP50Ratio, "max-p50-ratio", 0, "target: p50 to all copies at most this multiple of the raw pipe's p50 (0: not checked)")
	flag.Float64Var(&t.MaxP99Ratio, "max-p99-ratio", 0, "target: p99 at most this multiple of the raw pipe's p99 (0: not checked)")
	flag.DurationVar(&t.MaxP99, "max-p99", 0, "target: p99 from POST to all three copies (0: not checked)")
	flag.Float64Var(&t.MinAchieved, "min-achieved", 0, "target: share of -rate accepted, e.g. 0.95 (0: not checked)")
	flag.IntVar(&t.MaxMissing, "max-missing", -1, "target: disputes without all copies within -deadline (-1: not checked)")
	flag.IntVar(&t.MaxErrors, "max-errors", -1, "target: reports not accepted (-1: not checked)")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	devstack.TuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	missed, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-load:", err)
		os.Exit(2)
	}
	if len(missed) > 0 {
		fmt.Println("MISSED", strings.Join(missed, "; "))
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) ([]string, error) {
	// Bounded whatever the platform does: a platform that stops answering
	// ends the run with an error, not a hung check.
	ctx, cancel := context.WithTimeout(ctx, o.maxTime)
	defer cancel()
	counties, err := loadgen.LoadCounties(o.counties)
	if err != nil {
		return nil, err
	}
	o.cfg.Counties, o.cfg.Progress = counties, os.Stderr

	where, err := platform(ctx, &o)
	if err != nil {
		return nil, err
	}
	defer where.stop()
	if o.profile != "" {
		if where.inProcess == "" {
			return nil, errors.New("-profile profiles the platform in this process: leave out -intake and -brokers")
		}
		stopProfile, err := profileBetween(&o.cfg, o.profile)
		if err != nil {
			return nil, err
		}
		defer stopProfile()
	}

	var idleCPU float64
	if where.inProcess != "" && o.idle > 0 {
		beforeLoad := o.cfg.MeasureStart
		o.cfg.MeasureStart = func() {
			stopIdleProfile := startIdleProfile(o.idleProfile)
			idleCPU = cpuShareOver(o.idle)
			stopIdleProfile()
			if beforeLoad != nil {
				beforeLoad()
			}
		}
	}

	var result *loadgen.Result
	// The generator's goroutines, and those they start, carry a label, so
	// the platform's share of the profile is `-tagignore fengqiao-load=generator`.
	pprof.Do(ctx, pprof.Labels("fengqiao-load", "generator"), func(ctx context.Context) {
		result, err = loadgen.Run(ctx, o.cfg)
	})
	if err != nil {
		return nil, err
	}
	printHeader(o, where)
	if where.inProcess != "" && o.idle > 0 {
		fmt.Printf("%-14s %.1f%% of a core over %s before the load, nothing sent\n", "idle CPU", 100*idleCPU, o.idle)
	}
	result.Write(os.Stdout)
	return o.targets.Missed(result), nil
}

// target is the platform a run measures.
type target struct {
	inProcess string // its data directory when this process runs it
	stop      func()
}

// platform starts the platform in this process, or checks the running one
// is on this machine: a load test is never pointed at anyone else's.
func platform(ctx context.Context, o *options) (target, error) {
	if o.intakeURL != "" || o.brokers != "" {
		if o.intakeURL == "" || o.brokers == "" {
			return target{}, errors.New("a running platform needs both -intake and -brokers")
		}
		o.cfg.IntakeURL, o.cfg.Brokers, o.cfg.Issuer = o.intakeURL, strings.Split(o.brokers, ","), o.issuer
		if err := loopbackOnly(o.cfg.IntakeURL, append([]string{strings.TrimPrefix(o.issuer, "http://")}, o.cfg.Brokers...)); err != nil {
			return target{}, err
		}
		// `make run`'s broker authenticates: KAFKA_SASL_* log the generator
		// in (as the admin fengqiao-dev prints).
		sec, err := config.KafkaSecurityFromEnv()
		if err != nil {
			return target{}, err
		}
		o.cfg.Kafka = sec
		return target{stop: func() {}}, nil
	}
	return startInProcess(ctx, o)
}

func startInProcess(ctx context.Context, o *options) (target, error) {
	data, cleanup := o.data, func() {}
	if data == "" {
		dir, err := os.MkdirTemp("", "fengqiao-load-")
		if err != nil {
			return target{}, fmt.Errorf("cannot create a data directory: %w", err)
		}
		data, cleanup = dir, func() { _ = os.RemoveAll(dir) }
	}
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	fmt.Fprintf(os.Stderr, "starting the platform in this process (data in %s)\n", data)
	backend, err := embedded.ParseBackend(o.store)
	if err != nil {
		cleanup()
		return target{}, err
	}
	p, err := devstack.Start(ctx, devstack.Options{DataDir: data, Host: "127.0.0.1", PolicyDir: o.counties, StoreBackend: backend, Logger: log})
	if err != nil {
		cleanup()
		return target{}, err
	}
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	o.cfg.IntakeURL, o.cfg.Brokers, o.cfg.Issuer, o.cfg.Kafka = p.URLs["intake"], p.Infra.Brokers, p.IdP.Issuer, p.KafkaUser("admin").Security()
	return target{inProcess: data, stop: func() {
		stopRun()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "fengqiao-load: the platform stopped with:", err)
		}
		cleanup()
	}}, nil
}

// defaultBackend is devstack's default; a bad FENGQIAO_STORE is reported
// when the flag's value is parsed.
func defaultBackend() embedded.Backend {
	if b, err := devstack.DefaultStoreBackend(); err == nil {
		return b
	}
	return embedded.Backend(os.Getenv("FENGQIAO_STORE"))
}

func loopbackOnly(intakeURL string, brokers []string) error {
	u, err := url.Parse(intakeURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-intake %q is not a URL", intakeURL)
	}
	for _, hostport := range append([]string{u.Host}, brokers...) {
		host, _, err := net.SplitHostPort(hostport)
		if err != nil {
			host = hostport
		}
		if host == "localhost" {
			continue
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address: the load test only drives a platform on this machine", hostport)
		}
	}
	return nil
}

// startIdleProfile profiles the CPU into path (nothing when path is empty)
// until the returned function is called.
func startIdleProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-load: cannot profile the idle window:", err)
		if f != nil {
			_ = f.Close()
		}
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }
}

// profileBetween profiles the CPU over the measured load only, not the
// start-up and the preload.
func profileBetween(cfg *loadgen.Config, path string) (closeProfile func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the profile's folder: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cannot create the profile: %w", err)
	}
	running := false
	stopProfile := func() {
		if running {
			pprof.StopCPUProfile()
			running = false
		}
	}
	cfg.MeasureStart = func() {
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "fengqiao-load: cannot profile:", err)
			return
		}
		running = true
	}
	cfg.MeasureEnd = stopProfile
	return func() { stopProfile(); _ = f.Close() }, nil
}

// cpuShareOver is the share of one core this process used over d: the
// platform's own idle work when nothing is sent (the generator's readers
// wait on the broker meanwhile and cost next to nothing).
func cpuShareOver(d time.Duration) float64 {
	before, start := processCPU(), time.Now()
	time.Sleep(d)
	return float64(processCPU()-before) / float64(time.Since(start))
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	// A PostgreSQL-backed store's server runs in processes of its own;
	// they are the platform's cost too.
	return time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + embedded.ServerCPU()
}

func printHeader(o options, where target) {
	fmt.Printf("%-14s %s, %s %s/%s, %d CPUs, GOMAXPROCS %d\n", "fengqiao-load", time.Now().UTC().Format(time.RFC3339),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	if where.inProcess != "" {
		fmt.Printf("%-14s in this process, data in %s, store FerretDB on %s\n", "platform", where.inProcess, o.store)
	} else {
		fmt.Printf("%-14s running at %s, brokers %s\n", "platform", o.intakeURL, o.brokers)
	}
	fmt.Printf("%-14s %s\n", "command", strings.Join(os.Args, " "))
	// On a shared machine the other processes' load explains a good part of
	// the figures; the raw pipe in the same run is the other part.
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("%-14s %s (1, 5, 15 min, at the end of the run)\n", "load average", strings.Join(strings.Fields(string(avg))[:3], " "))
	}
}
