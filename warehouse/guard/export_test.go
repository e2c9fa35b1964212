package guard

// FunctionAllowed exposes the guard's function allowlist to the external tests.
var FunctionAllowed = functionAllowed

// AllowedFunctionNames lists the guard's allowlist, lower-cased.
func AllowedFunctionNames() []string {
	var names []string
	for _, set := range []map[string]bool{allowedScalar, allowedAggregate} {
		for n := range set {
			names = append(names, n)
		}
	}
	return names
}
