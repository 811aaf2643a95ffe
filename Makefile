# kotacerdas: `make run` starts the platform, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg lint check-deploy install clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kotacerdas up $(if $(PORT),--port $(PORT))

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy kotacerdas
	$(BIN)/kotacerdas makemigrations --check --dry-run
	$(BIN)/python -m pytest -q

# The same suite on PostgreSQL (used by .ci/run).
test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy kotacerdas

check-deploy: $(STAMP)
	KOTACERDAS_ENV=production DEBUG= SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(60))") \
	ALLOWED_HOSTS=kotacerdas.example.go.id SITE_URL=https://kotacerdas.example.go.id \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	SMS_GATEWAY_URL=https://sms.example.go.id/send WHATSAPP_GATEWAY_URL=https://wa.example.go.id/send \
	KOTACERDAS_DATA_DIR=$$(mktemp -d) $(BIN)/kotacerdas check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var

# Update the English catalogue after changing user-facing strings (needs GNU gettext);
# the compiled .mo is committed, so CI and `make run` need no gettext.
messages: $(STAMP)
	cd kotacerdas && $(abspath $(BIN))/kotacerdas makemessages -l en --ignore 'tests/*' --ignore '*/tests/*' --no-obsolete
	cd kotacerdas && $(abspath $(BIN))/kotacerdas compilemessages -l en
	$(BIN)/python -m pytest -q kotacerdas/portal/tests/test_translations.py
