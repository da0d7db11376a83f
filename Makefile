GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/kpgen/kpgen/internal/cli.Version=$(VERSION)
JSONNETFMT := $(GO) run github.com/google/go-jsonnet/cmd/jsonnetfmt
JSONNET_FILES = $(shell git ls-files '*.jsonnet' '*.libsonnet')

.PHONY: all build test fuzz vendor lint fmt bench clean

all: build

## build: compile bin/kpgen
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/kpgen ./cmd/kpgen

## test: the whole test suite (unit, golden, promtool rule tests, end-to-end), with the race detector
test:
	$(GO) test -race -count=1 -timeout 30m ./...

## vendor: fetch the Jsonnet dependencies pinned in jsonnet/jsonnetfile.lock.json
vendor: build
	./bin/kpgen vendor

## lint: gofmt, go vet and jsonnetfmt must have nothing to say
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(JSONNETFMT) --test $(JSONNET_FILES)

## fmt: format Go and Jsonnet sources
fmt:
	gofmt -w $$(git ls-files '*.go')
	$(JSONNETFMT) -i $(JSONNET_FILES)

## fuzz: run each Go fuzz test (func Fuzz…, any package) for FUZZTIME; their seed corpora run in make test
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "$$f ($$pkg, $(FUZZTIME))"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg; \
	  done; \
	done

## bench: benchmarks on the synthetic kube-prometheus-sized workload
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./internal/bench/

clean:
	rm -rf bin
