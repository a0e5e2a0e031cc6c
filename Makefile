# Data for benchmarks and model building; tests never read it.
DATA ?= ../shared/data
OUT  ?= out
GO   ?= go

.PHONY: build test bench lint models clean

build:
	$(GO) build -o bin/nlp ./cmd/nlp

test:
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l .; echo "gofmt needed"; exit 1)

models: build
	@echo "models: no embedded model yet (the tagger and classifier issues add them)"

clean:
	rm -rf bin $(OUT)
