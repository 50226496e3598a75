"""A lock's credentials from Home Assistant: temporary passwords and enrolment.

Temporary passwords (DPs 24-28, 39) are named by a reference number the
gateway picks (`store.LockSecrets.next_password_id`); the lock answers each
request with the reference and a result. Enrolling a fingerprint, card,
password or face (DP 54) starts at the lock, which then reports each stage
(`runtime.TuyaLock` fires them as bus events); DP 55 deletes one. Passwords
go to the lock only: they are never logged, stored or returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.util import dt as dt_util

from ..core.tuya_lock import events
from ..core.tuya_lock.enrolment import (
    Credential,
    CredentialType,
    DeleteReport,
    DeleteResult,
    EnrolmentReport,
    Stage,
    delete_datapoint,
    enrol_datapoint,
)
from ..core.tuya_lock.temporary_passwords import (
    CLEAR_DP,
    CREATE_DP,
    DELETE_DP,
    FREEZE_DP,
    MODIFY_DP,
    UNFREEZE_DP,
    PasswordAnswer,
    PasswordRef,
    PasswordResult,
    TemporaryPassword,
    create_datapoint,
    modify_datapoint,
    reference_datapoint,
)
from ..errors import device_error, field_error, user_error
from .names import credential_type_name, stage_name
from .runtime import TuyaLock
from .store import TemporaryPasswordInfo

# The report name of each temporary password DP (the product's DP map).
PASSWORD_DP_NAMES = {
    CREATE_DP: "temporary_password_create",
    DELETE_DP: "temporary_password_delete",
    MODIFY_DP: "temporary_password_modify",
    FREEZE_DP: "temporary_password_freeze",
    UNFREEZE_DP: "temporary_password_unfreeze",
    CLEAR_DP: "temporary_password_clear",
}
CREDENTIAL_TYPES = [member.name.lower() for member in CredentialType]


def aware(value: datetime) -> datetime:
    """Return ``value`` in Home Assistant's time zone when it has none."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


def _temporary_password(
    password_id: int,
    password: str,
    valid_from: datetime | None,
    valid_to: datetime,
    *,
    one_time: bool,
) -> TemporaryPassword:
    """Check the user's fields and return the password to send."""
    if not (len(password) == 6 and password.isascii() and password.isdigit()):
        raise field_error("lock_password_invalid", "password")
    start = aware(valid_from) if valid_from is not None else dt_util.now()
    end = aware(valid_to)
    if end <= start:
        raise field_error("lock_password_window", "valid_to")
    if end <= dt_util.now():
        raise field_error("lock_password_expired", "valid_to")
    return TemporaryPassword(PasswordRef(password_id), password, start, end, one_time)


async def _async_password_request(
    lock: TuyaLock, dpid: int, password_id: int, datapoint: Any
) -> None:
    """Send a temporary password DP; raise unless the lock did it."""
    name = PASSWORD_DP_NAMES[dpid]

    def answer(event: events.LockEvent) -> PasswordAnswer | None:
        if (
            isinstance(event, events.CredentialReport)
            and event.name == name
            and isinstance(event.value, PasswordAnswer)
            and (dpid == CLEAR_DP or event.value.ref.tuya_seq == password_id)
        ):
            return event.value
        return None

    result = await lock.async_request(datapoint, answer)
    if not result.success:
        try:
            reason = PasswordResult(result.result).name.lower()
        except ValueError:
            reason = str(result.result)
        raise device_error(
            "lock_password_refused", name=lock.name, id=password_id, reason=reason
        )


async def async_create_temporary_password(
    lock: TuyaLock,
    password: str,
    valid_to: datetime,
    valid_from: datetime | None = None,
    *,
    one_time: bool = False,
) -> dict[str, Any]:
    """Create a temporary password on the lock (DP 24); return its id and window."""
    ieee = str(lock.ieee)
    password_id = lock.secrets.next_password_id(ieee)
    temporary = _temporary_password(
        password_id, password, valid_from, valid_to, one_time=one_time
    )
    layout = lock.cluster.product.password_layout
    await _async_password_request(
        lock, CREATE_DP, password_id, create_datapoint(layout, temporary)
    )
    info = TemporaryPasswordInfo(
        password_id, temporary.valid_from, temporary.valid_to, one_time
    )
    lock.secrets.set_temporary_password(ieee, info)
    return info.as_dict()


