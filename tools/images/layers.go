package main

import (
	"archive/tar"
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// The user the images run as, the distroless "nonroot" user the chart's
// securityContext names.
const (
	nonrootUID = 65532
	caBundle   = "etc/ssl/certs/ca-certificates.crt"
)

const passwd = "root:x:0:0:root:/root:/sbin/nologin\n" +
	"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"

const group = "root:x:0:\nnonroot:x:65532:\n"

// entry is one file or directory of a layer.
type entry struct {
	name string
	mode int64
	uid  int
	body []byte
	dir  bool
}

// baseLayer is the layer every image shares (so a registry stores it once):
// the users, a writable /tmp and the CA bundle.
func baseLayer(created time.Time) (v1.Layer, error) {
	return layerOf(created, []entry{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/passwd", mode: 0o644, body: []byte(passwd)},
		{name: "etc/group", mode: 0o644, body: []byte(group)},
		{name: "etc/ssl/", mode: 0o755, dir: true},
		{name: "etc/ssl/certs/", mode: 0o755, dir: true},
		{name: caBundle, mode: 0o644, body: caCertificates()},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, uid: nonrootUID, dir: true},
		{name: "tmp/", mode: 0o1777, dir: true},
	})
}

// binaryLayer holds the service's static binary at /<name>.
func binaryLayer(created time.Time, name string, binary []byte) (v1.Layer, error) {
	return layerOf(created, []entry{{name: name, mode: 0o755, body: binary}})
}

// caCertificates is the Mozilla (NSS) root store that golang.org/x/crypto's
// x509roots/fallback module embeds, as PEM. It is pinned by go.sum, so the
// bundle (and the digest) does not depend on the build machine's
// ca-certificates package. Roots NSS constrains with a distrust-after date
// are left out: a PEM file cannot carry the constraint, and trusting them
// without it would be wider than NSS is.
func caCertificates() []byte {
	var buf bytes.Buffer
	for root := range bundle.Roots() {
		if root.Constraint != nil {
			continue
		}
		_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: root.Certificate})
	}
	return buf.Bytes()
}

// layerOf writes entries, in order, into an uncompressed tar whose every
// header is fixed (times, owners, no user or group names), and lets
// go-containerregistry gzip it (deterministic for the same bytes).
func layerOf(created time.Time, entries []entry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{
			Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.uid,
			ModTime: created, Format: tar.FormatPAX, Typeflag: tar.TypeReg, Size: int64(len(e.body)),
		}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("cannot write the tar header of %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, fmt.Errorf("cannot write %s into the layer: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("cannot close the layer: %w", err)
	}
	raw := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	})
}
