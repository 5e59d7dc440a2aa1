"""Where each page of the portal lives, "/"-based, for links and for the files the generator writes.

Plain ".html" files: any static host (S3 behind CloudFront, `python -m http.server`) serves them
without a rewrite rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the API's cold start reads these paths without loading the catalogue's code
    from chalicelib.domain.catalogue import District, Service

HOME = "/"
TRACK = "/track.html"
PAYMENT = "/payment.html"
PERFORMANCE = "/performance.html"
OPEN_DATA_JSON = "/open-data/performance.json"
OPEN_DATA_CSV = "/open-data/performance.csv"
PRIVACY = "/privacy.html"
ACCESSIBILITY = "/accessibility.html"
NOT_FOUND = "/404.html"

# The API's routes the portal's forms post to.
APPLICATION_STEP = "/v1/portal/applications"
SUBMISSION = "/v1/requests"
INQUIRY = "/v1/inquiries"


def district_url(district: District) -> str:
    return f"/districts/{district.code}.html"


def service_url(district: District, service: Service) -> str:
    return f"/districts/{district.code}/{service.code}.html"


def apply_url(district: District, service: Service) -> str:
    return f"/districts/{district.code}/{service.code}/apply.html"
