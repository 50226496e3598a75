"""The Tuya lock service: answer a lock's remote unlock request."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, service
import probatio

from ..const import DOMAIN

SERVICE_ANSWER_REMOTE_UNLOCK = "answer_remote_unlock"
ATTR_APPROVE = "approve"
ATTR_CODE = "code"


@callback
def async_setup_lock_services(hass: HomeAssistant) -> None:
    """Register the lock entity service."""
    service.async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_ANSWER_REMOTE_UNLOCK,
        entity_domain=Platform.LOCK,
        schema={
            probatio.Required(ATTR_APPROVE): cv.boolean,
            probatio.Optional(ATTR_CODE): cv.string,
        },
        func="async_answer_remote_unlock",
    )
