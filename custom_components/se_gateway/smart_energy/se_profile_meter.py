"""Reports from a Metering server on a Smart Energy profile (0x0109) endpoint.

ZHA binds a Home Automation meter's Metering cluster and configures its
reports, but skips endpoints of other profiles. A 0x0109 meter gets the same
here: bound to the gateway, with ZHA's reporting intervals for the attributes
it supports. A meter that fails to answer is logged and still announced.
"""

from __future__ import annotations

from collections.abc import Collection
import logging
from typing import Final

from zigpy.exceptions import ZigbeeException
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import ZCLAttributeDef
from zigpy.zcl.helpers import ReportingConfig

from ..core.clusters.profile import SMART_ENERGY_PROFILE_ID

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


def is_on_smart_energy_profile(cluster: Cluster) -> bool:
    """Return True if the cluster's endpoint has the Smart Energy profile."""
    return bool(cluster.endpoint.profile_id == SMART_ENERGY_PROFILE_ID)


async def async_configure_reporting(
    metering: Cluster, supported: Collection[str]
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
