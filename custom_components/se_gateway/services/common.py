"""What every service shares: registration, the gateway, addresses and errors.

Every service is registered through ``async_register``, which

- validates the call with a ``ServiceSchema``, whose errors are translated
  ``ServiceValidationError``s naming the field;
- finds the loaded gateway entry and its store (loaded once per entry load);
- resolves aliases in every address field (``resolve_addresses``);
- turns device failures into translated ``HomeAssistantError``s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
import contextlib
from dataclasses import dataclass
from typing import Any, Final, cast

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util.hass_dict import HassKey
import probatio
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.types as t

from ..aliases import Alias, AliasName
from ..const import DOMAIN
from ..settings import CONF_APS_ENCRYPTION_SE, SettingValue, setting_value
from ..store import GatewayStore
from ..zcl_ops import SERVER, ZclTarget
from ..zigbee_errors import (
    DeliveryFailedError,
    NoResponseError,
    RecordFieldError,
)
from .fields import (
    ADDRESS_FIELDS,
    CLUSTER_ID,
    DESTINATION_ADDRESS,
    DESTINATION_ENDPOINT_ID,
    MANUFACTURER_CODE,
    SERVER_OR_CLIENT,
    SOURCE_ENDPOINT_ID,
)

GATEWAY_STORE: HassKey[GatewayStore] = HassKey(f"{DOMAIN}_gateway_store")
GATEWAY_STORE_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_gateway_store_lock")

# probatio error codes and the translation keys of their messages.
SCHEMA_ERROR_KEYS: Final = {
    "required": "missing_field",
    "range": "value_out_of_range",
    "invalid_ieee": "invalid_ieee",
    "invalid_alias_name": "invalid_alias_name",
    "invalid_link_key": "invalid_link_key",
    "invalid_install_code": "invalid_install_code",
}
SE_CLUSTERS: Final = range(0x0700, 0x0800)

type ServiceData = Mapping[str, Any]
type Handler = Callable[[Gateway, ServiceData], Awaitable[ServiceResponse]]


def field_error(key: str, field: str, **placeholders: Any) -> ServiceValidationError:
    """Return a translated user error about ``field``."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "field": field,
            **{name: str(value) for name, value in placeholders.items()},
        },
    )


def field_path(path: list[Any]) -> str:
    """Return a field's path as text: ``record_list[0].attribute_id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def schema_error(error: probatio.Invalid) -> ServiceValidationError:
    """Return the translated user error for a schema error."""
    key = SCHEMA_ERROR_KEYS.get(error.code or "", "invalid_field")
    return field_error(key, field_path(error.path), error=error.error_message)


class ServiceSchema(probatio.Schema):
    """A service schema whose errors are translated and name the field."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Validate the call's data."""
        try:
            return super().__call__(*args, **kwargs)
        except probatio.MultipleInvalid as err:
            raise schema_error(err.errors[0]) from None


