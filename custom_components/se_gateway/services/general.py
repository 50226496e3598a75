"""The manual's General requests: settings, versions, time, help and aliases."""

from __future__ import annotations

from importlib import metadata
from typing import Any, Final

from homeassistant.core import HomeAssistant, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.translation import async_get_translations
from homeassistant.loader import async_get_integration
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
import probatio

from ..const import DOMAIN
from ..errors import field_error, user_error
from ..gateway.aliases import Alias
from ..gateway.settings import CONF_PRICE_SOURCE, SETTINGS
from ..zha.aps_encryption import apply_setting
from .common import Gateway, ServiceData, ServiceSpec
from .fields import (
    ALIAS_NAME_FIELD,
    DEVICE_ADDRESS,
    ENDPOINT,
    ENDPOINT_ID,
    UINT32,
    address,
    alias_name,
)

# Seconds from 1970-01-01 to 2000-01-01, both UTC: the Zigbee epoch.
UTC_2000_OFFSET: Final = 946_684_800
PACKAGES: Final = {
    "homeassistant": "homeassistant",
    "zha": "zha",
    "zigpy": "zigpy",
    "zha_quirks": "zha-quirks",
}


async def registry_configuration(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Get or set one gateway setting."""
    name = data["name"]
    if (setting := SETTINGS.get(name)) is None:
        raise field_error(
            "unknown_setting", "name", name=name, settings=", ".join(SETTINGS)
        )
    if "value" not in data:
        return {"name": name, "value": gateway.setting(name)}
    try:
        value = setting.coerce(data["value"])
    except ValueError as err:
        raise field_error("invalid_field", "value", error=err) from None
    gateway.hass.config_entries.async_update_entry(
        gateway.entry, options={**gateway.entry.options, name: value}
    )
    # The other settings are read when used; this one lives on the clusters.
    apply_setting(gateway.entry.options)
    if name == CONF_PRICE_SOURCE:
        await gateway.smart_energy.async_set_price_source(str(value))
    return {"name": name, "value": value, "write_status": True}


def _package_versions(radio_package: str) -> dict[str, str]:
    """Return the installed versions of the Zigbee stack (reads package files)."""
    versions: dict[str, str] = {}
    for module, package in {**PACKAGES, radio_package: radio_package}.items():
        try:
            versions[module] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[module] = "unknown"
    return versions


async def get_version(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Return the integration's version and those of the Zigbee stack."""
    hass = gateway.hass
    app = gateway.app
    radio_package = type(app).__module__.split(".")[0]
    integration = await async_get_integration(hass, DOMAIN)
    versions: dict[str, Any] = {
        DOMAIN: str(integration.version),
        **await hass.async_add_executor_job(_package_versions, radio_package),
        "radio_firmware": str(app.state.node_info.version or "unknown"),
    }
    if (module := data.get("module")) is None:
        return {"version": versions[DOMAIN], "version_extended": versions}
    if module not in versions:
        raise field_error(
            "unknown_module", "module", module=module, modules=", ".join(versions)
        )
    return {"module": module, "version": versions[module]}


async def get_time(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Return the time the gateway keeps, in seconds since 1970 and since 2000."""
    utc_1970 = int(dt_util.utcnow().timestamp())
    return {"utc_1970": utc_1970, "utc_2000": utc_1970 - UTC_2000_OFFSET}


async def set_time(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Refuse: Home Assistant's clock is the host's system clock."""
    raise user_error("set_time_system_clock")


async def gateway_help(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """List the gateway settings and services."""
    response: dict[str, Any] = {}
    if data["registry"]:
        response["registry"] = [
            {
                "name": setting.name,
                "value": gateway.setting(setting.name),
                "description": setting.description,
            }
            for setting in SETTINGS.values()
        ]
    if data["methods"]:
        hass = gateway.hass
        fields = await _async_service_fields(hass)
        texts = await async_get_translations(
            hass, hass.config.language, "services", [DOMAIN]
        )
        response["methods"] = [
            {
                "name": name,
                "description": texts.get(
                    f"component.{DOMAIN}.services.{name}.description", ""
                ),
                "fields": sorted((fields.get(name) or {}).get("fields", {})),
            }
            for name in sorted(hass.services.async_services_for_domain(DOMAIN))
        ]
    return response


async def _async_service_fields(hass: HomeAssistant) -> dict[str, Any]:
    """Return our own services.yaml (not every integration's descriptions)."""
    integration = await async_get_integration(hass, DOMAIN)
    path = str(integration.file_path / "services.yaml")
    return await hass.async_add_executor_job(load_yaml_dict, path)


async def add_alias(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Name a device address and, optionally, one of its endpoints."""
    alias = Alias(data[ALIAS_NAME_FIELD], data[DEVICE_ADDRESS], data.get(ENDPOINT_ID))
    await gateway.store.async_set_alias(alias)
    return alias.as_dict()


async def remove_alias(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Remove an alias; ``removed`` says whether it existed."""
    removed = await gateway.store.async_remove_alias(data[ALIAS_NAME_FIELD])
    return {"alias_name": data[ALIAS_NAME_FIELD], "removed": removed}


async def list_aliases(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """List every alias."""
    return {
        "aliases": [
            alias.as_dict() for _, alias in sorted(gateway.store.aliases.items())
        ]
    }


SERVICES: Final = (
    ServiceSpec(
        name="registry_configuration",
        handler=registry_configuration,
        schema={
            probatio.Required("name"): cv.string,
            probatio.Optional("value"): probatio.Any(bool, int, float, str),
        },
    ),
    ServiceSpec(
        name="get_version",
        handler=get_version,
        schema={probatio.Optional("module"): cv.string},
    ),
    ServiceSpec(name="get_time", handler=get_time),
    ServiceSpec(
        name="set_time",
        handler=set_time,
        schema={
            probatio.Optional("utc_1970"): UINT32,
            probatio.Optional("utc_2000"): UINT32,
        },
        supports_response=SupportsResponse.NONE,
    ),
    ServiceSpec(
        name="help",
        handler=gateway_help,
        schema={
            probatio.Optional("registry", default=True): cv.boolean,
            probatio.Optional("methods", default=True): cv.boolean,
        },
    ),
    ServiceSpec(
        name="add_alias",
        handler=add_alias,
        schema={
            probatio.Required(ALIAS_NAME_FIELD): alias_name,
            probatio.Required(DEVICE_ADDRESS): address,
            probatio.Optional(ENDPOINT_ID): ENDPOINT,
        },
    ),
    ServiceSpec(
        name="remove_alias",
        handler=remove_alias,
        schema={probatio.Required(ALIAS_NAME_FIELD): cv.string},
    ),
    ServiceSpec(name="list_aliases", handler=list_aliases),
)
