"""Where each page of the portal lives (chalicelib/portal/urls.py)."""

from __future__ import annotations

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.portal import urls
from tests.factories import CATALOGUE_DAY


def test_a_districts_service_pages_are_plain_html_files_under_the_district() -> None:
    catalogue = load_catalogue(rollout_phase=1)
    district = catalogue.district("dokki")
    assert district is not None
    service = catalogue.services(on=CATALOGUE_DAY, district_code="dokki")[0]

    assert urls.district_url(district) == "/districts/dokki.html"
    assert urls.service_url(district, service) == f"/districts/dokki/{service.code}.html"
    assert urls.apply_url(district, service) == f"/districts/dokki/{service.code}/apply.html"


def test_every_page_is_a_rooted_html_file_and_every_form_posts_to_a_v1_route() -> None:
    pages = [urls.TRACK, urls.PAYMENT, urls.PERFORMANCE, urls.PRIVACY, urls.ACCESSIBILITY, urls.NOT_FOUND]

    assert all(page.startswith("/") and page.endswith(".html") for page in pages)
    assert all(route.startswith("/v1/") for route in (urls.APPLICATION_STEP, urls.SUBMISSION, urls.INQUIRY))
