# amo-dealcopy: every target installs what it needs into .venv (Python 3.13, the Lambda runtime).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Bytecode is cached (a shell may have turned it off): every xdist worker, local stack and probe process
# would otherwise compile the same modules again (collecting the suite: 7.5 s of CPU uncached, 4.3 s cached).
# `sam build` leaves __pycache__ out of the artifacts; .gitignore leaves it out of git.
unexport PYTHONDONTWRITEBYTECODE
export SAM_CLI_TELEMETRY := 0

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Every virtualenv installs from a lock file with hashes (`make lock` writes them; docs/operations.md).
PIP_INSTALL = -m pip install -q --require-hashes -r
$(STAMP): requirements-dev.lock
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(PY) || $(PY313) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) requirements-dev.lock
	touch $@

SAM_STAMP := $(VENV)/.installed-sam
$(SAM_STAMP): $(STAMP) requirements-sam.lock
	$(PY) $(PIP_INSTALL) requirements-sam.lock
	touch $@

venv: $(STAMP) ## Create .venv and install the dev dependencies

# checkov pins many packages of its own: it gets a virtualenv of its own.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed: requirements-checkov.lock
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(CHECKOV_VENV)/bin/python || $(PY313) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python $(PIP_INSTALL) requirements-checkov.lock
	touch $@

lint: $(STAMP) $(CHECKOV_VENV)/.installed ## Ruff lint + format check; checkov on template.yaml (every finding fixed or skipped with a reason)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --compact --quiet --skip-download

validate: $(SAM_STAMP) ## sam validate --lint (offline)
	$(BIN)/sam validate --lint --template template.yaml

# The built template refuses a deploy whose Architecture differs from its wheels (tools/build_arch.py).
ARCH ?= arm64
build: $(SAM_STAMP) ## sam build (no Docker), for arm64 as deployed (ARCH=x86_64 for Intel)
	$(BIN)/sam build --template template.yaml --build-dir .aws-sam/build --parameter-overrides Architecture=$(ARCH)
	$(PY) -m tools.build_arch .aws-sam/build --architecture $(ARCH)

# The built artifact is what runs: the same template built for this machine's processor (compiled
# wheels such as pydantic-core load only on theirs), in a folder (and build.toml) of its own, run by a
# virtualenv holding only what Lambda's python3.13 runtime has (boto3). Never a cached build: SAM keeps
# every cached build's dependencies under the one `.aws-sam/deps` and each build deletes the folders of
# the other's, so the two builds re-downloaded them anyway, and a build stopped mid-delete left a half
# folder the next cached build copied as it was (a layer without typing_extensions).
HOST_ARCH := $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86_64)
LOCAL_BUILD := .aws-sam/local/build
RUNTIME_VENV := .venv-runtime

build-local: $(SAM_STAMP) ## sam build for this machine's processor into .aws-sam/local/build (what demo-built runs)
	$(BIN)/sam build --no-cached --template template.yaml --build-dir $(LOCAL_BUILD) \
		--parameter-overrides Architecture=$(HOST_ARCH)
	$(PY) -m tools.build_arch $(LOCAL_BUILD) --architecture $(HOST_ARCH)

$(RUNTIME_VENV)/.installed: requirements-runtime.lock
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(RUNTIME_VENV)/bin/python || $(PY313) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python $(PIP_INSTALL) requirements-runtime.lock
	touch $@

runtime-venv: $(RUNTIME_VENV)/.installed ## The runtime-only virtualenv (python3.13 + boto3, as Lambda's runtime)

demo-built: $(STAMP) build-local runtime-venv ## make demo with the functions from sam build's output in the runtime-only virtualenv
	$(PY) -m devstack demo --built $(LOCAL_BUILD) --runtime-python $(RUNTIME_VENV)/bin/python

# pytest-xdist: a test file runs on one worker, with the session's local stacks of its own (docs/testing.md).
# One worker more than cores: a local-stack or browser test waits on other processes (the stack, chromium)
# much of its time, and a third worker fills those waits (docs/testing.md). PYTEST_WORKERS=0 runs in this
# process (a debugger, -x on the first failure).
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
XDIST := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

