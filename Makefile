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
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt layers/dealcopy/requirements.txt
	@test -n "$(PY313)" || { echo "python3.13 not found (pyenv install 3.13 or set PY313=/path/to/python3.13)"; exit 1; }
	test -x $(PY) || $(PY313) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(STAMP) ## Create .venv and install the dev dependencies

lint: $(STAMP) ## Ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

validate: $(STAMP) ## sam validate --lint (offline)
	$(BIN)/sam validate --lint --template template.yaml

build: $(STAMP) ## sam build (no Docker)
	$(BIN)/sam build --template template.yaml --build-dir .aws-sam/build

unit: $(STAMP) ## Fast tests only
	$(PY) -m pytest -q tests -m "not slow"

test: lint validate build ## Install, lint, validate, build and run every test
	$(PY) -m pytest -q tests

.PHONY: help venv lint validate build unit test
