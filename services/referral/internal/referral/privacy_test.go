package referral

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
)

// copyFieldTable reads the table of docs/privacy.md that says, field by
// field, which copy of the slip carries what: field → copy → carried.
func copyFieldTable(t *testing.T) map[string]map[events.Copy]bool {
	t.Helper()
	f, err := os.Open("../../../../docs/privacy.md")
	if err != nil {
		t.Fatalf("cannot read the copy table: %v", err)
	}
	defer f.Close()
	table := map[string]map[events.Copy]bool{}
	inTable := false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "| field | committee | jurisdiction | police |") {
			inTable = true
			continue
		}
		if !inTable || strings.HasPrefix(line, "| ---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 4 {
			t.Fatalf("a row of the copy table has %d cells: %s", len(cells), line)
		}
		carried := map[events.Copy]bool{}
		for i, cp := range []events.Copy{events.CopyCommittee, events.CopyJurisdiction, events.CopyPolice} {
			switch v := strings.TrimSpace(cells[i+1]); v {
			case "yes", "no":
				carried[cp] = v == "yes"
			default:
				t.Fatalf("the copy table says %q for %s in: %s", v, cp, line)
			}
		}
		for _, field := range strings.Split(cells[0], ",") {
			table[strings.Trim(strings.TrimSpace(field), "`")] = carried
		}
	}
	if len(table) == 0 {
		t.Fatal("docs/privacy.md has no copy table")
	}
	return table
}

// Each copy's payload, as it goes on its topic, carries exactly the fields
// the table of docs/privacy.md gives its recipient.
func TestEachCopyMatchesThePrivacyTable(t *testing.T) {
	table := copyFieldTable(t)
	c := testCase(events.RiskHigh, "622901100")
	c.Place.VillageCode, c.Place.Grid = "622901100001", "grid-7"
	c.Parties = append(c.Parties, events.PartySummary{Role: events.PartyRespondent, MaskedName: "当事人乙"})
	s := Issue(c, DefaultRouter{}, termsOf(events.RiskHigh), issuedAt)
	for _, cp := range events.Copies() {
		raw, err := json.Marshal(s.CopyIssued(cp))
		if err != nil {
			t.Fatal(err)
		}
		var payload map[string]json.RawMessage
		if err := json.Unmarshal(raw, &payload); err != nil {
			t.Fatal(err)
		}
		for field := range payload {
			carried, listed := table[field]
			if !listed {
				t.Errorf("the %s copy carries %q, which docs/privacy.md does not list", cp, field)
			} else if !carried[cp] {
				t.Errorf("the %s copy carries %q, which docs/privacy.md withholds from it", cp, field)
			}
		}
		for field, carried := range table {
			if _, present := payload[field]; carried[cp] && !present {
				t.Errorf("the %s copy lacks %q, which docs/privacy.md gives it", cp, field)
			}
		}
		for _, clear := range []string{"张", "院墙"} {
			if strings.Contains(string(raw), clear) {
				t.Errorf("the %s copy carries %q in the clear: %s", cp, clear, raw)
			}
		}
	}
}
