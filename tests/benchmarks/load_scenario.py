"""One run of the load scenario of ``bench_load.py``, in a process of its own.

``bench_load.py`` runs this file twice with pytest, in fresh processes: once
with ZHA alone (``SE_LOAD_MODE=zha``: nothing of se_gateway is imported, so
not even its quirks are registered) and once with se_gateway loaded
(``SE_LOAD_MODE=se_gateway``). ``--noconftest`` keeps ``tests/conftest.py``,
which imports the integration, out. The file name matches neither
``test_*.py`` nor ``bench_*.py``: the suite does not collect it.

The run, against the emulated XBee in the same process:

1. ZHA (and se_gateway) set up with no device, as a warm-up;
2. memory: ``tracemalloc`` on, every simulated meter and lock paired through
   ZHA in batches (the batch size paces the joins and interviews), the network
   left to settle, then the Python memory still held, minus the simulator's
   own (traces allocated in ``network_simulator`` are filtered out), divided
   by the number of devices (the pairing time is measured with tracemalloc
   on, so it is only indicative);
3. start-up, three times: the entries unloaded, then ZHA set up again from
   its stored ``zigbee.db`` (and se_gateway once ZHA is loaded), timed to the
   entries' ``LOADED`` state (modules are imported already, as on a restart
   of ZHA; not on a cold start of Home Assistant);
4. reports, once the network is quiet again: five bursts of Report
   Attributes of the meters' summation, each injected at once and drained
   (reports per second from the first injection to the last state change of
   the burst, and this process's CPU time per report), then three rounds of
   reports paced at a fixed rate for their latency: from the emulator writing
   the frame to the state change of ZHA's summation sensor.

The figures go to the JSON file named by ``SE_LOAD_OUT``. Logging is off from
INFO down and asyncio's debug mode is off, as in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from functools import partial
import gc
import importlib
import json
import logging
import os
from pathlib import Path
import statistics
import time
import tracemalloc
from typing import Any, Final

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import Metering

from network_simulator import Network, SimulatedDevice, catalogue
from network_simulator.tuya_lock import tuya_lock

MODE: Final = os.environ.get("SE_LOAD_MODE", "zha")
OUT: Final = os.environ.get("SE_LOAD_OUT")
METERS: Final = int(os.environ.get("SE_LOAD_METERS", "200"))
LOCKS: Final = int(os.environ.get("SE_LOAD_LOCKS", "50"))
JOIN_BATCH: Final = 25
BURST_PER_METER: Final = 10
PACED_RATE: Final = 100.0  # reports per second
PACED_SECONDS: Final = 4.0
PACED_ROUNDS: Final = 3
QUIET_S: Final = 2.0
BURSTS: Final = 5
STARTUPS: Final = 3
ROOT: Final = Path(__file__).resolve().parents[2]
OUR_PACKAGES: Final = ("custom_components", "se_gateway_core", "network_simulator")
SUMMATION: Final = Metering.AttributeDefs.current_summ_delivered.id
REPORT: Final = foundation.GeneralCommand.Report_Attributes

if MODE == "se_gateway":
    # Before Home Assistant imports a ``custom_components`` package of its own
    # test configuration; it also registers the quirks before ZHA loads any
    # device, as Home Assistant does at start-up.
    importlib.import_module("custom_components.se_gateway")


def meter_ieee(index: int) -> t.EUI64:
    """Return the address of simulated meter ``index``."""
    return t.EUI64.convert(f"00:0d:6f:00:0c:{index >> 8:02x}:{index & 0xFF:02x}:01")


def lock_ieee(index: int) -> t.EUI64:
    """Return the address of simulated lock ``index``."""
    return t.EUI64.convert(f"a4:c1:38:5e:00:0c:{index:02x}:02")


def rss_bytes() -> int:
    """Return the resident set size of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


async def wait_until(
    condition: Callable[[], bool], timeout: float, step: float = 0.02
) -> None:
    """Wait until ``condition`` holds."""
    async with asyncio.timeout(timeout):
        while True:
            if condition():
                return
            await asyncio.sleep(step)


