# Two commands: `make run` (set up, build the bundled database if needed, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     := data/index.duckdb
DEMO   := data/demo/demo.duckdb
PORT   ?= 8501
# this machine only, unless told: `make run ADDRESS=0.0.0.0` serves the office network (create an admin
# account first: README, "Data administration"; several processes behind nginx: deploy/README.md)
ADDRESS ?= 127.0.0.1
SOURCES := $(shell find data/raw etl -type f \( -name '*.csv' -o -name '*.xls*' -o -name '*.py' -o -name '*.sql' -o -name '*.yaml' \) 2>/dev/null)

.PHONY: run test test-stress test-explore setup system-run system-test db bench clean

# Debian packages the app needs beyond Python: tesseract with Vietnamese data (a scanned annex); for the tests,
# LibreOffice (the annex printed to PDF), Chromium (the browser tests) and nginx (two app processes behind it,
# tests/test_deploy.py). Installed once, when missing.
SYSTEM_RUN  := tesseract-ocr tesseract-ocr-vie
SYSTEM_TEST := $(SYSTEM_RUN) libreoffice-calc-nogui libreoffice-writer-nogui chromium nginx-light
system-run:
	@command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_RUN) >/dev/null; }
system-test: system-run
	@command -v soffice >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 && test -x /usr/sbin/nginx || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_TEST) >/dev/null; }

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# the real database: published figures only (and, once it exists, what the province loaded: a rebuild keeps the
# replaced file as a version, `python -m etl versions` / `rollback`)
$(DB): $(VENV)/.installed $(SOURCES)
	$(PY) -m etl build

# the demo: the same plus the illustrative fill
$(DEMO): $(VENV)/.installed $(SOURCES)
	mkdir -p $(dir $(DEMO))
	$(PY) -m etl build --demo

db: $(DB) $(DEMO)

# beside the server, `python -m ui.warm` opens the usual pages once it answers, so the first visitor finds the caches
# full (PAR_WARM=0 switches it off); it exits when done
run: system-run $(DB) $(DEMO)
	$(PY) -m ui.warm --port $(PORT) &
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) --browser.gatherUsageStats false

test: system-test $(DB) $(DEMO)
	$(PY) -m pytest -q tests

# the browser tests while another process keeps one core busy (a shared machine); they must pass the same
test-stress: $(DB) $(DEMO)
	python3 tests/under_load.py --cores 1 -- $(PY) -m pytest -q tests/test_browser.py tests/test_browser_admin.py tests/test_browser_provinces.py

# property tests searching new random examples (make test draws the same ones every run)
test-explore: $(DB) $(DEMO)
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q tests/test_property_load.py

clean:
	rm -rf $(DB) data/versions data/index.attempts.jsonl data/demo
