# storyline: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

demo: install
	rm -f demo.db
	$(BIN)/storyline analyze examples/sample --db demo.db; test $$? -le 1
	$(BIN)/storyline export --db demo.db --format json -o demo-report/storyline.json
	$(BIN)/storyline export --db demo.db --format jsonl -o demo-report/storyline.jsonl
	$(BIN)/storyline export --db demo.db --format parquet -o demo-report/parquet
	$(BIN)/storyline export --db demo.db --format graphml -o demo-report/actors.graphml
	$(BIN)/storyline report --db demo.db -o demo-report
	@echo "Briefing written to demo-report/index.html (one page per story, with the exports linked)."
	@echo "Browse it in the web UI:  $(BIN)/storyline serve --db demo.db   then open http://127.0.0.1:8765/"

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-report .pytest_cache
