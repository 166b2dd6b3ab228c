// Package devstack runs the whole Fengqiao platform in one process on the
// embedded infrastructure: an in-process Kafka-protocol broker and a
// MongoDB-wire store (package embedded), and the five services, each on its
// own HTTP port. It backs `make run` and the e2e tests. In production every
// service runs as its own process against real Kafka and MongoDB.
package devstack

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/console"
	"fengqiao.dev/services/intake"
	mediationroom "fengqiao.dev/services/mediation-room"
	"fengqiao.dev/services/referral"
	"fengqiao.dev/services/revisit"
	"fengqiao.dev/services/supervision"
)

// Options configure the platform.
type Options struct {
	// DataDir holds the broker's and the store's data; empty is ephemeral.
	DataDir string
	// Host is the interface every listener binds to; default 127.0.0.1.
	Host string
	// KafkaPort, MongoPort: 0 picks free ports.
	KafkaPort, MongoPort int
	// HTTPBasePort: the services listen on consecutive ports from it, in
	// Services order; 0 picks free ports.
	HTTPBasePort int
	// IdPPort is the OpenID provider's port; 0 picks a free port.
	IdPPort int
	// ConsolePort is the web console's port; 0 picks a free port.
	ConsolePort int
	// PolicyDir holds MediationCenter YAML (one county per resource). Each
	// is validated with the CRD's own schema and CEL rules and published on
	// the policy topic, as the operator does in a cluster. Empty: none, and
	// the services use their defaults.
	PolicyDir string
	// StoreBackend is what the embedded store keeps documents in; empty
	// is embedded.BackendSQLite.
	StoreBackend embedded.Backend
	Logger       *slog.Logger
	// Clock, when set, is the clock of every service, movable through
	// ClockURL (see Clock); nil is the wall clock, and ClockURL refuses to
	// move it.
	Clock *Clock
}

// DefaultStoreBackend is what `make run` keeps documents in: FerretDB on a
// private PostgreSQL (docs/performance.md has the comparison that chose
// it), unless FENGQIAO_STORE names another backend ("sqlite").
func DefaultStoreBackend() (embedded.Backend, error) {
	name := os.Getenv("FENGQIAO_STORE")
	if name == "" {
		return embedded.BackendPostgreSQL, nil
	}
	b, err := embedded.ParseBackend(name)
	if err != nil {
		return "", fmt.Errorf("FENGQIAO_STORE: %w", err)
	}
	return b, nil
}

// service is one of the five, as devstack starts it.
type service struct {
	name string
	new  func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error)
}

// services in the order of the loop, which is also the order of their ports.
var services = servicesOn(nil)

// sweepsOnAMovableClock is how often deadlines are swept, and figures
// computed, while the clock is movable: a move of the clock shows within it.
const sweepsOnAMovableClock = time.Second

// servicesOn wires the five services on clock c; nil is the wall clock and
// the services' own cadences.
func servicesOn(c *Clock) []service {
	if c == nil {
		return []service{
			{intake.Name, intake.New},
			{referral.Name, referral.New},
			{mediationroom.Name, mediationroom.New},
			{revisit.Name, revisit.New},
			{supervision.Name, supervision.New},
		}
	}
	in, room := intake.OptionsFromEnv(), mediationroom.OptionsFromEnv()
	in.Now, room.Now, room.SweepEvery = c.Now, c.Now, sweepsOnAMovableClock
	return []service{
		{intake.Name, intake.NewWith(in)},
		{referral.Name, referral.NewWith(referral.Options{Now: c.Now, SweepEvery: sweepsOnAMovableClock})},
		{mediationroom.Name, mediationroom.NewWith(room)},
		{revisit.Name, revisit.NewWith(revisit.Options{Now: c.Now, SweepEvery: sweepsOnAMovableClock})},
		{supervision.Name, supervision.NewWith(supervision.Options{Now: c.Now, FiguresEvery: sweepsOnAMovableClock})},
	}
}

// Services lists the service names in port order.
func Services() []string {
	names := make([]string, len(services))
	for i, s := range services {
		names[i] = s.name
	}
	return names
}

