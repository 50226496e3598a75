"""Fields of the Smart Energy services: the manual's records as service fields.

Each record of the manual's Record Reference (``PublishPriceRecord``,
``LoadControlEventRecord`` ...) is a frozen dataclass in ``engine.records``.
``record_fields`` turns one into service fields with the same names: fields
the manual gives "no default" are required, the others optional with the
record's default (applied by the record itself, so there is one source of
truth). Each value is checked against the record's own bounds, so an error
names the field before anything is stored or sent.

Numbers may be given as integers or strings such as ``"0x0FFF"``. Times
(``start_time``, ``effective_time``) are SE UTC times, seconds since
2000-01-01 00:00 UTC with 0 for "now", or a date and time such as
``"2026-07-01 17:00"`` (local time unless it names its zone).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
import dataclasses
from datetime import datetime
from typing import Any, Final

from homeassistant.util import dt as dt_util
import probatio

from ..core.clusters.types import EventStatus, datetime_to_utc_time
from ..core.engine.records import MAX_SENT_MESSAGE_BYTES, Record
from ..datetimes import parse_datetime
from ..errors import field_error
from .common import Gateway, ServiceData
from .fields import SOURCE_ENDPOINT_ID, UINT32, whole_number

# The manual's standard SE endpoint, the default of its endpoint fields.
STANDARD_SE_ENDPOINT: Final = 0x5E
ISSUER_EVENT_ID: Final = "issuer_event_id"
MESSAGE_ID: Final = "message_id"
START_TIME: Final = "start_time"
NUMBER_OF_EVENTS: Final = "number_of_events"
TIME_FIELDS: Final = frozenset(
    {"start_time", "effective_time", "event_status_time", "confirmation_time"}
)
USER_STATUSES: Final = (int(EventStatus.User_Opted_Out), int(EventStatus.User_Opted_In))
# The manual spells PublishPriceRecord's alternate_cost_delivered without its "e".
MANUAL_SPELLINGS: Final = {"alternate_cost_deliverd": "alternate_cost_delivered"}


def se_time(value: Any) -> int:
    """Validate an SE UTC time: seconds since 2000 (0 is now) or a date and time."""
    if isinstance(value, datetime):
        when = value
    else:
        text = str(value).strip()
        try:
            return UINT32(text if isinstance(value, str) else value)
        except probatio.Invalid as err:
            if not isinstance(value, str) or err.code == "range":
                raise
        parsed = parse_datetime(text)
        if parsed is None:
            raise probatio.Invalid(
                "expected seconds since 2000-01-01 UTC or a date and time"
            )
        when = parsed
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt_util.get_default_time_zone())
    seconds = datetime_to_utc_time(when)
    if not 1 <= seconds < 0xFFFFFFFF:
        raise probatio.Invalid("must be after 2000-01-01 00:00 UTC", code="range")
    return seconds


def _integer(low: int, high: int, also: Collection[int]) -> Callable[[Any], int]:
    """Return a validator of whole numbers in ``low..high`` or in ``also``."""
    number = whole_number(-(2**63), 2**63)

    def validate(value: Any) -> int:
        result = number(value)
        if not low <= result <= high and result not in also:
            extra = "".join(f", or {item}" for item in also)
            raise probatio.Invalid(f"must be from {low} to {high}{extra}", code="range")
        return result

    return validate


def _text(max_bytes: int) -> Callable[[Any], str]:
    """Return a validator of text of at most ``max_bytes`` UTF-8 bytes."""

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise probatio.Invalid("expected text")
        if len(value.encode("utf-8")) > max_bytes:
            raise probatio.Invalid(f"is longer than {max_bytes} UTF-8 bytes")
        return value

    return validate


def _validator(spec: dataclasses.Field[Any]) -> Callable[[Any], Any]:
    if spec.name in TIME_FIELDS:
        return se_time
    if "max_bytes" in spec.metadata:
        return _text(spec.metadata["max_bytes"])
    low, high = spec.metadata["bounds"]
    return _integer(low, high, spec.metadata["also"])


def record_fields(
    record: type[Record], overrides: dict[str, Callable[[Any], Any]] | None = None
) -> dict[Any, Any]:
    """Return the service fields of a record's fields.

    Fields without a default are required. ``overrides`` replaces validators.
    """
    validators: dict[str, Callable[[Any], Any]] = {}
    schema: dict[Any, Any] = {}
    for spec in dataclasses.fields(record):
        required = (
            spec.default is dataclasses.MISSING
            and spec.default_factory is dataclasses.MISSING
        )
        key = probatio.Required(spec.name) if required else probatio.Optional(spec.name)
        validators[spec.name] = (overrides or {}).get(spec.name) or _validator(spec)
        schema[key] = validators[spec.name]
    for manual, name in MANUAL_SPELLINGS.items():
        if name in validators:
            schema[probatio.Optional(manual)] = validators[name]
    return schema


def record_data(data: dict[str, Any], record: type[Record]) -> dict[str, Any]:
    """Return the fields of ``data`` that belong to ``record``, in any spelling."""
    names = {spec.name for spec in dataclasses.fields(record)}
    return {
        key: value
        for key, value in data.items()
        if key in names or MANUAL_SPELLINGS.get(key) in names
    }


SENT_MESSAGE: Final = _text(MAX_SENT_MESSAGE_BYTES)


def user_event_status(value: Any) -> int:
    """Validate the status a user may report: opted out (4) or opted in (5)."""
    status = whole_number(0, 0xFF)(value)
    if status not in USER_STATUSES:
        raise probatio.Invalid(
            "only 4 (user opted out) or 5 (user opted in) can be reported; the"
            " gateway reports the other statuses itself",
            code="range",
        )
    return status


def record_from[R: Record](record_type: type[R], data: ServiceData) -> R:
    """Return the record the call's fields make (``RecordError`` if they cannot)."""
    return record_type.from_dict(record_data(dict(data), record_type))


def gateway_endpoint(
    gateway: Gateway,
    data: ServiceData,
    endpoint_field: str,
    cluster_id: int,
    *,
    server: bool,
) -> int:
    """Return the gateway's endpoint of a cluster; check the one the call named.

    ZHA's coordinator hosts the gateway's clusters on one endpoint. The manual's
    standard SE endpoint 0x5E is taken as that one, so calls written for the
    manual work unchanged.
    """
    own = int(gateway.app.get_endpoint_id(cluster_id, is_server_cluster=server))
    given = data.get(endpoint_field)
    if given is not None and given not in (STANDARD_SE_ENDPOINT, own):
        raise field_error(
            "unknown_gateway_endpoint", endpoint_field, endpoint=given, own=own
        )
    return own


def source_endpoint(
    gateway: Gateway, data: ServiceData, cluster_id: int, *, server: bool = True
) -> int:
    """Return the gateway's endpoint a command goes from; check the call's."""
    return gateway_endpoint(
        gateway, data, SOURCE_ENDPOINT_ID, cluster_id, server=server
    )
