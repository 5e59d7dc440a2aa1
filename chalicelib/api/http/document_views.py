"""How an upload slot is shown over the API (docs/interfaces.md#documents)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only
    from chalicelib.services.document_uploads import UploadOffer


def upload_offer_answer(offer: UploadOffer) -> dict[str, Any]:
    """The slot's id and the presigned POST that fills it."""
    return {"document_id": offer.document_id, "upload": {"url": offer.upload["url"], "fields": offer.upload["fields"]}}
