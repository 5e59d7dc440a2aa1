"""The e2e tests' local stacks (tests/e2e/stack.py) and the fixtures the modules share: the browser
(tests/e2e/browser.py) and the office console's (tests/e2e/console_browser.py).

A pytest process (each xdist worker of `make test`'s parallel pass) starts one stack, shared by its
modules: starting one costs seconds of both cores. A module whose tests could not hold beside
another's data or settings has its own instead: it says why in OWN_LOCAL_STACK, or sets its stack's
variables in LOCAL_STACK_ENVIRONMENT. A module on the shared stack finds there the requests,
messages and staff sign-ins of the modules before it, so each of its assertions is about its own
(its tracking numbers, its phones, its accounts), never about everything in a table or the inbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import browser, worker_chromium  # noqa: F401 - fixtures: pytest finds them in this namespace
from tests.e2e.console_browser import pages, signed_in, sizes  # noqa: F401 - fixtures, as above
from tests.e2e.stack import LocalStack, running_stack

# How long a browser assertion waits for the page to come right: Playwright's 5 s default was too
# short for a submission on a stack shared by two workers, two chromiums and Lighthouse on two cores
# (a CI run saw the review page still up after 5 s). A passing assertion waits no longer for it.
expect.set_options(timeout=20_000)

# The journeys file more requests (and so messages) for one phone than the daily limits allow.
JOURNEY_LIMITS = {"ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY": "1000", "MESSAGES_PER_PHONE_PER_DAY": "1000"}


@pytest.fixture(scope="session")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The process's one stack, started when a module first asks for it, for the modules that share."""
    with running_stack(tmp_path_factory.mktemp("shared-stack"), JOURNEY_LIMITS) as stack:
        yield stack


@pytest.fixture(scope="module")
def local_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The shared stack, or one of the module's own if it sets OWN_LOCAL_STACK (why) or
    LOCAL_STACK_ENVIRONMENT (variables for its stack)."""
    variables = getattr(request.module, "LOCAL_STACK_ENVIRONMENT", None)
    if variables is None and getattr(request.module, "OWN_LOCAL_STACK", None) is None:
        shared: LocalStack = request.getfixturevalue("shared_stack")
        shared.assert_running()  # one that died in an earlier module says so here, not as refused connections
        yield shared
        return
    with running_stack(tmp_path_factory.mktemp("stack"), {**(variables or {}), **JOURNEY_LIMITS}) as stack:
        yield stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is `e2e`: `make test` runs them in its parallel pass, a pytest worker per core,
    each worker with its one shared stack and chromium (and a stack of their own for the few
    modules that need one)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
