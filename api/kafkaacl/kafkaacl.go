// Package kafkaacl is the one table of who may do what on the platform's
// Kafka topics: each service writes only the event log it owns (and the
// dead-letter topics of what it consumes) and reads only what its
// subscriptions consume; an agency's principal reads exactly its county's
// copy topic for its kind. The embedded broker, the MediationCenter
// operator, the platform chart's KafkaUsers and the tests all derive their
// ACLs from it; each service's tests check that its subscriptions consume
// nothing the table does not grant.
package kafkaacl

import (
	"slices"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Operation is a Kafka ACL operation, spelled as Strimzi and Kafka's CLI
// spell it.
type Operation string

// The operations the platform grants.
const (
	Read            Operation = "Read"
	Write           Operation = "Write"
	Create          Operation = "Create"
	Delete          Operation = "Delete"
	Describe        Operation = "Describe"
	DescribeConfigs Operation = "DescribeConfigs"
	AlterConfigs    Operation = "AlterConfigs"
)

// ResourceType is what an ACL is on.
type ResourceType string

// Resource types.
const (
	Topic   ResourceType = "topic"
	Group   ResourceType = "group"
	Cluster ResourceType = "cluster"
)

// PatternType says how an ACL's resource name matches.
type PatternType string

// Pattern types.
const (
	Literal PatternType = "literal"
	Prefix  PatternType = "prefix"
)

// Grant allows operations on a resource.
type Grant struct {
	Resource   ResourceType
	Name       string // "kafka-cluster" for the cluster
	Pattern    PatternType
	Operations []Operation
}

// Principal is a Kafka user and what it is granted.
type Principal struct {
	Name   string
	Grants []Grant
}

// ServiceTopics is what one service does on Kafka.
type ServiceTopics struct {
	Service string
	// Writes are the topics it publishes on (its outbox's topics).
	Writes []string
	// Reads are the topics its subscriptions consume; it creates them
	// and their dead-letter topics at start-up if missing.
	Reads []string
	// Groups is the prefix of its consumer groups (a subscription's name).
	Groups string
	// WritesCountyCopies: it publishes every county's copy topics.
	WritesCountyCopies bool
}

// Services is what each service publishes and consumes, from the topic
// names in api/events and the subscriptions of services/*/internal/ports.
// The audit topic is shared: each service that holds personal data
// publishes its own chains on it.
// Every service also follows the policy topic (pkg/policywatch), without
// a consumer group.
func Services() []ServiceTopics {
	return []ServiceTopics{
		{Service: "intake", Writes: []string{events.TopicDisputes, events.TopicAudit},
			Reads: []string{events.TopicRevisits, events.TopicMediations, events.TopicIntakeIngest, events.TopicReferrals}, Groups: "intake."},
		{Service: "referral", Writes: []string{events.TopicReferrals}, Reads: []string{events.TopicDisputes},
			Groups: "referral.", WritesCountyCopies: true},
		{Service: "mediation-room", Writes: []string{events.TopicMediations, events.TopicAudit}, Reads: []string{events.TopicReferrals, events.TopicDisputes}, Groups: "mediation."},
		{Service: "revisit", Writes: []string{events.TopicRevisits},
			Reads: []string{events.TopicMediations, events.TopicRevisits, events.TopicReferrals}, Groups: "revisit."},
		{Service: "supervision", Writes: []string{policy.TopicCountyFigures}, Reads: events.InternalTopics(), Groups: "supervision."},
	}
}

// Service returns the entry of one service, and false for an unknown name.
func Service(name string) (ServiceTopics, bool) {
	i := slices.IndexFunc(Services(), func(s ServiceTopics) bool { return s.Service == name })
	if i < 0 {
		return ServiceTopics{}, false
	}
	return Services()[i], true
}

// ServicePrincipal names a service's Kafka user.
func ServicePrincipal(service string) string { return "fengqiao-" + service }

// OperatorPrincipal names the MediationCenter operator's Kafka user.
const OperatorPrincipal = "fengqiao-operator"

// AgencyPrincipal names the Kafka user of a county's agency of one kind:
// the system that consumes that county's copy c.
func AgencyPrincipal(county string, c events.Copy) string {
	return "agency-" + county + "-" + string(c)
}

// countyTopicPrefix is the prefix of every county's copy topics.
const countyTopicPrefix = "fengqiao.county."

// ServiceACLs are the grants of a service's principal.
func ServiceACLs(s ServiceTopics) Principal {
	p := Principal{Name: ServicePrincipal(s.Service)}
	for _, t := range s.Writes {
		// Create: a service's relay publishes before anyone else may have
		// created the topic in a fresh cluster; on an existing topic it
		// changes nothing.
		p.Grants = append(p.Grants, literal(Topic, t, Write, Describe, Create))
	}
	for _, t := range s.Reads {
		// DescribeConfigs: a service checks at start-up that what it
		// consumes keeps its records as documented (messaging.TopicConfigDrift).
		p.Grants = append(p.Grants, literal(Topic, t, Read, Describe, Create, DescribeConfigs))
		p.Grants = append(p.Grants, literal(Topic, events.DeadLetterTopic(t), Write, Describe, Create, DescribeConfigs))
	}
	p.Grants = append(p.Grants,
		literal(Topic, events.TopicPolicy, Read, Describe),
		Grant{Resource: Group, Name: s.Groups, Pattern: Prefix, Operations: []Operation{Read, Describe}})
	if s.WritesCountyCopies {
		// Create, as for its own log: the operator normally creates a
		// county's copy topics first, but the producer creates on first use
		// what it has not seen, and is told "already exists" when it does.
		p.Grants = append(p.Grants, Grant{Resource: Topic, Name: countyTopicPrefix, Pattern: Prefix, Operations: []Operation{Write, Describe, Create}})
	}
	return p
}

// AgencyACLs are the grants of a county's agency of kind c: read its copy
// topic, in consumer groups named after itself, and nothing else.
func AgencyACLs(county string, c events.Copy) Principal {
	name := AgencyPrincipal(county, c)
	return Principal{Name: name, Grants: []Grant{
		literal(Topic, events.CountyCopyTopic(county, c), Read, Describe),
		{Resource: Group, Name: name, Pattern: Prefix, Operations: []Operation{Read, Describe}},
	}}
}

// CountyAgencies are the principals of one county's agencies, one per copy.
func CountyAgencies(county string) []Principal {
	out := make([]Principal, 0, len(events.Copies()))
	for _, c := range events.Copies() {
		out = append(out, AgencyACLs(county, c))
	}
	return out
}

// OperatorACLs are the grants of the MediationCenter operator: it creates,
// configures and (on a county's retirement) deletes the county topics,
// publishes the policy topic and reads the county figures. Creating agency
// principals and their ACLs is a cluster operation: where the operator does
// it (rather than Strimzi's User Operator) it runs as a superuser.
func OperatorACLs() Principal {
	return Principal{Name: OperatorPrincipal, Grants: []Grant{
		{Resource: Topic, Name: countyTopicPrefix, Pattern: Prefix, Operations: []Operation{Create, Describe, DescribeConfigs, AlterConfigs, Delete, Read, Write}},
		literal(Topic, events.TopicPolicy, Create, Describe, DescribeConfigs, AlterConfigs, Read, Write),
		literal(Topic, policy.TopicCountyFigures, Create, Describe, DescribeConfigs, AlterConfigs, Read),
		{Resource: Cluster, Name: "kafka-cluster", Pattern: Literal, Operations: []Operation{Describe}},
	}}
}

// Platform are the principals of the five services and the operator.
func Platform() []Principal {
	var out []Principal
	for _, s := range Services() {
		out = append(out, ServiceACLs(s))
	}
	return append(out, OperatorACLs())
}

func literal(r ResourceType, name string, ops ...Operation) Grant {
	return Grant{Resource: r, Name: name, Pattern: Literal, Operations: ops}
}

// Allows reports whether p may do op on the topic or group named name, as a
// broker with these ACLs (and no deny ACLs) decides.
func (p Principal) Allows(r ResourceType, op Operation, name string) bool {
	for _, g := range p.Grants {
		if g.Resource != r || !slices.Contains(g.Operations, op) {
			continue
		}
		if (g.Pattern == Literal && g.Name == name) || (g.Pattern == Prefix && len(name) >= len(g.Name) && name[:len(g.Name)] == g.Name) {
			return true
		}
	}
	return false
}

// Ungranted lists why the service's principal would be refused a consumer
// group reading topics: the group outside its prefix, a topic it may not
// read. Each service's tests run it over every subscription, so a new one
// fails there rather than on a broker that enforces the table.
func Ungranted(service, group string, topics []string) []string {
	s, ok := Service(service)
	if !ok {
		return []string{"api/kafkaacl has no entry for " + service}
	}
	var refusals []string
	if !strings.HasPrefix(group, s.Groups) {
		refusals = append(refusals, "consumer group "+group+" is outside the principal's groups "+s.Groups+"*")
	}
	for _, topic := range topics {
		if !slices.Contains(s.Reads, topic) {
			refusals = append(refusals, group+" consumes "+topic+", which api/kafkaacl does not let "+service+" read")
		}
	}
	return refusals
}
