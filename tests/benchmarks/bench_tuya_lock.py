"""Decode-and-dispatch cost of one DP report: our cluster against zha-quirks'.

Run with ``pytest tests/benchmarks/bench_tuya_lock.py --benchmark-only -s``
(``--benchmark-only`` overrides the suite's default ``--benchmark-skip``).

Both clusters get the same frames, a 0x02 report of DP 1 (fingerprint unlock),
each with its own sequence number and tsn, so neither zigpy's duplicate filter
nor ours takes a short cut. Two paths are timed:

- "cluster": ``deserialize`` then ``handle_message``, the cluster's own work;
- "device": ``Device.packet_received``, everything zigpy does per frame.

zha-quirks' `TuyaMCUCluster` maps DP 1 to an attribute, as a
`TuyaQuirkBuilder` quirk would. Debug logging is off, as in production. The
tests are async only because zigpy's device needs a running event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import itertools
import logging
from typing import Any

import pytest
from zhaquirks.tuya import DPToAttributeMapping
from zhaquirks.tuya.mcu import TuyaMCUCluster
import zigpy.device
import zigpy.types as t
from zigpy.zcl import foundation

from tests.core.tuya_lock.conftest import FC_NO_ACK, make_app, make_device, packet

RESULTS: dict[tuple[str, str], float] = {}


class MappedTuyaMCUCluster(TuyaMCUCluster):
    """zha-quirks' MCU cluster with DP 1 mapped to an attribute."""

    class AttributeDefs(TuyaMCUCluster.AttributeDefs):
        """One extra attribute for the unlock DP."""

        unlock_fingerprint = foundation.ZCLAttributeDef(
            id=0xEF01, type=t.int32s, is_manufacturer_specific=True
        )

    dp_to_attribute = {
        1: DPToAttributeMapping(TuyaMCUCluster.ep_attribute, "unlock_fingerprint")
    }
    data_point_handlers = {1: "_dp_2_attr_update"}


def report_frames() -> Iterator[bytes]:
    """0x02 reports of DP 1, all different, no default response asked."""
    for index in itertools.count():
        yield (
            bytes((FC_NO_ACK, index & 0xFF, 0x02))
            + ((index >> 8) & 0xFFFF).to_bytes(2, "big")
            + bytes.fromhex("0102 0004")
            + (index % 1000).to_bytes(4, "big")
        )


def our_device() -> zigpy.device.Device:
    return make_device(make_app())


def zha_quirks_device() -> zigpy.device.Device:
    device = make_app().add_device(t.EUI64.convert("a4:c1:38:00:00:00:00:02"), 0x1234)
    endpoint = device.add_endpoint(1)
    endpoint.profile_id = 0x0104
    endpoint.add_input_cluster(0xEF00, MappedTuyaMCUCluster(endpoint))
    return device


def cluster_path(device: zigpy.device.Device) -> Callable[[], None]:
    cluster = device.endpoints[1].in_clusters[0xEF00]
    frames = report_frames()

    def receive_one() -> None:
        hdr, args = cluster.deserialize(next(frames))
        cluster.handle_message(hdr, args)

    return receive_one


def device_path(device: zigpy.device.Device) -> Callable[[], None]:
    frames = report_frames()

    def receive_one() -> None:
        device.packet_received(packet(next(frames)))

    return receive_one


@pytest.fixture(autouse=True)
def quiet_logging() -> Iterator[None]:
    logging.disable(logging.INFO)
    yield
    logging.disable(logging.NOTSET)


def report_ratio(path: str) -> None:
    """Once both clusters ran on `path`, print the ratio; ours must not be slower."""
    if (path, "ours") not in RESULTS or (path, "zha-quirks") not in RESULTS:
        return
    ours, theirs = RESULTS[path, "ours"], RESULTS[path, "zha-quirks"]
    print(
        f"\n{path} path, per DP report: ours {ours * 1e6:.1f} us, "
        f"zha-quirks {theirs * 1e6:.1f} us, ours is {theirs / ours:.2f}x as fast"
    )
    assert theirs >= ours


@pytest.mark.parametrize("path", ["cluster", "device"])
@pytest.mark.parametrize("who", ["ours", "zha-quirks"])
async def test_dp_report(benchmark: Any, path: str, who: str) -> None:
    benchmark.group = f"tuya lock DP report, {path} path"
    device = our_device() if who == "ours" else zha_quirks_device()
    cluster = device.endpoints[1].in_clusters[0xEF00]
    events: list[Any] = []
    cluster.on_all_events(events.append)
    receive = cluster_path(device) if path == "cluster" else device_path(device)
    benchmark(receive)
    assert events  # unlock events, or zha-quirks' attribute events
    RESULTS[path, who] = benchmark.stats.stats.mean
    report_ratio(path)
