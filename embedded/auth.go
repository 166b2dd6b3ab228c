package embedded

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/pkg/config"
)

// SCRAMMechanism is the SASL mechanism the broker authenticates with, the
// one Strimzi's KafkaUsers use in production.
const SCRAMMechanism = "SCRAM-SHA-512"

// Credentials are a Kafka user's SASL/SCRAM name and password.
type Credentials struct {
	Username, Password string
}

// Security is the client setting that logs in as c (config.Common.Kafka).
func (c Credentials) Security() config.KafkaSecurity {
	return config.KafkaSecurity{SASLMechanism: SCRAMMechanism, Username: c.Username, Password: c.Password}
}

// User is a principal subject to ACLs.
type User struct {
	Credentials
	Grants []kafkaacl.Grant
}

// BrokerAuth turns on SASL/SCRAM and per-principal ACLs: a client that does
// not log in, or logs in as an unknown user, is refused, and a user may do
// only what its grants allow, as on a Strimzi cluster with simple
// authorization.
type BrokerAuth struct {
	// Admin is a superuser, allowed everything: what creates users and
	// ACLs, and what tests read and write with when the ACLs are not
	// what they test.
	Admin Credentials
	Users []User
}

// DevPassword is the development password of a principal: derived from
// its name, so `make run` and the tests need no secret store and a restart
// keeps them. Public by construction, like the development data keys.
func DevPassword(principal string) string {
	sum := sha256.Sum256([]byte("fengqiao-development-kafka-password:" + principal))
	return hex.EncodeToString(sum[:12])
}

// DevAdmin is the superuser of a development broker.
var DevAdmin = Credentials{Username: "admin", Password: DevPassword("admin")}

// DevUser is principal p with its development password.
func DevUser(p kafkaacl.Principal) User {
	return User{Credentials: Credentials{Username: p.Name, Password: DevPassword(p.Name)}, Grants: p.Grants}
}

// PlatformAuth is the development broker's users: the five services and the
// operator (kafkaacl.Platform) and every agency of counties
// (kafkaacl.CountyAgencies), each with its DevPassword.
func PlatformAuth(counties ...string) *BrokerAuth {
	a := &BrokerAuth{Admin: DevAdmin}
	for _, p := range kafkaacl.Platform() {
		a.Users = append(a.Users, DevUser(p))
	}
	for _, county := range counties {
		for _, p := range kafkaacl.CountyAgencies(county) {
			a.Users = append(a.Users, DevUser(p))
		}
	}
	return a
}

// User returns the credentials of the named user, and false for an unknown one.
func (a *BrokerAuth) User(name string) (Credentials, bool) {
	for _, u := range a.Users {
		if u.Username == name {
			return u.Credentials, true
		}
	}
	return Credentials{}, false
}

// kfakeOpts are the cluster options that enforce a.
func (a *BrokerAuth) kfakeOpts() ([]kfake.Opt, error) {
	opts := []kfake.Opt{kfake.EnableSASL(), kfake.EnableACLs(), kfake.Superuser(SCRAMMechanism, a.Admin.Username, a.Admin.Password)}
	for _, u := range a.Users {
		var acls []kfake.ACL
		for _, g := range u.Grants {
			converted, err := kfakeACLs(g)
			if err != nil {
				return nil, fmt.Errorf("user %s: %w", u.Username, err)
			}
			acls = append(acls, converted...)
		}
		opts = append(opts, kfake.User(SCRAMMechanism, u.Username, u.Password, acls...))
	}
	return opts, nil
}

// kfakeACLs are g as kfake's allow ACLs, one per operation.
func kfakeACLs(g kafkaacl.Grant) ([]kfake.ACL, error) {
	resource, ok := map[kafkaacl.ResourceType]kmsg.ACLResourceType{
		kafkaacl.Topic: kmsg.ACLResourceTypeTopic, kafkaacl.Group: kmsg.ACLResourceTypeGroup, kafkaacl.Cluster: kmsg.ACLResourceTypeCluster,
	}[g.Resource]
	if !ok {
		return nil, fmt.Errorf("unknown ACL resource type %q", g.Resource)
	}
	pattern := kmsg.ACLResourcePatternTypeLiteral
	if g.Pattern == kafkaacl.Prefix {
		pattern = kmsg.ACLResourcePatternTypePrefixed
	}
	var out []kfake.ACL
	for _, op := range g.Operations {
		kop, err := kmsg.ParseACLOperation(string(op))
		if err != nil {
			return nil, fmt.Errorf("ACL operation %q: %w", op, err)
		}
		out = append(out, kfake.ACL{Resource: resource, Name: g.Name, Pattern: pattern, Operation: kop, Allow: true})
	}
	return out, nil
}
