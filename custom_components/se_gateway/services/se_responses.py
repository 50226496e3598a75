"""The manual's ``*_response`` parameters of the Smart Energy services.

A create or cancel answers with ``source_endpoint_id``, ``cluster_id``,
``status``, the ``record`` and ``device_list`` (the devices the command
reached), plus ``errors`` (the devices it did not reach, and why). A client
request answers with what the servers sent (``record_list``), each record
with the server's address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from zigpy.zcl.foundation import Status

from ..core.engine import DeviceRef, Received, RecordError, SendResult
from ..core.engine.records import Record
from .se_asking import ServerAnswer


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
                "error": error,
            }
            for device, error in sorted(result.errors.items())
        ],
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
                "error": type(answer.error).__name__,
            }
            for answer in failed
        ],
        "record_list": records,
    }