unit: $(STAMP) ## Fast tests only
	$(PY) -m pytest -q $(XDIST) tests -m "not slow"

# The Lambda runtime is 3.13, but the shared code must also run on 3.11.
PY311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11*/bin/python3.11) $(shell command -v python3.11 2>/dev/null))
VENV311 := .venv-py311
# Some pins of the 3.13 lock need a newer Python (networkx, via moto's cfn-lint): 3.11 has a lock of its own.
$(VENV311)/.installed: requirements-dev-py311.lock
	@test -n "$(PY311)" || { echo "python3.11 not found (set PY311=/path/to/python3.11)"; exit 1; }
	test -x $(VENV311)/bin/python || $(PY311) -m venv $(VENV311)
	$(VENV311)/bin/python $(PIP_INSTALL) requirements-dev-py311.lock
	touch $@

# Resolves every list into its lock with hashes; run after editing a list, commit both (docs/operations.md).
PIP_COMPILE = -m piptools compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(STAMP) $(VENV311)/.installed ## Lock files with hashes from the requirement lists (pip-tools), on 3.13 and 3.11
	export CUSTOM_COMPILE_COMMAND="make lock"; \
	$(PY) $(PIP_COMPILE) -o layers/dealcopy/requirements.txt layers/dealcopy/requirements.in && \
	$(PY) $(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt && \
	$(PY) $(PIP_COMPILE) -o requirements-sam.lock requirements-sam.txt && \
	$(PY) $(PIP_COMPILE) -o requirements-runtime.lock requirements-runtime.txt && \
	$(PY) $(PIP_COMPILE) -o requirements-checkov.lock requirements-checkov.txt && \
	$(VENV311)/bin/python $(PIP_COMPILE) -o requirements-dev-py311.lock requirements-dev.txt

# On 3.11 runs what may behave differently on it: every module imported (syntax, the standard library's
# names, annotations that pydantic and dataclasses evaluate when a class is made), the code that leans on
# the interpreter (the copy engine and its pydantic models; dates, time zones and calendars of repeats),
# and two paths end to end through the local stack started with the same interpreter: the widget routes
# with manual copies, and DP hooks through queue and worker. The rest repeats these code paths with other
# data, or reads files (architecture, docs, template): it runs once, on 3.13 (docs/testing.md).
COMPAT_TESTS := tests/unit/test_every_module_imports.py tests/copying tests/schedules tests/dp/test_scenarios.py \
	tests/integration/test_widget_api.py
# One worker a core: its few files wait little, and a third worker's session servers cost more than it fills
# (2 cores, runs alternated: about 68 CPU-seconds with two workers, 75 with three, both in about 50 s).
COMPAT_WORKERS ?= $(shell nproc)
compat: $(VENV311)/.installed ## The shared code on Python 3.11: every module imported, engine and calendars, widget routes and DP hooks over HTTP
	$(VENV311)/bin/python -m pytest -q -p no:cacheprovider -n $(COMPAT_WORKERS) --dist loadfile --no-loadscope-reorder \
		$(COMPAT_TESTS) -m "not slow"

# `make test` installs first (one pip at a time) and compiles the project's bytecode once. The main run (one
# worker more than cores) then runs in the foreground, and the checks beside it at a low CPU priority: lint,
# sam validate, the arm64 build, the widget's archive, the 3.11 run, and the demo on the local build (built
# there first: the main run reads nothing of it, so it no longer waits for `sam build`). They take the
# processor time the main run leaves idle while its tests wait on a rate limit, a local stack or chromium
# (about a fifth of the run), not the time its rate-limit and timeout tests expect. Nice 10, not 19: the
# 3.11 run and the built demo wait tens of seconds at most for a local stack, and at 19 a busy main run left
# them about 1 % of a core (one property-test draw took 32 s in CI). Their output (make -j, each step's
# printed whole when it ends) follows the main run's. TEST_JOBS=1 runs the steps one after another.
TEST_JOBS ?= 4
CHECKS_LOG := .test-checks.log
CHECKS := lint validate widget compat builds
BUILT_DEMO_TEST := tests/integration/test_demo.py::test_demo_runs_from_the_built_artifact_in_a_runtime_only_virtualenv
MAIN_RUN := $(PY) -m pytest -q $(XDIST) --durations=25 --deselect $(BUILT_DEMO_TEST) tests
test: $(SAM_STAMP) $(CHECKOV_VENV)/.installed $(VENV311)/.installed runtime-venv chromium widget-harness ## Install, lint, validate, build and run every test
	+$(MAKE) --no-print-directory bytecode
ifeq ($(TEST_JOBS),1)
	+$(MAKE) --no-print-directory $(CHECKS)
	$(MAIN_RUN)
else
	@+nice -n 10 $(MAKE) --no-print-directory -j $(TEST_JOBS) --output-sync=target $(CHECKS) \
		> $(CHECKS_LOG) 2>&1 & checks=$$!; \
	$(MAIN_RUN); main=$$?; \
	wait $$checks; status=$$?; \
	echo "--- lint, validate, build, widget, compat, built demo (run beside the main run):"; cat $(CHECKS_LOG); \
	test $$status -eq 0 || echo "make test: lint, validate, build, widget, compat or the built demo failed (above)"; \
	test $$main -eq 0 && test $$status -eq 0
endif

# The demo on what AWS runs (tests/integration/test_demo.py): `sam build`'s output for this machine in the
# runtime-only virtualenv. DEALCOPY_REQUIRE_BUILT: the test must run, not skip.
demo-built-test: $(STAMP) build-local runtime-venv ## The demo test on the local build (builds it first)
	DEALCOPY_REQUIRE_BUILT=1 $(PY) -m pytest -q -p no:cacheprovider $(BUILT_DEMO_TEST)

# make test's two `sam build`s of one template, one after the other, never side by side; then the built demo.
builds:
	+$(MAKE) --no-print-directory build
	+$(MAKE) --no-print-directory demo-built-test

# Compiled once before the suites start, so their parallel workers do not each compile the same modules.
BYTECODE_DIRS := layers functions emulator devstack tools tests widget/tools widget/harness/*.py
bytecode: $(STAMP) $(VENV311)/.installed ## Compile the project's modules for 3.13 and 3.11 (the suites' processes share them)
	$(PY) -m compileall -q -j 0 $(BYTECODE_DIRS)
	$(VENV311)/bin/python -m compileall -q -j 0 $(BYTECODE_DIRS)

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

# AS_LAMBDA=1 counts both trees as Lambda loads them: runtime-only boto3 and the built layer (tools/bench_import_ab.py).
imports-against: $(STAMP) ## Handler imports of this tree beside REF's, in instructions (valgrind): REF=<commit> [AS_LAMBDA=1]
	@test -n "$(REF)" || { echo "usage: make imports-against REF=<commit> [AS_LAMBDA=1]"; exit 2; }
ifeq ($(AS_LAMBDA),1)
	+$(MAKE) --no-print-directory build-local runtime-venv
	$(PY) -m tools.bench imports --against $(REF) --as-lambda
else
	$(PY) -m tools.bench imports --against $(REF)
endif

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

# The headless shell: chromium's engine without the desktop browser, at half its processor time. Where it
# cannot be installed, the tests run in Debian's full chromium if that is there (tests/browser/conftest.py).
chromium: ## Install Debian's chromium headless shell for the browser tests (nothing to do if it exists)
	@test -x /usr/lib/chromium/chromium-headless-shell || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium-headless-shell; } || \
		{ test -x /usr/bin/chromium && echo "chromium-headless-shell not installed: the browser tests use /usr/bin/chromium"; }

browser: $(STAMP) chromium widget-harness widget ## Browser tests of the widget only (Playwright + chromium)
	$(PY) -m pytest -q tests/browser -m browser

clean: ## Remove build output and virtualenvs
	rm -rf .aws-sam $(VENV) $(VENV311) $(RUNTIME_VENV) $(CHECKOV_VENV) .pytest_cache .ruff_cache

.PHONY: help venv lock lint validate build build-local runtime-venv demo-built demo-built-test builds unit compat test bytecode demo dev stack bench imports-against clean widget widget-harness chromium browser
