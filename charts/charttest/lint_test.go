package charttest

import "testing"

// TestLint runs helm lint --strict on the platform chart (defaults and every
// optional part) and on the tenant chart with each example county. The
// tenant chart has no default county, so it is linted with its examples.
func TestLint(t *testing.T) {
	h := needHelm(t)
	cases := []render{platformDefault, platformFull, platformProduction}
	for _, c := range exampleCounties {
		cases = append(cases, tenantRender(c.code, c.file))
	}
	for _, r := range cases {
		t.Run(r.golden, func(t *testing.T) {
			args := []string{"lint", "--strict", r.chart, "--namespace", r.namespace}
			for _, v := range r.values {
				args = append(args, "--values", v)
			}
			h.mustRun(t, args...)
		})
	}
}
