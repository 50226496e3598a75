"""The gateway settings (the manual's registry), kept in the entry's options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.core import valid_entity_id

from ..const import CONF_RELOAD_ZHA_FOR_QUIRKS, DEFAULT_RELOAD_ZHA_FOR_QUIRKS

CONF_INACTIVITY_FAILED_TRANSMISSIONS: Final = "inactivity_failed_transmissions"
CONF_EXPLICIT_DEVICE_ADD: Final = "explicit_device_add"
CONF_APS_ENCRYPTION_SE: Final = "aps_encryption_se"
CONF_PRICE_SOURCE: Final = "price_source"

TRUE_WORDS = frozenset({"true", "on", "yes", "1"})
FALSE_WORDS = frozenset({"false", "off", "no", "0"})

type SettingValue = bool | int | str


@dataclass(frozen=True)
class Setting:
    """One gateway setting: its type, default, allowed range and meaning."""

    name: str
    default: SettingValue
    description: str
    minimum: int | None = None
    maximum: int | None = None

    def coerce(self, value: Any) -> SettingValue:
        """Return ``value`` as this setting's type; raise ValueError if it is not."""
        if isinstance(self.default, bool):
            return _boolean(value)
        if isinstance(self.default, str):
            return _sensor(value)
        number = _integer(value)
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            raise ValueError(f"must be from {self.minimum} to {self.maximum}")
        return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("must be true or false")


def _sensor(value: Any) -> str:
    """Return a sensor's entity id, or "" (none)."""
    text = "" if value is None else str(value).strip().lower()
    if text and not (text.startswith("sensor.") and valid_entity_id(text)):
        raise ValueError("must be a sensor's entity id, such as sensor.price")
    return text


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip(), 0)
    except ValueError:
        raise ValueError("must be a whole number") from None


SETTINGS: Final[Mapping[str, Setting]] = {
    setting.name: setting
    for setting in (
        Setting(
            CONF_RELOAD_ZHA_FOR_QUIRKS,
            DEFAULT_RELOAD_ZHA_FOR_QUIRKS,
            "Reload ZHA once per start when devices need the gateway's quirks.",
        ),
        Setting(
            CONF_INACTIVITY_FAILED_TRANSMISSIONS,
            3,
            "A device counts as inactive after this many transmissions to it "
            "failed in a row, and gets no events until it is heard from.",
            minimum=1,
            maximum=255,
        ),
        Setting(
            CONF_EXPLICIT_DEVICE_ADD,
            False,
            "Only devices added with add_device may join; others are removed.",
        ),
        Setting(
            CONF_APS_ENCRYPTION_SE,
            False,
            "Send requests to Smart Energy clusters with APS encryption.",
        ),
        Setting(
            CONF_PRICE_SOURCE,
            "",
            "The sensor whose price (per energy unit) the in-home displays "
            "show; empty: none.",
        ),
    )
}


def setting_value(options: Mapping[str, Any], name: str) -> SettingValue:
    """Return a setting's value from the entry options, or its default."""
    setting = SETTINGS[name]
    return setting.coerce(options.get(name, setting.default))
