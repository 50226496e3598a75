"""What every service shares: the loaded gateway, registration and addresses.

Every service is a ``ServiceSpec``, registered by ``async_register_services``.
A call

- is validated with a ``ServiceSchema``, whose errors are translated
  ``ServiceValidationError``s naming the field;
- finds the loaded gateway entry (``loaded_gateway``); its runtime data holds
  the store of aliases and added devices;
- has the aliases in its address fields resolved (``resolve_addresses``);
- has the errors of devices, records and the engine translated
  (``errors.translate_errors``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, cast

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
import probatio
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.endpoint
import zigpy.types as t

from ..const import DOMAIN
from ..data import SEGatewayConfigEntry
from ..errors import field_error, translate_errors, user_error
from ..gateway.aliases import Alias, AliasName
from ..gateway.registry import GatewayStore
from ..gateway.settings import CONF_APS_ENCRYPTION_SE, SettingValue, setting_value
from ..gateway.zcl import SERVER, ZclTarget
from ..smart_energy.runtime import SmartEnergyRuntime
from .fields import (
    ADDRESS_FIELDS,
    CLUSTER_ID,
    DESTINATION_ADDRESS,
    DESTINATION_ENDPOINT_ID,
    MANUFACTURER_CODE,
    SERVER_OR_CLIENT,
    SOURCE_ENDPOINT_ID,
)
from .se_responses import async_present

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


@dataclass(frozen=True, kw_only=True)
class ServiceSpec:
    """A gateway service: its name, handler, fields and whether it answers."""

    name: str
    handler: Handler
    schema: Mapping[Any, Any] = field(default_factory=dict)
    supports_response: SupportsResponse = SupportsResponse.ONLY


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
    for name_field, endpoint_field in ADDRESS_FIELDS.items():
        name = resolved.get(name_field)
        if not isinstance(name, AliasName):
            continue
        if (alias := aliases.get(name)) is None:
            raise field_error("unknown_alias", name_field, alias=name)
        resolved[name_field] = alias.device_address
        if alias.endpoint_id is not None:
            resolved.setdefault(endpoint_field, alias.endpoint_id)
    return resolved


@dataclass(frozen=True)
class Gateway:
    """The loaded gateway a service call works with."""

    hass: HomeAssistant
    entry: SEGatewayConfigEntry

    @property
    def store(self) -> GatewayStore:
        """Return the aliases and added devices."""
        return self.entry.runtime_data.gateway_store

    @property
    def smart_energy(self) -> SmartEnergyRuntime:
        """Return the Smart Energy runtime (its engine and what it shows)."""
        return self.entry.runtime_data.smart_energy

    @property
    def zha(self) -> Any:
        """Return ZHA's gateway."""
        try:
            return get_zha_gateway(self.hass)
        except ValueError:
            raise user_error("zha_not_loaded") from None

    @property
    def app(self) -> ControllerApplication:
        """Return zigpy's application controller."""
        return cast(ControllerApplication, self.zha.application_controller)

    def setting(self, name: str) -> SettingValue:
        """Return the value of a gateway setting."""
        return setting_value(self.entry.options, name)

    def device(self, ieee: t.EUI64, address_field: str) -> zigpy.device.Device:
        """Return a device on the network; ``address_field`` named its address."""
        app = self.app
        device = app.devices.get(ieee)
        if (
            not isinstance(device, zigpy.device.Device)
            or ieee == app.state.node_info.ieee
        ):
            raise field_error("unknown_device", address_field, address=ieee)
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


def loaded_gateway(hass: HomeAssistant) -> Gateway:
    """Return the loaded gateway (there is one entry); refuse when none is."""
    entries: list[SEGatewayConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    if not entries:
        raise user_error("not_loaded")
    return Gateway(hass, entries[0])


@callback
def async_register_services(
    hass: HomeAssistant, services: Iterable[ServiceSpec]
) -> None:
    """Register gateway services."""
    for spec in services:
        hass.services.async_register(
            DOMAIN,
            spec.name,
            _service_call(hass, spec.handler),
            schema=ServiceSchema(dict(spec.schema)),
            supports_response=spec.supports_response,
        )


def _service_call(
    hass: HomeAssistant, handler: Handler
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Return the function Home Assistant calls for a service."""

    @translate_errors
    async def async_call(call: ServiceCall) -> ServiceResponse:
        gateway = loaded_gateway(hass)
        response = await handler(
            gateway, resolve_addresses(call.data, gateway.store.aliases)
        )
        if response is None or not call.return_response:
            return response
        return cast(ServiceResponse, await async_present(hass, response))

    return async_call
