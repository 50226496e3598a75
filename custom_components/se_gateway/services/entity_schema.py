"""Schemas of the lock's entity actions whose errors are translated.

Home Assistant validates an entity action's data before the action runs and
lets the schema's ``probatio.Invalid`` escape untranslated. Wrapped in a
``ServiceSchema``, the entity action's schema raises the same translated
``ServiceValidationError``, naming the field, as the gateway's actions do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers import config_validation as cv

from .common import ServiceSchema


def entity_action_schema(fields: Mapping[Any, Any]) -> ServiceSchema:
    """Return the entity action schema of ``fields``, with translated errors."""
    return ServiceSchema(cv.make_entity_service_schema(dict(fields)))
