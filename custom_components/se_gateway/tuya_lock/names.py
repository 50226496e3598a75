"""The names a lock's alarms, credential types and enrolment stages take."""

from __future__ import annotations

from typing import Final

from ..core.tuya_lock.dp_map import LockAlarm
from ..core.tuya_lock.enrolment import CredentialType, Stage

STAGE_NAMES: Final = {
    Stage.STARTED: "started",
    Stage.IN_PROGRESS: "in_progress",
    Stage.FAILED: "failed",
    Stage.CANCELLED: "cancelled",
    Stage.DONE: "done",
}


def alarm_name(alarm: int) -> str:
    """Return the event type of an alarm value."""
    try:
        return LockAlarm(alarm).name.lower()
    except ValueError:
        return f"alarm_{alarm}"


def credential_type_name(value: int) -> str:
    """Return the name of a credential type (its number when unknown)."""
    try:
        return CredentialType(value).name.lower()
    except ValueError:
        return str(value)


def stage_name(stage: int) -> str:
    """Return the name of an enrolment stage (its number when unknown)."""
    try:
        return STAGE_NAMES[Stage(stage)]
    except ValueError:
        return f"stage_{stage}"
