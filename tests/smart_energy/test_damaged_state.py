"""A damaged or newer Smart Energy file is survived, said and repaired.

Real files are written into the test config's ``.storage/`` before set-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.core.clusters.types import datetime_to_utc_time
from custom_components.se_gateway.core.engine import PriceEvent, RecordError

from ..gateway import real_storage as storage_files
from ..gateway.real_storage import backups, read_file, write_file
from .records import price

# The fixtures of real storage files.
hass_config_dir = storage_files.hass_config_dir
real_storage = storage_files.real_storage


def _key(entry: MockConfigEntry) -> str:
    return f"{DOMAIN}.{entry.entry_id}.smart_energy"


def _entry(record: dict[str, Any]) -> dict[str, Any]:
    now = datetime_to_utc_time(dt_util.utcnow())
    return {"record": record, "created_at": now, "cut_at": None}


def _engine(prices: list[dict[str, Any]], version: int = 1) -> dict[str, Any]:
    return {
        "version": version,
        "server": {
            "prices": [_entry(record) for record in prices],
            "drlc": [],
            "messages": [],
            "reports": [],
            "confirmations": [],
        },
        "client": [],
    }


async def _set_up(hass: HomeAssistant, setup_zha: Any, entry: MockConfigEntry) -> None:
    await setup_zha()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


def _issue(
    hass: HomeAssistant, kind: str, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{_key(entry)}")


def _stored_price_ids(path: Path) -> list[int]:
    engine = read_file(path)["engine"]
    return [item["record"]["issuer_event_id"] for item in engine["server"]["prices"]]


async def test_one_bad_price_loses_only_that_price(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
) -> None:
    bad = {**price(2).to_dict(), "currency": "euro"}
    with pytest.raises((RecordError, TypeError, ValueError)):
        PriceEvent.from_dict(bad)
    prices = [price(1).to_dict(), bad, price(3).to_dict()]
    stored = {
        "engine": _engine(prices),
        "history": [{"uid": "broken"}],
        "failures": {"00:0d:6f:00:0a:90:69:01": 2, "nonsense": 1},
    }
    path = write_file(real_storage, _key(se_entry), stored)
    original = path.read_bytes()

    await _set_up(hass, setup_zha, se_entry)

    events = await call("get_price_events")
    assert [e["issuer_event_id"] for e in events["record_list"]] == [1, 3]
    issue = _issue(hass, "damaged_storage", se_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    dropped = issue.translation_placeholders["dropped"]
    assert "price event issuer_event_id 2" in dropped
    assert "calendar item 'broken'" in dropped
    assert "'nonsense'" in dropped
    assert issue.translation_placeholders["count"] == "3"
    # The file as found is kept; the file now holds what could be read.
    (backup,) = backups(path)
    assert backup.read_bytes() == original
    assert _stored_price_ids(path) == [1, 3]
    assert read_file(path)["failures"] == {"00:0d:6f:00:0a:90:69:01": 2}
    # New events are kept as usual.
    await call(
        "create_price_event",
        {"provider_id": 7, "issuer_event_id": 4, "currency": 978, "price": 245},
    )
    assert _stored_price_ids(path) == [1, 3, 4]


@pytest.mark.parametrize(
    "data",
    [
        {"engine": "garbage"},
        {"engine": {"version": 1, "server": []}},
        ["not", "a", "dict"],
    ],
    ids=["engine_garbage", "server_a_list", "data_a_list"],
)
async def test_a_garbage_state_does_not_stop_the_gateway(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
    data: Any,
) -> None:
    path = write_file(real_storage, _key(se_entry), data)

    await _set_up(hass, setup_zha, se_entry)

    assert _issue(hass, "damaged_storage", se_entry) is not None
    assert len(backups(path)) == 1
    await call(
        "create_price_event",
        {"provider_id": 7, "issuer_event_id": 1, "currency": 978, "price": 245},
    )
    assert _stored_price_ids(path) == [1]


@pytest.mark.parametrize(
    ("version", "data", "found"),
    [
        (2, {"engine": _engine([price(1).to_dict()])}, "2"),
        (1, {"engine": _engine([price(1).to_dict()], version=7)}, "7 (engine)"),
    ],
    ids=["file_major_2", "engine_version_7"],
)
async def test_a_newer_state_is_not_overwritten(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
    version: int,
    data: Any,
    found: str,
) -> None:
    path = write_file(real_storage, _key(se_entry), data, version=version)
    original = path.read_bytes()

    await _set_up(hass, setup_zha, se_entry)

    issue = _issue(hass, "newer_storage", se_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["found"] == found
    # The gateway runs (without that state) and never writes over the file.
    await call(
        "create_price_event",
        {"provider_id": 7, "issuer_event_id": 9, "currency": 978, "price": 245},
    )
    assert [
        e["issuer_event_id"] for e in (await call("get_price_events"))["record_list"]
    ] == [9]
    await hass.config_entries.async_unload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert path.read_bytes() == original
