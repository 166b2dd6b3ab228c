// Package taxonomy is the three-level dispute category taxonomy:
// the first level is the people's-mediation statistics category of
// api/events (events.Categories), which every other service counts by; the
// second and third levels refine it for the officer and the mediator. The
// taxonomy is versioned, and each dispute records the version its
// subcategory was chosen from, so a later edit never reinterprets old cases.
package taxonomy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Separator joins the levels of a subcategory path: "divorce/property".
const Separator = "/"

// Node is one category and the categories under it.
type Node struct {
	Code     string
	Label    string
	Children []Node
}

// Taxonomy is a county's effective category tree, first level in
// statistics order.
type Taxonomy struct {
	Version    string
	Categories []Node
}

// Override is what a county changes: the second-level subtree of some
// first-level categories, replaced whole, under its own version. The first
// level cannot be changed: the statistics count by it.
type Override struct {
	Version  string
	Children map[events.Category][]Node
}

// Effective applies a county's override to base. The version names both, so
// a dispute's recorded version says which tree it was checked against.
func (t Taxonomy) Effective(county string, o *Override) Taxonomy {
	if o == nil || len(o.Children) == 0 {
		return t
	}
	out := Taxonomy{Version: t.Version + "+" + county + "." + o.Version, Categories: slices.Clone(t.Categories)}
	for i, first := range out.Categories {
		if children, ok := o.Children[events.Category(first.Code)]; ok {
			out.Categories[i].Children = children
		}
	}
	return out
}

// FromPolicy reads the override a county's published policy carries.
func FromPolicy(o policy.CategoryOverride) Override {
	out := Override{Version: o.Version, Children: map[events.Category][]Node{}}
	for c, nodes := range o.Children {
		out.Children[events.Category(c)] = nodesOf(nodes)
	}
	return out
}

func nodesOf(in []policy.CategoryNode) []Node {
	out := make([]Node, 0, len(in))
	for _, n := range in {
		node := Node{Code: n.Code, Label: n.Label}
		if len(n.Children) > 0 {
			node.Children = nodesOf(n.Children)
		}
		out = append(out, node)
	}
	return out
}

// CheckOverride reports an override that names a first-level category the
// contract does not define, or has no version: a mistake of the operator's.
func CheckOverride(o Override) error {
	if o.Version == "" {
		return fmt.Errorf("a category override needs a version")
	}
	for _, c := range slices.Sorted(maps.Keys(o.Children)) {
		if !c.Valid() {
			return fmt.Errorf("a category override names %q, which is not a first-level category", c)
		}
	}
	return nil
}

// Check validates subcategory, a path of one or two levels under category
// ("divorce" or "divorce/property"). An empty subcategory is valid: it is
// optional. The error says what the node at fault admits.
func (t Taxonomy) Check(category events.Category, subcategory string) error {
	if subcategory == "" {
		return nil
	}
	node, ok := t.find(string(category))
	if !ok {
		return fmt.Errorf("category %q has no subcategories in taxonomy %s", category, t.Version)
	}
	codes := strings.Split(subcategory, Separator)
	if len(codes) > 2 {
		return fmt.Errorf("at most two levels under the category, as second%sthird", Separator)
	}
	for _, code := range codes {
		next, ok := child(node, code)
		if !ok {
			return fmt.Errorf("%q is not under %q in taxonomy %s; one of %v", code, node.Code, t.Version, childCodes(node))
		}
		node = next
	}
	return nil
}

func (t Taxonomy) find(code string) (Node, bool) {
	for _, n := range t.Categories {
		if n.Code == code {
			return n, true
		}
	}
	return Node{}, false
}

func child(n Node, code string) (Node, bool) {
	for _, c := range n.Children {
		if c.Code == code {
			return c, true
		}
	}
	return Node{}, false
}

func childCodes(n Node) []string {
	out := make([]string, len(n.Children))
	for i, c := range n.Children {
		out[i] = c.Code
	}
	return out
}
