package adapters

// The storage model: each aggregate the service stores has a document
// type here, which alone carries the field names stores hold, and a pair
// of functions mapping one to the other. The domain's rules do not move
// when the stored shape does, and the stored shape does not move when the
// domain is refactored: testdata holds the documents stores already hold,
// and the tests hold the mapping to them.

// mapSlice maps each element of in, keeping a nil slice nil: the driver
// stores nil as null and an empty slice as [], and reads each back as it
// was, so the mapping must not turn one into the other.
func mapSlice[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

// mapMap maps each entry of in, its key to another string type, keeping a
// nil map nil (see mapSlice).
func mapMap[K1, K2 ~string, V1, V2 any](in map[K1]V1, f func(V1) V2) map[K2]V2 {
	if in == nil {
		return nil
	}
	out := make(map[K2]V2, len(in))
	for k, v := range in {
		out[K2(k)] = f(v)
	}
	return out
}
