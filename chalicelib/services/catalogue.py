"""The catalogue as configured for this stage: which units are switched on, which services run."""

from __future__ import annotations

from datetime import datetime

from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import Catalogue, Service, load_catalogue


def current_catalogue() -> Catalogue:
    return load_catalogue(rollout_phase=settings().rollout_phase)


def service_in_force(service_code: str, filed_at: datetime) -> Service | None:
    """The service as the catalogue had it in force on the day a request was filed, in Cairo:
    the version whose price the submission charged (services/submission.py dates it so), and
    the one every later reading of the request must judge it by. None: no such service."""
    return current_catalogue().service(service_code, on=cairo_today(filed_at))
