# The two commands: `make run` (embedded demo: SQLite + filesystem broker) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint lock messages bench clean-demo

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py demo_accounts
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

messages: $(STAMP)
	for app in liaison stations deputies suggestions activities; do (cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); done
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='*/*' 
	$(PY) manage.py compilemessages

clean-demo:
	rm -rf var/
