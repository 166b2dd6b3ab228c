// Command vulncheck reads govulncheck's JSON stream (-format json) on
// standard input and fails when the scanned code calls a vulnerable
// function that is not accepted in the file named by -accepted.
//
// govulncheck itself has no way to acknowledge a finding: its text mode
// fails on every called vulnerability, including those with no fixed
// version to move to. An accepted finding is listed with the reason it
// cannot reach us, so the list is reviewed like code and a new finding
// still fails the build.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// message is the part of one govulncheck JSON message we read.
type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string `json:"osv"`
		FixedVersion string `json:"fixed_version"`
		Trace        []struct {
			Module   string `json:"module"`
			Version  string `json:"version"`
			Package  string `json:"package"`
			Function string `json:"function"`
		} `json:"trace"`
	} `json:"finding"`
}

func main() {
	acceptedPath := flag.String("accepted", "", "file of accepted findings: one OSV ID per line, then its reason")
	label := flag.String("module", "", "name of the scanned module, for the report")
	flag.Parse()
	accepted, err := readAccepted(*acceptedPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulncheck:", err)
		os.Exit(2)
	}
	called, summaries, err := readFindings(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulncheck:", err)
		os.Exit(2)
	}
	os.Exit(report(os.Stdout, *label, called, summaries, accepted))
}

// readAccepted parses "GO-YYYY-NNNN reason..." lines; # starts a comment.
func readAccepted(path string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read accepted findings: %w", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("accepted finding %s has no reason", id)
		}
		out[id] = strings.TrimSpace(reason)
	}
	return out, s.Err()
}

// readFindings returns, per OSV ID, a description of where our code calls
// the vulnerable symbol (findings whose trace names a function), and the
// summaries of every OSV entry seen.
func readFindings(r io.Reader) (map[string]string, map[string]string, error) {
	called, summaries := map[string]string{}, map[string]string{}
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); err == io.EOF {
			return called, summaries, nil
		} else if err != nil {
			return nil, nil, fmt.Errorf("while reading govulncheck output: %w", err)
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		if f := m.Finding; f != nil && len(f.Trace) > 0 && f.Trace[0].Function != "" {
			top := f.Trace[0]
			fix := f.FixedVersion
			if fix == "" {
				fix = "no fixed version"
			}
			called[f.OSV] = fmt.Sprintf("%s@%s %s.%s (fixed in: %s)", top.Module, top.Version, top.Package, top.Function, fix)
		}
	}
}

func report(w io.Writer, label string, called, summaries, accepted map[string]string) int {
	ids := make([]string, 0, len(called))
	for id := range called {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	failed := 0
	for _, id := range ids {
		if reason, ok := accepted[id]; ok {
			fmt.Fprintf(w, "%s: accepted %s %s — %s\n", label, id, summaries[id], reason)
			continue
		}
		failed++
		fmt.Fprintf(w, "%s: VULNERABLE %s %s\n    %s\n", label, id, summaries[id], called[id])
	}
	if failed > 0 {
		fmt.Fprintf(w, "%s: %d called vulnerabilities; upgrade the module or, if it cannot reach us, accept it with a reason\n", label, failed)
		return 1
	}
	fmt.Fprintf(w, "%s: no unaccepted called vulnerabilities\n", label)
	return 0
}
