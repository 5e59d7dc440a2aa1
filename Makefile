# Shobbak: every command a developer or CI needs. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= prod
# `make load SHORT=1` (likewise demo, capacity, bench): a few users, seconds or requests, to see the
# tool still runs; the committed results files are left alone. make test runs each short mode.
SHORT ?=
SHORT_FLAG := $(if $(SHORT),--short)
# The tests start many interpreters (pytest's workers, each local stack's processes, the interpreters
# some tests start): with PYTHONDONTWRITEBYTECODE set, as some shells and containers set it, each
# would compile the project's sources again, and each worker rewrite every test module's asserts
# again (about 8 CPU-seconds a process). __pycache__/ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-ready lint unit integration bench package package-unlinted packages packages-unlinted packages-unlinted-dev packages-cfn-lint packages-checkov-dev packages-checkov-prod publish lock token totp clean portal browser lighthouse load capacity demo

# The virtual environment is rebuilt whenever a requirements file changes, from the lock file:
# exactly the versions and files (hashes) that `make lock` resolved.
# The pip cap: `chalice package` runs pip through pip's private entry point
# (pip._internal.cli.main, chalice/compat.py), which has no stability promise; Chalice 1.34
# declares `pip<26.3` for that reason, so pip is held below it here too.
# --no-compile: pip would byte-compile every module of every package, half the dev venv's install
# (50 CPU-seconds with it, 25 without), much of it for modules nothing here imports (moto's hundred
# services); each module used is compiled once instead, on its first import, into __pycache__/.
PIP_INSTALL := pip install --quiet --no-compile
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) 'pip>=24,<26.3'
	$(BIN)/$(PIP_INSTALL) --require-hashes -r requirements-dev.lock
	touch $@

# checkov and pip-tools in a venv of their own: checkov's pins conflict with boto3's.
TOOLS := .venv-tools
$(TOOLS)/.installed: requirements-tools.txt requirements-tools.lock
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/$(PIP_INSTALL) 'pip>=24,<26.3'
	$(TOOLS)/bin/$(PIP_INSTALL) --require-hashes -r requirements-tools.lock
	touch $@

