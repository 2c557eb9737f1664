# Every target sets itself up: a fresh Debian machine with Python 3.11 needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-runtime
TSTAMP := $(VENV)/.installed-test
BSTAMP := $(VENV)/.installed-bench
NSTAMP := node_modules/.installed
ARGS   ?=
# A machine that sets PYTHONDONTWRITEBYTECODE makes every build compile the project's modules again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: site test serve editor check bench bench-search bench-markup audit browser clean

site: $(STAMP)
	$(PY) build.py build $(ARGS)

check: $(STAMP)
	$(PY) build.py check $(ARGS)

serve: $(STAMP)
	$(PY) build.py serve $(ARGS)

# The dev server and the form editor on http://127.0.0.1:8000/admin/, saving into content/ through
# decap-server (package.json) on 127.0.0.1:8081: no GitHub or Netlify account needed.
editor: $(STAMP) $(NSTAMP)
	$(PY) scripts/editor.py $(ARGS)

# Two workers: much of the suite waits on builds, Chromium and the Nu checker in other processes.
test: $(TSTAMP) $(NSTAMP) browser
	$(PY) -m pytest -n 2 --dist loadscope $(ARGS)

# Clean builds at 1,000 and 10,000 courses beside the newest Hugo (requirements-bench.txt) and Debian's.
bench: $(TSTAMP) $(BSTAMP)
	$(PY) -m bench $(ARGS)

# Search speed on 1,000 synthetic courses in Debian's Chromium: median and p95 from the last keystroke.
bench-search: $(TSTAMP) browser
	$(PY) scripts/bench_search.py $(ARGS)

# check's time on hostile Markdown of 0.1, 0.4 and 1.6 MB: it grows as the size, not as its square.
bench-markup: $(STAMP)
	$(PY) scripts/bench_markup.py $(ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3

$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TSTAMP): requirements-test.txt requirements.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

$(BSTAMP): requirements-bench.txt $(TSTAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

# Lighthouse scores (accessibility, best practices, SEO, performance) in Debian's Chromium.
audit: $(STAMP) browser audit/node_modules/.installed
	$(PY) scripts/audit.py $(ARGS)

audit/node_modules/.installed: audit/package.json audit/package-lock.json
	cd audit && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Tools from the npm registry: test tools (axe-core, the Nu HTML Checker) and the form editor's
# local backend (decap-server). --ignore-scripts: vnu-jar's install script would download a Java
# runtime; Debian's JRE is used instead.
$(NSTAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests use Debian's Chromium; never a browser downloaded by a test tool.
browser:
	@bash scripts/install-system-deps.sh

clean:
	rm -rf _site .bench .venv .pytest_cache node_modules audit/node_modules
