package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Message is what a channel sends: an alert's or a briefing's words.
type Message struct {
	AlertID     string
	RuleID      string
	Subject     string
	DataVersion uint64
	Title, Body string
	// Attachment is a file sent with mail (a briefing's PDF); robots get a link-free text.
	Attachment *Attachment
}

// Attachment is a file attached to a mail, with Text that goes before the message's body
// (a briefing's sentences).
type Attachment struct {
	Name, ContentType string
	Data              []byte
	Text              string
}

// webhookPayload is the generic webhook's JSON body.
type webhookPayload struct {
	AlertID     string `json:"alert_id"`
	Rule        string `json:"rule"`
	Subject     string `json:"subject"`
	DataVersion uint64 `json:"data_version"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	SentAt      string `json:"sent_at"`
}

// Webhook headers.
const (
	HeaderTimestamp = "X-Jinwei-Timestamp"
	HeaderSignature = "X-Jinwei-Signature"
)

// postJSON posts body to the channel's address and reads a robot's errcode. Errors name
// the channel, never its address: a robot's URL carries its key.
func postJSON(ctx context.Context, client *http.Client, ch Channel, target string, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("channel %s: bad request", ch.Name)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the address
		}
		return fmt.Errorf("channel %s: %w", ch.Name, err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("channel %s: HTTP %d", ch.Name, resp.StatusCode)
	}
	if ch.Type == ChannelDingTalk || ch.Type == ChannelWeCom {
		var r struct {
			ErrCode int    `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		if err := json.Unmarshal(reply, &r); err != nil {
			return fmt.Errorf("channel %s: the robot's answer is not JSON", ch.Name)
		}
		if r.ErrCode != 0 {
			return fmt.Errorf("channel %s: errcode %d: %s", ch.Name, r.ErrCode, r.ErrMsg)
		}
	}
	return nil
}

// sendWebhook posts the generic webhook's JSON, signed with the channel's secret.
func sendWebhook(ctx context.Context, client *http.Client, ch Channel, m Message, now time.Time) error {
	body, err := json.Marshal(webhookPayload{AlertID: m.AlertID, Rule: m.RuleID, Subject: m.Subject, DataVersion: m.DataVersion,
		Title: m.Title, Body: m.Body, SentAt: now.UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	h := http.Header{}
	if ch.Secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, WebhookSignature(ch.Secret, ts, body))
	}
	return postJSON(ctx, client, ch, ch.URL, body, h)
}

// robotBody is a DingTalk or WeCom robot's message, in the shapes their documents give:
// DingTalk {"msgtype":"markdown","markdown":{"title","text"}} or {"msgtype":"text",
// "text":{"content"}}; WeCom {"msgtype":"markdown","markdown":{"content"}} or
// {"msgtype":"text","text":{"content"}}.
func robotBody(ch Channel, m Message) ([]byte, error) {
	text := m.Title + "\n" + m.Body
	if ch.Format == "text" {
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": text}})
	}
	md := "### " + m.Title + "\n\n" + markdownLines(m.Body)
	if ch.Type == ChannelDingTalk {
		return json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": m.Title, "text": md}})
	}
	return json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": md}})
}

// markdownLines keeps the body's lines apart in a robot's markdown, which joins lines
// without a blank one between them.
func markdownLines(body string) string {
	return string(bytes.ReplaceAll([]byte(body), []byte("\n"), []byte("\n\n")))
}

// sendDingTalk posts to a DingTalk robot, signed with timestamp and sign query parameters
// when the robot has a secret.
func sendDingTalk(ctx context.Context, client *http.Client, ch Channel, m Message, now time.Time) error {
	body, err := robotBody(ch, m)
	if err != nil {
		return err
	}
	target := ch.URL
	if ch.Secret != "" {
		ts := now.UnixMilli()
		// DingTalkSign is URL-encoded already, as DingTalk's documents have it.
		target = appendQuery(target, "timestamp="+strconv.FormatInt(ts, 10)+"&sign="+DingTalkSign(ts, ch.Secret))
	}
	return postJSON(ctx, client, ch, target, body, nil)
}

// sendWeCom posts to a WeCom robot; its key is in its URL.
func sendWeCom(ctx context.Context, client *http.Client, ch Channel, m Message) error {
	body, err := robotBody(ch, m)
	if err != nil {
		return err
	}
	return postJSON(ctx, client, ch, ch.URL, body, nil)
}

func appendQuery(u, q string) string {
	if bytes.ContainsRune([]byte(u), '?') {
		return u + "&" + q
	}
	return u + "?" + q
}
