"""A power cut in the middle of a fan-out: the gateway keeps what it promised.

A real Home Assistant (``.venv/bin/hass``) runs in its own process with ZHA on
the simulated network (in this process, on a loopback port) and three
simulated in-home displays. A price event is created through the REST API
while the simulator slows the transmissions to two of the displays
(``transmit_delays``), so the first display has the event seconds before the
others. As soon as the first display has it, Home Assistant is killed with
SIGKILL. After a restart, the gateway still has the event (it was written
before it went on the air) and sends it to the displays that missed it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import os
from pathlib import Path
import signal
import socket
import sys
import time
from typing import Any

import aiohttp
import pytest
import zigpy.types as t

from network_simulator import Network
from network_simulator.in_home_display import InHomeDisplay
from network_simulator.smart_energy import in_home_display

ROOT = Path(__file__).resolve().parents[2]
HASS = ROOT / ".venv" / "bin" / "hass"
DISPLAYS = 3
# Display 1 gets frames at once, displays 2 and 3 this much later.
SLOW_S = 5.0
START_TIMEOUT_S = 60.0
PRICE = {"provider_id": 7, "currency": 978, "price": 245, "duration_in_minutes": 60}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _until(condition: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await _holds(condition):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _holds(condition: Callable[[], Any]) -> bool:
    result = condition()
    if asyncio.iscoroutine(result):
        result = await result
    return bool(result)


def _got(display: InHomeDisplay, event_id: int) -> bool:
    return any(p.issuer_event_id == event_id for p in display.prices)


class HomeAssistantProcess:
    """Home Assistant in its own process group, and its REST API."""

    def __init__(self, config: Path, port: int, token: str) -> None:
        self.config = config
        self.url = f"http://127.0.0.1:{port}/api"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.process: asyncio.subprocess.Process | None = None
        self.session = aiohttp.ClientSession()
        self.starts = 0

    async def start(self) -> None:
        self.starts += 1
        log = open(self.config / f"hass-{self.starts}.log", "wb")  # noqa: ASYNC230, SIM115
        with log:
            self.process = await asyncio.create_subprocess_exec(
                str(HASS),
                "-c",
                str(self.config),
                "--skip-pip",
                cwd=self.config,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        await _until(self.gateway_ready, START_TIMEOUT_S, "Home Assistant to start")

    async def gateway_ready(self) -> bool:
        assert self.process is not None
        if self.process.returncode is not None:
            pytest.fail(f"Home Assistant exited; see {self.config}/hass-*.log")
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            return await self.call("get_price_events") is not None
        return False

    async def call(self, service: str, data: dict[str, Any] | None = None) -> Any:
        """Call a se_gateway action; return its response (None: not yet there)."""
        async with self.session.post(
            f"{self.url}/services/se_gateway/{service}?return_response",
            json=data or {},
            headers=self.headers,
            timeout=aiohttp.ClientTimeout(total=30),
        ) as answer:
            if answer.status != 200:
                return None
            return (await answer.json())["service_response"]

    async def kill(self) -> None:
        """Cut the power: SIGKILL, nothing is written any more."""
        if self.process is not None and self.process.returncode is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            await self.process.wait()

    async def close(self) -> None:
        await self.kill()
        await self.session.close()


@pytest.fixture
async def network(socket_enabled: None) -> AsyncIterator[Network]:
    """The simulated network with the displays that join when ZHA connects."""
    network = Network(seed=1, join_on_start=True)
    for number in range(1, DISPLAYS + 1):
        network.add_device(
            in_home_display(
                t.EUI64.convert(f"00:0d:6f:00:0b:00:00:{number:02x}"),
                model=f"Display {number}",
                startup_delay_s=0.2,
            )
        )
    await network.start()
    yield network
    await network.stop()


async def test_sigkill_in_the_middle_of_a_fan_out_loses_no_event(
    network: Network, tmp_path: Path
) -> None:
    displays = [d for d in network.devices.values() if isinstance(d, InHomeDisplay)]
    config = tmp_path / "config"
    port = _free_port()
    provision = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "power_cut" / "provision.py"),
        str(config),
        network.url,
        str(port),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    token = (await provision.communicate())[0].decode().strip().splitlines()[-1]
    assert provision.returncode == 0
    hass = HomeAssistantProcess(config, port, token)
    try:
        await hass.start()

        # Every display is known and gets events: a first price reaches them all.
        async def first_price_everywhere() -> bool:
            if not all(_got(d, 1) for d in displays):
                await hass.call("cancel_all_price_events")
                await hass.call("create_price_event", {**PRICE, "issuer_event_id": 1})
                await asyncio.sleep(1)
            return all(_got(d, 1) for d in displays)

        await _until(first_price_everywhere, START_TIMEOUT_S, "the displays")

        # The slow fan-out; the power goes as soon as one display has the event.
        first, *slow = displays
        network.faults.transmit_delays.update({d.ieee: SLOW_S for d in slow})
        created = asyncio.create_task(
            hass.call("create_price_event", {**PRICE, "issuer_event_id": 2})
        )
        await _until(lambda: any(_got(d, 2) for d in displays), 15, "the first display")
        await hass.kill()
        with contextlib.suppress(aiohttp.ClientError):
            await created
        network.faults.reset()
        got = [d for d in displays if _got(d, 2)]
        missed = [d for d in displays if not _got(d, 2)]
        # The power went in the middle of the fan-out.
        assert (got, missed) == ([first], slow)

        await hass.start()

        # Every display that got the event finds it in the gateway...
        answer = await hass.call("get_price_events")
        assert 2 in [record["issuer_event_id"] for record in answer["record_list"]]
        # ... and the displays that missed it get it now.
        await _until(
            lambda: all(_got(d, 2) for d in missed), 30, "the event to be resent"
        )
    finally:
        await hass.close()
