# Shobbak: every command a developer or CI needs. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= prod

.PHONY: run test lint unit bench package token clean

# The virtual environment is rebuilt whenever a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'pip>=24,<26.3'  # chalice package drives pip, and needs it below 26.3
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m tools.local_stack

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint infra/resources.yaml

test: $(VENV)/.installed lint
	$(BIN)/python -m pytest

unit: $(VENV)/.installed
	$(BIN)/python -m pytest tests/unit

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run

# The deployable template: Chalice's functions and API merged with infra/resources.yaml.
package: $(VENV)/.installed
	rm -rf build/$(STAGE)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-eu-central-1} $(BIN)/chalice package --stage $(STAGE) --template-format yaml \
		--merge-template infra/resources.yaml build/$(STAGE)
	$(BIN)/cfn-lint build/$(STAGE)/sam.yaml

# One signed staff token for the local stage, and nothing else on stdout.
token:
	@$(MAKE) --no-print-directory -s $(VENV)/.installed >&2
	@$(BIN)/python -m tools.staff_token --role "$(ROLE)" --district "$(DISTRICT)"

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
