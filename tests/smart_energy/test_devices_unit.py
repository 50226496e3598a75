"""Which devices the Smart Energy tracker takes."""

from __future__ import annotations

import pytest
from zigpy.zcl.clusters import smartenergy as zigpy_se

from custom_components.se_gateway.core.clusters import Drlc, Metering
from custom_components.se_gateway.core.engine.network import drlc_client_attributes
from custom_components.se_gateway.smart_energy.devices import is_smart_energy

from ..core.clusters.fake_zigpy import DEVICE_EP, make_device
from ..zigpy_app import FakeApplication


@pytest.fixture
def app() -> FakeApplication:
    return FakeApplication()


def test_a_device_with_our_clusters_is_taken(app: FakeApplication) -> None:
    assert is_smart_energy(make_device(app, out_clusters=[Drlc.cluster_id]))
    assert is_smart_energy(make_device(app, in_clusters=[Metering.cluster_id], nwk=2))
    # A Metering client alone is no meter.
    assert not is_smart_energy(
        make_device(app, out_clusters=[Metering.cluster_id], nwk=3)
    )


def test_a_device_still_holding_zigpy_classes_waits_for_zha(
    app: FakeApplication,
) -> None:
    # ZHA loaded it before our clusters were registered: zigpy's own Drlc has
    # no attributes, and reading one must not raise.
    device = make_device(app, out_clusters=[Drlc.cluster_id])
    endpoint = device.endpoints[DEVICE_EP]
    plain = zigpy_se.Drlc(endpoint, is_server=False)
    endpoint.out_clusters[Drlc.cluster_id] = plain

    assert not is_smart_energy(device)
    assert drlc_client_attributes(plain) == (None, None)
