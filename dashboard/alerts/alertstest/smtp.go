// Package alertstest runs real receivers on loopback ports for the alerts' tests: an SMTP
// server (github.com/emersion/go-smtp) that keeps the mail it accepts, parsed, and HTTP
// receivers that check webhook signatures.
package alertstest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message the server accepted, parsed.
type Mail struct {
	From, To []string
	Subject  string
	// Text is the first text/plain part, decoded.
	Text string
	// ContentType is the text part's declared type (charset included).
	ContentType string
	// Attachments are the other parts by file name.
	Attachments map[string][]byte
	Raw         []byte
}

// SMTPServer is a real SMTP server on a loopback port, with STARTTLS and PLAIN auth.
type SMTPServer struct {
	Addr     string
	Host     string
	Port     int
	User     string
	Password string
	// CAFile is the PEM certificate the server's STARTTLS presents (self-signed).
	CAFile string

	mu   sync.Mutex
	mail []Mail
	// Hold, while set, keeps every new conversation waiting before MAIL FROM until it is
	// closed: a mail "being sent" that has not been accepted.
	hold    chan struct{}
	arrived chan struct{}
	srv     *smtp.Server
}

// StartSMTP starts the server; it stops when the test ends.
func StartSMTP(tb testing.TB) *SMTPServer {
	tb.Helper()
	s := &SMTPServer{User: "alerts@example.test", Password: "smtp-Pa55-never-logged", arrived: make(chan struct{}, 100)}
	cert, pemBytes := selfSigned(tb)
	s.CAFile = filepath.Join(tb.TempDir(), "smtp-ca.pem")
	if err := os.WriteFile(s.CAFile, pemBytes, 0o600); err != nil {
		tb.Fatal(err)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	s.Host = "127.0.0.1"
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go func() { _ = s.srv.Serve(ln) }()
	tb.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Hold makes new conversations wait before MAIL FROM; Release lets them go on.
func (s *SMTPServer) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = make(chan struct{})
}

// Release lets held conversations go on.
func (s *SMTPServer) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		close(s.hold)
		s.hold = nil
	}
}

// Arrived is signalled each time a client reaches MAIL FROM.
func (s *SMTPServer) Arrived() <-chan struct{} { return s.arrived }

// Mail is what the server has accepted so far.
func (s *SMTPServer) Mail() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// WaitMail waits until n mails have arrived (or the deadline passes) and returns them.
func (s *SMTPServer) WaitMail(tb testing.TB, n int, within time.Duration) []Mail {
	tb.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if m := s.Mail(); len(m) >= n {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	m := s.Mail()
	tb.Fatalf("%d mails after %s, want %d", len(m), within, n)
	return m
}

type session struct {
	s        *SMTPServer
	authed   bool
	from, to []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.s.User || pass != ss.s.Password {
			return errors.New("bad credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.s.arrived <- struct{}{}
	ss.s.mu.Lock()
	hold := ss.s.hold
	ss.s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	ss.from = append(ss.from, from)
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To = ss.from, ss.to
	ss.s.mu.Lock()
	ss.s.mail = append(ss.s.mail, m)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = nil, nil }
func (ss *session) Logout() error { return nil }

// Parse reads a message: its decoded subject, its text part and its attachments.
func Parse(raw []byte) (Mail, error) {
	m := Mail{Raw: raw, Attachments: map[string][]byte{}}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return m, err
	}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return m, err
	}
	ct, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return m, err
	}
	if !strings.HasPrefix(ct, "multipart/") {
		m.ContentType = msg.Header.Get("Content-Type")
		b, err := decodePart(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		m.Text = string(b)
		return m, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return m, err
		}
		b, err := decodePart(p, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return m, err
		}
		if name := p.FileName(); name != "" {
			m.Attachments[name] = b
		} else if m.ContentType == "" {
			m.ContentType, m.Text = p.Header.Get("Content-Type"), string(b)
		}
	}
}

func decodePart(r io.Reader, enc string) ([]byte, error) {
	if strings.EqualFold(enc, "base64") {
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	return io.ReadAll(r)
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and its PEM.
func selfSigned(tb testing.TB) (tls.Certificate, []byte) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "jinwei test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		tb.Fatal(err)
	}
	return cert, certPEM
}
