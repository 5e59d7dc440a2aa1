"""Each e2e module's own local stack (tests/e2e/stack.py), and the fixtures the modules share: the
browser (tests/e2e/browser.py) and the office console's (tests/e2e/console_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import browser  # noqa: F401 - a fixture: pytest finds it in this namespace
from tests.e2e.console_browser import pages, signed_in, sizes  # noqa: F401 - fixtures, as above
from tests.e2e.stack import LocalStack, running_stack


@pytest.fixture(scope="module")
def local_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A stack of the module's own. A module may set LOCAL_STACK_ENVIRONMENT, variables for its stack."""
    variables = {
        **getattr(request.module, "LOCAL_STACK_ENVIRONMENT", {}),
        # The journeys file more requests (and so messages) for one phone than the daily limits allow.
        "ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY": "1000",
        "MESSAGES_PER_PHONE_PER_DAY": "1000",
    }
    with running_stack(tmp_path_factory.mktemp("stack"), variables) as stack:
        yield stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is `e2e`: `make test` runs them in a pass of their own, a pytest worker per
    core, each module on its own stack (its own ports, portal build and staff secrets) and browser."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
