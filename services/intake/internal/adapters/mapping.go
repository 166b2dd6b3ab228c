package adapters

// mapSlice maps each element of xs with f, keeping a nil slice nil: a
// field stored without omitempty is null for nil and [] for empty, and a
// stored document keeps whichever it had.
func mapSlice[A, B any](xs []A, f func(A) B) []B {
	if xs == nil {
		return nil
	}
	out := make([]B, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// mapPointer maps what p points at with f; nil stays nil.
func mapPointer[A, B any](p *A, f func(A) B) *B {
	if p == nil {
		return nil
	}
	b := f(*p)
	return &b
}
