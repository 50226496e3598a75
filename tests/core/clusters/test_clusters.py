"""The clusters replace zigpy's, and carry the attributes devices and IHDs need."""

from __future__ import annotations

import importlib

import pytest
import zigpy.types as t
from zigpy.zcl import Cluster, foundation
from zigpy.zcl.clusters import smartenergy as zigpy_se

from custom_components.se_gateway.core import clusters as smartenergy
from custom_components.se_gateway.core.clusters import types as se_t

from .fake_zigpy import DEVICE_EP, FakeApplication, make_device
from .samples import CLUSTERS


@pytest.mark.parametrize("cluster_type", CLUSTERS, ids=lambda c: c.__name__)
def test_replaces_zigpy_cluster_for_every_device(
    app: FakeApplication, cluster_type: type[Cluster]
) -> None:
    cluster_id = cluster_type.cluster_id
    device = make_device(app, in_clusters=[cluster_id], out_clusters=[cluster_id])
    endpoint = device.endpoints[DEVICE_EP]

    assert Cluster._registry[cluster_id] is cluster_type
    assert type(endpoint.in_clusters[cluster_id]) is cluster_type
    assert type(endpoint.out_clusters[cluster_id]) is cluster_type
    assert issubclass(cluster_type, getattr(zigpy_se, cluster_type.__name__))


def test_a_second_copy_of_the_clusters_does_not_register() -> None:
    # The simulator imports the core under its top-level name; zigpy's
    # registry must keep the integration's classes.
    registered = dict(Cluster._registry)
    second = importlib.import_module("se_gateway_core.clusters")

    assert second.Price is not CLUSTERS[0] or second.Price.__module__.startswith(
        "se_gateway_core"
    )
    assert Cluster._registry == registered


def test_package_exports_the_clusters() -> None:
    assert smartenergy.__all__ == ["Drlc", "Messaging", "Metering", "Price"]


def test_price_attributes() -> None:
    attributes = smartenergy.Price.attributes

    assert attributes[0x0000].name == "tier1_price_label"
    assert attributes[0x000E].name == "tier15_price_label"
    assert attributes[0x0000].type is se_t.PriceLabel
    assert attributes[0x0000].zcl_type == foundation.DataTypeId.octstr
    assert attributes[0x0100].name == "block1_threshold"
    assert attributes[0x010E].name == "block15_threshold"
    assert attributes[0x010E].type is t.uint48_t
    assert attributes[0x0200].name == "start_of_block_period"
    assert attributes[0x0200].zcl_type == foundation.DataTypeId.UTC
    assert attributes[0x0203].name == "threshold_divisor"
    assert attributes[0x0300].type is se_t.CommodityType
    assert attributes[0x0303].zcl_type == foundation.DataTypeId.map8
    assert attributes[0x0306].name == "calorific_value_trailing_digit"
    assert attributes[0x0400].name == "no_tier_block1_price"
    assert attributes[0x0410].name == "tier1_block1_price"
    assert attributes[0x04FF].name == "tier15_block16_price"
    assert attributes[0x04FF].type is t.uint32_t
    assert len([a for a in attributes if 0x0400 <= a <= 0x04FF]) == 256
    assert all(
        a.access == foundation.ZCLAttributeAccess.Read for a in attributes.values()
    )


def test_drlc_client_attributes() -> None:
    attributes = smartenergy.Drlc.attributes

    assert [(a, d.name) for a, d in sorted(attributes.items())] == [
        (0x0000, "utility_enrollment_group"),
        (0x0001, "start_randomization_minutes"),
        (0x0002, "duration_randomization_minutes"),
        (0x0003, "device_class_value"),
    ]
    assert attributes[0x0003].type is se_t.DeviceClass
    assert attributes[0x0003].access & foundation.ZCLAttributeAccess.Write


async def test_drlc_client_attributes_are_read_as_client_attributes(
    app: FakeApplication,
) -> None:
    """Reading through the device's client cluster sets the server-to-client bit."""
    device = make_device(app, out_clusters=[smartenergy.Drlc.cluster_id])
    drlc_client = device.endpoints[DEVICE_EP].out_clusters[smartenergy.Drlc.cluster_id]

    await drlc_client.read_attributes_raw(
        [smartenergy.Drlc.AttributeDefs.device_class_value.id], expect_reply=False
    )

    [frame] = app.sent_frames()
    hdr, payload = foundation.ZCLHeader.deserialize(frame)
    assert hdr.command_id == foundation.GeneralCommand.Read_Attributes
    assert hdr.direction == foundation.Direction.Server_to_Client
    assert payload == b"\x03\x00"


def test_metering_keeps_zigpy_attributes_and_command_names() -> None:
    ours, theirs = smartenergy.Metering, zigpy_se.Metering

    assert ours.attributes == theirs.attributes
    assert sorted(ours.server_commands) == sorted(theirs.server_commands)
    assert sorted(ours.client_commands) == sorted(theirs.client_commands)
    for commands, zigpy_commands in (
        (ours.server_commands, theirs.server_commands),
        (ours.client_commands, theirs.client_commands),
    ):
        assert {c.name for c in commands.values()} == {
            c.name for c in zigpy_commands.values()
        }


def test_messaging_has_no_attributes() -> None:
    assert smartenergy.Messaging.attributes == {}
