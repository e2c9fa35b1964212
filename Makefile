# jinwei: `make run` serves the dashboard over the demo data; `make test` runs every test
# against the real embedded engine, a real ClickHouse server and a real browser. Both install
# what they need first.

GO      ?= go
ADDR    ?= 127.0.0.1:8080
BIN     := bin/jinwei
CHDB    := node_modules/@chdb/lib-linux-x64-gnu/libchdb.so
VENDOR  := dashboard/static/vendor
# axe-core, the accessibility checker the page tests run inside each page; tests only, never
# served by jinwei itself.
AXE     := dashboard/testdata/vendor/axe.min.js
NPM_OK  := node_modules/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The tests create and drop thousands of small engine files (a database per test, a part per
# insert); on ext4 that costs as much kernel time as the engine's own work, so their
# temporary files and the test server's data go to memory (/dev/shm) when it has room. Go's
# own build files stay on disk (GOTMPDIR), in a folder whose leading dot keeps `go list
# jinwei/...` from taking its build directories for packages of the module.
TEST_TMP := $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && [ "$$(df -Pk $$d | awk 'NR==2 {print $$4}')" -gt 3000000 ] && echo $$d/jinwei-test)

# The embedded engine is found through CHDB_LIB_PATH unless the caller set it already.
export CHDB_LIB_PATH ?= $(CURDIR)/$(CHDB)

# The server tests use Debian's clickhouse-server (18.16) on a loopback port, with its own
# config (warehouse/whtest/clickhouse) and data directory under TEST_TMP (or var/).
CH_PORT ?= 19000
CH_DIR  := $(or $(TEST_TMP),$(CURDIR)/var)/clickhouse-test
CH_CONF := $(CURDIR)/warehouse/whtest/clickhouse/config.xml
CH_PING := clickhouse-client --host 127.0.0.1 --port $(CH_PORT) --user jinwei --password jinwei-test -q 'SELECT 1'
export JINWEI_TEST_CLICKHOUSE ?= clickhouse://jinwei:jinwei-test@127.0.0.1:$(CH_PORT)

.PHONY: run test build assets deps browser check-engine clickhouse-server clickhouse-stop vet fmt-check bench clean

# With no accounts the pages run in an open demo mode, which serve refuses on a
# non-loopback ADDR unless told: make run ADDR=0.0.0.0:8080 DEMO_PUBLIC=1.
run: build
	./$(BIN) serve --addr $(ADDR) $(if $(DEMO_PUBLIC),--demo-public)

build: $(BIN)

$(BIN): assets $(shell find cmd etl warehouse dashboard sql -type f) go.mod go.sum
	$(GO) build -o $(BIN) ./cmd/jinwei

# npm brings the engine library and the chart library with its map files (package-lock.json).
$(NPM_OK): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(NPM_OK) $(VENDOR)/echarts.min.js $(VENDOR)/maps/china.js $(VENDOR)/codemirror/codemirror.js

$(VENDOR)/echarts.min.js: $(NPM_OK)
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

# The SQL console's editor: CodeMirror 5 with its SQL mode, no bundler needed.
$(VENDOR)/codemirror/codemirror.js: $(NPM_OK)
	mkdir -p $(VENDOR)/codemirror
	cp node_modules/codemirror/lib/codemirror.css node_modules/codemirror/mode/sql/sql.js $(VENDOR)/codemirror/
	cp node_modules/codemirror/lib/codemirror.js $@

# Map files of echarts 4 (echarts 5 ships none): the whole country, and each province.
$(VENDOR)/maps/china.js: $(NPM_OK)
	mkdir -p $(VENDOR)/maps
	cp -r node_modules/echarts-maps4/map/js/province $(VENDOR)/maps/
	cp node_modules/echarts-maps4/map/js/china.js $@

$(AXE): $(NPM_OK)
	mkdir -p $(dir $@)
	cp node_modules/axe-core/axe.min.js $@

deps: $(NPM_OK)
	$(GO) mod download

# Page tests drive Debian's chromium (its headless shell, lighter) through chromedp, and
# briefings print with chromium itself, with a Chinese font (without one the
# screenshots and PDFs show boxes) and poppler's pdftotext to read the printed pages back.
browser: $(AXE)
	@command -v chromium >/dev/null 2>&1 && command -v chromium-headless-shell >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-headless-shell fonts-wqy-microhei poppler-utils; }

