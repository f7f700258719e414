# storyline: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-sqlite test-postgresql bench clean

# The test extra, plus the accurate profile's runtime (onnxruntime, tokenizers) and the
# training extra (scikit-learn), so `make test` runs their tests too (each skips without it).
install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,accurate,train]'
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

# The suite twice: on SQLite, then on a throw-away PostgreSQL server (tests/conftest.py;
# that pass prints why and passes when no server can start). Both run; both must pass.
# PYTEST_ARGS narrows a run: make test PYTEST_ARGS=tests/test_store_protocol.py
PYTEST_ARGS ?=
test: install
	@status=0; \
	echo "== test pass 1/2: SQLite"; $(BIN)/python -m pytest -q $(PYTEST_ARGS) || status=1; \
	echo "== test pass 2/2: PostgreSQL"; \
	STORYLINE_TEST_STORE=postgresql $(BIN)/python -m pytest -q $(PYTEST_ARGS) || status=1; \
	exit $$status

test-sqlite: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-postgresql: install
	STORYLINE_TEST_STORE=postgresql $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-report .pytest_cache
