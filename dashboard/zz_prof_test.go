package dashboard_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"jinwei/etl/etltest"
	"jinwei/warehouse"
)

func TestZZProf(t *testing.T) {
	w := etltest.SharedDemo(t)
	srv := newServer(t, w)
	by := map[string]time.Duration{}
	n := map[string]int{}
	stop := w.ObserveQueries(func(stmt string, _ warehouse.Params, d time.Duration, _ error) {
		k := strings.SplitN(strings.TrimSpace(stmt), "\n", 2)[0]
		by[k] += d
		n[k]++
	})
	start := time.Now()
	res, _ := http.Get(srv.URL + "/brief?period=2024")
	res.Body.Close()
	stop()
	fmt.Println("total", time.Since(start))
	var ks []string
	for k := range by {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return by[ks[i]] > by[ks[j]] })
	for _, k := range ks[:min(15, len(ks))] {
		fmt.Printf("%8.0fms %4d %.90s\n", by[k].Seconds()*1000, n[k], k)
	}
}
