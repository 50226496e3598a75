"""Stored files that are damaged or newer than this version: said, kept, repaired.

The gateway's files are validated record by record when they are loaded. What
cannot be read is left out (one warning per record, naming it) and the rest
loads. Then, before anything overwrites the file:

- the file as it was found is copied beside it (``<file>.backup-<UTC time>``,
  with the same permissions, as it may hold link keys);
- a repair issue ``damaged_storage`` (fixable: the user acknowledges it) says
  which file, what was left out and where the copy is.

A file written by a newer major version is not read and never overwritten: its
store is made read-only for this run, the entry loads without that file's
contents (changes work but are not saved), and the repair issue
``newer_storage`` says so. It goes away once the file can be read again.

The texts name records (an alias name, a device address, an event id) and
what is wrong with them; never a key or an installation code.
"""

from __future__ import annotations

from collections.abc import Sequence
import logging
import os
import shutil
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from ..const import DOMAIN

_LOGGER: Final = logging.getLogger(__name__)

ISSUE_DAMAGED: Final = "damaged_storage"
ISSUE_NEWER: Final = "newer_storage"
# At most this many dropped records are listed in the repair issue.
MAX_LISTED: Final = 10


def issue_id(kind: str, storage_key: str) -> str:
    """Return the id of a repair issue about one stored file."""
    return f"{kind}_{storage_key}"


def dropped_text(dropped: Sequence[str]) -> str:
    """Return the list of dropped records for a repair issue."""
    lines = [f"- {item}" for item in dropped[:MAX_LISTED]]
    if len(dropped) > MAX_LISTED:
        lines.append(f"- … and {len(dropped) - MAX_LISTED} more")
    return "\n".join(lines)


def _backup(path: str, backup: str) -> bool:
    """Copy ``path`` to a new file only its owner can read (it may hold keys)."""
    try:
        source = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return False
    with (
        source,
        os.fdopen(os.open(backup, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as copy,
    ):
        shutil.copyfileobj(source, copy)
    return True


async def async_keep_backup(hass: HomeAssistant, path: str) -> str | None:
    """Copy the file at ``path`` beside it; return the copy's path (None: no file)."""
    stamp = dt_util.utcnow().strftime("%Y%m%dT%H%M%S.%fZ")
    backup = f"{path}.backup-{stamp}"
    if await hass.async_add_executor_job(_backup, path, backup):
        return backup
    return None


def warn_dropped(storage_key: str, what: str) -> None:
    """Log one warning for a record that was left out."""
    _LOGGER.warning("Stored file %s: left out %s", storage_key, what)


async def async_report_damage(
    hass: HomeAssistant, storage_key: str, path: str, dropped: Sequence[str]
) -> None:
    """Keep a copy of the damaged file and raise the repair issue.

    Call it before the first write of the file after loading it.
    """
    backup = await async_keep_backup(hass, path)
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(ISSUE_DAMAGED, storage_key),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_DAMAGED,
        translation_placeholders={
            "file": storage_key,
            "count": str(len(dropped)),
            "dropped": dropped_text(dropped),
            "backup": backup or "-",
        },
    )


def report_newer(
    hass: HomeAssistant, storage_key: str, found: object, supported: object
) -> None:
    """Raise the repair issue of a file from a newer version (not overwritten)."""
    _LOGGER.error(
        "Stored file %s is version %s; this version reads up to %s. It is left "
        "as it is and not written until se_gateway is updated",
        storage_key,
        found,
        supported,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(ISSUE_NEWER, storage_key),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_NEWER,
        translation_placeholders={
            "file": storage_key,
            "found": str(found),
            "supported": str(supported),
        },
    )


def clear_newer(hass: HomeAssistant, storage_key: str) -> None:
    """Remove the newer-version issue of a file that could be read."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(ISSUE_NEWER, storage_key))
