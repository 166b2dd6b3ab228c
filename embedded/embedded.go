package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// Options configures [Start].
type Options struct {
	// DataDir holds all state: DataDir/kafka for the broker and
	// DataDir/mongo for the store. It is created if missing. Starting again
	// on the same DataDir finds the previous topics, records, committed
	// offsets, databases and documents. It is locked (DataDir/.lock) while
	// the stack runs, so a second Start on it fails instead of corrupting
	// it. Empty means ephemeral: a temporary directory that Close removes.
	DataDir string

	// KafkaAddr is the broker's listen address; default "127.0.0.1:0"
	// (random free port). Only loopback hosts are accepted because the
	// broker advertises this address to clients.
	KafkaAddr string

	// MongoAddr is the store's listen address; default "127.0.0.1:0".
	// Only loopback hosts are accepted.
	MongoAddr string

	// StoreBackend is what the store keeps documents in; the zero value
	// is BackendSQLite. See [StoreOptions.Backend].
	StoreBackend Backend

	// KafkaAutoCreateTopics lets Metadata requests create missing topics.
	// Off by default; see [BrokerOptions.AutoCreateTopics].
	KafkaAutoCreateTopics bool

	// KafkaAuth turns on the broker's SASL/SCRAM and ACLs
	// ([BrokerOptions.Auth]); nil leaves it open.
	KafkaAuth *BrokerAuth

	// Logger receives the logs of the broker and the store. Nil discards
	// them.
	Logger *slog.Logger

	// Verbose passes the broker's and store's Info and Debug logs through
	// to Logger; by default only warnings and errors are passed, since both
	// log every connection and many requests at Info level.
	Verbose bool
}

// Stack is a running broker and store. Its exported fields are read-only.
type Stack struct {
	// Brokers are the bootstrap addresses of the Kafka broker
	// (host:port, one entry; the broker is a single node).
	Brokers []string

	// MongoURI is the connection string of the store, e.g.
	// "mongodb://127.0.0.1:40123/". It names no database.
	MongoURI string

	// KafkaAuth is the broker's users when it authenticates them, nil
	// when it is open.
	KafkaAuth *BrokerAuth

	// DataDir is the directory holding the state (the temporary one when
	// Options.DataDir was empty).
	DataDir string

	broker    *Broker
	store     *Store
	ephemeral bool
	unlock    func() error // releases the DataDir lock; nil when ephemeral

	closeOnce sync.Once
	closeErr  error
}

// Start starts a broker and a store as described by opts and returns once both
// accept connections. On error nothing is left running (and an ephemeral
// directory is removed); errors read "while starting embedded stack: ...".
// ctx is checked before each part starts (neither start-up blocks for long);
// stop the stack with [Stack.Close].
func Start(ctx context.Context, opts Options) (*Stack, error) {
	s := &Stack{DataDir: opts.DataDir, KafkaAuth: opts.KafkaAuth}
	if s.DataDir == "" {
		dir, err := os.MkdirTemp("", "fengqiao-embedded-")
		if err != nil {
			return nil, fmt.Errorf("while starting embedded stack: creating temporary data directory: %w", err)
		}
		s.DataDir = dir
		s.ephemeral = true
	} else {
		abs, err := filepath.Abs(s.DataDir)
		if err != nil {
			return nil, fmt.Errorf("while starting embedded stack: resolving data directory %q: %w", s.DataDir, err)
		}
		s.DataDir = abs
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("while starting embedded stack: creating data directory: %w", err)
		}
		if s.unlock, err = lockDir(abs); err != nil {
			return nil, fmt.Errorf("while starting embedded stack: %w", err)
		}
	}

	fail := func(err error) (*Stack, error) {
		_ = s.Close()
		return nil, fmt.Errorf("while starting embedded stack: %w", err)
	}

	var err error
	s.broker, err = StartBroker(ctx, BrokerOptions{
		Dir:              filepath.Join(s.DataDir, "kafka"),
		Addr:             opts.KafkaAddr,
		AutoCreateTopics: opts.KafkaAutoCreateTopics,
		Auth:             opts.KafkaAuth,
		Logger:           opts.Logger,
		Verbose:          opts.Verbose,
	})
	if err != nil {
		return fail(err)
	}
	s.Brokers = s.broker.Addrs

	s.store, err = StartStore(ctx, StoreOptions{
		Dir:     filepath.Join(s.DataDir, "mongo"),
		Backend: opts.StoreBackend,
		Addr:    opts.MongoAddr,
		Logger:  opts.Logger,
		Verbose: opts.Verbose,
	})
	if err != nil {
		return fail(err)
	}
	s.MongoURI = s.store.URI

	return s, nil
}

// Broker returns the running broker.
func (s *Stack) Broker() *Broker { return s.broker }

// Store returns the running store.
func (s *Stack) Store() *Store { return s.store }

// Close stops the store and the broker, flushing their state to DataDir
// (or removing the temporary directory of an ephemeral stack). Clients
// should be disconnected first: the store gives still-connected clients
// up to 3 seconds before it drops them. Close is idempotent and safe for
// concurrent use; every call returns the first call's result.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.store != nil {
			if err := s.store.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		if s.broker != nil {
			if err := s.broker.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		if s.unlock != nil {
			if err := s.unlock(); err != nil {
				errs = append(errs, fmt.Errorf("unlocking data directory: %w", err))
			}
		}
		if s.ephemeral {
			if err := os.RemoveAll(s.DataDir); err != nil {
				errs = append(errs, fmt.Errorf("removing temporary data directory: %w", err))
			}
		}
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("while stopping embedded stack: %w", err)
		}
	})
	return s.closeErr
}
