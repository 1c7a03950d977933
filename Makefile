# The same commands everywhere: a newcomer, a developer and CI all use these.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format messages bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_default_organization
	$(PY) manage.py load_demo
	# The task worker and the periodic scheduler run beside the web server and stop with it.
	$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages --locale fa --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/*' --ignore 'bench/*' --ignore '*/tests/*'
	$(PY) manage.py compilemessages --locale fa --ignore '.venv/*'

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var/*.sqlite3
