"""The Smart Energy profile quirk, on a real zigpy application (radio mocked)."""

from __future__ import annotations

from zha.quirks import DEVICE_REGISTRY
import zigpy.device
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.core.se_profile import (
    SmartEnergyProfileDevice,
    has_smart_energy_endpoint,
    register,
)
from custom_components.se_gateway.core.se_profile.device import (
    SMART_ENERGY_PROFILE_ID,
)
from custom_components.se_gateway.core.se_profile.quirk import ENTRY

from ...zigpy_app import FakeApplication

IEEE = t.EUI64.convert("00:0d:6f:00:0b:10:01:09")
NWK = 0x4321
HA_PROFILE_ID = 0x0104
SUMMATION = Metering.AttributeDefs.current_summ_delivered


def make_device(se_profile: bool = True) -> zigpy.device.Device:
    """Return an interviewed meter: Metering on endpoint 1, Basic on endpoint 2."""
    app = FakeApplication()
    device = app.add_device(IEEE, NWK)
    metering = device.add_endpoint(1)
    metering.profile_id = SMART_ENERGY_PROFILE_ID if se_profile else HA_PROFILE_ID
    metering.device_type = 0x0501
    metering.add_input_cluster(Metering.cluster_id)
    basic = device.add_endpoint(2)
    basic.profile_id = HA_PROFILE_ID
    basic.device_type = 0x0501
    basic.add_input_cluster(0x0000)
    device.manufacturer = "A Utility"
    device.model = "A meter no quirk names"
    return device


def report(profile_id: int, src_ep: int = 1, value: int = 4242) -> t.ZigbeePacket:
    """Return an attribute report of the summation from ``src_ep``."""
    command = foundation.GENERAL_COMMANDS[foundation.GeneralCommand.Report_Attributes]
    attribute = foundation.Attribute(
        SUMMATION.id,
        foundation.TypeValue(foundation.DataTypeId.uint48, t.uint48_t(value)),
    )
    payload = command.schema(attribute_reports=[attribute]).serialize()
    header = foundation.ZCLHeader.general(
        7, foundation.GeneralCommand.Report_Attributes, direction=1
    )
    return t.ZigbeePacket(
        src=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=NWK),
        src_ep=src_ep,
        dst=t.AddrModeAddress(addr_mode=t.AddrMode.NWK, address=0x0000),
        dst_ep=1,
        tsn=7,
        profile_id=profile_id,
        cluster_id=Metering.cluster_id,
        data=t.SerializableBytes(header.serialize() + payload),
    )


def summation(device: zigpy.device.Device) -> int | None:
    value: int | None = (
        device.endpoints[1].in_clusters[Metering.cluster_id].get(SUMMATION.id)
    )
    return value


def test_the_quirk_applies_to_any_device_with_a_smart_energy_endpoint() -> None:
    device = make_device()
    assert has_smart_energy_endpoint(device)
    assert isinstance(DEVICE_REGISTRY.resolve(device), SmartEnergyProfileDevice)


def test_the_quirk_leaves_home_automation_devices_alone() -> None:
    device = make_device(se_profile=False)
    assert not has_smart_energy_endpoint(device)
    assert DEVICE_REGISTRY.resolve(device) is device


def test_registering_again_adds_nothing() -> None:
    register()
    register()
    assert sum(entry == ENTRY for entry in DEVICE_REGISTRY) == 1


async def test_zigpy_alone_drops_smart_energy_profile_frames() -> None:
    device = make_device()
    device.packet_received(report(SMART_ENERGY_PROFILE_ID))
    assert summation(device) is None


async def test_smart_energy_profile_frames_reach_the_cluster() -> None:
    device = DEVICE_REGISTRY.resolve(make_device())
    device.packet_received(report(SMART_ENERGY_PROFILE_ID))
    assert summation(device) == 4242


async def test_only_the_smart_energy_endpoints_get_the_profile() -> None:
    device = DEVICE_REGISTRY.resolve(make_device())
    # Endpoint 2 is a Home Automation endpoint; endpoint 9 does not exist.
    device.packet_received(report(SMART_ENERGY_PROFILE_ID, src_ep=2))
    device.packet_received(report(SMART_ENERGY_PROFILE_ID, src_ep=9))
    # Another custom profile stays zigpy's business.
    device.packet_received(report(0xC001))
    assert summation(device) is None
    device.packet_received(report(HA_PROFILE_ID, value=7))
    assert summation(device) == 7
