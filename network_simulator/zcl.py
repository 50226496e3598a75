"""Device-side ZCL: attribute storage and the foundation (global) commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import logging
import time
from typing import Any

import zigpy.types as t
from zigpy.zcl import Cluster, foundation

_LOGGER = logging.getLogger(__name__)

GENERAL = foundation.GeneralCommand
Status = foundation.Status

# A handler for cluster-specific commands: gets the cluster, the header and the
# payload, and returns ZCL frames to send back (already serialized).
CommandHandler = Callable[
    ["SimulatedCluster", foundation.ZCLHeader, bytes], list[bytes]
]


@dataclass
class Reporting:
    """A configured attribute report."""

    min_interval: int
    max_interval: int
    reportable_change: Any
    last_report: float = 0.0
    last_value: Any = None


@dataclass
class SimulatedCluster:
    """One cluster on a simulated endpoint, described by a zigpy cluster class."""

    definition: type[Cluster]
    is_server: bool = True
    values: dict[int, Any] = field(default_factory=dict)
    command_handler: CommandHandler | None = None
    reporting: dict[int, Reporting] = field(default_factory=dict)
    # Attribute id -> timeout period (s, 0 for none) of the reports this cluster
    # was told to expect from the other side (Configure Reporting, direction 1).
    expected_reports: dict[int, int] = field(default_factory=dict)
    received: list[tuple[foundation.ZCLHeader, bytes]] = field(default_factory=list)

    @property
    def cluster_id(self) -> int:
        """Return the cluster id."""
        return int(self.definition.cluster_id)

    def attribute_type(self, attrid: int) -> type | None:
        """Return the Python type of an attribute, if the cluster defines it."""
        try:
            return self.definition.attributes[attrid].type
        except KeyError:
            return None

    def attribute_id(self, name: str) -> int:
        """Return the id of an attribute by name."""
        return int(self.definition.attributes_by_name[name].id)

    def set(self, name: str, value: Any) -> None:
        """Set an attribute by name."""
        self.values[self.attribute_id(name)] = value

    def get(self, name: str) -> Any:
        """Return an attribute value by name."""
        return self.values.get(self.attribute_id(name))

    def type_value(self, attrid: int) -> foundation.TypeValue:
        """Return an attribute value as a typed ZCL value."""
        python_type = self.attribute_type(attrid)
        assert python_type is not None
        data_type = foundation.DataType.from_python_type(python_type)
        return foundation.TypeValue(
            type=data_type.type_id, value=python_type(self.values[attrid])
        )

    # Foundation commands -------------------------------------------------------

    def handle(self, hdr: foundation.ZCLHeader, payload: bytes) -> list[bytes]:
        """Handle one ZCL frame addressed to this cluster; return the replies."""
        self.received.append((hdr, payload))
        if hdr.frame_control.frame_type == foundation.FrameType.CLUSTER_COMMAND:
            if self.command_handler is not None:
                return self.command_handler(self, hdr, payload)
            return self._default_response(hdr, Status.UNSUP_CLUSTER_COMMAND)

        handlers: dict[int, Callable[[foundation.ZCLHeader, bytes], list[bytes]]] = {
            GENERAL.Read_Attributes: self._read_attributes,
            GENERAL.Write_Attributes: self._write_attributes,
            GENERAL.Write_Attributes_Undivided: self._write_attributes,
            GENERAL.Write_Attributes_No_Response: self._write_attributes,
            GENERAL.Configure_Reporting: self._configure_reporting,
            GENERAL.Read_Reporting_Configuration: self._read_reporting_configuration,
            GENERAL.Discover_Attributes: self._discover_attributes,
            GENERAL.Default_Response: lambda _hdr, _payload: [],
        }
        handler = handlers.get(hdr.command_id)
        if handler is None:
            return self._default_response(hdr, Status.UNSUP_GENERAL_COMMAND)
        try:
            return handler(hdr, payload)
        except (ValueError, KeyError) as err:
            _LOGGER.warning("Malformed ZCL command %s: %s", hdr, err)
            return self._default_response(hdr, Status.MALFORMED_COMMAND)

    def reply_direction(self) -> foundation.Direction:
        """Return the direction of frames this cluster sends."""
        if self.is_server:
            return foundation.Direction.Server_to_Client
        return foundation.Direction.Client_to_Server

    def frame(
        self, tsn: int, command_id: int, payload: bytes, *, general: bool = True
    ) -> bytes:
        """Build a ZCL frame sent by this cluster."""
        make = foundation.ZCLHeader.general if general else foundation.ZCLHeader.cluster
        hdr = make(tsn=tsn, command_id=command_id, direction=self.reply_direction())
        return hdr.serialize() + payload

    def _default_response(
        self, hdr: foundation.ZCLHeader, status: Status
    ) -> list[bytes]:
        if hdr.frame_control.disable_default_response and status == Status.SUCCESS:
            return []
        payload = t.uint8_t(hdr.command_id).serialize() + status.serialize()
        return [self.frame(hdr.tsn, GENERAL.Default_Response, payload)]

    def _schema(self, command_id: int, payload: bytes) -> Any:
        schema = foundation.GENERAL_COMMANDS[GENERAL(command_id)].schema
        value, _rest = schema.deserialize(payload)
        return value

    def _read_attributes(
        self, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        request = self._schema(hdr.command_id, payload)
        records = []
        for attrid in request.attribute_ids:
            if attrid in self.values and self.attribute_type(attrid) is not None:
                record = foundation.ReadAttributeRecord(
                    attrid, Status.SUCCESS, self.type_value(attrid)
                )
            else:
                record = foundation.ReadAttributeRecord(
                    attrid, Status.UNSUPPORTED_ATTRIBUTE
                )
            records.append(record)
        data = b"".join(record.serialize() for record in records)
        return [self.frame(hdr.tsn, GENERAL.Read_Attributes_rsp, data)]

    def _write_attributes(
        self, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        request = self._schema(hdr.command_id, payload)
        failures: list[foundation.WriteAttributesStatusRecord] = []
        accepted: dict[int, Any] = {}
        for attribute in request.attributes:
            python_type = self.attribute_type(attribute.attrid)
            if python_type is None:
                failures.append(
                    foundation.WriteAttributesStatusRecord(
                        Status.UNSUPPORTED_ATTRIBUTE, attribute.attrid
                    )
                )
                continue
            accepted[attribute.attrid] = python_type(attribute.value.value)
        undivided = hdr.command_id == GENERAL.Write_Attributes_Undivided
        if not (undivided and failures):
            self.values.update(accepted)
        if hdr.command_id == GENERAL.Write_Attributes_No_Response:
            return []
        if not failures:
            failures = [foundation.WriteAttributesStatusRecord(Status.SUCCESS)]
        data = b"".join(record.serialize() for record in failures)
        return [self.frame(hdr.tsn, GENERAL.Write_Attributes_rsp, data)]

    def _configure_reporting(
        self, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        request = self._schema(hdr.command_id, payload)
        records: list[foundation.ConfigureReportingResponseRecord] = []
        for config in request.config_records:
            if config.direction == foundation.ReportingDirection.ReceiveReports:
                # The sender reports an attribute of its own cluster: this
                # cluster only notes how long it may wait between reports.
                self.expected_reports[config.attrid] = int(config.timeout)
                continue
            if self.attribute_type(config.attrid) is None:
                records.append(
                    foundation.ConfigureReportingResponseRecord(
                        Status.UNSUPPORTED_ATTRIBUTE, config.direction, config.attrid
                    )
                )
                continue
            self.reporting[config.attrid] = Reporting(
                min_interval=config.min_interval,
                max_interval=config.max_interval,
                reportable_change=getattr(config, "reportable_change", None),
                last_report=time.monotonic(),
                last_value=self.values.get(config.attrid),
            )
        if not records:
            records = [foundation.ConfigureReportingResponseRecord(Status.SUCCESS)]
        data = b"".join(record.serialize() for record in records)
        return [self.frame(hdr.tsn, GENERAL.Configure_Reporting_rsp, data)]

    def _read_reporting_configuration(
        self, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        request = self._schema(hdr.command_id, payload)
        data = b""
        for record in request.attribute_records:
            if record.direction == foundation.ReportingDirection.ReceiveReports:
                data += self._expected_report_record(record.attrid)
                continue
            reporting = self.reporting.get(record.attrid)
            python_type = self.attribute_type(record.attrid)
            if reporting is None or python_type is None:
                data += Status.UNREPORTABLE_ATTRIBUTE.serialize()
                data += (
                    record.direction.serialize() + t.uint16_t(record.attrid).serialize()
                )
                continue
            config = foundation.AttributeReportingConfig()
            config.direction = foundation.ReportingDirection.SendReports
            config.attrid = t.uint16_t(record.attrid)
            config.datatype = foundation.DataType.from_python_type(python_type).type_id
            config.min_interval = reporting.min_interval
            config.max_interval = reporting.max_interval
            config.reportable_change = reporting.reportable_change or 0
            data += Status.SUCCESS.serialize() + config.serialize()
        return [self.frame(hdr.tsn, GENERAL.Read_Reporting_Configuration_rsp, data)]

    def _expected_report_record(self, attrid: int) -> bytes:
        """Return the read-reporting-configuration record of expected reports."""
        timeout = self.expected_reports.get(attrid)
        direction = foundation.ReportingDirection.ReceiveReports
        if timeout is None:
            return (
                Status.UNREPORTABLE_ATTRIBUTE.serialize()
                + direction.serialize()
                + t.uint16_t(attrid).serialize()
            )
        config = foundation.AttributeReportingConfig()
        config.direction = direction
        config.attrid = t.uint16_t(attrid)
        config.timeout = timeout
        return Status.SUCCESS.serialize() + config.serialize()

    def _discover_attributes(
        self, hdr: foundation.ZCLHeader, payload: bytes
    ) -> list[bytes]:
        request = self._schema(hdr.command_id, payload)
        ids = sorted(
            attrid
            for attrid in self.values
            if attrid >= request.start_attribute_id and self.attribute_type(attrid)
        )
        chosen = ids[: request.max_attribute_ids]
        data = t.Bool(len(chosen) == len(ids)).serialize()
        for attrid in chosen:
            python_type = self.attribute_type(attrid)
            assert python_type is not None
            data += foundation.DiscoverAttributesResponseRecord(
                attrid=attrid,
                datatype=foundation.DataType.from_python_type(python_type).type_id,
            ).serialize()
        return [self.frame(hdr.tsn, GENERAL.Discover_Attributes_rsp, data)]

    # Reports -------------------------------------------------------------------

    def due_reports(self, now: float) -> list[int]:
        """Return the attributes whose report is due, and mark them reported."""
        due: list[int] = []
        for attrid, reporting in self.reporting.items():
            value = self.values.get(attrid)
            if value is None or reporting.max_interval == 0xFFFF:
                continue
            elapsed = now - reporting.last_report
            changed = _changed_enough(reporting, value)
            periodic = 0 < reporting.max_interval <= elapsed
            if periodic or (changed and elapsed >= reporting.min_interval):
                reporting.last_report = now
                reporting.last_value = value
                due.append(attrid)
        return due

    def report_frame(self, tsn: int, attrids: list[int]) -> bytes:
        """Build a Report Attributes frame for the given attributes."""
        data = b"".join(
            foundation.Attribute(attrid, self.type_value(attrid)).serialize()
            for attrid in attrids
        )
        return self.frame(tsn, GENERAL.Report_Attributes, data)


def _changed_enough(reporting: Reporting, value: Any) -> bool:
    if value == reporting.last_value:
        return False
    change = reporting.reportable_change
    if not change or not isinstance(value, int | float):
        return True
    last = reporting.last_value if isinstance(reporting.last_value, int | float) else 0
    return bool(abs(value - last) >= change)
