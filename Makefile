# amo-dealcopy: every target installs what it needs into .venv (Python 3.13, the Lambda runtime).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1
export SAM_CLI_TELEMETRY := 0

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt layers/dealcopy/requirements.txt
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(PY) || $(PY313) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

SAM_STAMP := $(VENV)/.installed-sam
$(SAM_STAMP): $(STAMP) requirements-sam.txt
	$(PY) -m pip install -q -r requirements-sam.txt
	touch $@

venv: $(STAMP) ## Create .venv and install the dev dependencies

# checkov pins many packages of its own: it gets a virtualenv of its own.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(CHECKOV_VENV)/bin/python || $(PY313) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q -r requirements-checkov.txt
	touch $@

lint: $(STAMP) $(CHECKOV_VENV)/.installed ## Ruff lint + format check; checkov on template.yaml (every finding fixed or skipped with a reason)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --compact --quiet --skip-download

validate: $(SAM_STAMP) ## sam validate --lint (offline)
	$(BIN)/sam validate --lint --template template.yaml

build: $(SAM_STAMP) ## sam build (no Docker), for arm64 as deployed
	$(BIN)/sam build --template template.yaml --build-dir .aws-sam/build

# The built artifact is what runs: the same template built for this machine's processor (compiled
# wheels such as pydantic-core load only on theirs), in a folder (and build.toml) of its own, run by a
# virtualenv holding only what Lambda's python3.13 runtime has (boto3).
HOST_ARCH := $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86_64)
LOCAL_BUILD := .aws-sam/local/build
RUNTIME_VENV := .venv-runtime

build-local: $(SAM_STAMP) ## sam build for this machine's processor into .aws-sam/local/build (what demo-built runs)
	$(BIN)/sam build --template template.yaml --build-dir $(LOCAL_BUILD) --cache-dir .aws-sam/local/cache \
		--parameter-overrides Architecture=$(HOST_ARCH)

$(RUNTIME_VENV)/.installed: requirements-runtime.txt
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(RUNTIME_VENV)/bin/python || $(PY313) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python -m pip install -q -r requirements-runtime.txt
	touch $@

runtime-venv: $(RUNTIME_VENV)/.installed ## The runtime-only virtualenv (python3.13 + boto3, as Lambda's runtime)

demo-built: $(STAMP) build-local runtime-venv ## make demo with the functions from sam build's output in the runtime-only virtualenv
	$(PY) -m devstack demo --built $(LOCAL_BUILD) --runtime-python $(RUNTIME_VENV)/bin/python

unit: $(STAMP) ## Fast tests only
	$(PY) -m pytest -q tests -m "not slow"

# The Lambda runtime is 3.13, but the shared code must also run on 3.11.
PY311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11*/bin/python3.11) $(shell command -v python3.11 2>/dev/null))
VENV311 := .venv-py311
$(VENV311)/.installed: requirements-dev.txt layers/dealcopy/requirements.txt
	@test -n "$(PY311)" || { echo "python3.11 not found (set PY311=/path/to/python3.11)"; exit 1; }
	test -x $(VENV311)/bin/python || $(PY311) -m venv $(VENV311)
	$(VENV311)/bin/python -m pip install -q -r layers/dealcopy/requirements.txt \
		$$(grep -E '^(boto3|moto|pytest|pytest-timeout|hypothesis|starlette|uvicorn|PyYAML)' requirements-dev.txt | sed 's/[[:space:]]*#.*//')
	touch $@

# On 3.11: every in-process suite, plus the HTTP suites that run each function through the local stack
# (started with the same interpreter), so handlers, worker and scheduler run on 3.11 too. The rest of the
# HTTP suites repeat those code paths and run once, on 3.13, in `make test`.
COMPAT_TESTS := tests/unit tests/copying tests/schedules tests/dp/test_units.py tests/dp/test_scenarios.py \
	tests/integration/test_widget_api.py tests/integration/test_manual_copy_once.py \
	tests/integration/test_repeats_http.py tests/hostile/test_inputs_http.py
compat: $(VENV311)/.installed ## The shared code on Python 3.11: in-process suites and the main HTTP paths
	$(VENV311)/bin/python -m pytest -q -p no:cacheprovider $(COMPAT_TESTS) -m "not slow"

# DEALCOPY_REQUIRE_BUILT: the demo test on the built artifact (tests/integration/test_demo.py) must run, not skip.
test: lint validate build build-local runtime-venv compat chromium widget-harness widget ## Install, lint, validate, build and run every test
	DEALCOPY_REQUIRE_BUILT=1 $(PY) -m pytest -q --durations=25 tests

demo: $(STAMP) ## Start the local stack, install through OAuth, call amoCRM (emulated), stop
	$(PY) -m devstack demo

dev: $(STAMP) widget-harness widget ## The local stack + the widget harness on 127.0.0.1:8810 to click through (prints the URLs)
	$(PY) -m widget.harness.server

stack: $(STAMP) ## Only the local stack, on fixed ports (gateway :8800, emulator :8801, moto :8802)
	$(PY) -m devstack up --demo-account

bench: $(STAMP) ## Measure amoCRM requests, drain time at 7 req/s, latency, cold start -> BENCHMARKS.md
	$(PY) -m tools.bench
	$(PY) -m tools.bench dp  # the DP burst with and without batching per account (docs/scaling.md)
	$(PY) -m tools.bench_scale  # Lambda instances sharing one account; many accounts (docs/scaling.md)

# --- the amoCRM widget ----------------------------------------------------------------------
# BACKEND_URL=https://<api> puts the deployed API into the archive (default address, dp.webhook_url).
BACKEND_URL ?=
HARNESS := widget/harness
HARNESS_STAMP := $(HARNESS)/node_modules/.installed

widget: $(STAMP) ## Build and check dist/widget.zip for upload to amoCRM (BACKEND_URL=https://<api>)
	$(PY) widget/tools/build.py $(if $(BACKEND_URL),--backend-url $(BACKEND_URL))

$(HARNESS_STAMP): $(HARNESS)/package.json $(HARNESS)/package-lock.json
	cd $(HARNESS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

widget-harness: $(HARNESS_STAMP) ## Install the harness page's jQuery, RequireJS and Twig (npm ci)

chromium: ## Install Debian's chromium for the browser tests (nothing to do if /usr/bin/chromium exists)
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

browser: $(STAMP) chromium widget-harness widget ## Browser tests of the widget only (Playwright + chromium)
	$(PY) -m pytest -q tests/browser -m browser

clean: ## Remove build output and virtualenvs
	rm -rf .aws-sam $(VENV) $(VENV311) $(RUNTIME_VENV) $(CHECKOV_VENV) .pytest_cache .ruff_cache

.PHONY: help venv lint validate build build-local runtime-venv demo-built unit compat test demo dev stack bench clean widget widget-harness chromium browser
