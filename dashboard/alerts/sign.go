package alerts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
)

// hashID is a stable id of its parts: the same alert or delivery gets the same id in every
// process and evaluation.
func hashID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// DingTalkSign is a DingTalk robot's 加签: HMAC-SHA256 of timestamp + "\n" + secret keyed
// by the secret, base64, URL-encoded, as its documentation gives it. timestamp is Unix
// milliseconds.
func DingTalkSign(timestamp int64, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "\n" + secret))
	return url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

// WebhookSignature signs a generic webhook's request: hex HMAC-SHA256, keyed by the
// channel's secret, of the timestamp header's value, a '.', and the body; sent as
// "sha256=…" in the X-Jinwei-Signature header. The timestamp inside the signature lets a
// receiver refuse replays.
func WebhookSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
