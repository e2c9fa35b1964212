# jinwei: `make run` serves the dashboard over the demo data; `make test` runs every test
# against the real embedded engine and a real browser. Both install what they need first.

GO      ?= go
ADDR    ?= 127.0.0.1:8080
BIN     := bin/jinwei
CHDB    := node_modules/@chdb/lib-linux-x64-gnu/libchdb.so
VENDOR  := dashboard/static/vendor
NPM_OK  := node_modules/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The embedded engine is found through CHDB_LIB_PATH unless the caller set it already.
export CHDB_LIB_PATH ?= $(CURDIR)/$(CHDB)

.PHONY: run test build assets deps browser check-engine vet fmt-check bench clean

run: build
	./$(BIN) serve --addr $(ADDR)

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

deps: $(NPM_OK)
	$(GO) mod download

# Page tests drive Debian's chromium through chromedp.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

check-engine: $(NPM_OK)
	@test -f "$(CHDB_LIB_PATH)" || { echo "make test: the embedded engine $(CHDB_LIB_PATH) is missing; npm ci should have installed it"; exit 1; }

fmt-check:
	@out=$$(gofmt -l cmd etl warehouse dashboard sql); if [ -n "$$out" ]; then echo "unformatted Go files (run gofmt -w):"; echo "$$out"; exit 1; fi

vet: assets
	$(GO) vet ./...

test: assets check-engine browser fmt-check vet
	$(GO) test -count=1 ./...

# Benchmarks print figures beside their yardsticks; see the README.
bench: assets check-engine
	$(GO) test -run '^$$' -bench . -benchtime 200x ./dashboard/
	$(GO) test -run '^$$' -bench . -benchtime 1x ./etl/

clean:
	rm -rf bin var $(VENDOR)
