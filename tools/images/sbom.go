package main

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The SBOM is SPDX 2.3 JSON, read from the binary itself (debug/buildinfo):
// exactly the modules linked in, with their go.sum hashes, not what a
// go.mod merely mentions. Sibling modules of the workspace appear as
// "(devel)": they are built from the tree the image's revision label names.

type spdxDoc struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreation       `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	Name             string       `json:"name"`
	SPDXID           string       `json:"SPDXID"`
	VersionInfo      string       `json:"versionInfo,omitempty"`
	DownloadLocation string       `json:"downloadLocation"`
	FilesAnalyzed    bool         `json:"filesAnalyzed"`
	Checksums        []spdxSum    `json:"checksums,omitempty"`
	ExternalRefs     []spdxExtRef `json:"externalRefs,omitempty"`
	Comment          string       `json:"comment,omitempty"`
	PrimaryPurpose   string       `json:"primaryPackagePurpose,omitempty"`
}

type spdxSum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

type spdxExtRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

func spdxDocument(src source, spec imageSpec, plat v1.Platform, binary []byte) ([]byte, error) {
	info, err := buildinfo.Read(bytes.NewReader(binary))
	if err != nil {
		return nil, fmt.Errorf("cannot read the build info of %s: %w", spec.Binary, err)
	}
	sum := sha256.Sum256(binary)
	main := spdxPackage{
		Name: info.Main.Path, SPDXID: "SPDXRef-Binary", VersionInfo: src.Version,
		DownloadLocation: "NOASSERTION", PrimaryPurpose: "APPLICATION",
		Checksums: []spdxSum{{Algorithm: "SHA256", Value: hex.EncodeToString(sum[:])}},
		Comment:   fmt.Sprintf("/%s built by %s for %s from %s (revision %s)", spec.Binary, info.GoVersion, plat.String(), info.Path, src.Revision),
	}
	doc := spdxDoc{
		SPDXVersion: "SPDX-2.3", DataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT",
		Name:              spec.Name + "-" + src.Version + "-" + plat.OS + "-" + plat.Architecture,
		DocumentNamespace: "https://fengqiao.dev/spdx/" + spec.Name + "/" + src.Revision + "/" + plat.OS + "-" + plat.Architecture,
		CreationInfo:      spdxCreation{Created: src.Created.Format(time.RFC3339), Creators: []string{"Tool: fengqiao-images"}},
		Packages:          []spdxPackage{main, goStdlib(info.GoVersion)},
		Relationships: []spdxRelationship{
			{Element: "SPDXRef-DOCUMENT", Type: "DESCRIBES", Related: main.SPDXID},
			{Element: main.SPDXID, Type: "DEPENDS_ON", Related: "SPDXRef-Go-stdlib"},
		},
	}
	for i, dep := range info.Deps {
		if dep.Replace != nil && dep.Replace.Version != "" {
			dep = dep.Replace
		}
		id := fmt.Sprintf("SPDXRef-Module-%d", i+1)
		pkg := spdxPackage{
			Name: dep.Path, SPDXID: id, VersionInfo: dep.Version, DownloadLocation: "NOASSERTION", PrimaryPurpose: "LIBRARY",
			ExternalRefs: []spdxExtRef{{Category: "PACKAGE-MANAGER", Type: "purl", Locator: goPurl(dep.Path, dep.Version)}},
		}
		if dep.Sum != "" {
			pkg.Comment = "go.sum " + dep.Sum
		}
		doc.Packages = append(doc.Packages, pkg)
		doc.Relationships = append(doc.Relationships, spdxRelationship{Element: main.SPDXID, Type: "DEPENDS_ON", Related: id})
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode the SBOM: %w", err)
	}
	return append(out, '\n'), nil
}

func goStdlib(goVersion string) spdxPackage {
	v := strings.TrimPrefix(goVersion, "go")
	return spdxPackage{
		Name: "stdlib", SPDXID: "SPDXRef-Go-stdlib", VersionInfo: v, DownloadLocation: "NOASSERTION", PrimaryPurpose: "LIBRARY",
		ExternalRefs: []spdxExtRef{{Category: "PACKAGE-MANAGER", Type: "purl", Locator: "pkg:golang/stdlib@" + v}},
	}
}

// goPurl is the package URL of a Go module, the identifier vulnerability
// scanners match on.
func goPurl(path, version string) string {
	p := "pkg:golang/" + strings.ToLower(path)
	if version != "" && version != "(devel)" {
		p += "@" + version
	}
	return p
}
