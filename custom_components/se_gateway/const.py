"""Constants of the se_gateway integration."""

from typing import Final

DOMAIN: Final = "se_gateway"
ZHA_DOMAIN: Final = "zha"

CONF_RELOAD_ZHA_FOR_QUIRKS: Final = "reload_zha_for_quirks"
DEFAULT_RELOAD_ZHA_FOR_QUIRKS: Final = True

# Tuya door locks.
EVENT_LOCK_UNLOCKED: Final = f"{DOMAIN}_lock_unlocked"
EVENT_LOCK_ALARM: Final = f"{DOMAIN}_lock_alarm"
EVENT_LOCK_DOORBELL: Final = f"{DOMAIN}_lock_doorbell"
EVENT_LOCK_REMOTE_UNLOCK_REQUEST: Final = f"{DOMAIN}_lock_remote_unlock_request"
EVENT_LOCK_REMOTE_UNLOCK_RESULT: Final = f"{DOMAIN}_lock_remote_unlock_result"
EVENT_LOCK_ENROLMENT: Final = f"{DOMAIN}_lock_enrolment"
EVENT_LOCK_FIRMWARE_RESULT: Final = f"{DOMAIN}_lock_firmware_result"

# A lock reports its MCU version about every 2 minutes; three missed heartbeats
# make it unavailable.
LOCK_HEARTBEAT_TIMEOUT_S: Final = 360
# Without an auto-lock time from the lock, it counts as locked again this long
# after an unlock.
LOCK_DEFAULT_RELOCK_S: Final = 10
# Tamper and duress alarms stay on this long.
LOCK_ALARM_HOLD_S: Final = 300
# How long to wait for the lock's answer to a remote unlock.
LOCK_REMOTE_UNLOCK_TIMEOUT_S: Final = 15
# How long to wait for the lock's MCU version when it joins.
LOCK_VERSION_QUERY_TIMEOUT_S: Final = 60
# How long an MCU firmware update may take unless the action says otherwise.
LOCK_FIRMWARE_TIMEOUT_S: Final = 600
