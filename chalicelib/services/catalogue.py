"""The catalogue as configured for this stage: which units are switched on, which services run."""

from __future__ import annotations

from chalicelib.config import settings
from chalicelib.domain.catalogue import Catalogue, load_catalogue


def current_catalogue() -> Catalogue:
    return load_catalogue(rollout_phase=settings().rollout_phase)
