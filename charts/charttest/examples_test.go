package charttest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/api/policy"
)

// The brought-in dependencies (charts/examples) are plain manifests of
// other projects' operators (Strimzi, the MongoDB Community Operator), whose
// CRDs are not available here; these tests hold them to the platform's own
// topic names and access model instead, read from api/ rather than copied.

func exampleObjects(t *testing.T, file string) []*unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "charts", "examples", file))
	if err != nil {
		t.Fatal(err)
	}
	objs := objects(t, string(raw))
	if len(objs) == 0 {
		t.Fatalf("%s holds no objects", file)
	}
	return objs
}

// serviceTopics are the event logs each service owns (writes) and the
// topics its subscriptions consume, from api/kafkaacl.
var serviceTopics = func() map[string]struct{ writes, reads []string } {
	out := map[string]struct{ writes, reads []string }{}
	for _, s := range kafkaacl.Services() {
		out[s.Service] = struct{ writes, reads []string }{s.Writes, s.Reads}
	}
	return out
}()

// TestStrimziTopicsCoverTheServicesTopics: every topic a service writes or
// consumes, and the dead-letter topic of each consumed one, has a KafkaTopic
// (the operator's own topics excepted), replicated three times, with an
// explicit retention.
func TestStrimziTopicsCoverTheServicesTopics(t *testing.T) {
	topics := map[string]*unstructured.Unstructured{}
	for _, o := range exampleObjects(t, "strimzi-topics.yaml") {
		if o.GetKind() != "KafkaTopic" || o.GetLabels()["strimzi.io/cluster"] != "fengqiao" {
			t.Errorf("%s %s is not a KafkaTopic of the fengqiao cluster", o.GetKind(), o.GetName())
		}
		topics[o.GetName()] = o
	}
	operatorOwned := []string{events.TopicPolicy, policy.TopicCountyFigures}
	for svc, st := range serviceTopics {
		var want []string
		for _, r := range st.reads {
			want = append(want, r, events.DeadLetterTopic(r))
		}
		for _, w := range append(st.writes, want...) {
			if slices.Contains(operatorOwned, w) {
				continue
			}
			o, ok := topics[w]
			if !ok {
				t.Errorf("%s uses %s, which has no KafkaTopic", svc, w)
				continue
			}
			if r, _, _ := unstructured.NestedFieldNoCopy(o.Object, "spec", "replicas"); fmt.Sprint(r) != "3" {
				t.Errorf("KafkaTopic %s: replicas %v, want 3", w, r)
			}
			if _, ok, _ := unstructured.NestedFieldNoCopy(o.Object, "spec", "config", "retention.ms"); !ok {
				t.Errorf("KafkaTopic %s has no explicit retention.ms", w)
			}
		}
	}
	for _, owned := range operatorOwned {
		if _, ok := topics[owned]; ok {
			t.Errorf("%s is the operator's to create; a KafkaTopic would fight it over its configuration", owned)
		}
	}
}

// acl is one ACL of a KafkaUser: a resource and its operations.
type acl struct {
	kind, name, pattern string
	ops                 []string
}

func userACLs(t *testing.T) map[string][]acl {
	t.Helper()
	out := map[string][]acl{}
	for _, o := range exampleObjects(t, "strimzi-users.yaml") {
		if o.GetKind() != "KafkaUser" {
			t.Fatalf("%s %s is not a KafkaUser", o.GetKind(), o.GetName())
		}
		out[o.GetName()] = aclsOf(t, o.Object)
	}
	return out
}

