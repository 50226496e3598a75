"""Received attribute reports, as the manual's ``start_receiving_reports_response``.

zigpy hands every frame a device sends to the application's listeners
(``handle_message``) before the device's cluster takes it; ZHA still updates
its entities from the same report. ``AttributeReports`` picks the ZCL Report
Attributes commands out of those frames and, for the attributes the user asked
for with ``start_receiving_reports`` (``subscriptions``; see
``gateway.report_subscriptions``), calls ``on_report`` once per reported
attribute with the manual's parameters: ``source_address``,
``source_endpoint_id``, ``cluster_id``, ``server_or_client``, ``profile_id``,
``manufacturer_code`` and ``record`` (an ``AttributeReportRecord``:
``attribute_id``, ``attribute_type``, ``value``). A report that does not
decode is logged once per device and dropped.

The same path tells the reporting watch (``gateway.reporting_watch``) each
report of an attribute whose reporting the gateway configured (``watch``),
which restarts its deadline.

Every other frame, and the reports of clusters nobody asked for, are dropped
after one dictionary look-up, before they are decoded: high-rate state reaches
Home Assistant through ZHA's entities, not as bus events the recorder stores.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any, Final

from zigpy.application import ControllerApplication
from zigpy.device import Device
import zigpy.types as t
from zigpy.zcl import foundation

from ..gateway.report_subscriptions import NONE, ReportSubscriptions
from ..gateway.reporting_watch import ReportingWatch
from ..gateway.zcl import CLIENT, SERVER
from ..gateway.zcl_records import json_value

_LOGGER: Final = logging.getLogger(__name__)

REPORT_ATTRIBUTES: Final = foundation.GeneralCommand.Report_Attributes
REPORT_SCHEMA: Final = foundation.GENERAL_COMMANDS[REPORT_ATTRIBUTES].schema
ZDO_ENDPOINT: Final = 0
# The frame control's direction bit: set in frames a server sends (ZCL 2.4.1.1.3).
SERVER_TO_CLIENT_BIT: Final = 0x08

type ReportCallback = Callable[[t.EUI64, dict[str, Any]], None]


def report_records(message: bytes) -> tuple[foundation.ZCLHeader, list[Any]] | None:
    """Return the header and attribute records of a Report Attributes frame.

    Return None for any other frame; raise ValueError if a report is malformed.
    """
    hdr, payload = foundation.ZCLHeader.deserialize(message)
    if hdr.frame_control.is_cluster or hdr.command_id != REPORT_ATTRIBUTES:
        return None
    command, _rest = REPORT_SCHEMA.deserialize(payload)
    records: list[Any] = command.as_dict()["attribute_reports"]
    return hdr, records


class AttributeReports:
    """Calls ``on_report`` for each attribute a device reports."""

    def __init__(
        self,
        app: ControllerApplication,
        on_report: ReportCallback,
        subscriptions: ReportSubscriptions,
        watch: ReportingWatch | None = None,
    ) -> None:
        """Listen to the frames of ``app``'s devices once started."""
        self.app = app
        self.on_report = on_report
        self.subscriptions = subscriptions
        self.watch = watch
        self._logged: set[t.EUI64] = set()

    def start(self) -> None:
        """Start listening."""
        self.app.add_listener(self)

    def stop(self) -> None:
        """Stop listening."""
        self.app.remove_listener(self)

    def handle_message(
        self,
        device: Device,
        profile: int,
        cluster: int,
        src_ep: int,
        dst_ep: int,
        message: bytes,
    ) -> None:
        """Take a frame a device sent (zigpy application listener)."""
        if src_ep == ZDO_ENDPOINT or not message:
            return
        # The frame's direction says which side sent it: server or client.
        side = SERVER if message[0] & SERVER_TO_CLIENT_BIT else CLIENT
        wanted = self.subscriptions.attributes(device.ieee, src_ep, cluster, side)
        watched = (
            NONE
            if self.watch is None
            else self.watch.attributes(device.ieee, src_ep, cluster, side)
        )
        if not wanted and not watched:
            return
        try:
            report = report_records(message)
        except ValueError as err:
            if device.ieee not in self._logged:
                self._logged.add(device.ieee)
                _LOGGER.warning(
                    "Dropped a malformed frame from %s, cluster 0x%04X: %s",
                    device.ieee,
                    cluster,
                    err,
                )
            return
        if report is None:
            return
        hdr, records = report
        parameters = {
            "source_address": str(device.ieee),
            "source_endpoint_id": int(src_ep),
            "cluster_id": int(cluster),
            "server_or_client": (
                SERVER
                if hdr.frame_control.direction == foundation.Direction.Server_to_Client
                else CLIENT
            ),
            "profile_id": int(profile),
            "manufacturer_code": (
                None if hdr.manufacturer is None else int(hdr.manufacturer)
            ),
        }
        for record in records:
            if int(record.attrid) in watched and self.watch is not None:
                self.watch.heard(
                    (device.ieee, src_ep, cluster, side, int(record.attrid))
                )
            if int(record.attrid) not in wanted:
                continue
            self.on_report(
                device.ieee,
                {
                    **parameters,
                    "record": {
                        "attribute_id": int(record.attrid),
                        "attribute_type": int(record.value.type),
                        "value": json_value(record.value.value),
                    },
                },
            )
