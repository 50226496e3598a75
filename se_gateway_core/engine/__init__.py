"""The gateway engine: a ZigBee Smart Energy ESI and aux gateway over zigpy.

Pure protocol code on zigpy and our cluster definitions; it imports nothing
of Home Assistant. ``GatewayEngine`` is the one object the integration uses:

    engine = GatewayEngine(on_change=save_and_redraw, on_sent=count_failures)
    engine.restore(saved)            # optional, a dict from engine.to_dict()
    engine.subscribe(on_notification)
    engine.attach(app)               # the zigpy ControllerApplication
    await engine.resend_all()        # the gateway (re)started
    result = await engine.create_price_event(PriceEvent(...))
    engine.view.prices(None).active(now)  # the tables, read in place
    engine.detach()

Its methods follow the manual's RPC requests (``create_price_event``,
``cancel_drlc_event``, ``get_message_events`` ...); creates and cancels
answer with a ``SendResult`` (status and ``device_list``). A request the
engine cannot carry out raises ``RefusalError``, whose ``reason`` (a
``Refusal``) says why; nothing is then stored or sent. Every request that
changes the state calls ``on_change`` once. What remote devices send comes
back as notifications named after the manual's response messages
(``received_report_event_status``, ``updated_active_price_event`` ...).

The modules hold the logic: ``records`` (the manual's records), ``tables``
(event semantics), ``esi`` and ``sending`` (what the server role sends to
whom), ``esi_requests`` (what it answers), ``client`` and ``client_drlc``
(aux gateway role), ``binding`` (zigpy listeners), ``view`` (read-only
access), ``refusals`` and ``store`` (persistence).

Time. SE clients read the Time cluster (0x000A) attributes ``time`` and
``time_status`` from the ESI, and the engine leaves that to zigpy. zigpy
decodes such a read with the cluster object of the device that sent it (the
client's own Time output cluster), which is zigpy's ``Time`` cluster: it
answers ``time`` with the host's UTC clock as seconds since 2000-01-01 (SE
UTCTime), ``time_status`` with Master | Master_for_Zone_and_DST (0x05), and
``time_zone``, ``standard_time`` and ``local_time`` from the host's zone. The
coordinator's own Time cluster is never involved, so there is nothing to
configure on it; a device that does not list Time among its output clusters
gets no answer (zigpy drops the read as addressed to an unknown cluster).
0x05 suits SE clients: SE 1.x (105638 section 5.7.2, as Silicon Labs' SE
registration applies it) ranks time servers Master and Superseding first,
then Master, then the lower short address, and never takes one with neither
the Master nor the Synchronized bit. ZCL says Synchronized is 0 whenever
Master is 1, so Master | Synchronized (0x03) would contradict itself; and
without Superseding, a meter that sets Master | Superseding (holding the
utility's time) rightly outranks the gateway.
"""

from __future__ import annotations

from .client_state import DrlcClientSettings
from .clock import Clock, ManualClock, SystemClock
from .delivery import DeliveryFailure, DeviceRef, SendResult
from .gateway import GatewayEngine
from .notifications import Notification
from .records import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DrlcEvent,
    EventStatusReport,
    MessageConfirmation,
    MessageEvent,
    PriceEvent,
    RecordError,
)
from .refusals import Refusal, RefusalError
from .reports import Received
from .scheduler import ManualScheduler
from .store import StoreError
from .view import EngineView

__all__ = [
    "CancelAllDrlcEvents",
    "CancelDrlcEvent",
    "CancelMessage",
    "Clock",
    "DeliveryFailure",
    "DeviceRef",
    "DrlcClientSettings",
    "DrlcEvent",
    "EngineView",
    "EventStatusReport",
    "GatewayEngine",
    "ManualClock",
    "ManualScheduler",
    "MessageConfirmation",
    "MessageEvent",
    "Notification",
    "PriceEvent",
    "Received",
    "RecordError",
    "Refusal",
    "RefusalError",
    "SendResult",
    "StoreError",
    "SystemClock",
]
