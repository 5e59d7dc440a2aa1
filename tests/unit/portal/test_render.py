"""The citizen portal's pages as chalicelib/portal/render.py writes them: plain Python, no AWS. The
pages served through a route (the application's steps, the track form) are tested in
tests/integration/api/routes/test_portal_pages.py."""

from __future__ import annotations

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.portal import render
from tests.factories import CATALOGUE_DAY


def test_the_form_carries_the_servers_words_for_each_empty_answer() -> None:
    catalogue = load_catalogue(1)
    service, district = catalogue.service("shop_licence", on=CATALOGUE_DAY), catalogue.district("dokki")
    assert service is not None
    assert district is not None

    page = render.application_page(render.Site(portal="", api=""), district, service)

    assert 'data-required="أدخل الاسم الكامل"' in page
    assert 'data-required="اختر صفة الحيازة"' in page
    assert 'data-label="مساحة المحل (م²)"' in page


def test_the_payment_page_sends_the_citizen_to_the_track_page_not_to_a_message() -> None:
    page = render.payment_page(render.Site(portal="", api=""))

    assert "الرابط الذي يصلك في رسالة نصية" not in page
    assert 'href="/track.html">صفحة متابعة الطلب</a>' in page
