package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jinwei/dashboard/alerts/alertstest"
)

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveLogged starts serve with its output kept.
func (p *procEnv) serveLogged(t *testing.T) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	c, _, _ := p.serveTo(t, out)
	return c, out
}

// waitFor waits until the output says what done looks for.
func waitFor(t *testing.T, out *syncBuffer, what string, within time.Duration, done func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !done(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("serve never logged %s:\n%s", what, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// No alert is lost across a crash, and none is sent twice: serve is killed with SIGKILL
// while its mail of a rank change is being sent (the SMTP server holds the conversation
// before the message), and the restarted serve sends it exactly once, both groups the load
// moved listed in it. The SMTP password appears in neither process's output.
func TestAlertSurvivesKillBeforeSendingAndIsMailedOnce(t *testing.T) {
	t.Parallel()
	smtp := alertstest.StartSMTP(t)
	p := newProcEnv(t)
	config := fmt.Sprintf(`[alerts]
poll = "200ms"
retry_base = "1s"

[alerts.smtp]
host = %q
port = %d
tls = "starttls"
username = %q
password = %q
from = "甘肃省进位监测 <alerts@example.test>"
ca_file = %q

[[alerts.channels]]
name = "leaders"
type = "email"
to = ["leader@example.test"]

[[alerts.rules]]
id = "gdp-rank"
kind = "rank_change"
indicators = ["gdp_per_capita"]
groups = ["all31", "west12"]
channels = ["leaders"]
`, smtp.Host, smtp.Port, smtp.User, smtp.Password, smtp.CAFile)
	if err := os.WriteFile(filepath.Join(p.dir, "jinwei.toml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	revised := filepath.Join(p.dir, "revised.csv")
	if err := os.WriteFile(revised, []byte("year,region_code,region_name_zh,indicator,value,unit\n2024,620000,甘肃省,gdp_per_capita,59000,元\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	first, out1 := p.serveLogged(t)
	// The rules' first look records the ranks; wait for it before the load that moves them.
	waitFor(t, out1, "its first evaluation of the alert rules", 3*time.Minute, func(s string) bool { return strings.Contains(s, "alerts evaluated") })
	smtp.Hold()
	p.run(t, "etl", "load", "--job", "economy", revised)
	select {
	case <-smtp.Arrived():
	case <-time.After(3 * time.Minute):
		t.Fatalf("serve never began to send the alert:\n%s", out1.String())
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = first.Process.Wait()
	smtp.Release()
	if n := len(smtp.Mail()); n != 0 {
		t.Fatalf("%d mails accepted before the kill, want none", n)
	}

	_, out2 := p.serveLogged(t)
	smtp.WaitMail(t, 1, 3*time.Minute)
	time.Sleep(5 * time.Second) // time enough for a second copy to arrive, were one sent
	mails := smtp.Mail()
	if len(mails) != 1 {
		var lines []string
		for _, m := range mails {
			lines = append(lines, m.Subject+": "+m.Text)
		}
		for _, s := range strings.Split(out1.String()+"\n----\n"+out2.String(), "\n") {
			if strings.Contains(s, "alert") || s == "----" {
				lines = append(lines, s)
			}
		}
		t.Fatalf("%d mails after the restart, want exactly 1:\n%s", len(mails), strings.Join(lines, "\n"))
	}
	// One alert, listing both groups the load moved Gansu in.
	for _, want := range []string{"全国31个省份中居第28位", "西部12省区市中居第10位"} {
		if !strings.Contains(mails[0].Subject, "进位") || !strings.Contains(mails[0].Text, want) {
			t.Errorf("mail %q lacks %q:\n%s", mails[0].Subject, want, mails[0].Text)
		}
	}
	for i, out := range []*syncBuffer{out1, out2} {
		if strings.Contains(out.String(), smtp.Password) {
			t.Errorf("serve %d logged the SMTP password", i+1)
		}
	}
}