// Platform is the running platform.
type Platform struct {
	Infra *embedded.Stack
	// IdP is the OpenID provider the services trust.
	IdP *idp.Provider
	// URLs of the services by name.
	URLs map[string]string
	// ConsoleURL is the web console's (services/console), signed in to
	// through IdP.
	ConsoleURL string
	// ClockURL serves GET and POST /clock: the platform's now, and moving
	// it when Options.Clock is set.
	ClockURL string
	// Clock is Options.Clock: nil on the wall clock.
	Clock *Clock
	// Counties are the codes of the counties whose policies were loaded;
	// the broker has a principal for each of their agencies.
	Counties []string
	svcs     []*bootstrap.Service
	console  *console.Console
	clock    *http.Server
	log      *slog.Logger
}

// Start brings up the infrastructure and wires the services; Run serves them.
func Start(ctx context.Context, opts Options) (*Platform, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	centers, err := loadPolicies(opts.PolicyDir)
	if err != nil {
		return nil, err
	}
	var counties []string
	for _, mc := range centers {
		counties = append(counties, mc.Spec.County.Code)
	}
	// The broker authenticates every client and holds each to its ACLs
	// (api/kafkaacl), as a production cluster does: a service that reads
	// or writes a topic its principal is not granted fails here first.
	infra, err := embedded.Start(ctx, embedded.Options{
		DataDir: opts.DataDir, StoreBackend: opts.StoreBackend, Logger: opts.Logger.With("component", "embedded"),
		KafkaAddr: hostPort(opts.Host, opts.KafkaPort), MongoAddr: hostPort(opts.Host, opts.MongoPort),
		KafkaAuth: embedded.PlatformAuth(counties...),
	})
	if err != nil {
		return nil, err
	}
	p := &Platform{Infra: infra, URLs: map[string]string{}, Clock: opts.Clock, Counties: counties, log: opts.Logger}
	keyFile := ""
	if opts.DataDir != "" {
		keyFile = filepath.Join(opts.DataDir, "idp", "keys.json")
	}
	// The console's address is bound first: the provider registers its
	// redirect URI, which names the port.
	consoleLn, err := net.Listen("tcp", hostPort(opts.Host, opts.ConsolePort))
	if err != nil {
		p.close()
		return nil, fmt.Errorf("cannot listen for the console: %w", err)
	}
	p.ConsoleURL = "http://" + consoleLn.Addr().String()
	defer func() {
		if p.console == nil { // Start failed before the console took it
			_ = consoleLn.Close()
		}
	}()
	if p.IdP, err = idp.New(idp.Options{Addr: hostPort(opts.Host, opts.IdPPort), KeyFile: keyFile, Logger: opts.Logger,
		ConsoleRedirects: []string{p.ConsoleURL + "/callback"}}); err != nil {
		p.close()
		return nil, fmt.Errorf("while starting the identity provider: %w", err)
	}
	if err := p.publishPolicies(ctx, centers); err != nil {
		p.close()
		return nil, err
	}
	clockPort := 0
	if opts.HTTPBasePort != 0 {
		clockPort = opts.HTTPBasePort + len(services)
	}
	if err := p.listenClock(hostPort(opts.Host, clockPort)); err != nil {
		p.close()
		return nil, err
	}
	for i, s := range servicesOn(opts.Clock) {
		port := 0
		if opts.HTTPBasePort != 0 {
			port = opts.HTTPBasePort + i
		}
		svc, err := s.new(ctx, p.config(s.name, hostPort(opts.Host, port)), opts.Logger)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("while starting %s: %w", s.name, err)
		}
		p.svcs = append(p.svcs, svc)
		p.URLs[s.name] = svc.HTTP.URL()
	}
	if p.console, err = p.startConsole(consoleLn, opts); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// startConsole wires the console to the services and the provider, with a
// session key new at every start: a restart signs everyone out, as the
// provider's restart does.
func (p *Platform) startConsole(ln net.Listener, opts Options) (*console.Console, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	cfg := console.Config{
		PublicURL: p.ConsoleURL, Issuer: p.IdP.Issuer, Audience: idp.Audience, ClientID: idp.ConsoleClient, SessionKey: key,
		Services: console.Services{
			Intake: p.URLs[intake.Name], Referral: p.URLs[referral.Name], MediationRoom: p.URLs[mediationroom.Name],
			Revisit: p.URLs[revisit.Name], Supervision: p.URLs[supervision.Name],
		},
	}
	now := time.Now
	if opts.Clock != nil {
		now = opts.Clock.Now
	}
	c, err := console.New(cfg, console.Options{Listener: ln, Logger: opts.Logger, Now: now})
	if err != nil {
		return nil, fmt.Errorf("while starting the console: %w", err)
	}
	return c, nil
}

