"""Run a simulated network.

Example: ``python -m network_simulator --port 9999 --device meter``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from .control import DEVICE_KINDS, ControlServer
from .network import Network


async def run(args: argparse.Namespace) -> None:
    """Serve until interrupted."""
    network = Network(seed=args.seed, join_on_start=args.join_on_start)
    for kind in args.device:
        network.add_device(DEVICE_KINDS[kind]())
    port = await network.start(port=args.port)
    control = ControlServer(network)
    control_port = await control.start(port=args.control_port)
    print(f"radio socket://127.0.0.1:{port} control {control_port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await control.stop()
    await network.stop()


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(
        description="A simulated Zigbee network behind an emulated XBee."
    )
    parser.add_argument("--port", type=int, default=9999, help="TCP port of the radio")
    parser.add_argument(
        "--control-port", type=int, default=9998, help="TCP port of the control channel"
    )
    parser.add_argument(
        "--device", action="append", default=[], choices=sorted(DEVICE_KINDS)
    )
    parser.add_argument(
        "--join-on-start",
        action="store_true",
        help="devices announce themselves once the host has started the network",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
