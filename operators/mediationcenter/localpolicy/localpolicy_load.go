package localpolicy

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"fengqiao.dev/api/v1alpha1"
)

// LoadDir reads every *.yaml and *.yml file of dir (not its subfolders), each
// holding one or more MediationCenters separated by "---", and validates
// them as the apiserver would. It fails on the first invalid file, naming it,
// and when two resources govern the same county. Files are read in name
// order, so the result is stable.
func LoadDir(dir string) ([]v1alpha1.MediationCenter, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("while reading policy folder %s: %w", dir, err)
	}
	var out []v1alpha1.MediationCenter
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		centers, err := LoadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, centers...)
	}
	if err := uniqueCounties(out); err != nil {
		return nil, fmt.Errorf("in policy folder %s: %w", dir, err)
	}
	return out, nil
}

// LoadFile reads and validates the MediationCenters of one file.
func LoadFile(path string) ([]v1alpha1.MediationCenter, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("while reading %s: %w", path, err)
	}
	centers, err := Load(context.Background(), raw)
	if err != nil {
		return nil, fmt.Errorf("in %s: %w", path, err)
	}
	for i := range centers {
		if centers[i].Namespace == "" {
			centers[i].Namespace = "default"
		}
		setSource(&centers[i], path)
	}
	return centers, nil
}

// Load validates the MediationCenters of a multi-document YAML stream.
func Load(ctx context.Context, raw []byte) ([]v1alpha1.MediationCenter, error) {
	docs := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(raw)))
	var out []v1alpha1.MediationCenter
	for {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("while reading YAML: %w", err)
		}
		obj, err := parse(doc)
		if err != nil {
			return nil, err
		}
		if obj == nil {
			continue // an empty document
		}
		mc, err := Validate(ctx, obj)
		if err != nil {
			return nil, err
		}
		// A local resource has no apiserver to count generations: start at 1.
		mc.Generation = 1
		out = append(out, *mc)
	}
}

// parse reads one document as the apiserver reads a request body: YAML to
// JSON, integers as int64 (CEL rules compare them as ints).
func parse(doc []byte) (map[string]any, error) {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("while parsing YAML: %w", err)
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(js, &obj); err != nil {
		return nil, fmt.Errorf("while parsing YAML: %w", err)
	}
	return obj, nil
}

func uniqueCounties(centers []v1alpha1.MediationCenter) error {
	var seen []string
	for _, c := range centers {
		if slices.Contains(seen, c.Spec.County.Code) {
			return fmt.Errorf("county %s is governed by two MediationCenters; keep one", c.Spec.County.Code)
		}
		seen = append(seen, c.Spec.County.Code)
	}
	return nil
}