async def async_modify_temporary_password(
    lock: TuyaLock,
    password_id: int,
    password: str,
    valid_to: datetime,
    valid_from: datetime | None = None,
    *,
    one_time: bool = False,
) -> dict[str, Any]:
    """Change a temporary password's digits, window or flag (DP 26)."""
    temporary = _temporary_password(
        password_id, password, valid_from, valid_to, one_time=one_time
    )
    layout = lock.cluster.product.password_layout
    await _async_password_request(
        lock, MODIFY_DP, password_id, modify_datapoint(layout, temporary)
    )
    known = lock.secrets.temporary_password(str(lock.ieee), password_id)
    info = TemporaryPasswordInfo(
        password_id,
        temporary.valid_from,
        temporary.valid_to,
        one_time,
        known.frozen if known else False,
    )
    lock.secrets.set_temporary_password(str(lock.ieee), info)
    return info.as_dict()


async def async_change_temporary_password(
    lock: TuyaLock, dpid: int, password_id: int
) -> None:
    """Delete (DP 25), freeze (27) or unfreeze (28) a temporary password."""
    await _async_password_request(
        lock, dpid, password_id, reference_datapoint(dpid, PasswordRef(password_id))
    )
    ieee = str(lock.ieee)
    if dpid == DELETE_DP:
        lock.secrets.remove_temporary_passwords(ieee, password_id)
    elif known := lock.secrets.temporary_password(ieee, password_id):
        lock.secrets.set_temporary_password(
            ieee,
            TemporaryPasswordInfo(
                password_id,
                known.valid_from,
                known.valid_to,
                known.one_time,
                frozen=dpid == FREEZE_DP,
            ),
        )


async def async_clear_temporary_passwords(lock: TuyaLock) -> None:
    """Delete every temporary password on the lock (DP 39)."""
    await _async_password_request(
        lock, CLEAR_DP, 0, reference_datapoint(CLEAR_DP, PasswordRef(0))
    )
    lock.secrets.remove_temporary_passwords(str(lock.ieee))


def _credential_type(name: str) -> CredentialType:
    try:
        return CredentialType[name.upper()]
    except KeyError:
        raise field_error("lock_credential_type_invalid", "credential_type") from None


async def async_enrol(
    lock: TuyaLock, credential_type: str, member_id: int, *, administrator: bool
) -> dict[str, Any]:
    """Start enrolling a credential at the lock (DP 54); return the first stage.

    The person at the lock then touches the reader (or types the password);
    the lock reports each stage, up to done with the new credential's id.
    """
    credential = Credential(
        _credential_type(credential_type), member_id, administrator=administrator
    )

    def answer(event: events.LockEvent) -> EnrolmentReport | None:
        if isinstance(event, events.CredentialReport) and isinstance(
            event.value, EnrolmentReport
        ):
            return event.value
        return None

    report = await lock.async_request(enrol_datapoint(credential), answer)
    if report.stage in (Stage.FAILED, Stage.CANCELLED):
        raise device_error("lock_enrolment_refused", name=lock.name)
    return {
        "stage": stage_name(report.stage),
        "credential_type": credential_type_name(report.credential.type),
        "member_id": report.credential.member_id,
    }


async def async_cancel_enrolment(lock: TuyaLock) -> None:
    """Stop the enrolment under way (DP 54, stage cancelled)."""
    running = lock.state.enrolment
    if running is None or running.stage in (
        Stage.DONE,
        Stage.FAILED,
        Stage.CANCELLED,
    ):
        raise user_error("lock_no_enrolment")

    def answer(event: events.LockEvent) -> EnrolmentReport | None:
        if (
            isinstance(event, events.CredentialReport)
            and isinstance(event.value, EnrolmentReport)
            and event.value.stage == Stage.CANCELLED
        ):
            return event.value
        return None

    await lock.async_request(
        enrol_datapoint(running.credential, Stage.CANCELLED), answer
    )


async def async_delete_credential(
    lock: TuyaLock, credential_type: str, credential_id: int, member_id: int
) -> None:
    """Delete one enrolled credential (DP 55)."""
    kind = _credential_type(credential_type)
    known = lock.state.credential_ids.get(credential_type_name(kind))
    if known is not None and credential_id not in known:
        raise field_error("lock_credential_unknown", "credential_id", id=credential_id)
    credential = Credential(kind, member_id, credential_id)

    def answer(event: events.LockEvent) -> DeleteReport | None:
        if isinstance(event, events.CredentialReport) and isinstance(
            event.value, DeleteReport
        ):
            return event.value
        return None

    report = await lock.async_request(delete_datapoint(credential), answer)
    if report.result != DeleteResult.SUCCESS:
        raise device_error(
            "lock_credential_not_deleted", name=lock.name, id=credential_id
        )


def credentials_overview(lock: TuyaLock) -> dict[str, Any]:
    """Return the enrolled ids per type and the temporary passwords (no digits)."""
    return {
        "credential_ids": {
            kind: sorted(ids) for kind, ids in lock.state.credential_ids.items()
        },
        "temporary_passwords": [
            password.as_dict()
            for password in lock.secrets.temporary_passwords(str(lock.ieee))
        ],
    }
