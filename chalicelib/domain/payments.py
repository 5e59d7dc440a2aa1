"""Invoices: how a request's fee is referred to at the payment gateways."""

from __future__ import annotations

INVOICE_SEQUENCE_DIGITS = 2


def first_invoice_reference(tracking_number: str) -> str:
    """The merchant reference of a request's first invoice.

    The tracking number followed by an invoice sequence, so that a gateway's callback leads
    straight to its request by key, and a re-issued invoice (after expiry) gets a new one.
    """
    return f"{tracking_number}{1:0{INVOICE_SEQUENCE_DIGITS}d}"
