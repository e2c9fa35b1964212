package alerts_test

import (
	"strings"
	"testing"

	"jinwei/dashboard/alerts"
	"jinwei/warehouse"
)

// The config is refused, naming the key, when it could not send what it promises.
func TestConfigRefusesWhatItCannotSend(t *testing.T) {
	ok := alerts.Config{SMTP: alerts.SMTP{Host: "smtp.example.test"},
		Channels: []alerts.Channel{{Name: "mail", Type: alerts.ChannelEmail, To: []string{"a@example.test"}},
			{Name: "ding", Type: alerts.ChannelDingTalk, URL: "https://oapi.example.test/robot/send?access_token=secret-token"}},
		Rules: []alerts.RuleConfig{{AlertRule: warehouse.AlertRule{ID: "r", Kind: warehouse.AlertLoadFailed, Channels: []string{"mail", "ding"}}}}}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good config refused: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(c *alerts.Config)
		want string
	}{
		{"unknown channel", func(c *alerts.Config) { c.Rules[0].Channels = []string{"nowhere"} }, `no channel named "nowhere"`},
		{"mail without a server", func(c *alerts.Config) { c.SMTP.Host = "" }, "alerts.smtp.host"},
		{"robot without http", func(c *alerts.Config) { c.Channels[1].URL = "ftp://x/?access_token=secret-token" }, `alerts.channels[1] ("ding"): url: scheme "ftp" is not http or https`},
		{"robot without a host", func(c *alerts.Config) { c.Channels[1].URL = "https:///robot/send?access_token=secret-token" }, `alerts.channels[1] ("ding"): url has no host`},
		{"rank rule without indicators", func(c *alerts.Config) { c.Rules[0].Kind = warehouse.AlertRankChange }, "needs indicators"},
		{"bad tls", func(c *alerts.Config) { c.SMTP.TLS = "ssl" }, "alerts.smtp.tls"},
		{"bad schedule", func(c *alerts.Config) { c.Schedule = "every day" }, "alerts.schedule"},
		{"twice the same rule", func(c *alerts.Config) { c.Rules = append(c.Rules, c.Rules[0]) }, "used twice"},
	} {
		c := ok
		c.Channels = append([]alerts.Channel(nil), ok.Channels...)
		c.Rules = []alerts.RuleConfig{ok.Rules[0]}
		c.Rules[0].Channels = append([]string(nil), ok.Rules[0].Channels...)
		tc.edit(&c)
		err := c.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error saying %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret-token") {
			t.Errorf("%s: the error quotes the robot's URL: %v", tc.name, err)
		}
	}
}