# Resolves every requirements file again into its lock, with hashes (after a merge that changed
# a requirements file, or to take a new version): commit the three locks with the change.
LOCK := $(TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(TOOLS)/.installed
	$(LOCK) --output-file requirements.lock requirements.txt
	$(LOCK) --output-file requirements-dev.lock requirements-dev.txt
	$(LOCK) --output-file requirements-tools.lock requirements-tools.txt

run: $(VENV)/.installed
	$(BIN)/python -m tools.local.stack

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint infra/resources.yaml infra/staff-pool.yaml infra/edge-waf.yaml  # the rest is linted merged, by make package
	$(BIN)/python -m tools.build.check_locks

# Everything: first in parallel, a process per core, each with its own moto in process and its own
# ports (--dist loadfile keeps a module's servers in one process): tests/e2e among them, each worker
# with one local stack and one chromium for the e2e modules it runs (a module that needs a stack to
# itself starts its own: tests/e2e/conftest.py), whose waits fill the cores the other tests leave
# idle. Then, one at a time, the tests marked `serial` (tests/integration/concurrency and the short
# load: bursts timed against one stack, which a second worker's load would distort). The 15 slowest
# tests of both passes are printed at the end (docs/benchmarks.md#make-tests-time).
PYTEST_PARALLEL := $(BIN)/python -m pytest -n auto --dist loadfile
TEST_RESULTS := test-artifacts/results
test:
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target test-ready
	rm -rf $(TEST_RESULTS)
	$(PYTEST_PARALLEL) --iam-required -m "not serial" --junitxml=$(TEST_RESULTS)/parallel.xml
	$(BIN)/python -m pytest --iam-required -m serial --junitxml=$(TEST_RESULTS)/serial.xml
	$(BIN)/python -m tools.testing.slowest 15 $(TEST_RESULTS)/parallel.xml $(TEST_RESULTS)/serial.xml

# What the tests need, two jobs at a time (a job per core): the two venvs' installs side by side,
# then the lint beside the packages, npm and chromium; each waits only for what it uses.
test-ready: $(VENV)/.installed $(TOOLS)/.installed lint browser node_modules/.installed packages

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
	$(BIN)/python -m tools.testing.lighthouse

# tests/unit: the pure code, adapters included: no server, no deploy (the few adapter tests that
# call AWS call moto in process, the stack deployed once). Without schemathesis's pytest plugin, which
# no unit test uses: loading it cost each of the three processes (controller and two workers) 0.6 s of CPU.
unit: $(VENV)/.installed
	$(PYTEST_PARALLEL) -p no:schemathesis tests/unit

# tests/integration: the API, services, store, tools and templates against moto, in parallel where
# they can be, then the concurrency tests and the short load (marked serial) one at a time.
integration: $(VENV)/.installed
	$(PYTEST_PARALLEL) -m "not serial" tests/integration
	$(BIN)/python -m pytest -m serial tests/integration

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run $(SHORT_FLAG)

# A bounded Locust run (fixed users and time, loopback only) against a local stack started for it:
# per-route throughput, p50/p95/p99, failures, 5xx and the app's CPU per request into bench/load.json.
load: $(VENV)/.installed
	$(BIN)/python -m bench.load.run $(SHORT_FLAG)

# docs/capacity.md from capacity/assumptions.py: the real services run against an in-memory DynamoDB
# that charges units per partition key (hot keys at 10x the peak), the bill, growth with history.
capacity: $(VENV)/.installed
	$(BIN)/python -m capacity.report $(SHORT_FLAG)

# The deployable template and zip under build/$(STAGE)/: Chalice's functions and API merged with
# infra/ (tools/build/package_template.py says which files and why), the API split between its
# functions, then linted by cfn-lint and checkov (every finding left is skipped in the template
# with its reason). `make packages` builds both stages, as `make test` does.
CHECKOV := $(TOOLS)/bin/checkov --quiet --compact --skip-download --framework cloudformation --download-external-modules false
# The stage-independent templates, checked beside the stage(s).
CHECKOV_SHARED := --file infra/edge-waf.yaml --file infra/staff-pool.yaml
package: package-unlinted $(TOOLS)/.installed
	$(BIN)/cfn-lint build/$(STAGE)/sam.yaml
	$(CHECKOV) --file build/$(STAGE)/sam.yaml $(CHECKOV_SHARED)

# Both stages under `make --jobs` (make test's): checkov, the slowest lint (about 15 s a stage),
# checks dev while prod is packaged, then prod beside one cfn-lint of both; no lint reads what
# another writes.
packages: packages-cfn-lint packages-checkov-dev packages-checkov-prod
packages-cfn-lint: packages-unlinted
	$(BIN)/cfn-lint build/dev/sam.yaml build/prod/sam.yaml
packages-checkov-dev: packages-unlinted-dev $(TOOLS)/.installed
	$(CHECKOV) --file build/dev/sam.yaml $(CHECKOV_SHARED)
packages-checkov-prod: packages-unlinted $(TOOLS)/.installed
	$(CHECKOV) --file build/prod/sam.yaml
packages-unlinted: packages-unlinted-dev
	$(MAKE) --no-print-directory package-unlinted STAGE=prod
packages-unlinted-dev: $(VENV)/.installed
	$(MAKE) --no-print-directory package-unlinted STAGE=dev

# build/$(STAGE)/ before its lint (the stages one after the other: they share Chalice's cache of
# the dependencies' zip, .chalice/deployments/).
package-unlinted: $(VENV)/.installed
	rm -rf build/$(STAGE)
	$(BIN)/python -m tools.build.package_template merge --stage $(STAGE) build/$(STAGE)-merge-template.json
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-eu-central-1} $(BIN)/chalice package --stage $(STAGE) --template-format yaml \
		--merge-template build/$(STAGE)-merge-template.json build/$(STAGE)
	$(BIN)/python -m tools.build.byte_compile build/$(STAGE)
	$(BIN)/python -m tools.build.package_template finish build/$(STAGE)/sam.yaml

# The portal's pages into the deployed stack's bucket (`make package` and a deploy first):
# hashed assets cached a year, pages five minutes, then the pages invalidated at the edge.
publish: $(VENV)/.installed
	$(BIN)/python -m tools.build.publish_portal --stage $(STAGE)

# With `make run` up: about a thousand requests over the past months through the real services
# (tools/local/demo.py); a second run adds nothing.
demo: $(VENV)/.installed
	$(BIN)/python -m tools.local.demo $(SHORT_FLAG)

# One signed staff token for the local stage, and nothing else on stdout.
token:
	@$(MAKE) --no-print-directory -s $(VENV)/.installed >&2
	@$(BIN)/python -m tools.local.staff_token --role "$(ROLE)" --district "$(DISTRICT)"

# The current TOTP code of a local staff account (make run creates them), and nothing else on stdout.
totp:
	@$(MAKE) --no-print-directory -s $(VENV)/.installed >&2
	@$(BIN)/python -m tools.local.staff_pool totp "$(USER)"

clean:
	rm -rf build portal_site/build test-artifacts .pytest_cache .ruff_cache .hypothesis
