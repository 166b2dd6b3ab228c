package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// BrokerOptions configures [StartBroker].
type BrokerOptions struct {
	// Dir holds the broker's topics, segments, committed offsets and group
	// state. It is created if missing and reloaded on start. Empty keeps
	// everything in memory (nothing survives Close).
	Dir string

	// Addr is the listen address; default "127.0.0.1:0" (random free port).
	// The host must be loopback ("localhost", 127.0.0.0/8 or ::1): the
	// broker advertises the address it listens on in Metadata responses.
	Addr string

	// AutoCreateTopics lets a Metadata request that asks for it create a
	// missing topic (with one partition), as Kafka's
	// auto.create.topics.enable does.
	//
	// It is off by default on purpose: in production (Strimzi) topics are
	// provisioned explicitly, by the operator or by a service's CreateTopics
	// call at start-up, and auto-creation is disabled. With it on here, a
	// service that forgot to create its topic would pass every local test
	// and fail in the cluster; worse, kafka-go issues auto-creating Metadata
	// requests from readers too, so a typo in a consumer's topic name would
	// silently create an empty topic. With it off, producing to a missing
	// topic fails with UNKNOWN_TOPIC_OR_PARTITION, as it will in production.
	AutoCreateTopics bool

	// Auth turns on SASL/SCRAM and per-principal ACLs; nil leaves the
	// broker open to any client, as the component tests of one service use it.
	Auth *BrokerAuth

	// Logger receives the broker's logs; nil discards them.
	Logger *slog.Logger

	// Verbose passes Info and Debug logs through; by default only
	// warnings and errors reach Logger.
	Verbose bool
}

// Broker is a running single-node Kafka-protocol broker (kfake). It serves
// what Fengqiao uses: CreateTopics with configs (compaction included),
// Metadata, idempotent acks=all Produce, Fetch, ListOffsets, classic consumer
// groups with committed offsets (the protocol kafka-go speaks), DeleteRecords
// and Describe/AlterConfigs. See the package documentation for its quirks.
type Broker struct {
	// Addrs are the bootstrap addresses (one per node; a single node).
	Addrs []string

	cluster   *kfake.Cluster
	closeOnce sync.Once
}

// Group session timeouts the broker accepts. Kafka's default minimum is 6 s;
// lowering it lets a test give a kafka-go Reader a short SessionTimeout (with
// a HeartbeatInterval well below it) so that a member that vanished without
// LeaveGroup is evicted in a second rather than kafka-go's default 30 s.
const (
	groupMinSessionTimeout = 100 * time.Millisecond
	groupMaxSessionTimeout = 5 * time.Minute
)

// StartBroker starts a broker as described by opts and returns once it
// accepts connections. ctx is only checked before starting: start-up does
// no I/O beyond binding the port and loading Dir. Errors read "while
// starting kafka broker: ...".
func StartBroker(ctx context.Context, opts BrokerOptions) (*Broker, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("while starting kafka broker: %w", err)
	}
	addr, err := loopbackAddr(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("while starting kafka broker: %w", err)
	}

	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(0), // the real address comes from ListenFn below
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, addr)
		}),
		kfake.ClusterID("fengqiao-embedded"),
		// Kafka's own default for CreateTopics with NumPartitions=-1 and
		// for auto-created topics is 1 (kfake's is 10).
		kfake.DefaultNumPartitions(1),
		kfake.GroupMinSessionTimeout(groupMinSessionTimeout),
		kfake.GroupMaxSessionTimeout(groupMaxSessionTimeout),
		kfake.WithLogger(newKfakeLogger(opts.Logger, opts.Verbose)),
	}
	if opts.AutoCreateTopics {
		kopts = append(kopts, kfake.AllowAutoTopicCreation())
	}
	if opts.Auth != nil {
		auth, err := opts.Auth.kfakeOpts()
		if err != nil {
			return nil, fmt.Errorf("while starting kafka broker: %w", err)
		}
		kopts = append(kopts, auth...)
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("while starting kafka broker: creating data directory: %w", err)
		}
		kopts = append(kopts, kfake.DataDir(opts.Dir))
	}

	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		return nil, fmt.Errorf("while starting kafka broker on %s (data %q): %w", addr, opts.Dir, err)
	}
	return &Broker{Addrs: c.ListenAddrs(), cluster: c}, nil
}

// Cluster returns the underlying kfake cluster, for tests that want its
// control hooks (fault injection, Control, etc.).
func (b *Broker) Cluster() *kfake.Cluster { return b.cluster }

// Close stops the broker: it stops accepting connections, drops the open
// ones, and (with a Dir) writes its state to disk. It is idempotent.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() { b.cluster.Close() })
	return nil
}

// kfakeLogger adapts kfake's printf-style logger to slog.
type kfakeLogger struct {
	l       *slog.Logger
	verbose bool
}

func newKfakeLogger(l *slog.Logger, verbose bool) kfake.Logger {
	if l == nil {
		return kfakeNop{}
	}
	return &kfakeLogger{l: l.With(slog.String("component", "kfake")), verbose: verbose}
}

func (k *kfakeLogger) Logf(level kfake.LogLevel, format string, args ...any) {
	var sl slog.Level
	switch level {
	case kfake.LogLevelError:
		sl = slog.LevelError
	case kfake.LogLevelWarn:
		sl = slog.LevelWarn
	case kfake.LogLevelInfo:
		sl = slog.LevelInfo
	case kfake.LogLevelDebug:
		sl = slog.LevelDebug
	default:
		return
	}
	if !k.verbose && sl < slog.LevelWarn {
		return
	}
	ctx := context.Background()
	if !k.l.Enabled(ctx, sl) {
		return
	}
	k.l.Log(ctx, sl, fmt.Sprintf(format, args...))
}

type kfakeNop struct{}

func (kfakeNop) Logf(kfake.LogLevel, string, ...any) {}
