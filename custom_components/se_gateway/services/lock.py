"""The Tuya lock services: remote unlock requests, firmware, credentials."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, SupportsResponse, callback
from homeassistant.helpers import config_validation as cv, service
import probatio

from ..const import DOMAIN
from ..core.tuya_lock.mcu_ota import CHECKSUM_MAX
from .entity_schema import entity_action_schema
from .lock_credentials import async_setup_lock_credential_services

SERVICE_ANSWER_REMOTE_UNLOCK = "answer_remote_unlock"
ATTR_APPROVE = "approve"
ATTR_CODE = "code"
SERVICE_UPDATE_LOCK_FIRMWARE = "update_lock_firmware"
ATTR_FILE = "file"
ATTR_VERSION = "version"
ATTR_CHECKSUM = "checksum"
ATTR_PRODUCT_ID = "product_id"
ATTR_TIMEOUT = "timeout"


@callback
def async_setup_lock_services(hass: HomeAssistant) -> None:
    """Register the lock entity services."""
    service.async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_ANSWER_REMOTE_UNLOCK,
        entity_domain=Platform.LOCK,
        schema=entity_action_schema(
            {
                probatio.Required(ATTR_APPROVE): cv.boolean,
                probatio.Optional(ATTR_CODE): cv.string,
            }
        ),
        func="async_answer_remote_unlock",
    )
    service.async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_UPDATE_LOCK_FIRMWARE,
        entity_domain=Platform.LOCK,
        schema=entity_action_schema(
            {
                probatio.Required(ATTR_FILE): cv.string,
                probatio.Required(ATTR_VERSION): cv.string,
                probatio.Required(ATTR_CHECKSUM): probatio.All(
                    probatio.Coerce(int), probatio.Range(min=0, max=CHECKSUM_MAX)
                ),
                probatio.Optional(ATTR_PRODUCT_ID): cv.string,
                probatio.Optional(ATTR_TIMEOUT): probatio.All(
                    probatio.Coerce(float), probatio.Range(min=1, max=3600)
                ),
            }
        ),
        func="async_update_lock_firmware",
        admin_only=True,
        supports_response=SupportsResponse.OPTIONAL,
    )
    async_setup_lock_credential_services(hass)
