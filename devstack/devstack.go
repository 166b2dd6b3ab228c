// Package devstack runs the whole Fengqiao platform in one process on the
// embedded infrastructure: an in-process Kafka-protocol broker and a
// MongoDB-wire store (package embedded), and the five services, each on its
// own HTTP port. It backs `make run` and the e2e tests. In production every
// service runs as its own process against real Kafka and MongoDB.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
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
	// PolicyDir holds MediationCenter YAML (one county per resource). Each
	// is validated with the CRD's own schema and CEL rules and published on
	// the policy topic, as the operator does in a cluster. Empty: none, and
	// the services use their defaults.
	PolicyDir string
	Logger    *slog.Logger
}

// service is one of the five, as devstack starts it.
type service struct {
	name string
	new  func(context.Context, config.Common, *slog.Logger) (*bootstrap.Service, error)
}

// services in the order of the loop, which is also the order of their ports.
var services = []service{
	{intake.Name, intake.New},
	{referral.Name, referral.New},
	{mediationroom.Name, mediationroom.New},
	{revisit.Name, revisit.New},
	{supervision.Name, supervision.New},
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
	// URLs of the services by name.
	URLs map[string]string
	// Counties are the codes of the counties whose policies were loaded;
	// the broker has a principal for each of their agencies.
	Counties []string
	svcs     []*bootstrap.Service
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
		DataDir: opts.DataDir, Logger: opts.Logger.With("component", "embedded"),
		KafkaAddr: hostPort(opts.Host, opts.KafkaPort), MongoAddr: hostPort(opts.Host, opts.MongoPort),
		KafkaAuth: embedded.PlatformAuth(counties...),
	})
	if err != nil {
		return nil, err
	}
	p := &Platform{Infra: infra, URLs: map[string]string{}, Counties: counties, log: opts.Logger}
	if err := p.publishPolicies(ctx, centers); err != nil {
		p.close()
		return nil, err
	}
	for i, s := range services {
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
	return p, nil
}

func (p *Platform) config(service, httpAddr string) config.Common {
	return config.Common{
		KafkaBrokers: p.Infra.Brokers, Kafka: p.KafkaUser(kafkaacl.ServicePrincipal(service)).Security(),
		MongoURI: p.Infra.MongoURI, MongoDatabase: "fengqiao",
		HTTPAddr: httpAddr, TopicPartitions: 3, TopicReplication: 1,
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
	errs := make([]error, len(p.svcs))
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
	return errors.Join(append(errs, p.Infra.Close())...)
}

// close releases what Start opened when Run will not be called.
func (p *Platform) close() {
	for _, svc := range p.svcs {
		svc.Close()
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
