"""Field names and validators shared by the services.

Validators raise ``probatio.Invalid``; a ``code`` on the error picks the
translated message (see ``common.schema_error``). Numbers may be given as
integers or as strings such as ``"0x0702"``, as in the manual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import probatio
import zigpy.types as t

from ..gateway.aliases import ALIAS_NAME, AliasName, parse_address, parse_ieee
from ..gateway.device_keys import (
    InvalidKeyError,
    link_key_from_install_code,
    link_key_from_text,
)

DESTINATION_ADDRESS: Final = "destination_address"
DESTINATION_ENDPOINT_ID: Final = "destination_endpoint_id"
SOURCE_ENDPOINT_ID: Final = "source_endpoint_id"
DEVICE_ADDRESS: Final = "device_address"
ENDPOINT_ID: Final = "endpoint_id"
CLUSTER_ID: Final = "cluster_id"
SERVER_OR_CLIENT: Final = "server_or_client"
MANUFACTURER_CODE: Final = "manufacturer_code"
RECORD_LIST: Final = "record_list"
ALIAS_NAME_FIELD: Final = "alias_name"
JOIN_TIME: Final = "join_time"
LINK_KEY: Final = "link_key"
INSTALLATION_CODE: Final = "installation_code"

# An address field and the endpoint field an alias fills in when it is empty.
ADDRESS_FIELDS: Final = {
    DESTINATION_ADDRESS: DESTINATION_ENDPOINT_ID,
    DEVICE_ADDRESS: ENDPOINT_ID,
}


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise probatio.Invalid("expected a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip(), 0)
        except ValueError:
            pass
    raise probatio.Invalid("expected a whole number")


def whole_number(minimum: int, maximum: int) -> Callable[[Any], int]:
    """Return a validator of whole numbers from ``minimum`` to ``maximum``."""
    validator: Callable[[Any], int] = probatio.All(
        _whole_number, probatio.Range(min=minimum, max=maximum)
    )
    return validator


UINT8 = whole_number(0, 0xFF)
UINT16 = whole_number(0, 0xFFFF)
UINT32 = whole_number(0, 0xFFFF_FFFF)
ENDPOINT = whole_number(1, 240)
SIDE = whole_number(0, 1)


def address(value: Any) -> t.EUI64 | AliasName:
    """Validate an IEEE address or alias name; aliases are resolved later."""
    parsed = parse_address(value) if isinstance(value, str) else None
    if parsed is None:
        raise probatio.Invalid("not an IEEE address or alias name", code="invalid_ieee")
    return parsed


def ieee(value: Any) -> t.EUI64:
    """Validate a 64-bit IEEE address written in hex."""
    parsed = parse_ieee(value) if isinstance(value, str) else None
    if parsed is None:
        raise probatio.Invalid("not a 64-bit address", code="invalid_ieee")
    return parsed


def alias_name(value: Any) -> str:
    """Validate the name of a new alias: not an address, and a valid XML name."""
    if (
        not isinstance(value, str)
        or not ALIAS_NAME.fullmatch(value)
        or parse_ieee(value) is not None
    ):
        raise probatio.Invalid("not a valid alias name", code="invalid_alias_name")
    return value


def link_key(value: Any) -> t.KeyData:
    """Validate a link key and return it as key data."""
    try:
        return link_key_from_text(value if isinstance(value, str) else "")
    except InvalidKeyError as err:
        raise probatio.Invalid(str(err), code="invalid_link_key") from None


def installation_code(value: Any) -> t.KeyData:
    """Validate an installation code and return the link key it stands for."""
    try:
        return link_key_from_install_code(value if isinstance(value, str) else "")
    except InvalidKeyError as err:
        raise probatio.Invalid(str(err), code="invalid_install_code") from None


def hex_bytes(value: Any) -> bytes:
    """Validate bytes written in hex; spaces and colons are ignored."""
    text = "".join(str(value).split()).replace(":", "")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise probatio.Invalid("expected hexadecimal bytes") from None


def records(record_schema: dict[Any, Any]) -> Any:
    """Return a validator of a non-empty list of records."""
    return probatio.All([probatio.Schema(record_schema)], probatio.Length(min=1))


ZCL_TARGET: Final = {
    probatio.Required(DESTINATION_ADDRESS): address,
    probatio.Optional(DESTINATION_ENDPOINT_ID): ENDPOINT,
    probatio.Optional(SOURCE_ENDPOINT_ID): ENDPOINT,
    probatio.Optional(MANUFACTURER_CODE): UINT16,
}
ZCL_CLUSTER_TARGET: Final = {
    **ZCL_TARGET,
    probatio.Required(CLUSTER_ID): UINT16,
    probatio.Optional(SERVER_OR_CLIENT, default=0): SIDE,
}
