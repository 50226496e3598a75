"""A lock's remote unlock: its DP, its password-free key and its results.

DP 21 and DP 103 products unlock with the lock's own remote password;
password-free products unlock with a key the gateway sets (DP 48), rotates and
keeps privately (DP 49). Each result goes to the request it answers
(``UnlockResultMatcher``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import TYPE_CHECKING, Final

from homeassistant.util import dt as dt_util
from zigpy.exceptions import ZigbeeException

from ..const import EVENT_LOCK_REMOTE_UNLOCK_RESULT, LOCK_REMOTE_UNLOCK_TIMEOUT_S
from ..core.tuya_lock import events
from ..core.tuya_lock.datapoints import Datapoint
from ..core.tuya_lock.remote_unlock import (
    UNLIMITED_USES,
    KeyAnswer,
    PasswordFreeKey,
    RemoteUnlockMethod,
    key_set_datapoint,
    key_unlock_datapoint,
    new_key,
    password_8_datapoint,
    password_datapoint,
)
from ..core.tuya_lock.unlock_results import UnlockResultMatcher
from ..errors import device_error, user_error

if TYPE_CHECKING:
    from .runtime import TuyaLock

_LOGGER = logging.getLogger(__name__)

# The password-free key the gateway sets: valid from a day before it is set
# (the lock's clock may lag) for a year, for any number of unlocks; a new one
# replaces it a week before it ends, or when the lock refuses it.
KEY_VALID_BEFORE_S: Final = 86_400
KEY_VALIDITY_S: Final = 365 * 86_400
KEY_RENEW_BEFORE_S: Final = 7 * 86_400


class RemoteUnlocker:
    """Unlocks one lock remotely and matches the lock's results to requests."""

    def __init__(self, lock: TuyaLock, command_lock: asyncio.Lock) -> None:
        """Unlock ``lock``, one command at a time under ``command_lock``."""
        self._lock = lock
        self._command_lock = command_lock
        # Remote unlock results go to the request they answer (by seq, key id
        # and order); a late answer to a request that timed out is dropped.
        self._results = UnlockResultMatcher()
        self._waiters: dict[int, asyncio.Future[bool]] = {}

    def on_result(self, event: events.RemoteUnlockResult) -> bool:
        """Give a result to the request it answers; False when it is stale."""
        lock = self._lock
        request = self._results.match(event, lock.hass.loop.time())
        waiter = None if request is None else self._waiters.get(request.seq)
        if waiter is None or waiter.done():
            _LOGGER.info(
                "%s: ignored a remote unlock result (seq %d) that answers no"
                " pending request: late, after its request timed out, or unasked",
                lock.name,
                event.source_seq,
            )
            return False
        waiter.set_result(event.success)
        lock.fire(EVENT_LOCK_REMOTE_UNLOCK_RESULT, success=event.success)
        return True

    async def async_request(
        self, datapoint: Datapoint, key_id: int | None = None
    ) -> bool:
        """Send one remote unlock DP and return the result that answers it.

        Only the result the lock gives to this request counts (see
        `UnlockResultMatcher`): a late answer to an earlier request is
        ignored. Raises HomeAssistantError when the lock is unreachable or
        does not answer in time.
        """
        lock = self._lock
        async with self._command_lock:
            seq = lock.cluster.new_seq()
            result: asyncio.Future[bool] = lock.hass.loop.create_future()
            self._waiters[seq] = result
            self._results.sent(seq, key_id, lock.hass.loop.time())
            try:
                try:
                    await lock.cluster.send_datapoints(datapoint, seq=seq)
                except (ZigbeeException, TimeoutError) as err:
                    raise device_error("lock_not_reachable", name=lock.name) from err
                try:
                    async with asyncio.timeout(LOCK_REMOTE_UNLOCK_TIMEOUT_S):
                        return await result
                except TimeoutError as err:
                    raise device_error("lock_no_answer", name=lock.name) from err
            finally:
                del self._waiters[seq]

    async def async_unlock(self, code: str | None, configured_code: str) -> None:
        """Unlock remotely, the way the lock's product does.

        DP 21 and DP 103 products take ``code``, the lock's own remote
        password. Password-free products unlock with the gateway's key;
        ``code`` must then match ``configured_code`` (the lock entity's default
        code) and never goes to the lock. Raises ServiceValidationError for a
        missing or wrong code, HomeAssistantError when the lock refuses or
        does not answer.
        """
        lock = self._lock
        method = lock.remote_unlock_method
        if method is RemoteUnlockMethod.PASSWORD_FREE:
            if not configured_code:
                raise user_error("lock_default_code_required")
            if not code or not secrets.compare_digest(code, configured_code):
                raise user_error("lock_code_wrong")
            await self._async_key_unlock()
        else:
            if not code:
                raise user_error("lock_code_required")
            try:
                datapoint = (
                    password_8_datapoint(code)
                    if method is RemoteUnlockMethod.PASSWORD_DP103
                    else password_datapoint(code)
                )
            except ValueError as err:
                raise user_error("lock_code_invalid") from err
            if not await self.async_request(datapoint):
                raise device_error("lock_refused_code", name=lock.name)
        lock.state.remote_request_until = None

    async def _async_key_unlock(self) -> None:
        """Unlock with the stored key (DP 49); set or rotate it (DP 48) first."""
        lock = self._lock
        key = lock.secrets.key(str(lock.ieee))
        renew_at = int(dt_util.utcnow().timestamp()) + KEY_RENEW_BEFORE_S
        if key is None or key.valid_to < renew_at:
            key = await self._async_new_key()
        layout = lock.cluster.product.key_layout
        if await self.async_request(key_unlock_datapoint(layout, key), key.key_id):
            return
        # The lock refused the key (reset, full, expired): set a new one, once.
        _LOGGER.info("%s refused the gateway's key; setting a new one", lock.name)
        key = await self._async_new_key()
        if not await self.async_request(key_unlock_datapoint(layout, key), key.key_id):
            raise device_error("lock_refused_unlock", name=lock.name)

    async def _async_new_key(self) -> PasswordFreeKey:
        """Set a fresh random key on the lock (DP 48) and keep it privately."""
        lock = self._lock
        now = int(dt_util.utcnow().timestamp())
        key = PasswordFreeKey(
            lock.cluster.product.key_layout.key_id,
            new_key(),
            now - KEY_VALID_BEFORE_S,
            now + KEY_VALIDITY_S,
            UNLIMITED_USES,
        )
        answer = await lock.async_request(key_set_datapoint(key), _key_answer)
        if not answer.success:
            raise device_error("lock_refused_key", name=lock.name, status=answer.status)
        lock.secrets.set_key(str(lock.ieee), key)
        return key


def _key_answer(event: events.LockEvent) -> KeyAnswer | None:
    """Pick the lock's answer to a new key (DP 48) out of the events."""
    if isinstance(event, events.CredentialReport) and isinstance(
        event.value, KeyAnswer
    ):
        return event.value
    return None
