# Shobbak: every command a developer or CI needs. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= prod

.PHONY: run test lint unit bench package token clean portal browser lighthouse load capacity demo

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
	$(BIN)/cfn-lint infra/resources.yaml infra/staff-pool.yaml  # wiring.yaml is linted merged, by make package

test: $(VENV)/.installed lint browser node_modules/.installed
	$(BIN)/python -m pytest

# The portal's static pages into portal_site/build/ (`make run` builds them too, for its own ports).
portal: $(VENV)/.installed
	$(BIN)/python -m portal_site.build

# Debian's chromium for the browser tests and Lighthouse; Playwright drives it (never `playwright install`).
browser:
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# axe-core and Lighthouse, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Lighthouse's four scores for home, a service page, the form and the track page: bench/lighthouse.json.
lighthouse: $(VENV)/.installed browser node_modules/.installed
	$(BIN)/python -m tools.lighthouse

unit: $(VENV)/.installed
	$(BIN)/python -m pytest tests/unit

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run

# A bounded Locust run (fixed users and time, loopback only) against a local stack started for it:
# per-route throughput, p50/p95/p99, failures, 5xx and the app's CPU per request into bench/load.json.
load: $(VENV)/.installed
	$(BIN)/python -m bench.load.run

# docs/capacity.md from capacity/assumptions.py: the real services run against an in-memory DynamoDB
# that charges units per partition key (hot keys at 10x the peak), the bill, growth with history.
capacity: $(VENV)/.installed
	$(BIN)/python -m capacity.report

# The deployable template: Chalice's functions and API merged with infra/resources.yaml and
# infra/wiring.yaml (the stream and topic behind the delivery handlers).
package: $(VENV)/.installed
	rm -rf build/$(STAGE)
	$(BIN)/python -m tools.package_template build/$(STAGE)-merge-template.json
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-eu-central-1} $(BIN)/chalice package --stage $(STAGE) --template-format yaml \
		--merge-template build/$(STAGE)-merge-template.json build/$(STAGE)
	$(BIN)/cfn-lint build/$(STAGE)/sam.yaml

# With `make run` up: about a thousand requests over the past months through the real services
# (tools/demo.py); a second run adds nothing.
demo: $(VENV)/.installed
	$(BIN)/python -m tools.demo

# One signed staff token for the local stage, and nothing else on stdout.
token:
	@$(MAKE) --no-print-directory -s $(VENV)/.installed >&2
	@$(BIN)/python -m tools.staff_token --role "$(ROLE)" --district "$(DISTRICT)"

clean:
	rm -rf build portal_site/build test-artifacts .pytest_cache .ruff_cache .hypothesis
