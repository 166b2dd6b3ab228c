package access

import (
	"fmt"
	"strings"

	"fengqiao.dev/pkg/identity"
)

// Markdown renders the table for people: a row per route, a column per
// role, each cell the relation the role needs and the fields it sees
// ("—": not allowed). docs/security.md carries it; a test keeps the two
// the same.
func Markdown() string {
	var b strings.Builder
	roles := identity.Roles()
	b.WriteString("| route | what for |")
	for _, r := range roles {
		fmt.Fprintf(&b, " %s |", r)
	}
	b.WriteString("\n| --- | --- |" + strings.Repeat(" --- |", len(roles)) + "\n")
	for _, rule := range table {
		fmt.Fprintf(&b, "| %s `%s %s` | %s |", rule.Service, rule.Method, rule.Path, rule.Why)
		for _, r := range roles {
			g, ok := rule.Grants[r]
			if !ok {
				b.WriteString(" — |")
				continue
			}
			fmt.Fprintf(&b, " %s |", cell(g))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func cell(g Grant) string {
	rel := "list"
	if len(g.Relations) > 0 {
		names := make([]string, len(g.Relations))
		for i, r := range g.Relations {
			names[i] = string(r)
		}
		rel = strings.Join(names, "+")
	}
	return rel + ": " + string(g.Fields)
}
