// Command openapi-render writes the platform's OpenAPI document, built from
// pkg/access and pkg/openapi, to the file it is given (make generate:
// api/openapi.json), for integrators and the client generator.
package main

import (
	"fmt"
	"os"

	"fengqiao.dev/pkg/openapi"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: openapi-render FILE")
		os.Exit(2)
	}
	if err := render(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func render(path string) error {
	data, err := openapi.JSON("")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
