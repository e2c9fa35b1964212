// Package weburl checks the http(s) addresses jinwei calls out to: the alerts' webhook
// and robot channels, and the jobs' URL sources. The dashboard and the ETL both read such
// addresses from the config and never import each other, so the one check lives here, in a
// package that imports nothing of jinwei's.
package weburl

import (
	"fmt"
	"net/url"
	"strings"
)

// Check says why raw is not an address jinwei can call: empty, not a URL, a scheme other
// than http or https, or no host. The error names field ("alerts.channels[1] (\"ding\"):
// url") and the reason, never the address itself, which may carry a key (a DingTalk
// robot's access_token, a WeCom robot's key) that must not reach a log.
func Check(field, raw string) error {
	if strings.TrimSpace(raw) == "" {
		return fmt.Errorf("%s is empty: it needs an http:// or https:// address", field)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the address: say only that it does not parse.
		return fmt.Errorf("%s is not a URL (it does not parse)", field)
	}
	switch {
	case u.Scheme == "":
		return fmt.Errorf("%s has no scheme: write it as https://host/…", field)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%s: scheme %q is not http or https", field, u.Scheme)
	case u.Host == "":
		return fmt.Errorf("%s has no host: write it as %s://host/…", field, u.Scheme)
	}
	return nil
}
