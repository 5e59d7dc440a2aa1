"""The domain's errors travel like any exception: through `with` blocks of context managers too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chalicelib.domain.errors import Busy, Conflict, FieldProblem, InvalidInput, NotFound, TooManyRequests, Unavailable


@contextmanager
def around() -> Iterator[None]:
    yield  # a generator-based context manager (tracing segments, patches): Python sets the
    # traceback of what leaves its block, which a frozen dataclass refused (a 500 instead of a 409)


@pytest.mark.parametrize(
    "error_type", [Busy, Conflict, FieldProblem, InvalidInput, NotFound, TooManyRequests, Unavailable]
)
def test_each_error_leaves_a_context_manager_as_itself(error_type: type[Exception]) -> None:
    error = error_type.__new__(error_type)
    with pytest.raises(error_type) as raised, around():
        raise error
    assert raised.value is error
