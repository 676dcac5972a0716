# salesout: the two commands are `make demo` and `make test`.
GO      ?= go
BIN     ?= bin/salesout
LINES   ?= 2000000
PKGS    := ./...

.PHONY: build demo test vet staticcheck lint bench bench-match bench-score fuzz clean

# the commit, for salesout --version when Go cannot stamp it (-buildvcs=false, a tarball)
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null)

build:
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "-X main.commit=$(COMMIT)" -o $(BIN) ./cmd/salesout

## demo: generate the demo data set into ./demo and run the whole pipeline on it
demo: build
	$(BIN) demo --dir demo

## test: every test (unit, SQL fixtures, end-to-end on the built binary, brief fuzzing)
FUZZ    := FuzzCSVReader FuzzX12 FuzzEDIFACT FuzzXLSX
FUZZTIME ?= 5m

test: vet
	$(GO) test -count=1 -timeout 30m $(PKGS)
	for f in $(FUZZ); do $(GO) test -count=1 -run='^$$' -fuzz="^$$f$$" -fuzztime=5s ./pipeline/formats || exit 1; done

vet:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l cmd pipeline connectors sql)" || (gofmt -l cmd pipeline connectors sql; echo "gofmt needed"; exit 1)

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

## bench: load LINES generated lines (default 2 M) with run --steps fetch,load, next to DuckDB alone
## (BENCH_REPEAT alternate runs of each, the best kept: the machine may be shared); the parsers
BENCH_REPEAT ?= 2
bench: build
	$(BIN) bench --lines $(LINES) --repeat $(BENCH_REPEAT) --dir bench --json bench/result.json
	$(GO) test -run='^$$' -bench=. -benchmem ./pipeline/formats

## bench-full: bench with 3 runs of each side, then a full rebuild (every step) of HISTORY
## generated lines (default 20 M, memory_limit 2GB) and a 50,000-line nightly increment on top,
## each next to DuckDB alone; the loader's typing and writing alone, and the score step on
## 20 M lines (bench-score)
HISTORY ?= 20000000
.PHONY: bench-full
bench-full: build
	$(BIN) bench --lines $(LINES) --repeat 3 --history $(HISTORY) --night 50000 --dir bench --json bench/result.json
	$(GO) test -count=1 -run='^$$' -bench=Stage -benchtime=5x ./pipeline/ingest
	$(GO) test -run='^$$' -bench=. -benchmem ./pipeline/formats
	$(MAKE) bench-score

## bench-match: matching against known truth (testdata/matchtruth): precision and recall
## overall, per method and per case; then 50,000 reseller spellings against 200,000 companies
bench-match:
	$(GO) test -count=1 -run '^TestAccuracy' -v ./pipeline/match/linkage
	$(GO) test -count=1 -run '^$$' -bench 'Resolve50kx200k' -benchtime 1x -benchmem ./pipeline/match/linkage

## bench-score: the score step on 100,000 partners and 20 M lines (time and peak RSS)
bench-score:
	$(GO) test -count=1 -run '^$$' -bench 'Score' -benchtime 1x -timeout 30m ./pipeline/score

## fuzz: longer fuzzing of every parser (FUZZTIME each, default 5m)
fuzz:
	for f in $(FUZZ); do $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) ./pipeline/formats || exit 1; done

clean:
	rm -rf bin demo bench

## schema: regenerate configs/salesout.schema.json from the config's Go types
.PHONY: schema
schema:
	$(GO) test -count=1 -run '^TestSchemaUpToDate$$' ./pipeline/config -update

## crash: SIGKILL the worker at seeded random points of its runs, restart, check (CRASH_TRIALS trials from CRASH_SEED)
CRASH_TRIALS ?= 50
CRASH_SEED   ?= 1
.PHONY: crash
crash:
	$(GO) test -count=1 -timeout 180m -run '^TestCrash$$' -v ./cmd/salesout -crash.trials=$(CRASH_TRIALS) -crash.seed=$(CRASH_SEED)
