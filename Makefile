# The two commands: `make run` (embedded demo: SQLite + filesystem broker) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint lock messages compile clean-demo

$(STAMP): requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py demo_accounts --base-url http://$(HOST):$(PORT)
	PATH="$(abspath $(BIN)):$$PATH" DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run --settings=config.test_settings

lock:
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.lock pyproject.toml

APPS := liaison stations deputies suggestions activities demo
# `dir/?*`, not `dir/*`: makemessages reduces `dir/*` to `dir`, which also skips templates/dir/ and templates/admin/dir/.
IGNORE_APPS := $(foreach dir,$(APPS) tests bench scripts fixtures docs var,--ignore='$(dir)/?*')

messages: $(STAMP)  ## extract the msgids into the zh_Hans catalogues (translate, then `make compile`)
	for app in $(APPS); do (cd $$app && mkdir -p locale && DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); done
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete $(IGNORE_APPS)

compile: $(STAMP)  ## compile the catalogues (the .mo files are committed)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean-demo:
	rm -rf var/
