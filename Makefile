# factsite: `make site` builds the site, `make test` runs every test (`make test-fast`: no browser,
# no nginx, no package build; `make test-all`: the browser sweeps over every page). All set up .venv first.
# PROJECT=dir builds, serves or checks the project in that folder instead of the repository's own.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROJECT ?= .
BASE_URL ?=
# The article whose quotes `make check` verifies: the project's article.txt, else (for the repository's
# own project) the shipped article beside the repository. --article is passed only when the file exists.
ARTICLE ?= $(firstword $(wildcard $(PROJECT)/article.txt) $(if $(filter .,$(PROJECT)),../shared/seed/article.txt))
PROJECT_FLAGS := $(if $(filter-out .,$(PROJECT)),--project $(PROJECT),)
BUILD_FLAGS := $(PROJECT_FLAGS) $(if $(BASE_URL),--base-url $(BASE_URL),)
# pytest-xdist: one worker per core, each test file on one worker (its module fixtures, Chromium, built once).
PARALLEL := -n auto --dist loadfile

.PHONY: site build check serve test test-fast test-all test-fork fuzz lint schema golden screenshots bench clean help

site: $(STAMP)  ## Build site/ from claims.yaml (PROJECT=dir for another project, BASE_URL=https://host/path/)
	$(BIN)/python build.py build $(BUILD_FLAGS)

build: site

check: $(STAMP)  ## Validate everything, write nothing (and check quotes when the article is there; PROJECT=dir)
	$(BIN)/python build.py check $(PROJECT_FLAGS) $(if $(wildcard $(ARTICLE)),--article $(ARTICLE),)

serve: $(STAMP)  ## Preview with live reload on http://127.0.0.1:8000/ (PROJECT=dir)
	$(BIN)/python build.py serve $(PROJECT_FLAGS)

test: $(STAMP) node_modules/.installed  ## ruff + every test; browser sweeps: one page per template (all under CI=true)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PARALLEL)

test-fast: $(STAMP)  ## ruff + the tests that need neither Chromium, nginx nor a package build (no npm needed)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PARALLEL) -m "not browser and not nginx and not package"

test-all: $(STAMP) node_modules/.installed  ## ruff + every test, the browser sweeps over every page (as under CI=true)
	$(BIN)/ruff check .
	FACTSITE_FULL_SWEEP=1 $(BIN)/python -m pytest $(PARALLEL)

test-fork: $(STAMP)  ## A desk's fork: copy the repository, replace claims.yaml, run make test-fast there
	$(BIN)/python tools/fork_check.py

# Property-based fuzzing of whole projects (tests/test_fuzz.py): FUZZ_EXAMPLES generated documents in all, valid,
# corrupted and raw bytes, with a random seed (`make test` runs a few hundred with a fixed one). Prints the examples
# each property ran; a failure is replayed from .hypothesis/ on the next run.
FUZZ_EXAMPLES ?= 20000

fuzz: $(STAMP)  ## Fuzz whole projects: FUZZ_EXAMPLES=20000 generated claims.yaml (valid, corrupted, raw) must never crash
	FACTSITE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py -n 2 --dist loadgroup -q -rP

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

clean:  ## Remove the built site and tool state (never your files; PROJECT=dir for another project)
	rm -rf $(PROJECT)/site $(PROJECT)/.factsite

help:
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/ -/'

# Benchmarks (bench/README.md, docs/benchmarks.md): factsite and Hugo on the same generated corpus, medians of
# BENCH_RUNS interleaved runs. Share images drawn for the corpus are kept in BENCH_SHARE_CACHE (outside the
# repository, about 50 KB a claim), so the warm-up of a later run need not draw them again.
BENCH_SIZES ?= 100 1000
BENCH_RUNS ?= 3
BENCH_SHARE_CACHE ?= $(or $(TMPDIR),/tmp)/factsite-bench-share
BENCH := $(BIN)/python bench/vs_hugo.py --runs $(BENCH_RUNS) --share-cache $(BENCH_SHARE_CACHE)

bench: $(STAMP)  ## factsite against Hugo: build, rebuild, edits, check at 100 and 1,000 claims (BENCH_SIZES=..., BENCH_RUNS=3)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BENCH) --sizes $(BENCH_SIZES)

.PHONY: bench-10k bench-all
bench-10k: $(STAMP)  ## The same at 10,000 claims (about 15 minutes; the first run also draws 10,000 share images)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BENCH) --sizes 10000

bench-all: $(STAMP)  ## bench at 100, 1,000 and 10,000 claims, the claims.yaml-or-claims/ layouts, and the build stages
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BENCH) --sizes 100 1000 10000
	$(BIN)/python bench/layouts.py --share-cache $(BENCH_SHARE_CACHE)
	$(BIN)/python bench/build_speed.py
