"""A simulated load control device: a DRLC client that takes part in events.

For each Load Control Event addressed to its device class and utility
enrollment group it reports Event Status: received at once, started at the
start and completed at the end, checked on each tick of the network's report
loop (every 0.5 s). ``time_scale`` makes event time run faster than real time
(60: a minute a second), counted from when the event arrived.
Randomization follows the event's control bits and the device's
randomization attributes. Overlapping events are not superseded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import random
from typing import Any, override

from zigpy.zcl import foundation

from se_gateway_core.clusters import drlc
from se_gateway_core.clusters.types import (
    CancelControl,
    CriticalityLevel,
    EventControl,
    EventStatus,
    Signature,
    SignatureType,
)

from .se_device import ReceivedCommand, SmartEnergyDevice, se_time_now
from .zcl import SimulatedCluster

REPORT_EVENT_STATUS = drlc.Drlc.ServerCommandDefs.report_event_status.id
UNSIGNED: Signature = Signature(b"\xff" * Signature.LENGTH)


@dataclass
class ActiveEvent:
    """A load control event the device has taken, on the event's own clock.

    Event time is ``received_utc`` when it arrived (monotonic ``received_at``)
    and runs ``time_scale`` times faster than the monotonic clock.
    """

    event: drlc.LoadControlEvent
    received_at: float
    received_utc: int
    start_utc: float
    end_utc: float
    cancel_utc: float | None = None
    started: bool = False


@dataclass
class LoadControlDevice(SmartEnergyDevice):
    """A DRLC client; its attributes live on its DRLC client cluster.

    Tests read ``events`` (active, by issuer event id) and ``status_reports``
    ((issuer event id, status) in the order sent).
    """

    time_scale: float = 1.0
    seed: int = 0
    events: dict[int, ActiveEvent] = field(default_factory=dict)
    status_reports: list[tuple[int, EventStatus]] = field(default_factory=list)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._random = random.Random(self.seed)

    @property
    def drlc_client(self) -> SimulatedCluster:
        """Return the DRLC client cluster."""
        return self.cluster(drlc.Drlc.cluster_id, server=False)

    def opt_out(self, issuer_event_id: int) -> None:
        """Leave an event: report User Opted Out; raises KeyError if unknown."""
        active = self.events.pop(issuer_event_id)
        now = self._event_time(active, self.clock())
        self._report(issuer_event_id, EventStatus.User_Opted_Out, now, active.event)

    @override
    def on_command(
        self,
        cluster: SimulatedCluster,
        hdr: foundation.ZCLHeader,
        command: ReceivedCommand,
    ) -> list[bytes]:
        """Take events and cancellations."""
        if command.name == "load_control_event":
            self._take_event(command.payload)
        elif command.name == "cancel_load_control_event":
            self._cancel(command.payload)
        else:  # cancel_all_load_control_events, the only other DRLC command
            for issuer_event_id in list(self.events):
                self._cancel_now(issuer_event_id)
        return []

    @override
    def on_tick(self, now: float) -> None:
        """Report events that started, ended or were cancelled by now."""
        for issuer_event_id, active in list(self.events.items()):
            event_now = self._event_time(active, now)
            if active.cancel_utc is not None and event_now >= active.cancel_utc:
                self._cancel_now(issuer_event_id)
                continue
            if not active.started and event_now >= active.start_utc:
                active.started = True
                self._report(
                    issuer_event_id, EventStatus.Event_Started, event_now, active.event
                )
            if event_now >= active.end_utc:
                del self.events[issuer_event_id]
                self._report(
                    issuer_event_id,
                    EventStatus.Event_Completed,
                    event_now,
                    active.event,
                )

    # Events --------------------------------------------------------------------

    def _addressed_to_me(self, device_class: int, group: int) -> bool:
        client = self.drlc_client
        my_group = client.get("utility_enrollment_group")
        return bool(device_class & client.get("device_class_value")) and (
            group in (drlc.ALL_ENROLLMENT_GROUPS, my_group)
        )

    def _take_event(self, event: drlc.LoadControlEvent) -> None:
        if event.issuer_event_id in self.events or not self._addressed_to_me(
            event.device_class, event.utility_enrollment_group
        ):
            return
        now_utc = se_time_now()
        start = (event.start_time or now_utc) + self._randomized(
            event, EventControl.Randomize_Start_Time, "start_randomization_minutes"
        )
        end = (
            start
            + event.duration_in_minutes * 60
            + self._randomized(
                event, EventControl.Randomize_End_Time, "duration_randomization_minutes"
            )
        )
        if end <= now_utc:
            self._report(
                event.issuer_event_id,
                EventStatus.Rejected_Event_Expired,
                now_utc,
                event,
            )
            return
        self.events[event.issuer_event_id] = ActiveEvent(
            event, self.clock(), now_utc, start, end
        )
        self._report(
            event.issuer_event_id,
            EventStatus.Load_Control_Event_Command_Received,
            now_utc,
            event,
        )

    def _randomized(
        self, event: drlc.LoadControlEvent, flag: EventControl, attribute: str
    ) -> float:
        minutes = self.drlc_client.get(attribute) or 0
        if not event.event_control & flag or not minutes:
            return 0.0
        return self._random.uniform(0, minutes * 60)

    def _cancel(self, cancel: drlc.CancelLoadControlEvent) -> None:
        active = self.events.get(cancel.issuer_event_id)
        if active is None:
            self._report(
                cancel.issuer_event_id,
                EventStatus.Rejected_Invalid_Cancel_Undefined_Event,
                se_time_now(),
                None,
            )
            return
        effective = cancel.effective_time or self._event_time(active, self.clock())
        if cancel.cancel_control & CancelControl.Graceful:
            effective += self._randomized(
                active.event,
                EventControl.Randomize_End_Time,
                "duration_randomization_minutes",
            )
        active.cancel_utc = effective
        self.on_tick(self.clock())

    def _cancel_now(self, issuer_event_id: int) -> None:
        active = self.events.pop(issuer_event_id)
        now = self._event_time(active, self.clock())
        self._report(issuer_event_id, EventStatus.Event_Cancelled, now, active.event)

    def _event_time(self, active: ActiveEvent, now: float) -> float:
        return active.received_utc + (now - active.received_at) * self.time_scale

    # Reports -------------------------------------------------------------------

    def _report(
        self,
        issuer_event_id: int,
        status: EventStatus,
        when: float,
        event: drlc.LoadControlEvent | None,
    ) -> None:
        self.status_reports.append((issuer_event_id, status))
        self.send_command(
            self.drlc_client,
            REPORT_EVENT_STATUS,
            _status(issuer_event_id, status, int(when), event),
        )


def _status(
    issuer_event_id: int,
    status: EventStatus,
    when: int,
    event: drlc.LoadControlEvent | None,
) -> drlc.ReportEventStatus:
    """Build a Report Event Status applying ``event``'s controls (unsigned)."""
    applied: dict[str, Any] = {
        "criticality_level_applied": CriticalityLevel.Reserved,
        "cooling_temperature_set_point_applied": drlc.SET_POINT_APPLIED_NOT_USED,
        "heating_temperature_set_point_applied": drlc.SET_POINT_APPLIED_NOT_USED,
        "average_load_adjustment_percentage_applied": (
            drlc.AVERAGE_LOAD_ADJUSTMENT_NOT_USED
        ),
        "duty_cycle_applied": drlc.DUTY_CYCLE_NOT_USED,
        "event_control": EventControl(0),
    }
    if event is not None:
        applied = {
            "criticality_level_applied": event.criticality_level,
            "cooling_temperature_set_point_applied": (
                event.cooling_temperature_set_point & 0xFFFF
            ),
            "heating_temperature_set_point_applied": (
                event.heating_temperature_set_point & 0xFFFF
            ),
            "average_load_adjustment_percentage_applied": (
                event.average_load_adjustment_percentage
            ),
            "duty_cycle_applied": event.duty_cycle,
            "event_control": event.event_control,
        }
    return drlc.ReportEventStatus(
        issuer_event_id=issuer_event_id,
        event_status=status,
        event_status_time=when,
        signature_type=SignatureType.No_Signature,
        signature=UNSIGNED,
        **applied,
    )
