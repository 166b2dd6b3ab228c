// Package mapping maps slices, maps and pointers element by element, for
// the storage models and wire types that copy a domain value into a
// tagged one and back.
//
// Each keeps nil nil and empty empty: the store holds null for a nil
// slice and [] for an empty one, JSON answers the same, and a value read
// back must be the value written, so a mapping must not turn one into the
// other.
package mapping

// Slice maps each element of in with f; a nil slice stays nil.
func Slice[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

// Map maps each value of in with f and its key to another string type; a
// nil map stays nil.
func Map[K1, K2 ~string, V1, V2 any](in map[K1]V1, f func(V1) V2) map[K2]V2 {
	if in == nil {
		return nil
	}
	out := make(map[K2]V2, len(in))
	for k, v := range in {
		out[K2(k)] = f(v)
	}
	return out
}

// Ptr maps what p points at with f; a nil pointer stays nil.
func Ptr[A, B any](p *A, f func(A) B) *B {
	if p == nil {
		return nil
	}
	b := f(*p)
	return &b
}