async def wait_quiet(network: Network, timeout: float = 120.0) -> None:
    """Wait until the host has sent nothing to any device for ``QUIET_S``."""
    last_count, last_change = -1, time.monotonic()
    async with asyncio.timeout(timeout):
        while time.monotonic() - last_change < QUIET_S:
            if len(network.captured) != last_count:
                last_count, last_change = len(network.captured), time.monotonic()
            await asyncio.sleep(0.1)


class Scenario:
    """Home Assistant, ZHA (and se_gateway) and the simulated devices."""

    def __init__(self, hass: HomeAssistant, network: Network, db: Path) -> None:
        """Prepare the config entries and the simulated devices."""
        self.hass = hass
        self.network = network
        self.db = db
        self.with_se_gateway = MODE == "se_gateway"
        self.zha_entry = MockConfigEntry(
            domain="zha",
            version=5,
            minor_version=2,
            data={
                "device": {
                    "path": network.url,
                    "baudrate": 115200,
                    "flow_control": None,
                },
                "radio_type": "xbee",
            },
            title="Simulated XBee",
        )
        self.zha_entry.add_to_hass(hass)
        self.se_entry: ConfigEntry | None = None
        if self.with_se_gateway:
            self.se_entry = MockConfigEntry(
                domain="se_gateway", title="Smart Energy Gateway", data={}
            )
            self.se_entry.add_to_hass(hass)
        self.meters = [
            catalogue.electricity_meter(meter_ieee(index), changing=False)
            for index in range(METERS)
        ]
        self.locks: list[SimulatedDevice] = [
            tuya_lock(lock_ieee(index)) for index in range(LOCKS)
        ]

    @property
    def devices(self) -> list[SimulatedDevice]:
        """Return every simulated device."""
        return [*self.meters, *self.locks]

    def entries(self) -> list[ConfigEntry]:
        """Return the config entries of the run."""
        return [self.zha_entry, *([self.se_entry] if self.se_entry else [])]

    async def set_up(self) -> None:
        """Set up ZHA, then se_gateway, the first time."""
        config = {
            "database_path": str(self.db),
            "zigpy_config": {"topology_scan_period": 1440, "ota": {"enabled": False}},
        }
        assert await async_setup_component(self.hass, "zha", {"zha": config})
        await self.hass.async_block_till_done()
        if self.se_entry is not None:
            assert await self.hass.config_entries.async_setup(self.se_entry.entry_id)
            await self.hass.async_block_till_done()
        assert all(entry.state is ConfigEntryState.LOADED for entry in self.entries())

    async def unload(self) -> None:
        """Unload se_gateway, then ZHA."""
        for entry in reversed(self.entries()):
            assert await self.hass.config_entries.async_unload(entry.entry_id)
        await self.hass.async_block_till_done()

    def is_paired(self, device: SimulatedDevice) -> bool:
        """Return True once ZHA has the device, interviewed."""
        zigpy_device = get_zha_gateway(self.hass).application_controller.devices.get(
            device.ieee
        )
        return zigpy_device is not None and zigpy_device.is_initialized

    def all_paired(self, devices: list[SimulatedDevice]) -> bool:
        """Return True once ZHA has every one of ``devices``, interviewed."""
        return all(map(self.is_paired, devices))

    async def pair_all(self) -> float:
        """Pair every device through ZHA, a batch at a time; return the seconds."""
        await self.hass.services.async_call(
            "zha", "permit", {"duration": 254}, blocking=True
        )
        started = time.perf_counter()
        devices = self.devices
        for start in range(0, len(devices), JOIN_BATCH):
            batch = devices[start : start + JOIN_BATCH]
            for device in batch:
                self.network.add_device(device)
            await wait_until(partial(self.all_paired, batch), timeout=120)
        gateway = get_zha_gateway(self.hass)
        await wait_until(lambda: len(gateway.devices) > len(devices), timeout=120)
        elapsed = time.perf_counter() - started
        await self.hass.services.async_call(
            "zha", "permit", {"duration": 0}, blocking=True
        )
        await wait_quiet(self.network)
        await self.hass.async_block_till_done()
        return elapsed

    async def start_from_db(self) -> dict[str, float]:
        """Set ZHA up again from its database, then se_gateway; time both."""
        loaded: dict[str, float] = {}
        started = time.perf_counter()

        def note(name: str, entry: ConfigEntry) -> Callable[[], None]:
            @callback
            def on_change() -> None:
                if entry.state is ConfigEntryState.LOADED and name not in loaded:
                    loaded[name] = time.perf_counter() - started

            return entry.async_on_state_change(on_change)

        stops = [note("zha", self.zha_entry)]
        assert await self.hass.config_entries.async_setup(self.zha_entry.entry_id)
        if self.se_entry is not None:
            stops.append(note("se_gateway", self.se_entry))
            assert await self.hass.config_entries.async_setup(self.se_entry.entry_id)
        for stop in stops:
            stop()
        assert len(loaded) == len(self.entries())
        return loaded


