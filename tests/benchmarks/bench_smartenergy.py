"""Benchmark: decoding a Publish Price, next to zigpy decoding a frame of its size.

The reference is zigpy's own work on a frame of about the same length: the ZCL
header and a Basic cluster Read Attributes. Both go through
``Cluster.deserialize`` of a device's cluster, as a received frame does.

Run: ``pytest -p no:cacheprovider --benchmark-only <this file>``. The second
benchmark prints the ratio of the two means and stores it in its extra info.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Basic

from custom_components.se_gateway.core.clusters.price import Price
from tests.core.clusters.fake_zigpy import (
    DEVICE_EP,
    FakeApplication,
    cluster_frame,
    make_device,
)
from tests.core.clusters.samples import SAMPLES

PUBLISH_PRICE = next(sample for sample in SAMPLES if sample.name == "publish_price")
PUBLISH_PRICE_FRAME = cluster_frame(
    PUBLISH_PRICE.command,
    PUBLISH_PRICE.payload().serialize(),
    server_to_client=True,
)
# Read Attributes of as many attribute ids as fill the same number of bytes
READ_ATTRIBUTES_FRAME = (
    foundation.ZCLHeader.general(
        0x42, foundation.GeneralCommand.Read_Attributes
    ).serialize()
    + t.List[t.uint16_t](range((len(PUBLISH_PRICE_FRAME) - 3) // 2)).serialize()
)

_MEAN_SECONDS: dict[str, float] = {}


@pytest.fixture(scope="module")
def clusters() -> tuple[Price, Basic]:
    """Return a meter's Price and Basic server clusters."""
    meter = make_device(
        FakeApplication(), in_clusters=[Price.cluster_id, Basic.cluster_id]
    )
    endpoint = meter.endpoints[DEVICE_EP]
    return endpoint.in_clusters[Price.cluster_id], endpoint.in_clusters[
        Basic.cluster_id
    ]


def test_bench_smartenergy_publish_price(
    benchmark: BenchmarkFixture, clusters: tuple[Price, Basic]
) -> None:
    price, _ = clusters

    _, command = benchmark(price.deserialize, PUBLISH_PRICE_FRAME)

    assert command == PUBLISH_PRICE.payload()
    if benchmark.stats is not None:
        _MEAN_SECONDS["publish_price"] = benchmark.stats.stats.mean


def test_bench_smartenergy_zigpy_read_attributes(
    benchmark: BenchmarkFixture,
    clusters: tuple[Price, Basic],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Decode the reference frame, then print how Publish Price compares."""
    _, basic = clusters

    _, command = benchmark(basic.deserialize, READ_ATTRIBUTES_FRAME)

    assert len(command.attribute_ids) == (len(PUBLISH_PRICE_FRAME) - 3) // 2

    if benchmark.stats is None or "publish_price" not in _MEAN_SECONDS:
        return

    ours, reference = _MEAN_SECONDS["publish_price"], benchmark.stats.stats.mean
    benchmark.extra_info["publish_price_ratio"] = ours / reference
    with capsys.disabled():
        print(
            f"\nPublish Price ({len(PUBLISH_PRICE_FRAME)} bytes): {ours * 1e6:.1f} us;"
            f" zigpy header + Basic Read Attributes ({len(READ_ATTRIBUTES_FRAME)}"
            f" bytes): {reference * 1e6:.1f} us; ratio {ours / reference:.2f}"
        )
