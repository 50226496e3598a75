"""The gateway initiates CBKE with a meter whose Key Establishment server responds."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import time
from typing import Any

from homeassistant.core import HomeAssistant
from zigpy.zcl.clusters.smartenergy import Metering

from network_simulator.certified import KE_CLUSTER, KE_INITIATE, certified_meter

from ..conftest import wait_for
from .conftest import CertifiedNetwork
from .test_certified_e2e import meter_sensor

SUMMATION_WH = 4_321_000


async def test_the_gateway_initiates_with_a_responding_meter(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network()
    meter = certified_meter(strict=True, responder=True, summation_wh=SUMMATION_WH)
    await network.pair(meter)

    # The meter does not look for an ESI; once interviewed, the gateway initiates
    await wait_for(hass, lambda: meter.established, timeout=30)
    runtime = network.runtime
    await wait_for(hass, lambda: bool(runtime.outcomes), timeout=10)
    (outcome,) = runtime.outcomes
    assert outcome.established
    assert meter.certification.esi_endpoint == 0x5E
    # Both ends hold the same key: the meter's, the store's and the radio's
    key = meter.certification.link_key
    assert key is not None
    assert runtime.store is not None
    assert runtime.store.link_keys[meter.ieee] == key
    assert network.simulator.radio.link_keys[meter.ieee] == key
    # The gateway sent the requests, client to server; the meter only answered
    requests = [
        frame
        for frame in network.simulator.captured
        if frame.ieee == meter.ieee and frame.cluster_id == KE_CLUSTER
    ]
    answers = [
        frame
        for frame in network.simulator.uplinked
        if frame.ieee == meter.ieee and frame.cluster_id == KE_CLUSTER
    ]
    assert len(requests) == 3
    assert requests[0].data[2] == KE_INITIATE
    assert all(frame.data[0] & 0x08 == 0 for frame in requests)  # client to server
    assert len(answers) == 3
    assert all(frame.data[0] & 0x08 for frame in answers)  # server to client
    assert not any(frame.aps_encrypted for frame in requests + answers)

    # Its Metering data reaches HA, and its reports come APS-encrypted
    await network.wait_served(meter)
    await wait_for(
        hass, lambda: meter_sensor(hass, meter, "summation_delivered") is not None
    )
    metering = meter.cluster(Metering.cluster_id)
    metering.set("current_summ_delivered", SUMMATION_WH + 1500)
    assert meter.report_due_attributes(time.monotonic() + 900) >= 1
    await wait_for(
        hass,
        lambda: (
            float(meter_sensor(hass, meter, "summation_delivered").state)
            == (SUMMATION_WH + 1500) / 1000
        ),
    )
    reports = [
        frame
        for frame in network.simulator.uplinked
        if frame.ieee == meter.ieee and frame.cluster_id == Metering.cluster_id
    ]
    assert reports
    assert all(frame.aps_encrypted for frame in reports)
    # The gateway's Smart Energy frames to it: encrypted from the end of CBKE
    # on; any sent between its interview and CBKE went unencrypted, and were
    # the ones the strict meter dropped (the gateway sent them again)
    keyed_at = requests[-1].at
    to_meter = [
        frame
        for frame in network.simulator.captured
        if frame.ieee == meter.ieee and 0x0700 <= frame.cluster_id < 0x0800
    ]
    assert any(frame.at > keyed_at for frame in to_meter)
    assert all(frame.aps_encrypted for frame in to_meter if frame.at > keyed_at)
    before = [frame for frame in to_meter if frame.at <= keyed_at]
    assert not any(frame.aps_encrypted for frame in before)
    assert meter.certification.dropped_unencrypted == len(before)
