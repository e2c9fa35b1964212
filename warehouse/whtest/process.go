package whtest

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Process is a ClickHouse server (or ZooKeeper) a test started itself, on its own loopback
// ports and directory under the test's temporary directory, killed when the test ends.
type Process struct {
	Port int
	Dir  string
	name string
	argv []string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// StartServer starts Debian's clickhouse-server with the tests' config plus extraXML (put
// inside <yandex> in config.d), on port (a free one when 0), and waits until it accepts
// connections. Its users are those of clickhouse/users.xml.
func StartServer(tb testing.TB, port int, extraXML string) *Process {
	tb.Helper()
	bin, err := exec.LookPath("clickhouse-server")
	if err != nil {
		bin = "/usr/sbin/clickhouse-server"
	}
	if _, err := os.Stat(bin); err != nil {
		tb.Fatalf("this test starts its own ClickHouse server and needs Debian's clickhouse-server (`make clickhouse-server` installs it): %v", err)
	}
	dir := tb.TempDir()
	for _, f := range []string{"config.xml", "users.xml"} {
		b, err := serverConfig.ReadFile("clickhouse/" + f)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f), b, 0o600)
		}
		if err != nil {
			tb.Fatalf("write server config: %v", err)
		}
	}
	if extraXML != "" {
		if err := os.MkdirAll(filepath.Join(dir, "config.d"), 0o700); err != nil {
			tb.Fatal(err)
		}
		extra := "<?xml version=\"1.0\"?>\n<yandex>\n" + extraXML + "\n</yandex>\n"
		if err := os.WriteFile(filepath.Join(dir, "config.d", "test.xml"), []byte(extra), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	if port == 0 {
		port = FreePort(tb)
	}
	p := &Process{Port: port, Dir: dir, name: "clickhouse-server"}
	data := filepath.Join(dir, "data") + "/"
	p.argv = []string{bin, "--config-file=" + filepath.Join(dir, "config.xml"), "--",
		"--tcp_port=" + strconv.Itoa(p.Port),
		"--interserver_http_port=" + strconv.Itoa(FreePort(tb)),
		"--path=" + data, "--tmp_path=" + data + "tmp/",
		"--logger.log=" + filepath.Join(dir, "server.log"),
		"--logger.errorlog=" + filepath.Join(dir, "server.err.log"),
	}
	p.Start(tb)
	return p
}

// StartZooKeeper starts a standalone ZooKeeper (Debian's zookeeper package) for replicated
// tables and ON CLUSTER statements.
func StartZooKeeper(tb testing.TB) *Process {
	tb.Helper()
	const jar = "/usr/share/java/zookeeper.jar"
	java, err := exec.LookPath("java")
	if err == nil {
		_, err = os.Stat(jar)
	}
	if err != nil {
		tb.Fatalf("the cluster test needs Debian's zookeeper package for replication (`make clickhouse-server` installs it): %v", err)
	}
	p := &Process{Port: FreePort(tb), Dir: tb.TempDir(), name: "zookeeper"}
	p.argv = []string{java, "-Xmx256m", "-Dzookeeper.admin.enableServer=false", "-cp", jar,
		"org.apache.zookeeper.server.ZooKeeperServerMain", strconv.Itoa(p.Port), filepath.Join(p.Dir, "data")}
	p.Start(tb)
	// ZooKeeper accepts connections before it serves sessions, and an 18.x server that
	// starts in that gap crashes at its first ON CLUSTER statement: wait for "srvr" to answer.
	deadline := time.Now().Add(30 * time.Second)
	for !zooKeeperServes(p.Addr()) {
		if time.Now().After(deadline) {
			tb.Fatalf("zookeeper on %s listens but does not serve: %s", p.Addr(), p.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

func zooKeeperServes(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("srvr")); err != nil {
		return false
	}
	b, _ := io.ReadAll(c)
	return strings.Contains(string(b), "Mode: standalone")
}

// Start (re)starts the process on its directory and port and waits until it listens.
func (p *Process) Start(tb testing.TB) {
	tb.Helper()
	out, err := os.Create(filepath.Join(p.Dir, "stdout.log"))
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", p.name, err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); out.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if tb.Failed() {
			tb.Logf("%s on %s, end of its logs:\n%s", p.name, p.Addr(), p.logTail())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			tb.Fatalf("%s exited at start (%v): %s", p.name, waitErr, p.logTail())
		default:
		}
		if c, err := net.DialTimeout("tcp", p.Addr(), 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("%s did not listen on %s within 30 s: %s", p.name, p.Addr(), p.logTail())
}

// Kill stops the process at once, as a crash or a pulled cable would.
func (p *Process) Kill(tb testing.TB) {
	tb.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		tb.Fatalf("kill %s: %v", p.name, err)
	}
	<-p.done
}

// Addr is the loopback address the process listens on.
func (p *Process) Addr() string { return "127.0.0.1:" + strconv.Itoa(p.Port) }

// DSN connects to the server as the test user jinwei.
func (p *Process) DSN() string { return "clickhouse://jinwei:jinwei-test@" + p.Addr() }

func (p *Process) logTail() string {
	var tail []string
	for _, f := range []string{"stdout.log", "server.err.log"} {
		b, _ := os.ReadFile(filepath.Join(p.Dir, f))
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) > 10 {
			lines = lines[len(lines)-10:]
		}
		tail = append(tail, fmt.Sprintf("[%s] %s", f, strings.Join(lines, "\n")))
	}
	return strings.Join(tail, "\n")
}

// FreePort returns a loopback TCP port nobody listens on right now.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
