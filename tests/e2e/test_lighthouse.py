"""Lighthouse (pinned, mobile profile, Debian's chromium) on the portal the local stack serves.

Accessibility, best practices and SEO are deterministic audits and must score 100. Performance is a
timing, so it is not asserted, nor audited, here: `make lighthouse` reports it. The audits share one
Lighthouse and one chromium (tools/testing/lighthouse.py).
"""

from __future__ import annotations

import pytest

from tests.e2e.stack import LocalStack
from tools.testing.lighthouse import CHECKS, PAGES, audit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_best_practices_and_seo_score_100(local_stack: LocalStack, page: str) -> None:
    scores = audit(local_stack.portal_url + PAGES[page], CHECKS)

    assert scores == {
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