// aclsOf reads a KafkaUser's ACLs; it must authenticate with SCRAM-SHA-512.
func aclsOf(t *testing.T, user map[string]any) []acl {
	t.Helper()
	name, _, _ := unstructured.NestedString(user, "metadata", "name")
	if mech, _, _ := unstructured.NestedString(user, "spec", "authentication", "type"); mech != "scram-sha-512" {
		t.Errorf("KafkaUser %s authenticates with %q, want scram-sha-512", name, mech)
	}
	var out []acl
	list, _, _ := unstructured.NestedSlice(user, "spec", "authorization", "acls")
	for _, raw := range list {
		m := raw.(map[string]any)
		res := m["resource"].(map[string]any)
		a := acl{kind: str(res["type"]), name: str(res["name"]), pattern: str(res["patternType"])}
		for _, op := range m["operations"].([]any) {
			a.ops = append(a.ops, op.(string))
		}
		out = append(out, a)
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

// allows reports whether acls grant op on topic.
func allows(acls []acl, op, topic string) bool {
	for _, a := range acls {
		if a.kind != "topic" || !slices.Contains(a.ops, op) {
			continue
		}
		if (a.pattern == "literal" && a.name == topic) || (a.pattern == "prefix" && strings.HasPrefix(topic, a.name)) {
			return true
		}
	}
	return false
}

// TestStrimziUsersGrantEachServiceItsOwnTopics: a service writes exactly
// the logs it owns (and the dead-letter topics of what it consumes), reads
// what it consumes and the policy topic; the referral service alone writes
// the county copy topics.
func TestStrimziUsersGrantEachServiceItsOwnTopics(t *testing.T) {
	users := userACLs(t)
	everyTopic := append(events.InternalTopics(), events.TopicIntakeIngest, events.TopicPolicy, policy.TopicCountyFigures,
		events.CountyCopyTopic("622901", events.CopyJurisdiction))
	for svc, st := range serviceTopics {
		acls, ok := users["fengqiao-"+svc]
		if !ok {
			t.Errorf("no KafkaUser fengqiao-%s", svc)
			continue
		}
		for _, topic := range everyTopic {
			wantWrite := slices.Contains(st.writes, topic) || (svc == "referral" && strings.HasPrefix(topic, "fengqiao.county."))
			if got := allows(acls, "Write", topic); got != wantWrite {
				t.Errorf("%s may write %s: %v, want %v", svc, topic, got, wantWrite)
			}
			wantRead := slices.Contains(st.reads, topic) || topic == events.TopicPolicy
			if got := allows(acls, "Read", topic); got != wantRead {
				t.Errorf("%s may read %s: %v, want %v", svc, topic, got, wantRead)
			}
		}
		for _, r := range st.reads {
			if !allows(acls, "Write", events.DeadLetterTopic(r)) {
				t.Errorf("%s cannot dead-letter a message of %s", svc, r)
			}
		}
	}
}

// TestStrimziUsersExampleIsTheACLTable: the example's KafkaUsers are
// exactly api/kafkaacl's principals (the platform's and Linxia's agencies),
// as the chart renders them.
func TestStrimziUsersExampleIsTheACLTable(t *testing.T) {
	users := userACLs(t)
	want := append(append([]kafkaacl.Principal{}, kafkaacl.Platform()...), kafkaacl.CountyAgencies("622901")...)
	if len(users) != len(want) {
		t.Errorf("%d KafkaUsers, want %d", len(users), len(want))
	}
	for _, p := range want {
		if got := aclSet(users[p.Name]); !slices.Equal(got, principalSet(p)) {
			t.Errorf("KafkaUser %s grants\n  %v\nwant\n  %v", p.Name, got, principalSet(p))
		}
	}
}

// TestStrimziAgencyReadsOnlyItsCopy: an agency's principal reads exactly
// its county's copy topic for its kind, and writes nothing.
func TestStrimziAgencyReadsOnlyItsCopy(t *testing.T) {
	users := userACLs(t)
	for _, c := range events.Copies() {
		name := "agency-622901-" + string(c)
		acls, ok := users[name]
		if !ok {
			t.Errorf("no KafkaUser %s", name)
			continue
		}
		for _, county := range []string{"622901", "620902"} {
			for _, other := range events.Copies() {
				topic := events.CountyCopyTopic(county, other)
				want := county == "622901" && other == c
				if got := allows(acls, "Read", topic); got != want {
					t.Errorf("%s may read %s: %v, want %v", name, topic, got, want)
				}
			}
		}
		for _, a := range acls {
			if slices.ContainsFunc(a.ops, func(op string) bool { return op != "Read" && op != "Describe" }) {
				t.Errorf("%s is granted %v on %s %s; an agency only reads", name, a.ops, a.kind, a.name)
			}
		}
	}
}

// TestKafkaExampleIsKRaftAndDurable: the cluster runs without ZooKeeper on
// a node pool, with SCRAM over TLS, ACLs, and writes on two brokers.
func TestKafkaExampleIsKRaftAndDurable(t *testing.T) {
	objs := exampleObjects(t, "strimzi-kafka.yaml")
	k := find(t, objs, "Kafka", "fengqiao")
	pool := find(t, objs, "KafkaNodePool", "dual-role")
	if k.GetAnnotations()["strimzi.io/kraft"] != "enabled" || k.GetAnnotations()["strimzi.io/node-pools"] != "enabled" {
		t.Errorf("Kafka annotations %v: want KRaft and node pools enabled", k.GetAnnotations())
	}
	if roles, _, _ := unstructured.NestedStringSlice(pool.Object, "spec", "roles"); !slices.Contains(roles, "controller") || !slices.Contains(roles, "broker") {
		t.Errorf("node pool roles %v", roles)
	}
	cfg, _, _ := unstructured.NestedMap(k.Object, "spec", "kafka", "config")
	if fmt.Sprint(cfg["min.insync.replicas"]) != "2" || cfg["auto.create.topics.enable"] != false {
		t.Errorf("Kafka config %v: want min.insync.replicas 2 and no implicit topics", cfg)
	}
	if authz, _, _ := unstructured.NestedString(k.Object, "spec", "kafka", "authorization", "type"); authz != "simple" {
		t.Errorf("authorization %q, want simple (ACLs)", authz)
	}
}

// TestMongoDBExampleIsAReplicaSetWithMajorityWrites: three members, and
// every URI the platform is told to use carries w=majority.
func TestMongoDBExampleIsAReplicaSetWithMajorityWrites(t *testing.T) {
	rs := find(t, exampleObjects(t, "mongodb.yaml"), "MongoDBCommunity", "fengqiao-mongodb")
	if typ, _, _ := unstructured.NestedString(rs.Object, "spec", "type"); typ != "ReplicaSet" {
		t.Errorf("type %q, want ReplicaSet", typ)
	}
	if n, _, _ := unstructured.NestedFieldNoCopy(rs.Object, "spec", "members"); fmt.Sprint(n) != "3" {
		t.Errorf("%v members, want 3: a majority that survives the loss of one", n)
	}
	root := repoRoot(t)
	for _, file := range []string{"charts/fengqiao/values.yaml", "charts/fengqiao/templates/NOTES.txt", "charts/examples/values-production.yaml", "docs/operations.md"} {
		raw, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), "w=majority") {
			t.Errorf("%s shows a MongoDB URI without w=majority", file)
		}
	}
}

