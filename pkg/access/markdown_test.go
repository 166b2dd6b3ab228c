package access

import (
	"os"
	"strings"
	"testing"
)

// The table in docs/security.md is this package's table, rendered: set
// UPDATE_DOCS=1 to rewrite it after changing a rule.
func TestSecurityDocCarriesTheTable(t *testing.T) {
	const path = "../../docs/security.md"
	const begin, end = "<!-- access table: begin -->\n", "<!-- access table: end -->"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no access table between %q and %q", path, begin, end)
	}
	want := Markdown()
	if got := doc[i+len(begin) : j]; got != want {
		if os.Getenv("UPDATE_DOCS") != "" {
			if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("the access table in %s is not pkg/access's; run UPDATE_DOCS=1 go test ./access/", path)
	}
}
