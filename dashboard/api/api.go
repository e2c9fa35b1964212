// Package api is the JSON of jinwei's /api/* answers that carry the warehouse's records: the
// shapes clients read, owned by the web layer. Each type has the fields of its warehouse
// type and is converted from it, so a field the warehouse renames fails to compile here
// instead of changing a key, and the warehouse's types carry no wire format.
// TestAPIKeysArePinned holds every answer's keys.
package api

// each converts a slice of warehouse records to their JSON shapes; nil stays nil (null).
func each[A, B any](in []A, conv func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = conv(a)
	}
	return out
}

// ptr converts a warehouse record held by pointer; nil stays nil (null).
func ptr[A, B any](in *A, conv func(A) B) *B {
	if in == nil {
		return nil
	}
	out := conv(*in)
	return &out
}