// TestHelmTestHooks: `helm test` has one Pod per enabled service that asks
// that service's Service for /readyz, and none for a disabled one.
func TestHelmTestHooks(t *testing.T) {
	h := needHelm(t)
	objs := objects(t, h.template(t, platformDefault, "--set", "services.revisit.enabled=false"))
	for svc := range serviceTopics {
		var pod *unstructured.Unstructured
		for _, o := range objs {
			if o.GetKind() == "Pod" && o.GetName() == "fengqiao-"+svc+"-test-readyz" {
				pod = o
			}
		}
		if svc == "revisit" {
			if pod != nil {
				t.Errorf("a test Pod for the disabled revisit service")
			}
			continue
		}
		if pod == nil {
			t.Errorf("no helm test Pod for %s", svc)
			continue
		}
		if pod.GetAnnotations()["helm.sh/hook"] != "test" {
			t.Errorf("%s: not a helm test hook: %v", pod.GetName(), pod.GetAnnotations())
		}
		c := pod.Object["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
		env := c["env"].([]any)[0].(map[string]any)
		if want := "http://fengqiao-" + svc + "." + platformNS + ".svc/readyz"; env["value"] != want {
			t.Errorf("%s asks %v, want %s", pod.GetName(), env["value"], want)
		}
	}
}

// TestDigestsPinImages: a digest from bin/images/digests.yaml replaces the
// tag, for the operator, the console and each service on its own.
func TestDigestsPinImages(t *testing.T) {
	h := needHelm(t)
	digest := "sha256:" + strings.Repeat("ab", 32)
	objs := objects(t, h.template(t, platformDefault, "--set", "operator.digest="+digest, "--set", "services.intake.digest="+digest,
		"--set", "console.digest="+digest))
	for _, tc := range []struct{ name, want string }{
		{"fengqiao-mediationcenter-operator", "ghcr.io/fengqiao/mediationcenter-operator@" + digest},
		{"fengqiao-intake", "ghcr.io/fengqiao/intake@" + digest},
		{"fengqiao-console", "ghcr.io/fengqiao/console@" + digest},
		{"fengqiao-referral", "ghcr.io/fengqiao/referral:0.1.0"},
	} {
		d := find(t, objs, "Deployment", tc.name)
		c := d.Object["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
		if c["image"] != tc.want {
			t.Errorf("%s runs %v, want %s", tc.name, c["image"], tc.want)
		}
	}
	h.mustFail(t, []string{"digest"}, append([]string{"template"}, platformDefault.args("--set", "operator.digest=latest")...)...)
}

// TestHelmTestDispute: the loop test is off by default and, given a
// scratch county, registers a dispute there at intake and waits for its
// slip at referral, calling with a token it takes from the services' issuer
// with client credentials (the client's secret from a Secret), never with
// identity headers.
func TestHelmTestDispute(t *testing.T) {
	h := needHelm(t)
	for _, o := range objects(t, h.template(t, platformDefault)) {
		if o.GetName() == "fengqiao-test-dispute" {
			t.Fatal("the test dispute is rendered without a scratch county")
		}
	}
	scratch := "tests.dispute.county=999901,tests.dispute.township=999901001,tests.dispute.village=999901001001"
	objs := objects(t, h.template(t, platformDefault, "--set-string", scratch+
		",tests.dispute.client.secretName=helm-test-client,serviceDefaults.env.AUTH_ISSUER=https://idp.example.gov.cn/realms/fengqiao"))
	pod := find(t, objs, "Pod", "fengqiao-test-dispute")
	if pod.GetAnnotations()["helm.sh/hook"] != "test" {
		t.Errorf("not a helm test hook: %v", pod.GetAnnotations())
	}
	c := pod.Object["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
	env, fromSecret := map[string]string{}, map[string]string{}
	for _, e := range c["env"].([]any) {
		m := e.(map[string]any)
		env[m["name"].(string)] = str(m["value"])
		from, _ := m["valueFrom"].(map[string]any)
		if ref, ok := from["secretKeyRef"].(map[string]any); ok {
			fromSecret[m["name"].(string)] = str(ref["name"]) + "/" + str(ref["key"])
		}
	}
	if env["COUNTY"] != "999901" || env["INTAKE"] != "http://fengqiao-intake."+platformNS+".svc" || env["REFERRAL"] != "http://fengqiao-referral."+platformNS+".svc" ||
		env["ISSUER"] != "https://idp.example.gov.cn/realms/fengqiao" {
		t.Errorf("test dispute env %v", env)
	}
	if fromSecret["CLIENT_ID"] != "helm-test-client/clientID" || fromSecret["CLIENT_SECRET"] != "helm-test-client/clientSecret" {
		t.Errorf("the test client's ID and secret come from %v, want the Secret helm-test-client", fromSecret)
	}
	script := fmt.Sprint(c["command"])
	for _, want := range []string{"/.well-known/openid-configuration", "grant_type=client_credentials", "Authorization: Bearer $token", "/v1/disputes", "/v1/slips/$id.r1", "Idempotency-Key"} {
		if !strings.Contains(script, want) {
			t.Errorf("the test dispute script lacks %q", want)
		}
	}
	if strings.Contains(script, "X-Fengqiao") {
		t.Errorf("the test dispute claims an identity with headers: %s", script)
	}
	h.mustFail(t, []string{"tests/dispute/county"}, append([]string{"template"}, platformDefault.args("--set-string", "tests.dispute.county=62")...)...)
	h.mustFail(t, []string{"tests.dispute.client.secretName"}, append([]string{"template"}, platformDefault.args("--set-string", scratch)...)...)
	h.mustFail(t, []string{"AUTH_ISSUER"}, append([]string{"template"}, platformDefault.args("--set-string", scratch+",tests.dispute.client.secretName=s")...)...)
}
