"""The manual's ``*_response`` parameters of the Smart Energy services.

A create or cancel answers with ``source_endpoint_id``, ``cluster_id``,
``status``, the ``record`` and ``device_list`` (the devices the command
reached), plus ``errors`` (the devices it did not reach, and why). A client
request answers with what the servers sent (``record_list``), each record
with the server's address.

``async_present`` finishes every service's response for people (it runs on
each response in ``common``): beside each numeric status its name
(``status_name``: ``UNSUPPORTED_ATTRIBUTE``), beside each SE time its moment
(``start_time_iso``, None for 0, "now"), and for each device a command did
not reach, its ``reason`` translated into ``error``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from zigpy.zcl.foundation import Status

from ..const import DOMAIN
from ..core.clusters.types import EventStatus
from ..core.engine import DeliveryFailure, DeviceRef, Received, RecordError, SendResult
from ..core.engine.records import Record
from ..gateway.errors import NoResponseError, ZigbeeRequestError
from ..smart_energy.values import se_datetime
from .se_asking import ServerAnswer

REASON: Final = "reason"
# Fields holding SE UTC times (seconds since 2000-01-01 UTC, 0 is "now").
TIME_FIELDS: Final = frozenset(
    {"start_time", "effective_time", "event_status_time", "confirmation_time"}
)
# Fields holding a status, and the enum that names its values.
STATUS_FIELDS: Final[Mapping[str, Callable[[int], Any]]] = {
    "status": Status,
    "event_status": EventStatus,
}


def status_name(field_name: str, value: int) -> str | None:
    """Return a status value's name (``UNSUPPORTED_ATTRIBUTE``), None if unknown."""
    try:
        name = STATUS_FIELDS[field_name](value).name
    except ValueError:
        return None
    if name is None or name.startswith("undefined"):
        return None
    return str(name).upper()


def time_iso(value: int) -> str | None:
    """Return an SE time as an ISO datetime; None for 0 ("now") or not used."""
    if value in (0, 0xFFFFFFFF):
        return None
    moment = se_datetime(value)
    return None if moment is None else moment.isoformat()


def _present(value: Any, texts: Mapping[str, str]) -> Any:
    """Return ``value`` with names, moments and translated reasons added."""
    if isinstance(value, list):
        return [_present(item, texts) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        result[key] = _present(item, texts)
        if isinstance(item, bool) or not isinstance(item, int):
            continue
        if key in STATUS_FIELDS and f"{key}_name" not in value:
            # ZDO answers name their statuses themselves (ZDO's names).
            result[f"{key}_name"] = status_name(key, item)
        elif key in TIME_FIELDS:
            result[f"{key}_iso"] = time_iso(item)
    if isinstance(reason := value.get(REASON), str):
        text = texts.get(f"component.{DOMAIN}.exceptions.delivery_{reason}.message")
        if text is not None:
            result["error"] = text.replace(
                "{address}", str(value.get("device_address", ""))
            )
    return result


async def async_present(hass: HomeAssistant, response: Any) -> Any:
    """Return a service's response finished for people (see the module)."""
    texts = await async_get_translations(
        hass, hass.config.language, "exceptions", {DOMAIN}
    )
    return _present(response, texts)


def device_list(devices: Sequence[DeviceRef]) -> list[str]:
    """Return the manual's device_list: IEEE addresses, each once."""
    return sorted({device.ieee for device in devices})


def send_response(
    endpoint: int, cluster_id: int, result: SendResult, **extra: Any
) -> dict[str, Any]:
    """Return the manual's response to a create or cancel."""
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": cluster_id,
        "status": int(result.status),
        **extra,
        "device_list": device_list(result.device_list),
        "errors": [
            {
                "device_address": device.ieee,
                "endpoint_id": device.endpoint,
                REASON: str(result.reason(device)),
                "error": error,
            }
            for device, error in sorted(result.errors.items())
        ],
    }


def with_times(record: dict[str, Any], start: int, end: int | None) -> dict[str, Any]:
    """Return a stored event's record with when it really starts and ends.

    An event created with ``start_time`` 0 ("now") starts when it was stored.
    """
    return {
        **record,
        "start": time_iso(start),
        "end": None if end is None else time_iso(end),
    }


def from_server(record: Record, server: DeviceRef) -> dict[str, Any]:
    """Return a record a server sent, with the server's address."""
    return {
        **record.to_dict(),
        "source_address": server.ieee,
        "source_endpoint_id": server.endpoint,
    }


def received[R: Record](lists: Mapping[DeviceRef, list[R]]) -> list[dict[str, Any]]:
    """Return the records of each server, servers in address order."""
    return [
        from_server(record, server)
        for server, records in sorted(lists.items())
        for record in records
    ]


def reported(items: list[Received[Any]]) -> list[dict[str, Any]]:
    """Return what clients reported, with who reported it."""
    return [
        {
            "source_address": item.device.ieee,
            "source_endpoint_id": item.device.endpoint,
            "record": item.record.to_dict(),
        }
        for item in items
    ]


def answers_response(
    endpoint: int,
    cluster_id: int,
    answers: list[ServerAnswer],
    to_record: Callable[[Any], Record],
) -> dict[str, Any]:
    """Return what the servers answered; raise if none could be asked."""
    reached = [answer for answer in answers if answer.error is None]
    failed = [answer for answer in answers if answer.error is not None]
    if failed and not reached:
        assert failed[0].error is not None
        raise failed[0].error
    records: list[dict[str, Any]] = []
    statuses = [answer.status for answer in reached if answer.status is not None]
    for answer in reached:
        for command in answer.commands:
            try:
                record = to_record(command)
            except RecordError:
                statuses.insert(0, Status.INVALID_FIELD)
                continue
            records.append(from_server(record, answer.server.ref))
    status = Status.SUCCESS if records else next(iter(statuses), Status.NOT_FOUND)
    return {
        "source_endpoint_id": endpoint,
        "cluster_id": cluster_id,
        "status": int(status),
        "device_list": device_list([answer.server.ref for answer in reached]),
        "errors": [
            {
                "device_address": answer.server.ref.ieee,
                "endpoint_id": answer.server.ref.endpoint,
                REASON: str(_request_failure(answer.error)),
                "error": type(answer.error).__name__,
            }
            for answer in failed
        ],
        "record_list": records,
    }


def _request_failure(error: ZigbeeRequestError | None) -> DeliveryFailure:
    """Return why a request to a server failed."""
    if isinstance(error, NoResponseError):
        return DeliveryFailure.TIMEOUT
    return DeliveryFailure.SEND_FAILED
