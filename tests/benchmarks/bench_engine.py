"""Benchmark: the engine's fan-out and scheduled-price answers, next to zigpy's cost.

(a) One price event fans out to 200 simulated price clients. The reference is
zigpy sending the same Publish Price to the same 200 clusters itself
(``Cluster.client_command``, gathered in one loop run, as the engine does).
Both figures are per client; their ratio, minus 1, is the engine's own CPU
cost in units of one zigpy request. One lone ``client_command`` per loop run
is measured too, for scale.

(b) A Get Scheduled Prices for all of 1,000 stored prices, fed through zigpy's
receive path and answered with 1,000 Publish Prices; and the table query
alone.

(c) One change: a price event created, with the engine's ``on_change`` hook
and what the runtime then refreshes for the entities (the snapshot, the
calendar's history, the next change, the price, load control and message
entities' reads), once with 10 and once with 1,000 prices stored. The
reference is the same change with 10 stored, measured in the same run: a
change must cost the same however many events are stored. Medians.

The radio is a coroutine that does nothing, so what is measured is CPU time.
Run: ``pytest -p no:cacheprovider --benchmark-only -s <this file>``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator, Iterator
import itertools
from typing import Any, Final

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
import zigpy.device
import zigpy.types as t
from zigpy.zcl import Cluster

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.core.engine import (
    GatewayEngine,
    ManualClock,
    ManualScheduler,
    PriceEvent,
)
from custom_components.se_gateway.core.engine.commands import publish_price_fields
from custom_components.se_gateway.core.engine.tables import TableEntry
from custom_components.se_gateway.smart_energy.history import EventHistory
from custom_components.se_gateway.smart_energy.snapshot import Snapshot
from tests.core.clusters.fake_zigpy import (
    DEVICE_EP,
    cluster_frame,
    make_device,
    packet_from,
)
from tests.zigpy_app import FakeApplication

CLIENTS = 200
STORED_PRICES = 1000
T0 = 800_000_000
PUBLISH_PRICE = Price.ClientCommandDefs.publish_price.id

_MEAN_SECONDS: dict[str, float] = {}


async def _no_radio(packet: t.ZigbeePacket) -> None:
    """Send nothing: the benchmarks measure CPU, not a radio."""


def _price(event_id: int, start: int = 0) -> PriceEvent:
    return PriceEvent(
        provider_id=1,
        rate_label="Peak",
        issuer_event_id=event_id,
        currency=978,
        price=1234,
        start_time=start,
        duration_in_minutes=60,
    )


class Bench:
    """An application, its price clients and an engine, on a private loop."""

    def __init__(self, clients: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = FakeApplication()
        self.app.send_packet = _no_radio  # type: ignore[method-assign]
        self.devices = [
            make_device(self.app, out_clusters=[Price.cluster_id], nwk=0x1000 + index)
            for index in range(clients)
        ]
        self.clusters: list[Cluster] = [
            device.endpoints[DEVICE_EP].out_clusters[Price.cluster_id]
            for device in self.devices
        ]
        self.clock = ManualClock(T0)
        self.engine = GatewayEngine(clock=self.clock)
        self.loop.run_until_complete(self._attach())

    async def _attach(self) -> None:
        self.engine.attach(self.app)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.engine.detach()
        self.loop.close()


@pytest.fixture(scope="module")
def fan_out() -> Generator[Bench]:
    bench = Bench(CLIENTS)
    yield bench
    bench.close()


@pytest.fixture(scope="module")
def scheduled() -> Generator[Bench]:
    bench = Bench(1)
    for event_id in range(1, STORED_PRICES + 1):
        bench.run(
            bench.engine.create_price_event(_price(event_id, T0 + 3600 * event_id))
        )
    yield bench
    bench.close()


def _publish_fields() -> dict[str, Any]:
    entry = TableEntry(record=_price(1), created_at=T0)
    return publish_price_fields(entry, T0)


def _note(benchmark: BenchmarkFixture, name: str, per: int = 1) -> float | None:
    if benchmark.stats is None:
        return None
    _MEAN_SECONDS[name] = benchmark.stats.stats.mean / per
    return _MEAN_SECONDS[name]


# --- (a) Fan-out ------------------------------------------------------------------


def test_bench_engine_fan_out_200_clients(
    benchmark: BenchmarkFixture, fan_out: Bench
) -> None:
    ids: Iterator[int] = itertools.count(1)

    def create_and_forget() -> None:
        event_id = next(ids)
        result = fan_out.run(fan_out.engine.create_price_event(_price(event_id)))
        fan_out.engine.cancel_price_event(event_id)
        assert len(result.device_list) == CLIENTS

    benchmark(create_and_forget)
    _note(benchmark, "engine_per_client", CLIENTS)


def test_bench_zigpy_200_client_commands(
    benchmark: BenchmarkFixture, fan_out: Bench
) -> None:
    fields = _publish_fields()

    async def send_all() -> None:
        await asyncio.gather(
            *(
                cluster.client_command(PUBLISH_PRICE, **fields)
                for cluster in fan_out.clusters
            )
        )

    benchmark(lambda: fan_out.run(send_all()))
    _note(benchmark, "zigpy_per_request", CLIENTS)


def test_bench_zigpy_one_client_command(
    benchmark: BenchmarkFixture, fan_out: Bench, capsys: pytest.CaptureFixture[str]
) -> None:
    """Send one Publish Price per loop run; then print the fan-out figures."""
    fields = _publish_fields()
    cluster = fan_out.clusters[0]

    benchmark(lambda: fan_out.run(cluster.client_command(PUBLISH_PRICE, **fields)))
    lone = _note(benchmark, "zigpy_lone_request")

    engine = _MEAN_SECONDS.get("engine_per_client")
    zigpy_request = _MEAN_SECONDS.get("zigpy_per_request")
    if lone is None or engine is None or zigpy_request is None:
        return
    ratio = engine / zigpy_request
    benchmark.extra_info["fan_out_ratio"] = ratio
    with capsys.disabled():
        print(
            f"\nFan-out of one price to {CLIENTS} clients: {engine * 1e6:.1f} us per"
            f" client; zigpy client_command: {zigpy_request * 1e6:.1f} us per request"
            f" ({lone * 1e6:.1f} us alone in a loop run)."
            f"\n  ratio engine/zigpy per client: {ratio:.2f}; the engine's own"
            f" cost: {ratio - 1:.2f} zigpy requests per client"
        )


# --- (b) Get Scheduled Prices with 1,000 stored -----------------------------------


def _get_scheduled_prices(bench: Bench) -> Callable[[], None]:
    device: zigpy.device.Device = bench.devices[0]
    tsns = itertools.cycle(range(256))
    command = Price.ServerCommandDefs.get_scheduled_prices

    async def answer() -> None:
        # zigpy drops a frame identical to one just received; the tsn differs
        tsn = next(tsns)
        payload = command.schema(start_time=0, number_of_events=0).serialize()
        frame = cluster_frame(command, payload, server_to_client=False, tsn=tsn)
        device.packet_received(packet_from(device, Price.cluster_id, frame))
        await bench.engine.wait_idle()

    return lambda: bench.run(answer())


def test_bench_engine_get_scheduled_prices_1000(
    benchmark: BenchmarkFixture, scheduled: Bench
) -> None:
    benchmark(_get_scheduled_prices(scheduled))
    _note(benchmark, "scheduled_answer")


def test_bench_engine_scheduled_prices_query_1000(
    benchmark: BenchmarkFixture, scheduled: Bench, capsys: pytest.CaptureFixture[str]
) -> None:
    """Query the table alone; then print the Get Scheduled Prices figures."""
    prices = scheduled.engine._server.prices

    entries = benchmark(prices.upcoming, T0, 0, 0)

    assert len(entries) == STORED_PRICES
    query = _note(benchmark, "scheduled_query")
    answer = _MEAN_SECONDS.get("scheduled_answer")
    zigpy_request = _MEAN_SECONDS.get("zigpy_per_request")
    if query is None or answer is None:
        return
    with capsys.disabled():
        print(
            f"\nGet Scheduled Prices, {STORED_PRICES} stored: answered with"
            f" {STORED_PRICES} Publish Prices in {answer * 1e3:.1f} ms"
            f" ({answer / STORED_PRICES * 1e6:.1f} us per reply); the table query"
            f" alone: {query * 1e3:.2f} ms"
        )
        if zigpy_request is not None:
            print(
                f"  per reply vs one zigpy request:"
                f" {answer / STORED_PRICES / zigpy_request:.2f}"
            )


# --- (c) One change, with 10 and with 1,000 events stored ---------------------------

_MEDIAN_SECONDS: dict[int, float] = {}
CHANGE_ROUNDS: Final = 400


class ChangeBench:
    """An engine with ``stored`` prices to come, and what the runtime refreshes."""

    def __init__(self, stored: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.clock = ManualClock(T0)
        self.changes = 0
        self.engine = GatewayEngine(
            clock=self.clock,
            scheduler=ManualScheduler(self.clock),
            on_change=self._changed,
        )
        self.engine.attach(FakeApplication())
        self.history = EventHistory()
        for event_id in range(1, stored + 1):
            self.run(
                self.engine.create_price_event(_price(event_id, T0 + 3600 * event_id))
            )
        self.refresh()
        self.ids = itertools.count(STORED_PRICES + 1)
        self.created: int | None = None

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def _changed(self) -> None:
        self.changes += 1

    def refresh(self) -> None:
        """Do what ``SmartEnergyRuntime._refresh`` and its entities do."""
        snapshot = Snapshot.of(self.engine, self.clock.now())
        self.history.update(snapshot)
        snapshot.next_change()
        for _ in range(3):  # price, tier, rate label
            snapshot.active_price(None)
        snapshot.next_price_change(None)
        snapshot.running_drlc(None)
        snapshot.last_message(None)

    def forget_the_last(self) -> None:
        """Cancel the price created last (not timed), so ``stored`` stays put."""
        if self.created is not None:
            self.engine.cancel_price_event(self.created)
            self.refresh()
        self.created = next(self.ids)

    def change(self) -> None:
        """Create a price in force now, then refresh."""
        assert self.created is not None
        self.run(self.engine.create_price_event(_price(self.created)))
        self.refresh()

    def close(self) -> None:
        self.engine.detach()
        self.loop.close()


@pytest.mark.parametrize("stored", [10, STORED_PRICES])
def test_bench_engine_one_change(
    benchmark: BenchmarkFixture, stored: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Create one price and refresh; with 1,000 stored, print the ratio to 10."""
    bench = ChangeBench(stored)
    changes = bench.changes

    benchmark.pedantic(
        bench.change,
        setup=bench.forget_the_last,
        rounds=CHANGE_ROUNDS,
        warmup_rounds=5,
    )

    bench.close()
    # One on_change per create and per (untimed) cancel.
    assert bench.changes - changes == 2 * (CHANGE_ROUNDS + 5) - 1
    if benchmark.stats is None:
        return
    _MEDIAN_SECONDS[stored] = benchmark.stats.stats.median
    few, many = _MEDIAN_SECONDS.get(10), _MEDIAN_SECONDS.get(STORED_PRICES)
    if few is None or many is None:
        return
    benchmark.extra_info["ratio_1000_to_10"] = many / few
    with capsys.disabled():
        print(
            f"\nOne change (create a price, on_change, refresh the entities' view):"
            f" {few * 1e6:.0f} us with 10 stored, {many * 1e6:.0f} us with"
            f" {STORED_PRICES} stored; ratio {many / few:.2f}"
        )
