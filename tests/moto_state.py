"""moto's in-process state, saved once the stack is deployed and put back before each test.

Deploying infra/resources.yaml into moto's CloudFormation takes seconds; putting back what the
deploy left takes milliseconds. Every backend that held something once the stack was deployed
(CloudFormation, DynamoDB, S3, SNS, SQS, IAM, KMS) gets back a copy of exactly that state: its
tables without items or stream records, its bucket without objects or versions, its topics without
the SMS they recorded, its queues without messages, and so on for every attribute of the backend.
Every backend brought into use after the deploy (SSM parameters, CloudWatch, Pinpoint, another
region...) is reset, as a new `mock_aws()` would find it. A test thus starts from the state a
fresh deploy gives, without the deploy.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.base_backend import BackendDict
from moto.s3.models import s3_backends


def _new_condition(condition: threading.Condition, memo: dict[int, Any]) -> threading.Condition:
    # A condition keeps its lock's own methods (acquire, release), which deepcopy would share
    # with the original: a new condition, on a new lock of the same kind.
    return threading.Condition(copy.deepcopy(condition._lock, memo))  # type: ignore[attr-defined]


_NEW_COPIES: dict[type, Any] = {
    type(threading.Lock()): lambda lock, memo: threading.Lock(),
    type(threading.RLock()): lambda lock, memo: threading.RLock(),
    threading.Condition: _new_condition,
}


@contextmanager
def _locks_copied_as_new() -> Iterator[None]:
    """Lets deepcopy copy moto's locks (SQS queues and CloudFormation stacks hold some): a new,
    unheld lock of the same kind, as the objects had when the deploy made them."""
    dispatch: dict[type, Any] = copy._deepcopy_dispatch  # type: ignore[attr-defined]
    dispatch.update(_NEW_COPIES)
    try:
        yield
    finally:
        for kind in _NEW_COPIES:
            dispatch.pop(kind, None)


def _in_use() -> list[BackendDict[Any]]:
    return list(BackendDict._instances)  # type: ignore[misc]


class SavedState:
    """The attributes of every backend in use, copied (one copy, so objects shared between
    backends, like a stack's table and DynamoDB's, stay shared in every copy)."""

    def __init__(self) -> None:
        # (backend dict, account, region, backend): the backend's attributes, copied.
        self._backends: list[tuple[BackendDict[Any], str, str, Any]] = []
        for backend_dict in _in_use():
            for account, regions in dict.items(backend_dict):
                for region, backend in dict.items(regions):
                    self._backends.append((backend_dict, account, region, backend))
        with _locks_copied_as_new():
            self._attributes = copy.deepcopy([vars(backend) for *_, backend in self._backends])
        # S3's bucket names are global: moto keeps who owns each name beside the backends, and a
        # name left there by a test's bucket would make the next test's bucket "already exist".
        self._bucket_owners = dict(s3_backends.bucket_accounts)

    def is_current(self) -> bool:
        """False once another `mock_aws()` has reset moto (its backends are then new objects)."""
        in_use = _in_use()
        for backend_dict, account, region, backend in self._backends:
            regions = dict.get(backend_dict, account)
            if not any(backend_dict is used for used in in_use) or regions is None:
                return False
            if dict.get(regions, region) is not backend:
                return False
        return True

    def restore(self) -> None:
        """Every saved backend as it was saved; every other one reset and forgotten."""
        saved = {(id(backend_dict), account, region) for backend_dict, account, region, _ in self._backends}
        for backend_dict in _in_use():
            for account, regions in dict.items(backend_dict):
                for region in list(dict.keys(regions)):
                    if (id(backend_dict), account, region) not in saved:
                        dict.get(regions, region).reset()
                        dict.__delitem__(regions, region)
        saved_dicts = {id(backend_dict) for backend_dict, *_ in self._backends}
        for backend_dict in _in_use():
            if id(backend_dict) not in saved_dicts:
                dict.clear(backend_dict)
        BackendDict._instances[:] = [used for used in _in_use() if id(used) in saved_dicts]  # type: ignore[misc]
        with _locks_copied_as_new():
            attributes = copy.deepcopy(self._attributes)
        for (*_, backend), state in zip(self._backends, attributes, strict=True):
            backend.__dict__ = state
        s3_backends.bucket_accounts.clear()
        s3_backends.bucket_accounts.update(self._bucket_owners)