class ReportClock:
    """Injects meter reports and times them to ZHA's sensor state changes."""

    def __init__(self, scenario: Scenario) -> None:
        """Find each meter's ZHA summation sensor."""
        self.scenario = scenario
        self.radio = scenario.network.radio
        registry = er.async_get(scenario.hass)
        by_ieee = {
            entry.unique_id.split("-")[0]: entry.entity_id
            for entry in registry.entities.values()
            if entry.platform == "zha"
            and entry.unique_id.endswith("summation_delivered")
        }
        self.entity_ids = [by_ieee[str(meter.ieee)] for meter in scenario.meters]
        self.pending: dict[str, dict[int, float]] = {e: {} for e in self.entity_ids}
        self.latencies: list[float] = []
        self.last_change = 0.0
        self.value = 20_000_000
        self.tsn = 0
        self._stop = scenario.hass.bus.async_listen(
            EVENT_STATE_CHANGED, self._on_state_changed
        )

    def close(self) -> None:
        """Stop listening."""
        self._stop()

    def inject(self, index: int) -> None:
        """Write one summation report of meter ``index`` to the host."""
        meter = self.scenario.meters[index]
        assert meter.nwk is not None
        self.value += 1
        self.tsn = (self.tsn + 1) & 0xFF
        metering = meter.cluster(Metering.cluster_id)
        record = foundation.Attribute(
            SUMMATION,
            foundation.TypeValue(foundation.DataTypeId.uint48, t.uint48_t(self.value)),
        )
        frame = metering.frame(self.tsn, REPORT, record.serialize())
        self.pending[self.entity_ids[index]][self.value] = time.perf_counter()
        self.radio.send_explicit_receive(
            meter.ieee, meter.nwk, 1, 1, Metering.cluster_id, 0x0104, frame
        )

    @callback
    def _on_state_changed(self, event: Event[Any]) -> None:
        pending = self.pending.get(event.data["entity_id"])
        new_state = event.data["new_state"]
        if not pending or new_state is None:
            return
        try:
            value = round(float(new_state.state) * 1000)
        except ValueError:
            return
        injected = pending.pop(value, None)
        if injected is not None:
            self.last_change = time.perf_counter()
            self.latencies.append(self.last_change - injected)

    def outstanding(self) -> int:
        """Return how many injected reports have not changed a state yet."""
        return sum(map(len, self.pending.values()))

    async def burst(self) -> dict[str, float]:
        """Inject reports at once; return their drain rate."""
        count = BURST_PER_METER * len(self.entity_ids)
        self.latencies.clear()
        cpu_started, started = time.process_time(), time.perf_counter()
        for number in range(count):
            self.inject(number % len(self.entity_ids))
        await wait_until(lambda: not self.outstanding(), timeout=120, step=0.01)
        elapsed = self.last_change - started
        cpu = time.process_time() - cpu_started
        return {
            "reports": count,
            "seconds": elapsed,
            "per_second": count / elapsed,
            "cpu_us_per_report": cpu / count * 1e6,
        }

    async def paced(self) -> dict[str, float]:
        """Inject reports at ``PACED_RATE``; return their latency."""
        count = int(PACED_RATE * PACED_SECONDS)
        self.latencies.clear()
        started = time.perf_counter()
        for number in range(count):
            delay = started + number / PACED_RATE - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.inject(number % len(self.entity_ids))
        await wait_until(lambda: not self.outstanding(), timeout=60, step=0.01)
        cuts = statistics.quantiles(self.latencies, n=100)
        return {
            "rate": PACED_RATE,
            "reports": len(self.latencies),
            "p50_ms": cuts[49] * 1e3,
            "p99_ms": cuts[98] * 1e3,
            "max_ms": max(self.latencies) * 1e3,
        }


