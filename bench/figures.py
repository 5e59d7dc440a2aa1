"""`make bench`: DynamoDB calls of the office's district figures page, GET /v1/office/performance
(reported as dynamodb_calls.performance_page, the key docs/interfaces.md#benchmark-results names).

Kept apart from the rest of the bench, which calls it with one line (bench/latency.py): a district
manager's page of the district's figures, through the handler, counted call by call. The contract allows one read
per district answered, and never a scan.
"""

from __future__ import annotations

from typing import Any


def performance_page_calls(client: Any, district_code: str = "dokki") -> int:
    """DynamoDB calls of one GET /v1/office/performance by the district's manager."""
    from chalicelib.domain.staff import Role
    from tools.local.staff_token import local_signing_key, mint_token
    from tools.testing.aws_calls import counted_aws_calls

    token = mint_token(local_signing_key(), Role.MANAGER, district_code)
    with counted_aws_calls() as calls:
        response = client.http.get("/v1/office/performance", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.body
    assert calls["dynamodb:Scan"] == 0, calls
    return sum(count for name, count in calls.items() if name.startswith("dynamodb:"))
