"""Reports from a Metering server on a Smart Energy profile (0x0109) endpoint.

ZHA binds a Home Automation meter's Metering cluster and configures its
reports, but skips endpoints of other profiles. A 0x0109 meter gets the same
here: bound to the gateway, with ZHA's reporting intervals for the attributes
it supports. A meter that fails to answer is logged and still announced.
What the meter took goes to ``on_configured``: the gateway store keeps it,
and ``gateway.reporting_watch`` sends it again when the reports stop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
import logging
from typing import Final

from zigpy.exceptions import ZigbeeException
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status, ZCLAttributeDef
from zigpy.zcl.helpers import ReportingConfig

from ..core.clusters.profile import SMART_ENERGY_PROFILE_ID
from ..gateway.report_subscriptions import ReportingConfiguration, expected_timeout
from ..gateway.zcl import SERVER

_LOGGER: Final = logging.getLogger(__name__)

DEMAND_REPORTING: Final = ReportingConfig(
    min_interval=5, max_interval=900, reportable_change=1
)
SUMMATION_REPORTING: Final = ReportingConfig(
    min_interval=30, max_interval=900, reportable_change=1
)
STATUS_REPORTING: Final = ReportingConfig(
    min_interval=1, max_interval=900, reportable_change=1
)
# What ZHA configures on a Home Automation meter (its SmartEnergyMetering).
METER_REPORTING: Final = {
    "instantaneous_demand": DEMAND_REPORTING,
    "current_summ_delivered": SUMMATION_REPORTING,
    "current_summ_received": SUMMATION_REPORTING,
    **{
        f"current_tier{tier}_summ_delivered": SUMMATION_REPORTING
        for tier in range(1, 7)
    },
    "status": STATUS_REPORTING,
}


type ConfiguredCallback = Callable[[list[ReportingConfiguration]], Awaitable[None]]


def is_on_smart_energy_profile(cluster: Cluster) -> bool:
    """Return True if the cluster's endpoint has the Smart Energy profile."""
    return bool(cluster.endpoint.profile_id == SMART_ENERGY_PROFILE_ID)


def reporting_configuration(
    metering: Cluster, attribute: ZCLAttributeDef, config: ReportingConfig
) -> ReportingConfiguration:
    """Return the configuration zigpy sent, as the gateway store keeps it."""
    endpoint_id = int(metering.endpoint.endpoint_id)
    return ReportingConfiguration(
        metering.endpoint.device.ieee,
        endpoint_id,
        int(metering.cluster_id),
        SERVER,
        int(attribute.id),
        int(attribute.zcl_type),
        config.min_interval,
        config.max_interval,
        config.reportable_change,
        expected_timeout(config.max_interval),
        # zigpy sends a cluster's requests from the endpoint of the same id.
        endpoint_id,
    )


async def async_configure_reporting(
    metering: Cluster,
    supported: Collection[str],
    on_configured: ConfiguredCallback | None = None,
) -> None:
    """Bind the Metering server and configure reports of what it supports."""
    ieee = metering.endpoint.device.ieee
    try:
        await metering.bind()  # type: ignore[no-untyped-call]  # zigpy's, as ZHA binds
    except (ZigbeeException, TimeoutError) as err:
        _LOGGER.debug("Could not bind the Metering cluster of %s: %r", ieee, err)
    reporting: dict[ZCLAttributeDef, ReportingConfig] = {
        metering.find_attribute(name): config
        for name, config in METER_REPORTING.items()
        if name in supported
    }
    try:
        statuses = await metering.configure_reporting_multiple(reporting)
    except (ZigbeeException, TimeoutError) as err:
        _LOGGER.debug("Could not configure the reports of %s: %r", ieee, err)
        return
    _LOGGER.debug("Configured the Metering reports of %s: %s", ieee, statuses)
    if on_configured is not None:
        await on_configured(
            [
                reporting_configuration(metering, attribute, reporting[attribute])
                for attribute, status in statuses.items()
                if status == Status.SUCCESS and attribute in reporting
            ]
        )
