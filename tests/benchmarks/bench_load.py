"""Benchmark: 200 meters and 50 Tuya locks, with se_gateway and under ZHA alone.

Run: ``pytest -p no:cacheprovider --benchmark-only -s tests/benchmarks/bench_load.py``
(about 2 minutes on the 2-core development machine).

The same scenario (``load_scenario.py``) runs twice in this run, each time in
a fresh Python process against the emulated XBee: once with ZHA alone, where
nothing of se_gateway is imported (neither its quirks nor its clusters are
registered), and once with se_gateway loaded. Fresh processes keep each
memory figure free of the other run's objects. The two runs are sequential,
so that they do not share the machine's cores.

Figures, printed with the ratio se_gateway / ZHA alone:

- memory per device: Python memory still held after pairing every device,
  minus what the simulator allocated (``tracemalloc``), divided by the
  number of devices; with the packages that hold it;
- start-up from the stored ``zigbee.db`` with every device: seconds to ZHA's
  entry ``LOADED``, and to se_gateway's (it is set up once ZHA is loaded, as
  it waits for ZHA at Home Assistant's start); the quickest of three;
- attribute reports per second a burst of 2,000 meter reports drains at, and
  the process's CPU time per report (best of five bursts: the machine is
  shared, and the least disturbed burst is the one to compare); p50/p99
  latency of reports paced at 100 per second, from the emulator writing the
  frame to the state change of ZHA's summation sensor (median of three
  rounds of 400).

The emulator runs in the measured process: its share of CPU time per report
is the same in both runs.

Set ``SE_LOAD_METERS`` and ``SE_LOAD_LOCKS`` to scale the network.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
from typing import Any, Final

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

SCENARIO: Final = Path(__file__).with_name("load_scenario.py")
ROOT: Final = SCENARIO.parents[2]
MODES: Final = ("zha", "se_gateway")
RUN_TIMEOUT_S: Final = 240


def run_scenario(mode: str, out: Path) -> dict[str, Any]:
    """Run the scenario in a new process; return its figures."""
    env = {**os.environ, "SE_LOAD_MODE": mode, "SE_LOAD_OUT": str(out)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--noconftest",
        "-o",
        f"timeout={RUN_TIMEOUT_S}",
        str(SCENARIO),
    ]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S + 60,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    figures: dict[str, Any] = json.loads(out.read_text())
    return figures


def best_throughput(figures: dict[str, Any]) -> float:
    """Return the fastest drain of the bursts, in reports per second."""
    return max(burst["per_second"] for burst in figures["bursts"])


def least_cpu(figures: dict[str, Any]) -> float:
    """Return the least CPU time per report of the bursts, in microseconds."""
    return min(burst["cpu_us_per_report"] for burst in figures["bursts"])


def latency(figures: dict[str, Any], key: str) -> float:
    """Return the median over the paced rounds of a latency percentile (ms)."""
    return statistics.median(paced[key] for paced in figures["paced"])


def startup(figures: dict[str, Any], entry: str) -> float:
    """Return the quickest start-up to ``entry`` loaded, in seconds."""
    return min(times[entry] for times in figures["startups_s"])


def rows(zha: dict[str, Any], ours: dict[str, Any]) -> list[tuple[str, float, float]]:
    """Return (figure, ZHA alone, with se_gateway) rows."""
    return [
        (
            "memory per device (KiB)",
            zha["memory_per_device"] / 1024,
            ours["memory_per_device"] / 1024,
        ),
        ("start-up to ZHA loaded (s)", startup(zha, "zha"), startup(ours, "zha")),
        (
            "start-up to all loaded (s)",
            startup(zha, "zha"),
            startup(ours, "se_gateway"),
        ),
        ("reports per second (burst)", best_throughput(zha), best_throughput(ours)),
        ("CPU per report (us)", least_cpu(zha), least_cpu(ours)),
        ("latency p50 (ms)", latency(zha, "p50_ms"), latency(ours, "p50_ms")),
        ("latency p99 (ms)", latency(zha, "p99_ms"), latency(ours, "p99_ms")),
        ("pairing, tracemalloc on (s)", zha["pair_s"], ours["pair_s"]),
        ("process RSS at the end (MiB)", zha["rss_end_mb"], ours["rss_end_mb"]),
    ]


def print_figures(zha: dict[str, Any], ours: dict[str, Any]) -> None:
    """Print the table, and where se_gateway's extra memory is."""
    devices = f"{zha['meters']} meters + {zha['locks']} Tuya locks"
    print(f"\nLoad with {devices}, ratio = with se_gateway / ZHA alone")
    print(f"{'':32}{'ZHA alone':>12}{'se_gateway':>12}{'ratio':>8}")
    for name, alone, with_us in rows(zha, ours):
        print(f"{name:32}{alone:12.2f}{with_us:12.2f}{with_us / alone:8.2f}")
    print("memory per device by package (KiB), ZHA alone -> with se_gateway:")
    packages = dict.fromkeys([*ours["memory_by_package"], *zha["memory_by_package"]])
    for package in list(packages)[:10]:
        alone = zha["memory_by_package"].get(package, 0) / 1024
        with_us = ours["memory_by_package"].get(package, 0) / 1024
        print(f"  {package:30}{alone:10.1f}{with_us:10.1f}")


@pytest.mark.timeout(2 * RUN_TIMEOUT_S + 120)
def test_load_against_zha_alone(
    benchmark: BenchmarkFixture,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures: dict[str, dict[str, Any]] = {}

    def run_both() -> None:
        for mode in MODES:
            figures[mode] = run_scenario(mode, tmp_path / f"{mode}.json")

    benchmark.pedantic(run_both, rounds=1, iterations=1)

    zha, ours = figures["zha"], figures["se_gateway"]
    devices = zha["meters"] + zha["locks"]
    # Each run was what it says: se_gateway's quirks and entities only in ours.
    assert zha["loaded"]["se_gateway_entities"] == 0
    assert "TuyaLockDevice" not in zha["loaded"]["zigpy_device_classes"]
    assert ours["loaded"]["se_gateway_entities"] >= zha["locks"]
    assert ours["loaded"]["zigpy_device_classes"]["TuyaLockDevice"] == zha["locks"]
    for run in (zha, ours):
        assert sum(run["loaded"]["zigpy_device_classes"].values()) == devices + 1
        assert all(paced["reports"] == paced["rate"] * 4 for paced in run["paced"])
        assert all(burst["reports"] == 10 * run["meters"] for burst in run["bursts"])
    benchmark.extra_info.update(
        {name: with_us / alone for name, alone, with_us in rows(zha, ours)}
    )
    with capsys.disabled():
        print_figures(zha, ours)
