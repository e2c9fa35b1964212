package chserver

import "regexp"

// Functions of millisecond timestamps arrived with DateTime64 (20.1). For older servers,
// whose schema stores whole seconds (see compatDDL), the run log's statements are written
// with their second-resolution equivalents, so the ETL's bookkeeping runs there too.
var (
	reFromMilli = regexp.MustCompile(`fromUnixTimestamp64Milli\(([^(),]+), 'UTC'\)`)
	reToMilli   = regexp.MustCompile(`toUnixTimestamp64Milli\(([A-Za-z_.]+)\)`)
	reNow64     = regexp.MustCompile(`now64\(3, 'UTC'\)`)
)

// compatQuery rewrites a bound statement for a server older than 20.1.
func compatQuery(stmt string) string {
	stmt = reFromMilli.ReplaceAllString(stmt, "toDateTime(intDiv($1, 1000), 'UTC')")
	stmt = reToMilli.ReplaceAllString(stmt, "(toUnixTimestamp($1) * 1000)")
	// 18.x's now() takes no time zone; none is needed, as a DateTime holds the instant.
	return reNow64.ReplaceAllString(stmt, "now()")
}