def held_memory(snapshot: tracemalloc.Snapshot) -> tracemalloc.Snapshot:
    """Return the part of a snapshot allocated outside the simulator."""
    return snapshot.filter_traces(
        [tracemalloc.Filter(inclusive=False, filename_pattern="*/network_simulator/*")]
    )


def memory_size(snapshot: tracemalloc.Snapshot) -> int:
    """Return the bytes a snapshot holds."""
    return sum(stat.size for stat in snapshot.statistics("filename"))


def package_of(filename: str) -> str:
    """Return the top package of a source file: ``zigpy``, ``homeassistant``…"""
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if path.is_relative_to(ROOT) and path.parts[len(ROOT.parts)] in OUR_PACKAGES:
        return path.parts[len(ROOT.parts)]
    return "stdlib"


def after_by_package(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, devices: int
) -> dict[str, float]:
    """Return the bytes per device each package allocated and still holds."""
    sizes: dict[str, float] = {}
    for stat in after.compare_to(before, "filename"):
        name = package_of(stat.traceback[0].filename)
        sizes[name] = sizes.get(name, 0) + stat.size_diff / devices
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def what_is_loaded(hass: HomeAssistant) -> dict[str, Any]:
    """Return what ran: se_gateway's entities and the zigpy device classes."""
    classes: dict[str, int] = {}
    for device in get_zha_gateway(hass).application_controller.devices.values():
        name = type(device).__name__
        classes[name] = classes.get(name, 0) + 1
    entities = er.async_get(hass).entities.values()
    return {
        "se_gateway_entities": sum(e.platform == "se_gateway" for e in entities),
        "zha_entities": sum(e.platform == "zha" for e in entities),
        "zigpy_device_classes": classes,
    }


@pytest.fixture
async def network(socket_enabled: None) -> AsyncGenerator[Network]:
    """Start the simulated network."""
    simulated = Network(seed=7)
    await simulated.start()
    yield simulated
    await simulated.stop()


@pytest.mark.timeout(600)
async def test_load(
    hass: HomeAssistant,
    network: Network,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Run the scenario and write its figures."""
    assert OUT is not None, "SE_LOAD_OUT names the file for the figures"
    asyncio.get_running_loop().set_debug(False)
    logging.disable(logging.INFO)
    if MODE == "se_gateway":
        request.getfixturevalue("enable_custom_integrations")
    scenario = Scenario(hass, network, tmp_path / "zigbee.db")
    results: dict[str, Any] = {"mode": MODE, "meters": METERS, "locks": LOCKS}

    await scenario.set_up()
    gc.collect()
    tracemalloc.start()
    before = held_memory(tracemalloc.take_snapshot())
    results["pair_s"] = await scenario.pair_all()
    gc.collect()
    after = held_memory(tracemalloc.take_snapshot())
    tracemalloc.stop()
    devices = len(scenario.devices)
    results["memory_per_device"] = (memory_size(after) - memory_size(before)) / devices
    results["memory_by_package"] = after_by_package(before, after, devices)
    results["loaded"] = what_is_loaded(hass)

    startups = []
    for _ in range(STARTUPS):
        await scenario.unload()
        gc.collect()
        startups.append(await scenario.start_from_db())
        await wait_until(partial(scenario.all_paired, scenario.devices), timeout=60)
        await wait_quiet(scenario.network)
    results["startups_s"] = startups

    clock = ReportClock(scenario)
    bursts = []
    for _ in range(BURSTS):
        bursts.append(await clock.burst())
        await wait_quiet(scenario.network)
    results["bursts"] = bursts
    results["paced"] = [await clock.paced() for _ in range(PACED_ROUNDS)]
    clock.close()
    results["rss_end_mb"] = rss_bytes() / 2**20

    await hass.async_add_executor_job(Path(OUT).write_text, json.dumps(results))
    await scenario.unload()
