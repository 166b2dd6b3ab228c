//go:build !unix

package embedded

// lockDir is a no-op where flock is unavailable: do not start two stacks on
// one data directory there.
func lockDir(string) (func() error, error) { return func() error { return nil }, nil }
