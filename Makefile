# Kelisim: `make demo` and `make test` do all the set-up on a fresh machine, then run.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench eval replay fuzz system-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Kelisim needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP)
	BIN=$(BIN) bash scripts/demo.sh

test: $(STAMP) system-deps
	$(BIN)/pytest

eval: $(STAMP)
	$(BIN)/python eval/language.py
	$(BIN)/python eval/dedup.py
	$(BIN)/python eval/ner.py
	$(BIN)/python eval/places.py
	$(BIN)/python eval/ethnic.py
	$(BIN)/python eval/attitude.py
	$(BIN)/python eval/relevance.py
	$(BIN)/python eval/events.py
	$(BIN)/python eval/hostility.py
	$(BIN)/python eval/casualties.py
	$(BIN)/python eval/stories.py
	$(BIN)/python eval/baseline.py

# The replay simulation: build a dated corpus from ../shared/data, replay it into its own store.
replay: $(STAMP)
	$(BIN)/python scripts/build_replay.py --data ../shared/data --seeds ../shared/seeds --out build/replay
	rm -f build/replay.db
	$(BIN)/kelisim --db build/replay.db replay build/replay --out build/replay-alerts.jsonl

bench: $(STAMP) system-deps
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/news_length.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/worker_memory.py
	$(BIN)/python bench/freshness.py
	$(BIN)/python bench/cluster.py

# Coverage-guided fuzzing of every parser (atheris), 4 minutes a target; findings in build/fuzz/.
fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py --target all --seconds 240

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