func (p *Platform) config(service, httpAddr string) config.Common {
	return config.Common{
		KafkaBrokers: p.Infra.Brokers, Kafka: p.KafkaUser(kafkaacl.ServicePrincipal(service)).Security(),
		MongoURI: p.Infra.MongoURI, MongoDatabase: "fengqiao",
		HTTPAddr: httpAddr, TopicPartitions: 3, TopicReplication: 1,
		Auth: config.Auth{Issuer: p.IdP.Issuer, Audience: idp.Audience},
	}
}

// KafkaUser is the credentials of one of the broker's principals
// (api/kafkaacl names them: a service's, the operator's, a county's
// agency's), or the superuser's for "admin". Unknown names get empty
// credentials, which the broker refuses.
func (p *Platform) KafkaUser(principal string) embedded.Credentials {
	auth := p.Infra.KafkaAuth
	if principal == auth.Admin.Username {
		return auth.Admin
	}
	c, _ := auth.User(principal)
	return c
}

// Kafka is how a client logged in as principal reaches the broker.
func (p *Platform) Kafka(principal string) messaging.Cluster {
	return messaging.Cluster{Brokers: p.Infra.Brokers, Security: p.KafkaUser(principal).Security()}
}

// Run serves every service until ctx is cancelled, then stops the services
// and the infrastructure, in that order.
func (p *Platform) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(p.svcs)+2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if errs[len(p.svcs)] = p.IdP.Run(ctx); errs[len(p.svcs)] != nil {
			cancel()
		}
	}()
	go func() {
		defer wg.Done()
		if errs[len(p.svcs)+1] = p.console.Run(ctx); errs[len(p.svcs)+1] != nil {
			cancel()
		}
	}()
	for i, svc := range p.svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = svc.Run(ctx); errs[i] != nil {
				cancel() // one service down takes the platform down, loudly
			}
		}()
	}
	wg.Wait()
	_ = p.clock.Close()
	return errors.Join(append(errs, p.Infra.Close())...)
}

// listenClock serves the clock's endpoint on addr until Run ends.
func (p *Platform) listenClock(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen for the clock on %s: %w", addr, err)
	}
	p.clock = &http.Server{Handler: ClockHandler(p.Clock), ReadHeaderTimeout: 5 * time.Second}
	p.ClockURL = "http://" + ln.Addr().String()
	go func() { _ = p.clock.Serve(ln) }()
	return nil
}

// close releases what Start opened when Run will not be called.
func (p *Platform) close() {
	for _, svc := range p.svcs {
		svc.Close()
	}
	if p.IdP != nil {
		_ = p.IdP.Close()
	}
	if p.console != nil {
		_ = p.console.Close()
	}
	if p.clock != nil {
		_ = p.clock.Close()
	}
	_ = p.Infra.Close()
}

// loadPolicies loads the counties' MediationCenter resources through the
// same validation the operator uses in a cluster; an empty dir loads none.
func loadPolicies(dir string) ([]v1alpha1.MediationCenter, error) {
	if dir == "" {
		return nil, nil
	}
	centers, err := localpolicy.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("while loading county policies from %s: %w", dir, err)
	}
	return centers, nil
}

// publishPolicies creates the counties' topics and publishes their policies
// with the operator's code, logged in as the operator, so the embedded
// platform runs on the same policies without Kubernetes.
func (p *Platform) publishPolicies(ctx context.Context, centers []v1alpha1.MediationCenter) error {
	if len(centers) == 0 {
		return nil
	}
	if err := localpolicy.PublishTo(ctx, p.Kafka(kafkaacl.OperatorPrincipal), centers...); err != nil {
		return fmt.Errorf("while publishing county policies: %w", err)
	}
	return nil
}

func hostPort(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// Service returns a running service by name (nil if there is none), for
// tests that walk its routes.
func (p *Platform) Service(name string) *bootstrap.Service {
	for i, s := range services {
		if s.name == name && i < len(p.svcs) {
			return p.svcs[i]
		}
	}
	return nil
}

// UserToken logs a sample user in (idp.Users) and returns an access token.
func (p *Platform) UserToken(ctx context.Context, user string) (string, error) {
	return idp.UserToken(ctx, p.IdP.Issuer, user, idp.DevPassword)
}

// SystemToken returns an access token for a sample agency client
// (idp.Systems).
func (p *Platform) SystemToken(ctx context.Context, clientID string) (string, error) {
	return idp.SystemToken(ctx, p.IdP.Issuer, clientID, idp.DevSecret)
}
