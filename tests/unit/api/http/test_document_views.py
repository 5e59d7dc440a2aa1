"""An upload slot as the API shapes it: plain Python, no AWS."""

from __future__ import annotations

from chalicelib.api.http.document_views import upload_offer_answer
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.services.document_uploads import UploadOffer
from tests.factories import CATALOGUE_DAY


def test_an_offer_answers_the_slot_s_id_and_the_presigned_post_alone() -> None:
    service = load_catalogue(1).service("shop_licence", on=CATALOGUE_DAY)
    assert service is not None
    form = {"url": "https://documents.example/", "fields": {"key": "uploads/doc-1", "policy": "p"}, "extra": "x"}

    answer = upload_offer_answer(UploadOffer("4829107356122", service.documents[0], "doc-1", form))

    assert answer == {
        "document_id": "doc-1",
        "upload": {"url": "https://documents.example/", "fields": {"key": "uploads/doc-1", "policy": "p"}},
    }
