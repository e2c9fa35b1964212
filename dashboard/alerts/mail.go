package alerts

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

// composeMail writes a MIME message: the title as an RFC 2047 subject, the body as UTF-8
// text in base64, and the attachment, when there is one, as a second part.
func composeMail(from, to string, m Message, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := "jinwei.local"
	if at := strings.LastIndex(from, "@"); at >= 0 {
		domain = from[at+1:]
	}
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.String() // a Chinese display name in RFC 2047
	}
	h := []string{
		"From: " + from,
		"To: " + to,
		"Subject: " + mime.BEncoding.Encode("UTF-8", m.Title),
		"Date: " + now.Format(time.RFC1123Z),
		"Message-ID: <" + hex.EncodeToString(id[:]) + "@" + domain + ">",
		"MIME-Version: 1.0",
	}
	text := textPart(m.Body)
	if m.Attachment == nil {
		h = append(h, "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64")
		buf.WriteString(strings.Join(h, "\r\n") + "\r\n\r\n")
		buf.Write(text)
		return buf.Bytes(), nil
	}
	mw := multipart.NewWriter(&buf)
	h = append(h, "Content-Type: multipart/mixed; boundary="+mw.Boundary())
	var head bytes.Buffer
	head.WriteString(strings.Join(h, "\r\n") + "\r\n\r\n")
	part, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=UTF-8"}, "Content-Transfer-Encoding": {"base64"}})
	if err != nil {
		return nil, err
	}
	part.Write(text)
	a := m.Attachment
	part, err = mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {a.ContentType},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
	})
	if err != nil {
		return nil, err
	}
	part.Write(base64Lines(a.Data))
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return append(head.Bytes(), buf.Bytes()...), nil
}

func textPart(body string) []byte {
	return base64Lines([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
}

// base64Lines is data in base64 broken into lines of 76, as MIME asks.
func base64Lines(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var out bytes.Buffer
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc + "\r\n")
	return out.Bytes()
}

// smtpTimeout bounds one mail's conversation.
const smtpTimeout = 60 * time.Second

// sendMail sends one message through the configured server: STARTTLS (required) by
// default, TLS from the start, or plain text to a loopback server; PLAIN auth when a user
// is set. Errors never quote the password.
func sendMail(ctx context.Context, cfg SMTP, to string, m Message, now time.Time) error {
	port := cfg.Port
	mode := cfg.TLS
	if mode == "" {
		mode = "starttls"
	}
	if port == 0 {
		port = map[string]int{"tls": 465, "starttls": 587, "none": 25}[mode]
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(port))
	tlsCfg := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return fmt.Errorf("smtp ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("smtp ca_file %s holds no PEM certificate", cfg.CAFile)
		}
		tlsCfg.RootCAs = pool
	}
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if mode == "tls" {
		conn = tls.Client(conn, tlsCfg)
	}
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer c.Close()
	if mode == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("smtp %s: the server offers no STARTTLS (set alerts.smtp.tls)", addr)
		}
		if err := c.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	}
	if cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)); err != nil {
			return fmt.Errorf("smtp %s: sign-in as %s refused: %w", addr, cfg.Username, err)
		}
	}
	msg, err := composeMail(cfg.From, to, m, now)
	if err != nil {
		return err
	}
	if err := c.Mail(bareAddress(cfg.From)); err != nil {
		return fmt.Errorf("smtp %s: MAIL FROM: %w", addr, err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp %s: RCPT TO %s: %w", addr, to, err)
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if _, err := wc.Write(msg); err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("smtp %s: the message was refused: %w", addr, err)
	}
	// The server has taken the message: a failed goodbye must not send it again.
	_ = c.Quit()
	return nil
}

// bareAddress is the address of "Name <a@b>".
func bareAddress(from string) string {
	if i := strings.LastIndex(from, "<"); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}
