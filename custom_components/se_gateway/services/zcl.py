"""The manual's ZCL requests: attributes, reporting, identify and raw commands."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import ServiceResponse
from homeassistant.helpers import config_validation as cv
import probatio
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Identify

from ..gateway.report_subscriptions import (
    AttributeKey,
    ReportingConfiguration,
    ReportSubscription,
    expected_timeout,
)
from ..gateway.zcl import ZclAnswer, ZclTarget, send_zcl_command
from ..gateway.zcl_records import (
    DEFAULT_RESPONSE,
    SEND_REPORTS,
    configure_reporting_answer,
    default_response_status,
    discover_attributes_answer,
    discover_attributes_payload,
    read_attributes_answer,
    read_attributes_payload,
    read_reporting_configuration_answer,
    read_reporting_configuration_payload,
    reporting_configs,
    uint16,
    write_attributes_answer,
    write_attributes_payload,
)
from .common import Gateway, ServiceData, ServiceSpec
from .fields import (
    RECORD_LIST,
    SIDE,
    UINT8,
    UINT16,
    ZCL_CLUSTER_TARGET,
    ZCL_TARGET,
    hex_bytes,
    records,
)

GENERAL = foundation.GeneralCommand
CLUSTER_SPECIFIC: Final = 1
DEFAULT_IDENTIFY_TIME_S: Final = 30


async def _general(
    target: ZclTarget, command: GENERAL, payload: bytes, answer: GENERAL
) -> ZclAnswer:
    """Send a general command; its response or a Default Response answers it."""
    return await send_zcl_command(
        target,
        general=True,
        command_id=command,
        payload=payload,
        answers={(True, answer), DEFAULT_RESPONSE},
    )


async def read_attributes(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Read attributes of a device's cluster."""
    target = gateway.zcl_target(data)
    answer = await _general(
        target,
        GENERAL.Read_Attributes,
        read_attributes_payload(data[RECORD_LIST]),
        GENERAL.Read_Attributes_rsp,
    )
    return target.answer_header() | read_attributes_answer(answer)


