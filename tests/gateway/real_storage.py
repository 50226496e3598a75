"""Real storage files for tests: written to and read from ``<config>/.storage``.

Home Assistant's test harness keeps storage in a dict (``hass_storage``). The
``real_storage`` fixture gives ``Store`` back its own reading and writing for
the test, in a temporary config folder, so a test writes real files before
set-up and reads what the gateway wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import storage
import pytest

# Taken at import, before any test patches them.
_LOAD = storage.Store._async_load
_WRITE = storage.Store._async_write_data


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own config folder."""
    return hass_tmp_config_dir


@pytest.fixture
def real_storage(hass: HomeAssistant) -> Iterator[Path]:
    """Read and write real files; return the ``.storage`` folder."""
    folder = Path(hass.config.path(storage.STORAGE_DIR))
    folder.mkdir(parents=True, exist_ok=True)
    with (
        patch.object(storage.Store, "_async_load", _LOAD),
        patch.object(storage.Store, "_async_write_data", _WRITE),
    ):
        yield folder


def write_file(
    folder: Path, key: str, data: Any, version: int = 1, minor_version: int = 1
) -> Path:
    """Write a storage file as Home Assistant does; return its path."""
    path = folder / key
    path.write_text(
        json.dumps(
            {
                "version": version,
                "minor_version": minor_version,
                "key": key,
                "data": data,
            },
            indent=2,
        )
    )
    return path


def read_file(path: Path) -> Any:
    """Return the ``data`` of a storage file."""
    return json.loads(path.read_text())["data"]


def backups(path: Path) -> list[Path]:
    """Return the copies kept beside a storage file."""
    return sorted(path.parent.glob(f"{path.name}.backup-*"))
