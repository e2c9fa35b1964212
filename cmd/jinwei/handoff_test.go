package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// While `serve` holds the embedded warehouse, `etl load` hands the file to it and shows
// the server's report; the admin API refuses requests without the server's token.
func TestLoadIsHandedToTheRunningServer(t *testing.T) {
	bin := testBinary(t)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "wh")
	demo, _ := filepath.Abs(filepath.Join("..", "..", "data"))
	env := append(os.Environ(), "JINWEI_DEMO_DIR="+demo, "JINWEI_SOURCES_DIR="+filepath.Join(demo, "sources"))
	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir)
	serve.Dir, serve.Env = dir, env
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
	})
	var info serveInfo
	deadline := time.Now().Add(60 * time.Second)
	for {
		var err error
		if info, err = readServeInfo(dataDir); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never started: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	file := filepath.Join(dir, "handed.csv")
	if err := os.WriteFile(file, []byte("year,region,indicator,value\n2025,甘肃,gdp,13900\n2025,火星,gdp,1\n2025,青海,gdp,4100\n2025,宁夏,gdp,5700\n2025,陕西,gdp,36500\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	load := exec.Command(bin, "etl", "load", "--job", "economy", file, "--data-dir", dataDir)
	load.Dir, load.Env = dir, env
	out, err := load.CombinedOutput()
	if err != nil {
		t.Fatalf("etl load: %v\n%s", err, out)
	}
	for _, want := range []string{"holds the warehouse: handing the files to it", "handed.csv: committed", "loaded 4, rejected 1", `unknown region "火星"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	res, err := http.Get("http://" + info.Addr + "/api/ranking?indicator=gdp&year=2025&group=yellow_river9")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("ranking after the handed load: %v %v", err, res)
	}
	res.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, "http://"+info.Addr+"/api/admin/runs", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("admin API with a wrong token: %v %v", err, res)
	}
	res.Body.Close()
}
