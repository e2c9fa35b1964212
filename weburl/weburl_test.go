package weburl_test

import (
	"strings"
	"testing"

	"jinwei/weburl"
)

func TestCheck(t *testing.T) {
	const key = "secret-token"
	for _, tc := range []struct {
		raw  string
		want string // "" accepts
	}{
		{"https://oapi.dingtalk.com/robot/send?access_token=" + key, ""},
		{"http://127.0.0.1:8080/hook", ""},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key, ""},
		{"", "is empty"},
		{"   ", "is empty"},
		{"ftp://files.example.test/?access_token=" + key, `scheme "ftp" is not http or https`},
		{"htps://oapi.example.test/?access_token=" + key, `scheme "htps" is not http or https`},
		{"oapi.example.test/robot/send?access_token=" + key, "has no scheme"},
		{"https:///robot/send?access_token=" + key, "has no host"},
		{"http:oapi.example.test?access_token=" + key, "has no host"},
		{"https://oapi.example.test/%zz?access_token=" + key, "does not parse"},
		{"https://[::1/?access_token=" + key, "does not parse"},
	} {
		err := weburl.Check("alerts.channels[1] (\"ding\"): url", tc.raw)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q refused: %v", tc.raw, err)
		case tc.want == "":
		case err == nil:
			t.Errorf("%q accepted; want an error saying %q", tc.raw, tc.want)
		default:
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, `alerts.channels[1] ("ding"): url`) {
				t.Errorf("%q: %q; want the field, then %q", tc.raw, msg, tc.want)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("%q: the error quotes the address: %v", tc.raw, err)
			}
		}
	}
}
