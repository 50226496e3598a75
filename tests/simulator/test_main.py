"""The simulator's command line: serve until a signal stops it."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal

import pytest

from network_simulator.__main__ import run


async def test_serves_the_chosen_devices_until_terminated(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(
        seed=0, join_on_start=False, device=["meter", "lock"], port=0, control_port=0
    )
    serving = asyncio.create_task(run(args))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if "radio socket://" in capsys.readouterr().out:
            break
    else:
        pytest.fail("the simulator did not start")

    os.kill(os.getpid(), signal.SIGTERM)

    await asyncio.wait_for(serving, 5)
