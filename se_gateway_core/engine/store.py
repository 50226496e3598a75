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

``from_dict`` restores all or nothing, unless it is given a ``skipped`` list:
then each stored item (an entry, a log item, a remote server's lists) is
restored on its own, an item that cannot be restored is left out, and what
was left out is described in ``skipped`` (one short text per item, naming it).
A dict from a newer version raises ``NewerStoreError`` either way.
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


class NewerStoreError(StoreError):
    """A saved state written by a newer version, which this one cannot read."""

    def __init__(self, version: int) -> None:
        """Say which version the state has."""
        super().__init__(
            f"Saved state is version {version}, newer than {STORE_VERSION}"
        )
        self.version = version


# What a damaged item may raise while it is read.
ITEM_ERRORS: Final = (KeyError, TypeError, ValueError, AttributeError)


def migrate(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` brought up to ``STORE_VERSION``."""
    if not isinstance(data, Mapping):
        raise StoreError(f"Saved state is not a dict but {type(data).__name__}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(f"Saved state has no valid version: {version!r}")
    if version > STORE_VERSION:
        raise NewerStoreError(version)
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
            # Only once the gateway generated an id (the friendly actions).
            **(
                {"last_issued_id": server.last_issued_id}
                if server.last_issued_id
                else {}
            ),
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


class _Reader:
    """Reads items, all or nothing (``skipped`` None) or skipping bad ones."""

    def __init__(self, skipped: list[str] | None) -> None:
        self.skipped = skipped

    def each(
        self, items: Any, what: str, read: Callable[[Any], None], name: str = "id"
    ) -> None:
        """Call ``read`` with each item of the list ``items``."""
        if not isinstance(items, list):
            self.bad(what, f"not a list but {type(items).__name__}")
            return
        for index, item in enumerate(items):
            try:
                read(item)
            except ITEM_ERRORS as exc:
                self.bad(f"{what} {_item_name(item, index, name)}", _reason(exc))

    def bad(self, what: str, reason: str) -> None:
        """Skip ``what``, or raise when nothing may be skipped."""
        if self.skipped is None:
            raise StoreError(f"Saved state is damaged: {what}: {reason}")
        self.skipped.append(f"{what}: {reason}")


def _item_name(item: Any, index: int, name: str) -> str:
    """Return how an item is named in ``skipped``: its id, else its position."""
    if isinstance(item, Mapping):
        record = item.get("record")
        for source in (record, item):
            if isinstance(source, Mapping) and isinstance(
                value := source.get(name), (int, str)
            ):
                return f"{name} {value}"
    return f"#{index + 1}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc) or type(exc).__name__


def from_dict(
    data: Mapping[str, Any], skipped: list[str] | None = None
) -> tuple[ServerState, dict[DeviceRef, ServerLists]]:
    """Return the state saved by ``to_dict``, from any supported version.

    With ``skipped``, bad items are left out and described there.
    """
    current = migrate(data)
    reader = _Reader(skipped)
    server = current.get("server")
    client = current.get("client")
    if not isinstance(server, Mapping):
        reader.bad("server state", "missing or not a dict")
        server = {}
    if not isinstance(client, list):
        reader.bad("client state", "missing or not a list")
        client = []
    return _server(server, reader), _client(client, reader)


def _server(data: Mapping[str, Any], reader: _Reader) -> ServerState:
    state = ServerState()
    _fill(state.prices, data.get("prices", []), PriceEvent, reader, "price event")
    _fill(
        state.messages, data.get("messages", []), MessageEvent, reader, "message event"
    )

    def drlc_entry(item: Mapping[str, Any]) -> None:
        state.drlc.put(
            DrlcEntry(
                record=DrlcEvent.from_dict(item["record"]),
                created_at=_time(item["created_at"]),
                cut_at=_optional_time(item["cut_at"]),
                cuts=[
                    Cut(**{**cut, "reason": CutReason(cut["reason"])})
                    for cut in item["cuts"]
                ],
            )
        )

    reader.each(
        data.get("drlc", []), "load control event", drlc_entry, "issuer_event_id"
    )
    _fill_log(
        state.reports,
        data.get("reports", []),
        EventStatusReport,
        reader,
        "event status report",
    )
    _fill_log(
        state.confirmations,
        data.get("confirmations", []),
        MessageConfirmation,
        reader,
        "message confirmation",
    )
    if isinstance(last_issued := data.get("last_issued_id", 0), int):
        state.last_issued_id = last_issued
    return state


def _time(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"bad time {value!r}")
    return value


def _optional_time(value: Any) -> int | None:
    return None if value is None else _time(value)


def _fill[R: (PriceEvent, MessageEvent)](
    table: EventTable[TableEntry[R]],
    items: Any,
    record_type: type[R],
    reader: _Reader,
    what: str,
) -> None:
    def entry(item: Mapping[str, Any]) -> None:
        table.put(
            TableEntry(
                record=record_type.from_dict(item["record"]),
                created_at=_time(item["created_at"]),
                cut_at=_optional_time(item["cut_at"]),
            )
        )

    name = "message_id" if record_type is MessageEvent else "issuer_event_id"
    reader.each(items, what, entry, name)


def _fill_log[R: Record](
    log: ReceivedLog[R],
    items: Any,
    record_type: type[R],
    reader: _Reader,
    what: str,
) -> None:
    def log_item(item: Mapping[str, Any]) -> None:
        device = _device(item)
        event_id = item["event_id"]
        records = [record_type.from_dict(record) for record in item["records"]]
        for record in records:
            log.add(device, event_id, record)

    reader.each(items, what, log_item, "event_id")


def _device(item: Mapping[str, Any]) -> DeviceRef:
    ieee, endpoint = item["ieee"], item["endpoint"]
    if not isinstance(ieee, str) or not isinstance(endpoint, int):
        raise TypeError("bad device address")
    return DeviceRef(ieee, endpoint)


def _client(items: list[Any], reader: _Reader) -> dict[DeviceRef, ServerLists]:
    servers: dict[DeviceRef, ServerLists] = {}

    def server_lists(item: Mapping[str, Any]) -> None:
        # A remote server's lists are kept or left out together: its active
        # ids point into its tables.
        device = _device(item)
        lists = ServerLists(
            active_price=item["active_price"],
            active_drlc=tuple(item["active_drlc"]),
            active_messages=tuple(item["active_messages"]),
        )
        strict = _Reader(None)
        _fill(lists.prices, item["prices"], PriceEvent, strict, "price event")
        _fill(lists.messages, item["messages"], MessageEvent, strict, "message event")
        for entry in item["drlc"]:
            client_entry = ClientDrlcEntry(
                **{**entry, "record": DrlcEvent.from_dict(entry["record"])}
            )
            lists.drlc[client_entry.event_id] = client_entry
        servers[device] = lists

    def guarded(item: Any) -> None:
        try:
            server_lists(item)
        except StoreError as exc:
            raise ValueError(str(exc).removeprefix("Saved state is damaged: ")) from exc

    reader.each(items, "events received from server", guarded, "ieee")
    return servers
