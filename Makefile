# Data for benchmarks and model building; tests never read it.
DATA ?= ../shared/data
OUT  ?= out
GO   ?= go

.PHONY: build test bench lint models clean

# The version stamped into bin/nlp (nlp version, and every model file it writes): the nearest tag,
# commits since and the commit, "-dirty" with uncommitted changes; the date is the build's, in UTC.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo "(devel)")
BUILD_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS = -X github.com/nlp-go/nlp/internal/buildinfo.version=$(VERSION) \
	-X github.com/nlp-go/nlp/internal/buildinfo.date=$(BUILD_DATE) -X github.com/nlp-go/nlp/internal/buildinfo.commit=$(COMMIT)

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/nlp ./cmd/nlp

test:
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# lint: go vet, a gofmt check that lists the files it would change, and staticcheck at a pinned version,
# installed into bin/ by the target below, so every machine and CI report the same findings.
STATICCHECK_VERSION = v0.8.2
STATICCHECK = bin/staticcheck

lint: staticcheck
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l .; echo "gofmt needed"; exit 1)
	$(STATICCHECK) ./...

# Installs staticcheck only when bin/ lacks it or holds another version (it prints "... (0.8.2)").
.PHONY: staticcheck
staticcheck:
	@$(STATICCHECK) -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' || \
		{ echo "installing staticcheck $(STATICCHECK_VERSION) into bin/"; mkdir -p bin && \
		GOBIN=$(CURDIR)/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

# Rebuild every embedded model in models/ from $(DATA) (prerequisites added below, one per model).
models: build
	@ls -l models/

clean:
	rm -rf bin $(OUT) dist

