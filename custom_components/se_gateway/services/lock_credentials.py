"""The Tuya lock credential actions: temporary passwords and enrolment.

Entity actions on the lock entity, as Z-Wave JS's ``set_lock_usercode`` and
Matter's lock user actions are. Changing credentials is for administrators;
reading the ids is not. Passwords go to the lock only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, SupportsResponse, callback
from homeassistant.helpers import config_validation as cv, service
import probatio

from ..const import DOMAIN
from ..datetimes import datetime_value
from ..tuya_lock.credentials import CREDENTIAL_TYPES
from .entity_schema import entity_action_schema

ATTR_PASSWORD: Final = "password"  # noqa: S105 (a field name)
ATTR_PASSWORD_ID: Final = "password_id"  # noqa: S105
ATTR_VALID_FROM: Final = "valid_from"
ATTR_VALID_TO: Final = "valid_to"
ATTR_ONE_TIME: Final = "one_time"
ATTR_CREDENTIAL_TYPE: Final = "credential_type"
ATTR_CREDENTIAL_ID: Final = "credential_id"
ATTR_MEMBER_ID: Final = "member_id"
ATTR_ADMINISTRATOR: Final = "administrator"

PASSWORD_ID: Final = probatio.All(
    probatio.Coerce(int), probatio.Range(min=1, max=0xFFFF)
)
MEMBER_ID: Final = probatio.All(probatio.Coerce(int), probatio.Range(min=0, max=0xFFFF))
PASSWORD_WINDOW: Final = {
    probatio.Required(ATTR_PASSWORD): cv.string,
    probatio.Required(ATTR_VALID_TO): datetime_value,
    probatio.Optional(ATTR_VALID_FROM): datetime_value,
    probatio.Optional(ATTR_ONE_TIME): cv.boolean,
}
CREDENTIAL_TYPE: Final = probatio.In(CREDENTIAL_TYPES)


@dataclass(frozen=True, slots=True)
class LockAction:
    """A credential action: its name, entity method, fields and rights."""

    name: str
    schema: Mapping[Any, Any] = field(default_factory=dict)
    admin_only: bool = True
    supports_response: SupportsResponse = SupportsResponse.NONE

    @property
    def method(self) -> str:
        """Return the lock entity's method that carries it out."""
        return f"async_{self.name}"


ACTIONS: Final = (
    LockAction(
        "create_temporary_password",
        PASSWORD_WINDOW,
        supports_response=SupportsResponse.OPTIONAL,
    ),
    LockAction(
        "modify_temporary_password",
        {probatio.Required(ATTR_PASSWORD_ID): PASSWORD_ID, **PASSWORD_WINDOW},
        supports_response=SupportsResponse.OPTIONAL,
    ),
    LockAction(
        "delete_temporary_password",
        {probatio.Required(ATTR_PASSWORD_ID): PASSWORD_ID},
    ),
    LockAction(
        "freeze_temporary_password",
        {probatio.Required(ATTR_PASSWORD_ID): PASSWORD_ID},
    ),
    LockAction(
        "unfreeze_temporary_password",
        {probatio.Required(ATTR_PASSWORD_ID): PASSWORD_ID},
    ),
    LockAction("clear_temporary_passwords"),
    LockAction(
        "enrol_credential",
        {
            probatio.Required(ATTR_CREDENTIAL_TYPE): CREDENTIAL_TYPE,
            probatio.Optional(ATTR_MEMBER_ID): MEMBER_ID,
            probatio.Optional(ATTR_ADMINISTRATOR): cv.boolean,
        },
        supports_response=SupportsResponse.OPTIONAL,
    ),
    LockAction("cancel_enrolment"),
    LockAction(
        "delete_credential",
        {
            probatio.Required(ATTR_CREDENTIAL_TYPE): CREDENTIAL_TYPE,
            probatio.Required(ATTR_CREDENTIAL_ID): probatio.All(
                probatio.Coerce(int), probatio.Range(min=0, max=0xFFFF)
            ),
            probatio.Optional(ATTR_MEMBER_ID): MEMBER_ID,
        },
    ),
    LockAction(
        "get_credentials",
        admin_only=False,
        supports_response=SupportsResponse.ONLY,
    ),
)


@callback
def async_setup_lock_credential_services(hass: HomeAssistant) -> None:
    """Register the lock's credential actions."""
    for action in ACTIONS:
        service.async_register_platform_entity_service(
            hass,
            DOMAIN,
            action.name,
            entity_domain=Platform.LOCK,
            schema=entity_action_schema(action.schema),
            func=action.method,
            admin_only=action.admin_only,
            supports_response=action.supports_response,
        )
