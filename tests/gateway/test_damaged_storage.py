"""A damaged or newer gateway file (aliases, added devices) is survived and said.

Real files are written into the test config's ``.storage/`` before set-up.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import zigpy.types as t

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.gateway.device_keys import (
    InvalidKeyError,
    KnownDevice,
)
from custom_components.se_gateway.gateway.registry import STORAGE_KEY

from . import real_storage as storage_files
from .conftest import LINK_KEY
from .real_storage import backups, read_file, write_file

# The fixtures of real storage files.
hass_config_dir = storage_files.hass_config_dir
real_storage = storage_files.real_storage

GOOD_ALIAS = {"alias_name": "meter", "device_address": "00:0d:6f:00:0a:90:69:01"}
GOOD_DEVICE = {"device_address": "00:0d:6f:00:0a:90:69:02", "link_key": LINK_KEY}
ONE_BYTE_KEY = "5a"
NOT_HEX_KEY = "zz" * 16


async def _set_up(
    hass: HomeAssistant, setup_zha: Any, se_entry: MockConfigEntry
) -> None:
    await setup_zha()
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    assert se_entry.state is ConfigEntryState.LOADED


def _issue(hass: HomeAssistant, kind: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{STORAGE_KEY}")


async def test_bad_records_are_left_out_said_and_repaired(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stored = {
        "aliases": [
            GOOD_ALIAS,
            {"alias_name": "bad_address", "device_address": "not-an-address"},
            {"alias_name": "no_address"},
        ],
        "devices": [
            GOOD_DEVICE,
            {"device_address": "00:0d:6f:00:0a:90:69:03", "link_key": ONE_BYTE_KEY},
            {"device_address": "00:0d:6f:00:0a:90:69:04", "link_key": NOT_HEX_KEY},
        ],
        "report_subscriptions": [],
    }
    path = write_file(real_storage, STORAGE_KEY, stored, minor_version=2)
    original = path.read_bytes()
    caplog.set_level(logging.WARNING)

    await _set_up(hass, setup_zha, se_entry)

    # Everything good loads; the actions work.
    assert await call("list_aliases") == {
        "aliases": [{**GOOD_ALIAS, "endpoint_id": None}]
    }
    store = se_entry.runtime_data.gateway_store
    assert set(store.devices) == {t.EUI64.convert(GOOD_DEVICE["device_address"])}
    await call(
        "add_alias",
        {"alias_name": "second", "device_address": "00:0d:6f:00:0a:90:69:05"},
    )
    # One warning per record left out, naming it; no key is ever logged.
    warnings = [r.getMessage() for r in caplog.records if "left out" in r.getMessage()]
    assert len(warnings) == 4
    assert any("'bad_address'" in w for w in warnings)
    assert any("'no_address'" in w and "missing" in w for w in warnings)
    assert any("00:0d:6f:00:0a:90:69:03" in w and "16 bytes" in w for w in warnings)
    assert any("00:0d:6f:00:0a:90:69:04" in w for w in warnings)
    assert LINK_KEY not in caplog.text
    assert NOT_HEX_KEY not in caplog.text
    # The repair issue lists what was left out, without keys.
    issue = _issue(hass, "damaged_storage")
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders is not None
    placeholders = issue.translation_placeholders
    assert placeholders["count"] == "4"
    assert "'bad_address'" in placeholders["dropped"]
    assert LINK_KEY not in str(placeholders)
    assert NOT_HEX_KEY not in str(placeholders)
    # The file as found is kept beside it; the file holds only good records.
    (backup,) = backups(path)
    assert backup.read_bytes() == original
    assert placeholders["backup"] == str(backup)
    assert backup.stat().st_mode & 0o077 == 0  # private, as it may hold keys
    saved = read_file(path)
    assert [a["alias_name"] for a in saved["aliases"]] == ["meter", "second"]
    assert [d["device_address"] for d in saved["devices"]] == [
        GOOD_DEVICE["device_address"]
    ]


@pytest.mark.parametrize(
    ("data", "count"),
    [
        ({"aliases": None, "devices": [GOOD_DEVICE]}, 1),
        ([], 1),
        ({"aliases": [GOOD_ALIAS, "meter"], "devices": {}}, 2),
    ],
    ids=["aliases_null", "data_is_a_list", "wrong_types"],
)
async def test_damaged_lists_do_not_stop_the_gateway(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
    data: Any,
    count: int,
) -> None:
    path = write_file(real_storage, STORAGE_KEY, data, minor_version=2)

    await _set_up(hass, setup_zha, se_entry)

    issue = _issue(hass, "damaged_storage")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["count"] == str(count)
    assert len(backups(path)) == 1
    await call(
        "add_alias",
        {"alias_name": "other", "device_address": "00:0d:6f:00:0a:90:69:09"},
    )
    names = [a["alias_name"] for a in (await call("list_aliases"))["aliases"]]
    assert "other" in names
    assert "other" in [a["alias_name"] for a in read_file(path)["aliases"]]


async def test_a_file_from_a_newer_version_is_not_overwritten(
    hass: HomeAssistant,
    real_storage: Path,
    setup_zha: Any,
    se_entry: MockConfigEntry,
    call: Any,
) -> None:
    path = write_file(real_storage, STORAGE_KEY, {"everything": "new"}, version=2)
    original = path.read_bytes()

    await _set_up(hass, setup_zha, se_entry)

    issue = _issue(hass, "newer_storage")
    assert issue is not None
    assert issue.translation_placeholders == {
        "file": STORAGE_KEY,
        "found": "2",
        "supported": "1",
    }
    assert _issue(hass, "damaged_storage") is None
    # Actions work for this run, but the file stays as it was.
    await call(
        "add_alias",
        {"alias_name": "meter", "device_address": GOOD_ALIAS["device_address"]},
    )
    assert [a["alias_name"] for a in (await call("list_aliases"))["aliases"]] == [
        "meter"
    ]
    await hass.config_entries.async_unload(se_entry.entry_id)
    await hass.async_block_till_done()
    assert path.read_bytes() == original
    assert backups(path) == []


def test_link_keys_are_exactly_16_bytes() -> None:
    ieee = t.EUI64.convert(GOOD_DEVICE["device_address"])
    with pytest.raises(InvalidKeyError):
        KnownDevice(ieee, t.KeyData(bytes(1)))
    for key in (ONE_BYTE_KEY, NOT_HEX_KEY, LINK_KEY + "00"):
        with pytest.raises(ValueError, match="link key"):
            KnownDevice.from_dict({"device_address": str(ieee), "link_key": key})
    assert KnownDevice.from_dict(GOOD_DEVICE).link_key == t.KeyData(
        bytes.fromhex(LINK_KEY)
    )