async def write_attributes(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Write attributes of a device's cluster, normally or undivided."""
    target = gateway.zcl_target(data)
    payload, written = write_attributes_payload(target.cluster, data[RECORD_LIST])
    command = (
        GENERAL.Write_Attributes_Undivided
        if data["undivided"]
        else GENERAL.Write_Attributes
    )
    answer = await _general(target, command, payload, GENERAL.Write_Attributes_rsp)
    return target.answer_header() | write_attributes_answer(answer, written)


async def discover_attributes(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Discover the attributes of a device's cluster."""
    target = gateway.zcl_target(data)
    answer = await _general(
        target,
        GENERAL.Discover_Attributes,
        discover_attributes_payload(
            data["start_attribute_id"], data["max_attribute_ids"]
        ),
        GENERAL.Discover_Attributes_rsp,
    )
    return target.answer_header() | discover_attributes_answer(answer)


def _subscriptions(
    target: ZclTarget, records: list[dict[str, Any]], *, stop: bool
) -> list[ReportSubscription]:
    """Return the attributes whose reports a (stop) request was answered for.

    Starting subscribes the attributes the device will report (status 0,
    direction 0); stopping unsubscribes every attribute it names.
    """
    return [
        ReportSubscription(
            target.device.ieee,
            target.endpoint_id,
            int(target.cluster.cluster_id),
            target.server_or_client,
            int(record["attribute_id"]),
        )
        for record in records
        if stop or (record["status"] == 0 and record["direction"] == SEND_REPORTS)
    ]


def _reporting(
    target: ZclTarget, asked: list[dict[str, Any]], answered: list[dict[str, Any]]
) -> tuple[list[ReportingConfiguration], list[AttributeKey]]:
    """Return the configurations to watch, and the attributes no longer watched.

    A configuration the device took (status 0, direction 0) is watched when it
    expects reports (``expected_timeout``): within the record's
    ``timeout_period``, or that of a direction 1 record of the same attribute
    in the request, else three maximum intervals. One that expects none
    (``max_interval`` 0 or 0xFFFF, no timeout) replaced any watched before.
    """
    timeouts = {
        int(record["attribute_id"]): int(record.get("timeout_period", 0))
        for record in asked
        if record.get("direction")
    }
    watched: list[ReportingConfiguration] = []
    unwatched: list[AttributeKey] = []
    for record, result in zip(asked, answered, strict=True):
        if result["status"] != 0 or result["direction"] != SEND_REPORTS:
            continue
        attribute_id = int(result["attribute_id"])
        timeout = expected_timeout(
            int(result["max_interval"]),
            int(record.get("timeout_period", 0)) or timeouts.get(attribute_id, 0),
        )
        change = result["reportable_change"]
        item = ReportingConfiguration(
            target.device.ieee,
            target.endpoint_id,
            int(target.cluster.cluster_id),
            target.server_or_client,
            attribute_id,
            int(result["attribute_type"]),
            int(result["min_interval"]),
            int(result["max_interval"]),
            float(change) if isinstance(change, float) else int(change),
            timeout,
            int(target.source_endpoint_id),
            target.manufacturer_code,
            bool(target.aps_encryption),
        )
        if timeout:
            watched.append(item)
        else:
            unwatched.append(item.key)
    return watched, unwatched


async def _configure_reporting(
    gateway: Gateway, data: ServiceData, *, stop: bool
) -> dict[str, Any]:
    target = gateway.zcl_target(data)
    payload, configured = reporting_configs(
        target.cluster, data[RECORD_LIST], stop=stop
    )
    answer = await _general(
        target, GENERAL.Configure_Reporting, payload, GENERAL.Configure_Reporting_rsp
    )
    result = configure_reporting_answer(answer, configured, stop=stop)
    # The reports of the subscribed attributes fire bus events; see
    # gateway.report_subscriptions.
    subscriptions = _subscriptions(target, result["record_list"], stop=stop)
    if stop:
        await gateway.store.async_unsubscribe_reports(subscriptions)
        # Stopped reports are no longer expected (gateway.reporting_watch).
        await gateway.store.async_remove_reporting(
            (*item.cluster_key, item.attribute_id) for item in subscriptions
        )
    else:
        await gateway.store.async_subscribe_reports(subscriptions)
        # The gateway sends these again when their reports stop.
        watched, unwatched = _reporting(
            target, data[RECORD_LIST], result["record_list"]
        )
        await gateway.store.async_remove_reporting(unwatched)
        await gateway.store.async_set_reporting(watched)
    return target.answer_header() | result


async def start_receiving_reports(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Configure a device's cluster to report attributes to the gateway."""
    return await _configure_reporting(gateway, data, stop=False)


async def stop_receiving_reports(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Configure a device's cluster to stop reporting attributes."""
    return await _configure_reporting(gateway, data, stop=True)


async def read_reporting_configuration(
    gateway: Gateway, data: ServiceData
) -> ServiceResponse:
    """Read how a device's cluster reports attributes."""
    target = gateway.zcl_target(data)
    answer = await _general(
        target,
        GENERAL.Read_Reporting_Configuration,
        read_reporting_configuration_payload(
            data["reporting_direction"], data[RECORD_LIST]
        ),
        GENERAL.Read_Reporting_Configuration_rsp,
    )
    return target.answer_header() | read_reporting_configuration_answer(answer)


async def identify(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Ask a device to identify itself; return its Default Response status."""
    target = gateway.zcl_target(data, cluster_id=Identify.cluster_id)
    answer = await send_zcl_command(
        target,
        general=False,
        command_id=Identify.ServerCommandDefs.identify.id,
        payload=uint16(data["identify_time"]),
        answers={DEFAULT_RESPONSE},
    )
    return target.answer_header() | {"status": default_response_status(answer)}


async def send_zcl(gateway: Gateway, data: ServiceData) -> ServiceResponse:
    """Send a raw command to a device's cluster and return its answer."""
    target = gateway.zcl_target(data)
    general = data["command_type"] != CLUSTER_SPECIFIC
    answers = None
    if (answer_id := data.get("response_command_identifier")) is not None:
        answer_general = data.get("response_command_type", data["command_type"]) == 0
        answers = {(answer_general, answer_id)}
    answer = await send_zcl_command(
        target,
        general=general,
        command_id=data["command_identifier"],
        payload=data["payload"],
        answers=answers,
    )
    command = answer.command
    payload = command if isinstance(command, bytes) else command.serialize()
    frame_type = answer.header.frame_control.frame_type
    return target.answer_header() | {
        "command_identifier": int(answer.header.command_id),
        "command_type": int(frame_type != foundation.FrameType.GLOBAL_COMMAND),
        "payload": payload.hex(),
    }


READ_ATTRIBUTES_RECORD: Final = {probatio.Required("attribute_id"): UINT16}
WRITE_ATTRIBUTES_RECORD: Final = {
    probatio.Required("attribute_id"): UINT16,
    probatio.Optional("attribute_type"): UINT8,
    probatio.Required("value"): probatio.Any(bool, int, float, str),
}
REPORTING_RECORD: Final = {
    probatio.Optional("direction", default=0): SIDE,
    probatio.Required("attribute_id"): UINT16,
    probatio.Optional("attribute_type"): UINT8,
    probatio.Optional("min_interval", default=0): UINT16,
    probatio.Optional("max_interval", default=0): UINT16,
    probatio.Optional("reportable_change", default=0): probatio.Coerce(float),
    probatio.Optional("timeout_period", default=0): UINT16,
}
STOP_REPORTING_RECORD: Final = {
    probatio.Required("attribute_id"): UINT16,
    probatio.Optional("attribute_type"): UINT8,
}


SERVICES: Final = (
    ServiceSpec(
        name="read_attributes",
        handler=read_attributes,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Required(RECORD_LIST): records(READ_ATTRIBUTES_RECORD),
        },
    ),
    ServiceSpec(
        name="write_attributes",
        handler=write_attributes,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Optional("undivided", default=False): cv.boolean,
            probatio.Required(RECORD_LIST): records(WRITE_ATTRIBUTES_RECORD),
        },
    ),
    ServiceSpec(
        name="discover_attributes",
        handler=discover_attributes,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Optional("start_attribute_id", default=0): UINT16,
            probatio.Optional("max_attribute_ids", default=0xFF): UINT8,
        },
    ),
    ServiceSpec(
        name="start_receiving_reports",
        handler=start_receiving_reports,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Required(RECORD_LIST): records(REPORTING_RECORD),
        },
    ),
    ServiceSpec(
        name="stop_receiving_reports",
        handler=stop_receiving_reports,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Required(RECORD_LIST): records(STOP_REPORTING_RECORD),
        },
    ),
    ServiceSpec(
        name="read_reporting_configuration",
        handler=read_reporting_configuration,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Optional("reporting_direction", default=0): SIDE,
            probatio.Required(RECORD_LIST): records(READ_ATTRIBUTES_RECORD),
        },
    ),
    ServiceSpec(
        name="identify",
        handler=identify,
        schema={
            **ZCL_TARGET,
            probatio.Optional("identify_time", default=DEFAULT_IDENTIFY_TIME_S): UINT16,
        },
    ),
    ServiceSpec(
        name="send_zcl",
        handler=send_zcl,
        schema={
            **ZCL_CLUSTER_TARGET,
            probatio.Required("command_identifier"): UINT8,
            probatio.Optional("command_type", default=CLUSTER_SPECIFIC): SIDE,
            probatio.Optional("response_command_identifier"): UINT8,
            probatio.Optional("response_command_type"): SIDE,
            probatio.Optional("enable_aps_encryption"): cv.boolean,
            probatio.Optional("payload", default=""): hex_bytes,
        },
    ),
)