# release: static, stripped binaries (CGO_ENABLED=0, -trimpath, -s -w) for linux and darwin on amd64 and arm64, version stamped
# as `make build` stamps it, each in dist/nlp-VERSION-OS-ARCH.tar.gz with the README, and dist/SHA256SUMS
# (`cd dist && sha256sum -c SHA256SUMS` checks them). The linux/amd64 binary must run and print its version.
# About a minute per platform on 2 cores. A release version comes from a tag: git tag v0.X.Y && make release.
RELEASE_PLATFORMS = linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
.PHONY: release
release:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(RELEASE_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; name=nlp-$(VERSION)-$$os-$$arch; \
		echo "building $$name"; mkdir -p dist/$$name; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '-s -w $(LDFLAGS)' -o dist/$$name/nlp ./cmd/nlp; \
		cp README.md dist/$$name/; \
		tar -C dist -czf dist/$$name.tar.gz $$name; rm -r dist/$$name; \
	done
	cd dist && sha256sum *.tar.gz > SHA256SUMS
	tar -xzOf dist/nlp-$(VERSION)-linux-amd64.tar.gz nlp-$(VERSION)-linux-amd64/nlp > dist/nlp-check && chmod +x dist/nlp-check
	dist/nlp-check version | grep -qF '$(VERSION)' && rm dist/nlp-check
	@cat dist/SHA256SUMS

# datasets: the word2vec corpora of ../shared/data/README.md (datasets.WriteCorpusFile).
.PHONY: corpus-bench corpus-full
corpus-bench:
	@mkdir -p $(OUT)
	$(GO) run ./cmd/nlp datasets corpus --recipe bench --data $(DATA) --out $(OUT)/corpus-bench.txt

corpus-full:
	@mkdir -p $(OUT)
	$(GO) run ./cmd/nlp datasets corpus --recipe full --data $(DATA) --out $(OUT)/corpus-full.txt

# datasets: tokenizer and CoNLL-U benchmarks on the real data (IMDB, EWT train).
.PHONY: bench-datasets
bench-datasets:
	NLP_DATA=$(DATA) $(GO) test -run '^$$' -bench . -benchmem ./datasets/...

# nn: layer throughput side by side with PyTorch (install peers first: ../shared/bench/peers.sh).
.PHONY: bench-lstm
bench-lstm: build
	BENCH=$(dir $(DATA))bench NLP=bin/nlp scripts/bench-lstm.sh $(ROUNDS)

# pipeline: end-to-end tokens/s and max RSS of `nlp pipeline` on 5 MB of IMDB reviews, `nlp tag` on the
# same text for the ratio, then RSS on the reviews repeated to each of SIZES bytes, streamed through a pipe
# (SIZES="1000000 100000000" by default; add 1000000000 for the 1 GB run). BENCHMARKS.md, "pipeline".
.PHONY: bench-pipeline
bench-pipeline: build
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp scripts/bench-pipeline.sh

# serve: load test of nlp serve (scripts/bench-serve.sh) with the load generator scripts/serveload
# (vegeta, closed loop at 1, 4, 16 and 64 clients; EWT sentences of about 20 words from $(DATA)).
# MODE=levels (default: tag raw and pre-tokenized, classify, batching on and off), soak (RSS over
# SOAK=5m) or 100k (100,000 requests, then RSS); QUICK=1 for a short check of the tooling.
.PHONY: bench-serve
bench-serve: build
	$(GO) build -o bin/serveload ./scripts/serveload
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp LOAD=bin/serveload QUICK=$(QUICK) scripts/bench-serve.sh $(or $(MODE),levels)

# embed: word2vec trainers side by side on the bench corpus — word2vec C, gensim, fastText,
# wego, our wego and native engines — in turn, ROUNDS times; medians and ratios to word2vec C
# in $(OUT)/embed-bench/summary.md (install peers first: ../shared/bench/peers.sh).
.PHONY: embed-bench
embed-bench: build corpus-bench
	NLP=bin/nlp EVAL=$(DATA)/word-eval embed/bench.sh $(OUT)/corpus-bench.txt $(OUT)/embed-bench $(or $(ROUNDS),3)

# embed: which engine the models should start from — vectors from each engine on the bench corpus,
# then the SST-2 classifier and the tagger (EPOCHS epochs, default 8) trained from each; a markdown
# table on stdout. About an hour on 2 busy cores.
.PHONY: engine-downstream
engine-downstream: build corpus-bench
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp scripts/engine-downstream.sh $(or $(EPOCHS),8)

# The word2vec vectors the tagger and the classifier start from: skip-gram, dim 100, on the full corpus.
.PHONY: vectors
vectors: $(OUT)/vectors-full.bin
$(OUT)/corpus-full.txt:
	@mkdir -p $(OUT)
	$(GO) run ./cmd/nlp datasets corpus --recipe full --data $(DATA) --out $@
$(OUT)/vectors-full.bin: $(OUT)/corpus-full.txt
	$(GO) run ./cmd/nlp embed train --corpus $< --out $@ --dim 100 --epochs 5 --threads 2 --seed 1

# classify: the embedded sentiment model (models/classifier.safetensors), a GRU classifier (last
# state) on the word2vec vectors, trained on every distinct non-neutral phrase of the treebank's
# training trees (SST-2 labels) with early stopping on the SST-2 dev sentences (the configuration
# was chosen on dev: BENCHMARKS.md, classify). model-classifier-sst5, `nlp classify --model builtin:sst5`,
# is a bidirectional GRU of width 64 with max-pooling over time, on all the phrases with five labels. The evals name the model file: bin/nlp, built before the
# training, embeds the former one.
SST_TREES = --input trees --train $(DATA)/sst/trees/train.txt --dev $(DATA)/sst/trees/dev.txt --vectors $(OUT)/vectors-full.bin
.PHONY: model-classifier model-classifier-sst5
models: model-classifier model-classifier-sst5
model-classifier: build $(OUT)/vectors-full.bin
	nice bin/nlp classify train $(SST_TREES) --binary --phrases --cell gru --epochs 15 --patience 4 \
		--label-names negative,positive --seed 1 --quiet --out models/classifier.safetensors
	rm -f models/classifier.safetensors.ckpt
	bin/nlp classify eval --model models/classifier.safetensors $(DATA)/sst/stsa.binary.dev
model-classifier-sst5: build $(OUT)/vectors-full.bin
	nice bin/nlp classify train $(SST_TREES) --phrases --cell gru --bidirectional --hidden 64 --epochs 15 --patience 4 \
		--label-names very-negative,negative,neutral,positive,very-positive --seed 1 --quiet --out models/classifier-sst5.safetensors
	rm -f models/classifier-sst5.safetensors.ckpt
	bin/nlp classify eval --model models/classifier-sst5.safetensors --input trees $(DATA)/sst/trees/dev.txt

# tagger: the embedded English model (models/tagger-en-ewt.model), a model of the larger configuration TAG_BIG
# distilled from ensembles on EWT train and unlabelled IMDB reviews, in two rounds (BENCHMARKS.md, tagger).
# Every training is on EWT train with early stopping on EWT dev, word2vec from `make vectors` and seed 1
# unless said; every student also learns from 1M words of unlabelled reviews (unsup reviews 20,001-23,500,
# their <br /> as line breaks, and the Lee corpus) through its teachers' mean probabilities:
#  1. three teachers trained on the treebank alone: TAG_BIG with seeds 1 and 2, the default configuration;
#  2. student (default configuration), taught by the three;
#  3. big-student (TAG_BIG), taught by big-1, big-2 and student;
#  4. the built-in model, tuned: big-student fine-tuned on the treebank's gold tags alone (--init, an
#     eighth of the learning rate, held constant), which brings its XPOS back to the treebank's conventions.
# About two hours on 2 idle cores. Each training writes NAME.part and its checkpoint, so an interrupted
# `make model-tagger` resumes where it stopped.
TAG       = $(OUT)/tagger
TAG_BIG   = --char-hidden 100 --word-dim 100 --pretrained-n 30000
TAG_DATA  = --train $(DATA)/ud-english-ewt/en_ewt-ud-train.conllu --dev $(DATA)/ud-english-ewt/en_ewt-ud-dev.conllu
TAG_TRAIN = bin/nlp tag train $(TAG_DATA) --vectors $(OUT)/vectors-full.bin --quiet --resume
TAG_UNL   = --unlabelled $(TAG)/unlabelled.txt
TAG_DONE  = mv $@.part $@ && rm -f $@.part.ckpt
.PHONY: model-tagger
models: model-tagger
model-tagger: $(TAG)/tuned.model
	cp $< models/tagger-en-ewt.model
	bin/nlp tag eval --model models/tagger-en-ewt.model $(DATA)/ud-english-ewt/en_ewt-ud-dev.conllu | head -2
$(TAG)/teacher-big-1.model: $(OUT)/vectors-full.bin | build
	@mkdir -p $(TAG)
	$(TAG_TRAIN) --seed 1 $(TAG_BIG) --out $@.part && $(TAG_DONE)
$(TAG)/teacher-big-2.model: $(OUT)/vectors-full.bin | build
	@mkdir -p $(TAG)
	$(TAG_TRAIN) $(TAG_BIG) --seed 2 --out $@.part && $(TAG_DONE)
$(TAG)/teacher-default.model: $(OUT)/vectors-full.bin | build
	@mkdir -p $(TAG)
	$(TAG_TRAIN) --seed 1 --out $@.part && $(TAG_DONE)
$(TAG)/unlabelled.txt:
	@mkdir -p $(TAG)
	(gzip -dc $(DATA)/imdb/unsup.txt.gz | sed -n '20001,23500p' | sed 's#<br */>#\n#g'; \
		cat $(DATA)/corpora/lee_background.cor) > $@.part && mv $@.part $@
$(TAG)/student.model: $(TAG)/teacher-big-1.model $(TAG)/teacher-big-2.model $(TAG)/teacher-default.model \
		$(TAG)/unlabelled.txt
	$(TAG_TRAIN) --seed 1 --teacher $(TAG)/teacher-big-1.model,$(TAG)/teacher-big-2.model,$(TAG)/teacher-default.model \
		$(TAG_UNL) --out $@.part && $(TAG_DONE)
$(TAG)/big-student.model: $(TAG)/student.model
	$(TAG_TRAIN) --seed 1 $(TAG_BIG) --teacher $(TAG)/teacher-big-1.model,$(TAG)/teacher-big-2.model,$(TAG)/student.model \
		$(TAG_UNL) --out $@.part && $(TAG_DONE)
$(TAG)/tuned.model: $(TAG)/big-student.model
	bin/nlp tag train $(TAG_DATA) --quiet --resume --seed 1 --init $< --lr 0.00025 --lr-decay -1 --out $@.part && $(TAG_DONE)

# tagger: the accuracy on EWT dev of the built-in model when Tag cuts sentences into windows of several
# sizes (tagger.WindowSize, BENCHMARKS.md "tagger: long sentences").
.PHONY: bench-tagger-window
bench-tagger-window:
	NLP_DATA=$(DATA) $(GO) test -run '^$$' -bench WindowAccuracy -benchtime 1x ./tagger

# tagger: Russian (GSD, Taiga, both), each treebank's dev file split 80/20, the small-treebank recipe;
# a markdown table of accuracies and a most-frequent-tag baseline (BENCHMARKS.md). About 15 minutes.
.PHONY: tagger-russian
tagger-russian: build
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp scripts/tagger-russian.sh

# tagger: the ablation table (word2vec vs random, characters, cells); several hours on 2 cores.
.PHONY: tagger-ablation
tagger-ablation: build $(OUT)/vectors-full.bin
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp scripts/tagger-ablation.sh $(EPOCHS)

# classify: the figures of BENCHMARKS.md (classify): SST-2 ablations (cell, pooling, initialisation),
# fine-grained SST, IMDB (10% of train held out as dev), speed. Long: about an hour on 2 busy cores.
.PHONY: bench-classify
CLS_SST = --train $(DATA)/sst/stsa.binary.train --dev $(DATA)/sst/stsa.binary.dev --seed 1 --quiet
bench-classify: build $(OUT)/vectors-full.bin
	@mkdir -p $(OUT)/classify
	bin/nlp classify eval $(DATA)/sst/stsa.binary.dev
	cut -d' ' -f2- $(DATA)/sst/stsa.binary.train > $(OUT)/classify/sst2-train.txt
	time bin/nlp classify - < $(OUT)/classify/sst2-train.txt > /dev/null
	time bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --cell gru --epochs 1 --out $(OUT)/classify/epoch.model
	nice bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --epochs 15 --patience 4 --out $(OUT)/classify/lstm.model
	nice bin/nlp classify train $(CLS_SST) --init random --epochs 15 --patience 4 --out $(OUT)/classify/lstm-random.model
	nice bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --pool max --decay 0.5 --epochs 15 --patience 4 --out $(OUT)/classify/lstm-max.model
	nice bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --bidirectional --epochs 15 --patience 4 --out $(OUT)/classify/bilstm-max.model
	nice bin/nlp classify train $(CLS_SST) --init random --bidirectional --epochs 15 --patience 4 --out $(OUT)/classify/bilstm-max-random.model
	nice bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --cell gru --epochs 15 --patience 4 --out $(OUT)/classify/gru.model
	nice bin/nlp classify train $(CLS_SST) --vectors $(OUT)/vectors-full.bin --cell rnn --epochs 15 --patience 4 --out $(OUT)/classify/rnn.model
	nice bin/nlp classify train --train $(DATA)/sst/stsa.fine.train --dev $(DATA)/sst/stsa.fine.dev --seed 1 --quiet \
		--vectors $(OUT)/vectors-full.bin --bidirectional --epochs 15 --patience 4 --out $(OUT)/classify/fine.model
	bin/nlp classify eval --model $(OUT)/classify/fine.model $(DATA)/sst/stsa.fine.dev
	nice bin/nlp classify train --train $(DATA)/imdb/train.txt.gz --dev-split 0.1 --split-seed 1 --seed 1 --quiet \
		--vectors $(OUT)/vectors-full.bin --pool max --hidden 64 --max-len 300 --batch 64 --lr 0.002 --decay 0.5 \
		--epochs 5 --patience 2 --out $(OUT)/classify/imdb.model

# classify: issue 22's runs on the treebank's trees (BENCHMARKS.md, classify, "The treebank's phrases"):
# SST-2 on sentences and on phrases, GRU against bidirectional encoders with max-pooling, the five classes.
# About an hour on 2 busy cores; each model lands in $(OUT)/classify/sst-*.model, its dev accuracy in the
# last line of its output.
.PHONY: bench-classify-sst
SST_RUN = nice bin/nlp classify train $(SST_TREES) --epochs 15 --patience 4 --seed 1 --quiet
bench-classify-sst: build $(OUT)/vectors-full.bin
	@mkdir -p $(OUT)/classify
	nice bin/nlp classify train --train $(DATA)/sst/stsa.binary.train --dev $(DATA)/sst/stsa.binary.dev --vectors $(OUT)/vectors-full.bin \
		--cell gru --epochs 15 --patience 4 --seed 1 --quiet --out $(OUT)/classify/sst-gru-stsa.model
	$(SST_RUN) --binary --cell gru --out $(OUT)/classify/sst-gru-sentences.model
	$(SST_RUN) --binary --phrases --cell gru --out $(OUT)/classify/sst-gru-phrases.model
	$(SST_RUN) --binary --phrases --cell gru --decay 0.5 --out $(OUT)/classify/sst-gru-phrases-decay.model
	$(SST_RUN) --binary --phrases --bidirectional --out $(OUT)/classify/sst-bilstm-phrases.model
	$(SST_RUN) --binary --phrases --cell gru --bidirectional --hidden 64 --out $(OUT)/classify/sst-bigru64-phrases.model
	$(SST_RUN) --phrases --cell gru --out $(OUT)/classify/sst5-gru-phrases.model
	$(SST_RUN) --phrases --cell gru --bidirectional --hidden 64 --out $(OUT)/classify/sst5-bigru64-phrases.model

# generate: the issue's 2×256 character LSTM on tinyshakespeare, the last 10% (cut at a line boundary)
# held out for validation and scored again by `generate eval --tail-fraction` (one pass, state carried);
# then sample text. About an hour on 2 busy cores; --resume continues an interrupted run.
.PHONY: generate-shakespeare bench-generate
SHAKESPEARE = $(DATA)/tinyshakespeare/input.txt
GEN_MODEL = $(OUT)/generate/shakespeare.model
generate-shakespeare: build
	@mkdir -p $(OUT)/generate
	bin/nlp generate train --text $(SHAKESPEARE) --valid-fraction 0.1 --steps 1500 --valid-every 150 --lr 0.003 --seed 1 \
		--max-seconds 4500 --quiet --resume --out $(GEN_MODEL)
	bin/nlp generate eval --model $(GEN_MODEL) --tail-fraction 0.1 $(SHAKESPEARE)
	bin/nlp generate --model $(GEN_MODEL) --lines 20 --temperature 0.8 --seed 1

# generate: training characters/s of the same model against PyTorch CPU with 1 and 2 threads,
# alternately, ROUNDS times (PyTorch from ../shared/bench/peers.sh; scripts/torch_char_lstm.py).
bench-generate: build
	NLP=bin/nlp scripts/bench-generate.sh $(SHAKESPEARE) $(or $(ROUNDS),3)

# robustness: the slow part of the robustness suite (issue 17): large hostile inputs (100 KB of punctuation,
# a 1M-token sentence, a 50 MB line, 35 MB of lines to classify, NUL, invalid UTF-8, BOM, comments only)
# through the commands, with bounds on exit status, wall time, peak memory and temp files; a markdown
# table (RELIABILITY.md). The fast part runs in `go test` (cmd/nlp TestHostileInputs).
.PHONY: robustness
robustness: build
	NLP=bin/nlp scripts/robustness.sh $(OUT)/robustness

# translate: the embedded German→English model (models/translate-de-en.model): the default configuration of
# `nlp translate train` (bidirectional GRU encoder 2×256, general attention with input feeding, GRU decoder 512,
# byte-pair units learnt per language, 8,000 merges) on Multi30k train, the weights kept by greedy BLEU on
# val after every epoch, at most 80 minutes of training (on 2 cores), then evaluated on val with beam 5.
# The run writes its checkpoint next to the model, so an interrupted `make model-translate` resumes.
MULTI = $(DATA)/multi30k
TR    = $(OUT)/translate
TR_TRAIN = nice bin/nlp translate train --seed 1 --quiet --resume --max-seconds $(or $(TR_SECONDS),4800)
.PHONY: model-translate translate-en-de bench-translate
models: model-translate
model-translate: build
	@mkdir -p $(TR)
	$(TR_TRAIN) --src-train $(MULTI)/train.de --tgt-train $(MULTI)/train.en --src-dev $(MULTI)/val.de --tgt-dev $(MULTI)/val.en \
		--out $(TR)/de-en.model
	cp $(TR)/de-en.model models/translate-de-en.model
	bin/nlp translate eval --model models/translate-de-en.model --src $(MULTI)/val.de --ref $(MULTI)/val.en

# The same code and configuration the other way, English→German (reported, not embedded).
translate-en-de: build
	@mkdir -p $(TR)
	$(TR_TRAIN) --src-train $(MULTI)/train.en --tgt-train $(MULTI)/train.de --src-dev $(MULTI)/val.en --tgt-dev $(MULTI)/val.de \
		--out $(TR)/en-de.model
	bin/nlp translate eval --model $(TR)/en-de.model --src $(MULTI)/val.en --ref $(MULTI)/val.de

# translate: training tokens/s of the issue's reference configuration against PyTorch CPU (1 and 2 threads),
# alternately, ROUNDS times (PyTorch from ../shared/bench/peers.sh).
bench-translate: build
	NLP=bin/nlp scripts/bench-translate.sh $(DATA) $(or $(ROUNDS),3)

# nlp-beam: the Beam commands, a binary and a Go module of their own (beam/go.mod), so that the
# Beam SDK stays out of bin/nlp and of `go test ./...`. beam-test runs its tests on Prism (seconds
# once the SDK is compiled; a cold build compiles the SDK for a few minutes); beam-lint is lint for
# the module. bench-beam: nlp-beam on Prism against nlp on the same text (BENCHMARKS.md).
.PHONY: build-beam beam-test beam-lint bench-beam
build-beam:
	cd beam && $(GO) build -o ../bin/nlp-beam ./cmd/nlp-beam

beam-test:
	cd beam && $(GO) test ./...

beam-lint: staticcheck
	cd beam && $(GO) vet ./... && ../$(STATICCHECK) ./...

bench-beam: build build-beam
	DATA=$(DATA) OUT=$(OUT) NLP=bin/nlp NLPBEAM=bin/nlp-beam scripts/bench-beam.sh