def resolve_addresses(
    data: ServiceData, aliases: Mapping[str, Alias]
) -> dict[str, Any]:
    """Replace alias names in address fields by the aliases' addresses.

    An alias with an endpoint also fills in the matching endpoint field when
    the call leaves it out.
    """
    resolved = dict(data)
    for field, endpoint_field in ADDRESS_FIELDS.items():
        name = resolved.get(field)
        if not isinstance(name, AliasName):
            continue
        if (alias := aliases.get(name)) is None:
            raise field_error("unknown_alias", field, alias=name)
        resolved[field] = alias.device_address
        if alias.endpoint_id is not None:
            resolved.setdefault(endpoint_field, alias.endpoint_id)
    return resolved


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn device and record errors into translated Home Assistant errors."""
    try:
        yield
    except DeliveryFailedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="device_not_reachable",
            translation_placeholders={"address": str(err.ieee)},
        ) from err
    except NoResponseError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="device_no_answer",
            translation_placeholders={"address": str(err.ieee)},
        ) from err
    except RecordFieldError as err:
        raise field_error(err.problem, err.field, error=err.detail) from None


@dataclass
class Gateway:
    """The loaded gateway a service call works with."""

    hass: HomeAssistant
    entry: ConfigEntry
    store: GatewayStore

    @property
    def zha(self) -> Any:
        """Return ZHA's gateway."""
        try:
            return get_zha_gateway(self.hass)
        except ValueError:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="zha_not_loaded"
            ) from None

    @property
    def app(self) -> ControllerApplication:
        """Return zigpy's application controller."""
        return cast(ControllerApplication, self.zha.application_controller)

    def setting(self, name: str) -> SettingValue:
        """Return the value of a gateway setting."""
        return setting_value(self.entry.options, name)

    def device(self, ieee: t.EUI64, field: str) -> zigpy.device.Device:
        """Return a device on the network; ``field`` named its address."""
        app = self.app
        device = app.devices.get(ieee)
        if (
            not isinstance(device, zigpy.device.Device)
            or ieee == app.state.node_info.ieee
        ):
            raise field_error("unknown_device", field, address=ieee)
        return device

    def endpoint(
        self, device: zigpy.device.Device, endpoint_id: int
    ) -> zigpy.endpoint.Endpoint:
        """Return an application endpoint of ``device`` (not ZDO's endpoint 0)."""
        endpoint = device.endpoints.get(endpoint_id)
        if not isinstance(endpoint, zigpy.endpoint.Endpoint) or endpoint_id == 0:
            raise field_error(
                "unknown_endpoint",
                DESTINATION_ENDPOINT_ID,
                address=device.ieee,
                endpoint=endpoint_id,
            )
        return endpoint

    def zcl_target(
        self, data: ServiceData, *, cluster_id: int | None = None
    ) -> ZclTarget:
        """Return the cluster a ZCL service call addresses, checked to exist."""
        device = self.device(data[DESTINATION_ADDRESS], DESTINATION_ADDRESS)
        if (endpoint_id := data.get(DESTINATION_ENDPOINT_ID)) is None:
            raise field_error("missing_field", DESTINATION_ENDPOINT_ID, error="")
        endpoint = self.endpoint(device, endpoint_id)
        if cluster_id is None:
            cluster_id = int(data[CLUSTER_ID])
        server = data.get(SERVER_OR_CLIENT, SERVER) == SERVER
        clusters = endpoint.in_clusters if server else endpoint.out_clusters
        if (cluster := clusters.get(cluster_id)) is None:
            raise unknown_cluster(device, endpoint_id, cluster_id)
        source_endpoint_id = data.get(SOURCE_ENDPOINT_ID) or self.app.get_endpoint_id(
            cluster_id, is_server_cluster=not server
        )
        aps_encryption = data.get(
            "enable_aps_encryption",
            bool(self.setting(CONF_APS_ENCRYPTION_SE)) and cluster_id in SE_CLUSTERS,
        )
        return ZclTarget(
            device,
            cluster,
            source_endpoint_id,
            data.get(MANUFACTURER_CODE),
            aps_encryption,
        )


def unknown_cluster(
    device: zigpy.device.Device, endpoint_id: int, cluster_id: int
) -> ServiceValidationError:
    """Return the error of a cluster the device's endpoint does not have."""
    return field_error(
        "unknown_cluster",
        CLUSTER_ID,
        address=device.ieee,
        endpoint=endpoint_id,
        cluster=f"0x{cluster_id:04X}",
    )


async def async_get_gateway(hass: HomeAssistant) -> Gateway:
    """Return the loaded gateway, loading its store on first use."""
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    entry = entries[0]
    async with hass.data.setdefault(GATEWAY_STORE_LOCK, asyncio.Lock()):
        if (store := hass.data.get(GATEWAY_STORE)) is None:
            store = GatewayStore(hass)
            await store.async_load()
            hass.data[GATEWAY_STORE] = store

            @callback
            def forget_store() -> None:
                """Read the store again on the next load, as after a restart."""
                hass.data.pop(GATEWAY_STORE, None)

            entry.async_on_unload(forget_store)
    return Gateway(hass, entry, store)


def async_register(
    hass: HomeAssistant,
    name: str,
    handler: Handler,
    schema: dict[Any, Any],
    supports_response: SupportsResponse = SupportsResponse.ONLY,
) -> None:
    """Register a gateway service."""

    async def async_call(call: ServiceCall) -> ServiceResponse:
        gateway = await async_get_gateway(hass)
        data = resolve_addresses(call.data, gateway.store.aliases)
        with translated_errors():
            return await handler(gateway, data)

    hass.services.async_register(
        DOMAIN,
        name,
        async_call,
        schema=ServiceSchema(schema),
        supports_response=supports_response,
    )
