package console

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"testing"
)

// vendoredFile is one entry of web/static/vendor/manifest.json, which
// `make console-vendor` writes when it fetches a library from npm.
type vendoredFile struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
	License string `json:"license"`
}

// The embedded libraries are exactly the pinned versions the manifest
// names: a hand-edited or half-copied file fails here, not in a browser.
func TestVendoredFilesMatchTheirManifest(t *testing.T) {
	vendor, err := fs.Sub(staticFiles, "web/static/vendor")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := fs.ReadFile(vendor, "manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest []vendoredFile
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatalf("cannot read the manifest: %v", err)
	}
	if len(manifest) == 0 {
		t.Fatal("the manifest lists no library")
	}
	for _, v := range manifest {
		if v.Name == "" || v.Version == "" || strings.ContainsAny(v.Version, "^~*x ") {
			t.Errorf("%s: the version %q is not pinned", v.Name, v.Version)
		}
		data, err := fs.ReadFile(vendor, v.File)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != v.SHA256 {
			t.Errorf("%s %s: the embedded %s has sha256 %x, the manifest says %s", v.Name, v.Version, v.File, sum, v.SHA256)
		}
		if _, err := fs.Stat(vendor, v.License); err != nil {
			t.Errorf("%s: its licence is not vendored with it: %v", v.Name, err)
		}
	}
}

// The console serves ECharts itself, under its Content-Security-Policy.
func TestEChartsIsServedByTheConsole(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(http.MethodGet, "/static/vendor/echarts/echarts.min.js", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "echarts") {
		t.Fatalf("GET the vendored ECharts: %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("served as %q", ct)
	}
}
