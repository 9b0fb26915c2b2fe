# crawl: build, test and check. `make help` lists the targets.
GO      ?= go
BIN     ?= bin/crawl
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: help build install test test-short check bench bench-build bench-peers bench-micro clean

help:
	@echo "make build    build $(BIN)"
	@echo "make install  go install ./cmd/crawl (into \$$(go env GOPATH)/bin)"
	@echo "make test     run every test with the race detector"
	@echo "make check    gofmt, go vet, race tests, go mod tidy -diff"
	@echo "make bench-micro  go test benchmarks of the hot path (-benchmem)"
	@echo "make bench    benchmarks: crawl vs fetch-only, colly, wget2 (BENCH_FLAGS='-scale-pages 200000 -peers=false')"

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/crawl

install:
	$(GO) install -trimpath -ldflags '$(LDFLAGS)' ./cmd/crawl

test:
	$(GO) test -race -count=1 -timeout 8m ./...

test-short:
	$(GO) test -short -count=1 ./...

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) test -race -count=1 -timeout 8m ./...

# Benchmarks: build crawl as `make build` does, the harness and the peers,
# then run the harness (cmd/crawlbench; flags in BENCH_FLAGS). A crawl that
# does not build is a failed row, not a failed target.
BENCH_FLAGS ?=

bench: bench-build $(if $(findstring -peers=false,$(BENCH_FLAGS)),,bench-peers)
	./bin/crawlbench $(BENCH_FLAGS)

# Micro-benchmarks of the hot path: extraction, normalization, dedup,
# frontier push/pop, JSON encoding, an in-process crawl.
bench-micro:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

bench-build:
	@$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/crawl ./cmd/crawl || \
		{ rm -f bin/crawl; echo "bench: ./cmd/crawl does not build; its rows will say so"; }
	$(GO) build -o bin/crawlbench ./cmd/crawlbench

# colly is built from its own module (bench/colly), so crawl's go.mod does
# not gain it; wget2 comes from Debian, installed here when missing and root.
bench-peers:
	@cd bench/colly && $(GO) build -o ../../bin/colly-crawl . || \
		{ rm -f ../../bin/colly-crawl; echo "bench: bench/colly does not build; the colly row will say so"; }
	@command -v wget2 >/dev/null || \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq wget2 >/dev/null || echo "bench: could not install wget2"; \
		else echo "wget2 not installed: apt-get install wget2"; fi

clean:
	rm -rf bin
