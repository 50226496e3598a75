"""Saving and restoring the engine's state as a JSON-able dict.

The dict carries a ``version``. ``migrate`` brings a dict saved by an older
version up to ``STORE_VERSION`` one step at a time (``MIGRATIONS[n]`` turns
version n into n + 1) and refuses a dict from a newer version.

Version 1::

    {"version": 1,
     "server": {"prices": [entry], "drlc": [entry + "cuts"], "messages": [entry],
                "reports": [log item], "confirmations": [log item]},
     "client": [{"ieee", "endpoint", "prices": [entry], "messages": [entry],
                 "drlc": [client entry], "active_price", "active_drlc",
                 "active_messages"}]}

where an entry is ``{"record", "created_at", "cut_at"}`` and a log item
``{"ieee", "endpoint", "event_id", "records"}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
from typing import Any, Final

from .client_drlc import ClientDrlcEntry
from .client_state import ServerLists
from .delivery import DeviceRef
from .records import (
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    Record,
)
from .reports import ReceivedLog
from .server_state import ServerState
from .tables import Cut, CutReason, DrlcEntry, EventTable, TableEntry

STORE_VERSION: Final = 1

type Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}


class StoreError(ValueError):
    """A saved state that cannot be restored."""


def migrate(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` brought up to ``STORE_VERSION``."""
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise StoreError(f"Saved state has no valid version: {version!r}")
    if version > STORE_VERSION:
        raise StoreError(
            f"Saved state is version {version}, newer than {STORE_VERSION}"
        )
    migrated = dict(data)
    for step in range(version, STORE_VERSION):
        migrated = MIGRATIONS[step](migrated)
        migrated["version"] = step + 1
    return migrated


# --- Saving --------------------------------------------------------------------


def to_dict(
    server: ServerState, client: Mapping[DeviceRef, ServerLists]
) -> dict[str, Any]:
    """Return the whole state as a JSON-able dict."""
    return {
        "version": STORE_VERSION,
        "server": {
            "prices": [_entry(entry) for entry in server.prices],
            "drlc": [_drlc_entry(entry) for entry in server.drlc],
            "messages": [_entry(entry) for entry in server.messages],
            "reports": _log(server.reports),
            "confirmations": _log(server.confirmations),
        },
        "client": [
            {
                **device.as_dict(),
                "prices": [_entry(entry) for entry in lists.prices],
                "messages": [_entry(entry) for entry in lists.messages],
                "drlc": [_client_drlc_entry(entry) for entry in lists.drlc.values()],
                "active_price": lists.active_price,
                "active_drlc": list(lists.active_drlc),
                "active_messages": list(lists.active_messages),
            }
            for device, lists in client.items()
        ],
    }


def _entry(entry: TableEntry[Any]) -> dict[str, Any]:
    return {
        "record": entry.record.to_dict(),
        "created_at": entry.created_at,
        "cut_at": entry.cut_at,
    }


def _drlc_entry(entry: DrlcEntry) -> dict[str, Any]:
    return {
        **_entry(entry),
        "cuts": [
            {**dataclasses.asdict(cut), "reason": str(cut.reason)} for cut in entry.cuts
        ],
    }


def _client_drlc_entry(entry: ClientDrlcEntry) -> dict[str, Any]:
    return {**dataclasses.asdict(entry), "record": entry.record.to_dict()}


def _log(log: ReceivedLog[Any]) -> list[dict[str, Any]]:
    return [
        {
            **device.as_dict(),
            "event_id": event_id,
            "records": [record.to_dict() for record in records],
        }
        for device, event_id, records in log.items()
    ]


# --- Restoring -----------------------------------------------------------------


def from_dict(
    data: Mapping[str, Any],
) -> tuple[ServerState, dict[DeviceRef, ServerLists]]:
    """Return the state saved by ``to_dict``, from any supported version."""
    current = migrate(data)
    try:
        return _server(current["server"]), _client(current["client"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"Saved state is damaged: {exc!r}") from exc


def _server(data: Mapping[str, Any]) -> ServerState:
    state = ServerState()
    _fill(state.prices, data["prices"], PriceEvent)
    _fill(state.messages, data["messages"], MessageEvent)
    for item in data["drlc"]:
        state.drlc.put(
            DrlcEntry(
                record=DrlcEvent.from_dict(item["record"]),
                created_at=item["created_at"],
                cut_at=item["cut_at"],
                cuts=[
                    Cut(**{**cut, "reason": CutReason(cut["reason"])})
                    for cut in item["cuts"]
                ],
            )
        )
    _fill_log(state.reports, data["reports"], EventStatusReport)
    _fill_log(state.confirmations, data["confirmations"], MessageConfirmation)
    return state


def _fill[R: (PriceEvent, MessageEvent)](
    table: EventTable[TableEntry[R]], items: list[dict[str, Any]], record_type: type[R]
) -> None:
    for item in items:
        table.put(
            TableEntry(
                record=record_type.from_dict(item["record"]),
                created_at=item["created_at"],
                cut_at=item["cut_at"],
            )
        )


def _fill_log[R: Record](
    log: ReceivedLog[R], items: list[dict[str, Any]], record_type: type[R]
) -> None:
    for item in items:
        device = DeviceRef(item["ieee"], item["endpoint"])
        for record in item["records"]:
            log.add(device, item["event_id"], record_type.from_dict(record))


def _client(items: list[dict[str, Any]]) -> dict[DeviceRef, ServerLists]:
    servers: dict[DeviceRef, ServerLists] = {}
    for item in items:
        lists = ServerLists(
            active_price=item["active_price"],
            active_drlc=tuple(item["active_drlc"]),
            active_messages=tuple(item["active_messages"]),
        )
        _fill(lists.prices, item["prices"], PriceEvent)
        _fill(lists.messages, item["messages"], MessageEvent)
        for entry in item["drlc"]:
            client_entry = ClientDrlcEntry(
                **{**entry, "record": DrlcEvent.from_dict(entry["record"])}
            )
            lists.drlc[client_entry.event_id] = client_entry
        servers[DeviceRef(item["ieee"], item["endpoint"])] = lists
    return servers
