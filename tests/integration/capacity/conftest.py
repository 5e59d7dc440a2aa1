"""One recording of the real services' footprints, shared by the capacity tests that read it."""

from __future__ import annotations

import pytest

from capacity.footprints import Recording, record_footprints


@pytest.fixture(scope="session")
def recording() -> Recording:
    # One unit keeps the test fast; `make capacity` records all twenty.
    return record_footprints(["dokki"])
