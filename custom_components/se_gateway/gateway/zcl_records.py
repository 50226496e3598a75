"""ZCL foundation payloads built from the manual's records, and answers back.

Request records arrive as dicts already checked for types and ranges. What
only the cluster knows (an attribute's data type) is looked up here; a record
that still lacks it raises ``RecordFieldError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import zigpy.types as t
from zigpy.zcl import Cluster, foundation

from .errors import RecordFieldError
from .zcl import ZclAnswer

GENERAL = foundation.GeneralCommand
DEFAULT_RESPONSE: Final = (True, GENERAL.Default_Response)
SEND_REPORTS: Final = foundation.ReportingDirection.SendReports
STOP_REPORTING_INTERVAL: Final = 0xFFFF
# Collections: the manual's write record carries one value, not a list of them.
COLLECTION_TYPE_IDS: Final = frozenset(
    {
        foundation.DataTypeId.array,
        foundation.DataTypeId.struct,
        foundation.DataTypeId.set,
        foundation.DataTypeId.bag,
    }
)

type Record = Mapping[str, Any]


def json_value(value: Any) -> Any:
    """Return a zigpy value as plain JSON data (bytes as hex)."""
    if isinstance(value, foundation.TypeValue):
        return json_value(value.value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, t.EUI64):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return str(value)


def field_name(index: int, name: str) -> str:
    """Return the name of a field of the ``index``-th record."""
    return f"record_list[{index}].{name}"


def data_type(type_id: int) -> foundation.DataType | None:
    """Return the ZCL data type with id ``type_id``, or None if there is none."""
    for known in foundation.DataType:
        if known.type_id == type_id:
            return known
    return None


def attribute_type(cluster: Cluster, record: Record, index: int) -> foundation.DataType:
    """Return the record's ZCL data type, or the one the cluster defines."""
    field = field_name(index, "attribute_type")
    if (type_id := record.get("attribute_type")) is None:
        definition = cluster.attributes.get(record["attribute_id"])
        if definition is None:
            raise RecordFieldError(field, "missing_field")
        type_id = definition.zcl_type
    if (found := data_type(type_id)) is None:
        raise RecordFieldError(field, "invalid_field", "unknown ZCL data type")
    return found


def default_response_status(answer: ZclAnswer) -> int | None:
    """Return the status of a Default Response answer, else None."""
    if isinstance(answer.command, foundation.DefaultResponse):
        return int(answer.command.status)
    return None


def _status(answer: ZclAnswer) -> int:
    status = default_response_status(answer)
    return int(foundation.Status.SUCCESS) if status is None else status


# Read Attributes ------------------------------------------------------------


def uint16(value: int) -> bytes:
    """Return a 16-bit value as ZCL sends it (little endian)."""
    return int(value).to_bytes(2, "little")


def read_attributes_payload(records: Sequence[Record]) -> bytes:
    """Return a Read Attributes payload."""
    return b"".join(uint16(record["attribute_id"]) for record in records)


def read_attributes_answer(answer: ZclAnswer) -> dict[str, Any]:
    """Return ``ReadAttributeStatusRecord``s from a Read Attributes Response."""
    records: list[dict[str, Any]] = []
    if default_response_status(answer) is None:
        for record in answer.command.status_records:
            item: dict[str, Any] = {
                "attribute_id": int(record.attrid),
                "status": int(record.status),
            }
            if record.status == foundation.Status.SUCCESS:
                value = record.value
                type_id = (
                    value.type
                    if isinstance(value, foundation.TypeValue)
                    else foundation.DataType.from_python_type(type(value)).type_id
                )
                item["attribute_type"] = int(type_id)
                item["value"] = json_value(value)
            records.append(item)
    return {"status": _status(answer), "record_list": records}


# Write Attributes -----------------------------------------------------------


def _problem(err: Exception) -> str:
    """Return what is wrong with a value, as text for the user."""
    if isinstance(err, KeyError):
        return f"{err.args[0]!r} is not one of the type's values" if err.args else ""
    return str(err)


def write_attributes_payload(
    cluster: Cluster, records: Sequence[Record]
) -> tuple[bytes, list[dict[str, Any]]]:
    """Return a Write Attributes payload and the records as written."""
    payload = b""
    written: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        zcl_type = attribute_type(cluster, record, index)
        if zcl_type.type_id in COLLECTION_TYPE_IDS:
            raise RecordFieldError(
                field_name(index, "attribute_type"),
                "invalid_field",
                f"a {zcl_type.name} cannot be written from a single value",
            )
        try:
            value = zcl_type.python_type(record["value"])
            payload += foundation.Attribute(
                record["attribute_id"], foundation.TypeValue(zcl_type.type_id, value)
            ).serialize()
        # Enums and booleans look text up by member name: a KeyError.
        except (TypeError, ValueError, OverflowError, KeyError) as err:
            raise RecordFieldError(
                field_name(index, "value"), "invalid_field", _problem(err)
            ) from None
        written.append(
            {
                "attribute_id": record["attribute_id"],
                "attribute_type": int(zcl_type.type_id),
                "value": json_value(value),
            }
        )
    return payload, written


