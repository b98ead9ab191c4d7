# Two commands a newcomer needs: `make start` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install start test test-fast lint bench eval calibrate clean

# The stamp makes a second `make install` instant; it is rebuilt only when pyproject.toml changes.
install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned, so pip takes the CPU wheel instead of pulling a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

start: install
	$(BIN)/interviewer start --years 1-3

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m 'not slow'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check interviewer tests
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/run_all.py

eval: install
	$(BIN)/interviewer eval benchmarks/data/dl-answers.jsonl
	$(BIN)/interviewer eval benchmarks/data/dl-holdout.jsonl
	$(BIN)/interviewer eval benchmarks/data/dl-fresh.jsonl
	$(BIN)/interviewer eval benchmarks/data/dl-candidates.jsonl
	$(BIN)/interviewer eval benchmarks/data/dl-mixed.jsonl

calibrate: install
	$(BIN)/interviewer calibrate ../shared/data/asag/mohler.jsonl ../shared/data/asag/semeval2013-beetle-train.jsonl ../shared/data/asag/semeval2013-scientsbank-train.jsonl benchmarks/data/dl-answers.jsonl -o models/grader.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
