"""Control-channel commands that make one simulated device act.

Each takes the words after ``KIND IEEE`` and returns the answer line; bad
words raise KeyError, IndexError or ValueError, which the channel reports.
"""

from __future__ import annotations

from .device import SimulatedDevice
from .in_home_display import InHomeDisplay
from .load_control import LoadControlDevice
from .lock.alarms import alarm_code
from .price_server import MeterWithPriceServer
from .tuya_lock import TuyaLock

DOOR_STATES = {"open": True, "closed": False, "close": False}


def run(kind: str, device: SimulatedDevice, args: list[str]) -> str:
    """Run one device command; ``kind`` must match the device."""
    match kind, device:
        case "lock", TuyaLock():
            answer = lock_command(device, args)
        case "ihd", InHomeDisplay():
            answer = display_command(device, args)
        case "load", LoadControlDevice():
            answer = load_command(device, args)
        case "meter-price", MeterWithPriceServer():
            answer = price_meter_command(device, args)
        case _:
            raise KeyError(f"{device.ieee} is not a {kind}")
    return f"ok {answer}"


def lock_command(lock: TuyaLock, args: list[str]) -> str:
    """Make a lock act: unlock, door, alarm, keypad, finger, enrol-finger, etc."""
    action, words = args[0], args[1:]
    match action:
        case "unlock":
            lock.unlock(words[0].replace("-", "_"), int(words[1]))
        case "door":
            lock.door(DOOR_STATES[words[0]])
        case "alarm":
            lock.alarm(alarm_code(words[0]))
        case "keypad":
            lock.keypad(words[0])
        case "finger":
            lock.touch(words[0])
        case "enrol-finger":
            lock.enrol_finger(words[0])
        case "battery":
            lock.battery(int(words[0]))
        case "doorbell":
            lock.doorbell()
        case "remote-request":
            lock.remote_unlock_request(int(words[0]))
        case "lock":
            lock.lock()
        case "status":
            pass
        case _:
            raise KeyError(action)
    return lock.status()


def display_command(display: InHomeDisplay, args: list[str]) -> str:
    """Make a display act: get-price, read-time, confirm MESSAGE_ID, status."""
    match args:
        case ["get-price"]:
            display.request_price()
        case ["read-time"]:
            display.read_time()
        case ["confirm", message_id]:
            display.confirm(int(message_id))
        case ["status"]:
            pass
        case _:
            raise KeyError(" ".join(args))
    return (
        f"prices={len(display.prices)} drlc_events={len(display.drlc_events)}"
        f" messages={len(display.messages)} confirmed={display.confirmed}"
    )


def load_command(device: LoadControlDevice, args: list[str]) -> str:
    """Make a load control device act: opt-out EVENT_ID, status."""
    match args:
        case ["opt-out", issuer_event_id]:
            device.opt_out(int(issuer_event_id))
        case ["status"]:
            pass
        case _:
            raise KeyError(" ".join(args))
    reports = " ".join(
        f"{event_id}:{status.name}" for event_id, status in device.status_reports
    )
    return f"events={sorted(device.events)} reports=[{reports}]"


def price_meter_command(meter: MeterWithPriceServer, args: list[str]) -> str:
    """Make a price meter act: publish PRICE [TIER], status."""
    match args:
        case ["publish", price_value]:
            meter.publish_price(int(price_value))
        case ["publish", price_value, tier]:
            meter.publish_price(int(price_value), tier=int(tier))
        case ["status"]:
            pass
        case _:
            raise KeyError(" ".join(args))
    current = meter.current_price
    price_value = "none" if current is None else str(current.price)
    return f"price={price_value} published={meter.published}"
