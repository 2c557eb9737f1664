# Every target sets itself up: a fresh Debian machine with Python 3.11 needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-runtime
TSTAMP := $(VENV)/.installed-test
ARGS   ?=

.PHONY: site test serve check bench audit browser clean

site: $(STAMP)
	$(PY) build.py build $(ARGS)

check: $(STAMP)
	$(PY) build.py check $(ARGS)

serve: $(STAMP)
	$(PY) build.py serve $(ARGS)

test: $(TSTAMP) browser
	$(PY) -m pytest $(ARGS)

bench: $(TSTAMP)
	$(PY) -m bench $(ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3

$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TSTAMP): requirements-test.txt requirements.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# Browser tests use Debian's Chromium; never a browser downloaded by a test tool.
browser:
	@bash scripts/install-system-deps.sh

clean:
	rm -rf _site .venv .pytest_cache