def _failed_statuses(
    answer: ZclAnswer, status: int, records: list[dict[str, Any]]
) -> dict[int, int]:
    """Return the status of each attribute that failed, by attribute id.

    A status record names each failed attribute; a Default Response with an
    error fails them all.
    """
    if default_response_status(answer) is None:
        return {
            int(record.attrid): int(record.status)
            for record in answer.command.status_records
            if record.status != foundation.Status.SUCCESS
        }
    if status != foundation.Status.SUCCESS:
        return {record["attribute_id"]: status for record in records}
    return {}


def write_attributes_answer(
    answer: ZclAnswer, written: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return ``WriteAttributeResponseRecord``s: one per written attribute."""
    status = _status(answer)
    failed = _failed_statuses(answer, status, written)
    return {
        "status": status,
        "record_list": [
            {"status": failed.get(record["attribute_id"], 0), **record}
            for record in written
        ],
    }


# Discover Attributes --------------------------------------------------------


def discover_attributes_payload(
    start_attribute_id: int, max_attribute_ids: int
) -> bytes:
    """Return a Discover Attributes payload."""
    return uint16(start_attribute_id) + bytes([max_attribute_ids])


def discover_attributes_answer(answer: ZclAnswer) -> dict[str, Any]:
    """Return ``AttributeInformationRecord``s from a Discover Attributes Response."""
    if default_response_status(answer) is not None:
        return {"status": _status(answer), "record_list": []}
    return {
        "status": _status(answer),
        "discovery_complete": bool(answer.command.discovery_complete),
        "record_list": [
            {"attribute_id": int(info.attrid), "attribute_type": int(info.datatype)}
            for info in answer.command.attribute_info
        ],
    }


# Configure Reporting ----------------------------------------------------------


def reporting_configs(
    cluster: Cluster, records: Sequence[Record], *, stop: bool = False
) -> tuple[bytes, list[dict[str, Any]]]:
    """Return a Configure Reporting payload and the records as configured.

    ``stop`` makes every record stop the reports of its attribute.
    """
    payload = b""
    configured: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        config = foundation.AttributeReportingConfig()
        config.attrid = record["attribute_id"]
        config.direction = (
            foundation.ReportingDirection.ReceiveReports
            if record.get("direction") and not stop
            else SEND_REPORTS
        )
        item: dict[str, Any] = {
            "direction": int(config.direction),
            "attribute_id": record["attribute_id"],
        }
        if config.direction == foundation.ReportingDirection.ReceiveReports:
            config.timeout = record["timeout_period"]
            item["timeout_period"] = config.timeout
        else:
            zcl_type = attribute_type(cluster, record, index)
            config.datatype = zcl_type.type_id
            config.min_interval = 0 if stop else record["min_interval"]
            config.max_interval = (
                STOP_REPORTING_INTERVAL if stop else record["max_interval"]
            )
            config.reportable_change = 0 if stop else record["reportable_change"]
            item |= {
                "attribute_type": int(zcl_type.type_id),
                "min_interval": config.min_interval,
                "max_interval": config.max_interval,
                "reportable_change": config.reportable_change,
            }
        try:
            payload += config.serialize()
        except (TypeError, ValueError, OverflowError) as err:
            raise RecordFieldError(
                field_name(index, "reportable_change"), "invalid_field", str(err)
            ) from None
        configured.append(item)
    return payload, configured


def configure_reporting_answer(
    answer: ZclAnswer, configured: list[dict[str, Any]], *, stop: bool = False
) -> dict[str, Any]:
    """Return one status record per configured attribute.

    ``AttributeReportingConfigurationResponseRecord``s repeat the request on
    success; ``StopReportingStatusRecord``s hold the status and attribute only.
    """
    status = _status(answer)
    failed = _failed_statuses(answer, status, configured)
    records: list[dict[str, Any]] = []
    for record in configured:
        record_status = failed.get(record["attribute_id"], 0)
        if stop or record_status:
            records.append(
                {"status": record_status, "attribute_id": record["attribute_id"]}
            )
        else:
            records.append({"status": record_status, **record})
    return {"status": status, "record_list": records}


# Read Reporting Configuration -------------------------------------------------


def read_reporting_configuration_payload(
    direction: int, records: Sequence[Record]
) -> bytes:
    """Return a Read Reporting Configuration payload."""
    return b"".join(
        foundation.ReadReportingConfigRecord(
            direction=direction, attrid=record["attribute_id"]
        ).serialize()
        for record in records
    )


def read_reporting_configuration_answer(answer: ZclAnswer) -> dict[str, Any]:
    """Return ``ReadReportingConfigurationRecord``s from the answer."""
    records: list[dict[str, Any]] = []
    if default_response_status(answer) is None:
        for with_status in answer.command.attribute_configs:
            config = with_status.config
            item: dict[str, Any] = {
                "status": int(with_status.status),
                "direction": int(config.direction),
                "attribute_id": int(config.attrid),
            }
            if with_status.status == foundation.Status.SUCCESS:
                if config.direction == foundation.ReportingDirection.ReceiveReports:
                    item["timeout_period"] = int(config.timeout)
                else:
                    item |= {
                        "attribute_type": int(config.datatype),
                        "min_interval": int(config.min_interval),
                        "max_interval": int(config.max_interval),
                        "reportable_change": json_value(
                            getattr(config, "reportable_change", None)
                        ),
                    }
            records.append(item)
    return {"status": _status(answer), "record_list": records}
