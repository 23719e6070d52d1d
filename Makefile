# factsite: `make site` builds the site, `make test` runs every test (`make test-fast`: no browser,
# no nginx; `make test-all`: the browser sweeps over every page). All set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BASE_URL ?=
ARTICLE ?= ../shared/seed/article.txt
BUILD_FLAGS := $(if $(BASE_URL),--base-url $(BASE_URL),)

.PHONY: site build check serve test test-fast test-all lint schema golden screenshots bench clean help

site: $(STAMP)  ## Build site/ from claims.yaml (BASE_URL=https://host/path/ to override)
	$(BIN)/python build.py build $(BUILD_FLAGS)

build: site

check: $(STAMP)  ## Validate everything, write nothing (and check quotes when the article is there)
	$(BIN)/python build.py check $(if $(wildcard $(ARTICLE)),--article $(ARTICLE),)

serve: $(STAMP)  ## Preview with live reload on http://127.0.0.1:8000/
	$(BIN)/python build.py serve

test: $(STAMP) node_modules/.installed  ## ruff + every test; browser sweeps: one page per template (all under CI=true)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## ruff + the tests that need neither Chromium nor nginx (no npm needed)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not browser and not nginx"

test-all: $(STAMP) node_modules/.installed  ## ruff + every test, the browser sweeps over every page (as under CI=true)
	$(BIN)/ruff check .
	FACTSITE_FULL_SWEEP=1 $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

schema: $(STAMP)  ## Regenerate claims.schema.json from the model
	$(BIN)/python -m factsite.project.schema > claims.schema.json

golden: $(STAMP)  ## Regenerate the golden pages in tests/golden/ after an intended change
	$(BIN)/python -m tests.golden_update

screenshots: $(STAMP)  ## Save PNG screenshots of the index and a claim page into docs/screenshots/
	$(BIN)/python -m tools.screenshots

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	# --ignore-scripts: vnu-jar's postinstall would fetch a Java build; the system's Java runs vnu.jar.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:  ## Remove the built site and tool state (never your files)
	rm -rf site .factsite

help:
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/ -/'

bench: $(STAMP)  ## Measure build speed at 24 and 1,000 claims
	$(BIN)/python bench/build_speed.py
