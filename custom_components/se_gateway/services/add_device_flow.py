"""The options flow's "Add a Smart Energy device": the ``add_device`` action, typed in.

Installation codes and link keys given to an action are part of its
``call_service`` event, which Home Assistant's recorder stores. A flow is not
an event, so a key typed into this form stays out of the database. The form's
input goes through the action's own schema and handler (``zigbee.add_device``),
so both check and do exactly the same; only the errors come back as form
errors (keys under ``options.error`` in ``translations/en.json``).
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from ..errors import translated_errors
from ..gateway.aliases import parse_ieee
from .common import ServiceSchema, ServiceSpec, loaded_gateway
from .fields import DEVICE_ADDRESS, INSTALLATION_CODE, JOIN_TIME, LINK_KEY
from .zigbee import MAX_JOIN_TIME_S, SERVICES as ZIGBEE_SERVICES

__all__ = [
    "ADD_DEVICE_SCHEMA",
    "INSTALLATION_CODE",
    "LINK_KEY",
    "FlowFailure",
    "add_device_from_flow",
]

BASE: Final = "base"
FORM_FIELDS: Final = (DEVICE_ADDRESS, INSTALLATION_CODE, LINK_KEY, JOIN_TIME)
# The errors the form can show; every one is under options.error.
FLOW_ERROR_KEYS: Final = frozenset(
    {
        "key_required",
        "invalid_ieee",
        "invalid_install_code",
        "invalid_link_key",
        "link_key_and_installation_code",
        "missing_field",
        "value_out_of_range",
        "invalid_field",
        "device_not_reachable",
        "device_no_answer",
        "not_loaded",
        "zha_not_loaded",
    }
)
UNKNOWN_ERROR: Final = "add_device_failed"

_SECRET: Final = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
ADD_DEVICE_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(DEVICE_ADDRESS): TextSelector(),
        probatio.Optional(INSTALLATION_CODE): _SECRET,
        probatio.Optional(LINK_KEY): _SECRET,
        probatio.Optional(JOIN_TIME): NumberSelector(
            NumberSelectorConfig(
                min=1, max=MAX_JOIN_TIME_S, step=1, mode=NumberSelectorMode.BOX
            )
        ),
    }
)
ADD_DEVICE: Final[ServiceSpec] = next(
    spec for spec in ZIGBEE_SERVICES if spec.name == "add_device"
)


@dataclasses.dataclass(frozen=True)
class FlowFailure:
    """Why the form is shown again: the field at fault (or base) and the error."""

    form_field: str
    key: str
    placeholders: dict[str, str] = dataclasses.field(default_factory=dict)


def _failure(err: HomeAssistantError) -> FlowFailure:
    """Return the form error of a translated action error."""
    placeholders = dict(err.translation_placeholders or {})
    key = err.translation_key if err.translation_key in FLOW_ERROR_KEYS else None
    at = placeholders.get("field", BASE)
    return FlowFailure(
        at if at in FORM_FIELDS else BASE, key or UNKNOWN_ERROR, placeholders
    )


def _action_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the action's data: empty fields left out, the join time whole."""
    data = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in user_input.items()
        if name in FORM_FIELDS and value not in (None, "")
    }
    if isinstance(join_time := data.get(JOIN_TIME), float) and join_time.is_integer():
        data[JOIN_TIME] = int(join_time)
    return data


async def add_device_from_flow(
    hass: HomeAssistant, user_input: Mapping[str, Any]
) -> FlowFailure | None:
    """Do what the ``add_device`` action does; return None, or why it failed.

    The form asks for a key: a device without one is added with the action.
    Aliases are not taken here, only an IEEE address.
    """
    data = _action_data(user_input)
    address = data.get(DEVICE_ADDRESS)
    if not isinstance(address, str) or parse_ieee(address) is None:
        return FlowFailure(DEVICE_ADDRESS, "invalid_ieee", {"field": DEVICE_ADDRESS})
    if INSTALLATION_CODE not in data and LINK_KEY not in data:
        return FlowFailure(BASE, "key_required")
    try:
        with translated_errors():
            validated = ServiceSchema(dict(ADD_DEVICE.schema))(data)
            await ADD_DEVICE.handler(loaded_gateway(hass), validated)
    except HomeAssistantError as err:
        return _failure(err)
    return None
