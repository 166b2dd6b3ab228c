package charttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
)

// kafkaACLsPath is the chart's copy of api/kafkaacl's table, which the
// KafkaUsers template reads: generated, never edited (`-update` rewrites it).
const kafkaACLsPath = "charts/fengqiao/files/kafka-acls.yaml"

// strimziACL is one ACL as a Strimzi KafkaUser spells it.
type strimziACL struct {
	Resource   strimziResource `json:"resource"`
	Operations []string        `json:"operations"`
}

type strimziResource struct {
	Type        string `json:"type"`
	Name        string `json:"name,omitempty"`
	PatternType string `json:"patternType,omitempty"`
}

func strimziACLs(p kafkaacl.Principal) []strimziACL {
	var out []strimziACL
	for _, g := range p.Grants {
		r := strimziResource{Type: string(g.Resource), Name: g.Name, PatternType: string(g.Pattern)}
		if g.Resource == kafkaacl.Cluster {
			r = strimziResource{Type: "cluster"}
		}
		var ops []string
		for _, op := range g.Operations {
			ops = append(ops, string(op))
		}
		out = append(out, strimziACL{Resource: r, Operations: ops})
	}
	return out
}

// generatedKafkaACLs is files/kafka-acls.yaml as api/kafkaacl has it: the
// platform's principals, and the agencies' as a pattern whose COUNTY and
// COPY the template fills in per county and copy.
func generatedKafkaACLs(t *testing.T) []byte {
	t.Helper()
	type principal struct {
		Name string       `json:"name"`
		ACLs []strimziACL `json:"acls"`
	}
	var platform []principal
	for _, p := range kafkaacl.Platform() {
		platform = append(platform, principal{Name: p.Name, ACLs: strimziACLs(p)})
	}
	var copies []string
	for _, c := range events.Copies() {
		copies = append(copies, string(c))
	}
	agency := kafkaacl.AgencyACLs("COUNTY", events.Copy("COPY"))
	body, err := yaml.Marshal(map[string]any{
		"platform": platform,
		"agency":   map[string]any{"name": agency.Name, "copies": copies, "acls": strimziACLs(agency)},
	})
	if err != nil {
		t.Fatal(err)
	}
	header := "# Generated from api/kafkaacl by charts/charttest (go test ./charts/charttest/... -update): do not edit.\n"
	return append([]byte(header), body...)
}

func TestKafkaACLsFileIsGenerated(t *testing.T) {
	want := generatedKafkaACLs(t)
	path := filepath.Join(repoRoot(t), kafkaACLsPath)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what api/kafkaacl says; run `go test ./charts/charttest/... -update`", kafkaACLsPath)
	}
}

// aclSet flattens ACLs to "type name pattern op" lines, sorted.
func aclSet(acls []acl) []string {
	var out []string
	for _, a := range acls {
		for _, op := range a.ops {
			out = append(out, fmt.Sprintf("%s %s %s %s", a.kind, a.name, a.pattern, op))
		}
	}
	slices.Sort(out)
	return out
}

func principalSet(p kafkaacl.Principal) []string {
	var acls []acl
	for _, a := range strimziACLs(p) {
		acls = append(acls, acl{kind: a.Resource.Type, name: a.Resource.Name, pattern: a.Resource.PatternType, ops: a.Operations})
	}
	return aclSet(acls)
}

// TestKafkaUsersFollowTheACLTable: asked for, on a cluster that serves
// KafkaUser, the chart renders one user per service, the operator and each
// listed county's agencies, each with exactly its api/kafkaacl ACLs; without
// the kind it renders none.
func TestKafkaUsersFollowTheACLTable(t *testing.T) {
	h := needHelm(t)
	set := []string{"--set", "kafkaUsers.enabled=true", "--set-json", `kafkaUsers.counties=["622901","370202"]`, "--set", "kafkaUsers.namespace=kafka"}
	if strings.Contains(h.template(t, platformDefault, set...), "kind: KafkaUser") {
		t.Error("KafkaUsers were rendered for a cluster without the kind")
	}
	manifest := h.template(t, platformDefault, append(set, "--api-versions", "kafka.strimzi.io/v1beta2/KafkaUser")...)
	got := usersOf(t, manifest)
	want := append([]kafkaacl.Principal{}, kafkaacl.Platform()...)
	want = append(want, kafkaacl.CountyAgencies("622901")...)
	want = append(want, kafkaacl.CountyAgencies("370202")...)
	if len(got) != len(want) {
		t.Errorf("%d KafkaUsers, want %d", len(got), len(want))
	}
	for _, p := range want {
		u, ok := got[p.Name]
		if !ok {
			t.Errorf("no KafkaUser %s", p.Name)
			continue
		}
		if !slices.Equal(aclSet(u), principalSet(p)) {
			t.Errorf("KafkaUser %s grants\n  %v\nwant\n  %v", p.Name, aclSet(u), principalSet(p))
		}
	}
}

// usersOf reads the KafkaUsers of a manifest: name → ACLs.
func usersOf(t *testing.T, manifest string) map[string][]acl {
	t.Helper()
	out := map[string][]acl{}
	for _, o := range objects(t, manifest) {
		if o.GetKind() != "KafkaUser" {
			continue
		}
		if o.GetNamespace() != "kafka" || o.GetLabels()["strimzi.io/cluster"] != "fengqiao" {
			t.Errorf("KafkaUser %s in %q of cluster %q", o.GetName(), o.GetNamespace(), o.GetLabels()["strimzi.io/cluster"])
		}
		out[o.GetName()] = aclsOf(t, o.Object)
	}
	return out
}
