package provision

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"errors"
	"fmt"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
)

// Principal is a Kafka user to create or update, with its password.
type Principal struct {
	kafkaacl.Principal
	Password string
}

// scramIterations is the SCRAM-SHA-512 iteration count the credentials are
// stored with: Kafka accepts 4096 to 16384, and 4096 is its default.
const scramIterations = 4096

// EnsurePrincipals makes each principal a SCRAM-SHA-512 user of the cluster
// with its password, and grants it its ACLs (api/kafkaacl). Both calls are
// upserts: a user's credentials are replaced, an ACL that exists is left as
// it is, so every reconcile may run it. ACLs a principal no longer needs are
// not removed here. The caller needs the cluster's Alter permission, which
// is why Strimzi's User Operator (the chart's KafkaUsers) does this instead
// where it runs.
func (p *Provisioner) EnsurePrincipals(ctx context.Context, principals []Principal) error {
	if len(principals) == 0 {
		return nil
	}
	req := &kafka.AlterUserScramCredentialsRequest{}
	var acls []kafka.ACLEntry
	for _, pr := range principals {
		up, err := upsertion(pr.Name, pr.Password)
		if err != nil {
			return err
		}
		req.Upsertions = append(req.Upsertions, up)
		entries, err := aclEntries(pr.Principal)
		if err != nil {
			return err
		}
		acls = append(acls, entries...)
	}
	c, err := p.principalsClient()
	if err != nil {
		return err
	}
	res, err := c.AlterUserScramCredentials(ctx, req)
	if err != nil {
		return fmt.Errorf("while setting the credentials of %d Kafka users: %w", len(principals), err)
	}
	var errs []error
	for _, r := range res.Results {
		if r.Error != nil {
			errs = append(errs, fmt.Errorf("user %s: %w", r.User, r.Error))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("while setting the credentials of Kafka users: %w", err)
	}
	created, err := c.CreateACLs(ctx, &kafka.CreateACLsRequest{ACLs: acls})
	if err != nil {
		return fmt.Errorf("while creating %d Kafka ACLs: %w", len(acls), err)
	}
	if err := errors.Join(created.Errors...); err != nil {
		return fmt.Errorf("while creating Kafka ACLs: %w", err)
	}
	return nil
}

// principalsClient is kafka-go's admin client for users and ACLs, made on
// the first use. Its metadata cache is kept to the cluster's brokers (the
// policy topic, which it does not need to exist): users and ACLs need no topic's.
func (p *Provisioner) principalsClient() (*kafka.Client, error) {
	p.principalsOnce.Do(func() {
		tr, err := p.cluster.Transport()
		if err != nil {
			p.principalsErr = fmt.Errorf("while setting up the Kafka users' client: %w", err)
			return
		}
		tr.DialTimeout = p.timeout
		tr.MetadataTopics = []string{events.TopicPolicy}
		p.principals = &kafka.Client{Addr: kafka.TCP(p.cluster.Brokers...), Timeout: p.timeout, Transport: tr}
	})
	return p.principals, p.principalsErr
}

// upsertion is the SCRAM-SHA-512 credential of user: a fresh salt and the
// salted password (RFC 5802's Hi, PBKDF2 with HMAC-SHA-512), as Kafka
// stores it; the password itself never goes to the broker.
func upsertion(user, password string) (kafka.UserScramCredentialsUpsertion, error) {
	if password == "" {
		return kafka.UserScramCredentialsUpsertion{}, fmt.Errorf("Kafka user %s has no password", user)
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return kafka.UserScramCredentialsUpsertion{}, fmt.Errorf("cannot salt the password of %s: %w", user, err)
	}
	salted, err := pbkdf2.Key(sha512.New, password, salt, scramIterations, sha512.Size)
	if err != nil {
		return kafka.UserScramCredentialsUpsertion{}, fmt.Errorf("cannot salt the password of %s: %w", user, err)
	}
	return kafka.UserScramCredentialsUpsertion{
		Name: user, Mechanism: kafka.ScramMechanismSha512, Iterations: scramIterations, Salt: salt, SaltedPassword: salted,
	}, nil
}

// aclEntries are p's grants as Kafka allow ACLs, one per operation, from
// any host.
func aclEntries(p kafkaacl.Principal) ([]kafka.ACLEntry, error) {
	var out []kafka.ACLEntry
	for _, g := range p.Grants {
		resource, ok := map[kafkaacl.ResourceType]kafka.ResourceType{
			kafkaacl.Topic: kafka.ResourceTypeTopic, kafkaacl.Group: kafka.ResourceTypeGroup, kafkaacl.Cluster: kafka.ResourceTypeCluster,
		}[g.Resource]
		if !ok {
			return nil, fmt.Errorf("principal %s: unknown ACL resource type %q", p.Name, g.Resource)
		}
		pattern := kafka.PatternTypeLiteral
		if g.Pattern == kafkaacl.Prefix {
			pattern = kafka.PatternTypePrefixed
		}
		for _, op := range g.Operations {
			var kop kafka.ACLOperationType
			if err := kop.UnmarshalText([]byte(op)); err != nil {
				return nil, fmt.Errorf("principal %s: %w", p.Name, err)
			}
			out = append(out, kafka.ACLEntry{
				ResourceType: resource, ResourceName: g.Name, ResourcePatternType: pattern,
				Principal: "User:" + p.Name, Host: "*", Operation: kop, PermissionType: kafka.ACLPermissionTypeAllow,
			})
		}
	}
	return out, nil
}