# Installs Debian's clickhouse-server (and zookeeper, which its replicated tables and ON
# CLUSTER statements need for the cluster test) if missing, and starts the test server in
# the background unless it already answers.
clickhouse-server:
	@test -x /usr/sbin/clickhouse-server && command -v clickhouse-client >/dev/null 2>&1 && test -f /usr/share/java/zookeeper.jar || { \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q clickhouse-server clickhouse-client zookeeper; }
	@$(CH_PING) >/dev/null 2>&1 || { \
	  mkdir -p $(CH_DIR); \
	  setsid /usr/sbin/clickhouse-server --config-file=$(CH_CONF) -- --tcp_port=$(CH_PORT) \
	    --path=$(CH_DIR)/data/ --tmp_path=$(CH_DIR)/data/tmp/ \
	    --logger.log=$(CH_DIR)/server.log --logger.errorlog=$(CH_DIR)/server.err.log \
	    >$(CH_DIR)/stdout.log 2>&1 & pid=$$!; echo $$pid >$(CH_DIR)/pid; \
	  for i in $$(seq 100); do $(CH_PING) >/dev/null 2>&1 && exit 0; kill -0 $$pid 2>/dev/null || break; sleep 0.2; done; \
	  echo "clickhouse-server did not start on 127.0.0.1:$(CH_PORT):"; tail -5 $(CH_DIR)/stdout.log $(CH_DIR)/server.err.log; exit 1; }

clickhouse-stop:
	@test -f $(CH_DIR)/pid && kill $$(cat $(CH_DIR)/pid) && rm $(CH_DIR)/pid || true

check-engine: $(NPM_OK)
	@test -f "$(CHDB_LIB_PATH)" || { echo "make test: the embedded engine $(CHDB_LIB_PATH) is missing; npm ci should have installed it"; exit 1; }

fmt-check:
	@out=$$(gofmt -l cmd etl warehouse dashboard sql); if [ -n "$$out" ]; then echo "unformatted Go files (run gofmt -w):"; echo "$$out"; exit 1; fi

vet: assets
	$(GO) vet ./...

# The page tests open every page, language, role and width in one browser: minutes on a
# busy machine, so the default 10-minute limit per package is raised. go test runs all of
# vet's checks itself (-vet=all, as `make vet` does), package by package in the same build:
# a package's tests start once it is vetted and linked instead of after a vet of the whole
# module, and they wait on processes while the rest compiles. The test binaries are linked
# without debugging information (-w), about a third less of linking each.
test: assets check-engine browser clickhouse-server fmt-check
	mkdir -p var/.gotmp $(TEST_TMP)
	$(if $(TEST_TMP),TMPDIR=$(TEST_TMP)) GOTMPDIR=$(CURDIR)/var/.gotmp $(GO) test -count=1 -timeout 30m -vet=all -ldflags=-w ./...

# Benchmarks print figures beside their yardsticks; see the README. They run at Go's
# default pace of garbage collection, as jinwei does (test processes otherwise collect
# less often: warehouse/whtest's Run).
bench: assets check-engine clickhouse-server
	GOGC=100 $(GO) test -run '^$$' -bench 'Ranking$$|Pages' -benchtime 50x ./dashboard/
	GOGC=100 $(GO) test -run '^$$' -bench ConcurrentClients -benchtime 1x ./dashboard/
	GOGC=100 $(GO) test -run '^$$' -bench ExportPeakHeap -benchtime 1x ./dashboard/
	$(GO) test -run '^$$' -bench RankingBesideAdHocSQL -benchtime 1x ./dashboard/
	$(GO) test -run '^$$' -bench AuthPerRequest -benchtime 300x ./dashboard/
	$(GO) test -run '^$$' -bench OperatorScale -benchtime 5x ./dashboard/
	$(GO) test -run '^$$' -bench Briefing -benchtime 3x ./dashboard/
	$(GO) test -run '^$$' -bench SubmissionReachesProvince -benchtime 5x ./dashboard/
	$(GO) test -run '^$$' -bench ETLAgainstEngineIngest -benchtime 1x ./etl/
	$(GO) test -run '^$$' -bench InsertMillionRows -benchtime 1x ./warehouse/
	$(GO) test -run '^$$' -bench NationalScaleRanking -benchtime 3x ./warehouse/
	$(GO) test -run '^$$' -bench ScorecardVolatility -benchtime 1x ./warehouse/
	$(GO) test -run '^$$' -bench DataVersion -benchtime 200x ./warehouse/

clean:
	rm -rf bin var $(VENDOR)
