"""A line-based control channel for a running simulator, and its command-line client.

Commands, one per line; the answer is one line starting with ``ok`` or ``error``:

- ``list``: the devices, their addresses and state;
- ``add KIND [IEEE] [profile=NAME]``: add a device from the catalogue (it joins
  when permitted); a lock can be any profile of `lock.profiles` (``simlock``,
  ``password-free``, ``dp21``, ``ty0a02``);
- ``remove IEEE``, ``offline IEEE``, ``online IEEE``, ``rejoin IEEE``;
- ``power-cycle IEEE``: the device loses its reporting configuration;
- ``faults [drop=RATE] [delay=SECONDS] [duplicate=0|1] [transmit_delay=SECONDS]``,
  ``faults reset``;
- ``lock IEEE ACTION``: a Tuya lock acts; ACTION is ``unlock METHOD USER``
  (METHOD: fingerprint, password, temporary-password, dynamic-password, card,
  face, mechanical-key, app, voice), ``door open|closed``, ``alarm CODE``
  (a number or a name: pry, low-battery, wrong-password, …),
  ``battery PERCENT``, ``doorbell``, ``remote-request SECONDS``, ``keypad
  CODE`` (a password typed at the lock), ``finger NAME`` (a finger on the
  reader: it enrols during an enrolment, else it opens if known),
  ``enrol-finger NAME`` (enrol at the lock's own menu), ``lock`` or
  ``status``; the answer is the lock's state;
- ``ihd IEEE get-price|read-time|confirm MESSAGE_ID|status``;
- ``load IEEE opt-out EVENT_ID|status``;
- ``meter-price IEEE publish PRICE [TIER]|status``.

Kinds for ``add``: ``meter``, ``lock``, ``ihd``, ``load``, ``meter-price``,
``ihd-se-profile`` (a display on the Smart Energy profile; ``ihd`` commands),
``meter-se-profile`` (a meter on the Smart Energy profile), and the certified
Smart Energy devices (all endpoints on 0x0109, install code, CBKE with a
certificate of the simulator's test CA, strict APS security):
``ihd-certified`` (``ihd`` commands), ``thermostat-certified`` (``load``
commands) and ``meter-certified``. They join when the gateway permits them
with their install code (``list`` does not show it; it is
``network_simulator.certified.install_code_for(IEEE)``).

Client: ``python -m network_simulator.control --port PORT COMMAND...``
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
import sys

import zigpy.types as t

from . import catalogue, heavy_kinds
from .device import SimulatedDevice
from .lock.profiles import PROFILES as LOCK_PROFILES
from .network import Network

DEVICE_KINDS: dict[str, Callable[..., SimulatedDevice]] = {
    "meter": catalogue.electricity_meter,
    "lock": heavy_kinds.tuya_lock,
    "ihd": heavy_kinds.in_home_display,
    "load": heavy_kinds.load_control_device,
    "meter-price": heavy_kinds.meter_with_price_server,
    "ihd-se-profile": heavy_kinds.se_profile_display,
    "meter-se-profile": heavy_kinds.se_profile_meter,
    "ihd-certified": heavy_kinds.certified_in_home_display,
    "thermostat-certified": heavy_kinds.certified_thermostat,
    "meter-certified": heavy_kinds.certified_meter,
}


class ControlServer:
    """Serves control commands for one network."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._server: asyncio.Server | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen and return the port."""
        self._server = await asyncio.start_server(self._serve, host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while line := await reader.readline():
                writer.write((self.execute(line.decode().strip()) + "\n").encode())
                await writer.drain()
        finally:
            writer.close()

    def execute(self, line: str) -> str:
        """Run one command and return its one-line answer."""
        words = line.split()
        if not words:
            return "error empty command"
        command, args = words[0], words[1:]
        try:
            match command:
                case "list":
                    return "ok " + "; ".join(
                        f"{d.ieee} {d.model} nwk={_nwk(d.nwk)} online={d.online}"
                        for d in self.network.devices.values()
                    )
                case "add":
                    factory = DEVICE_KINDS[args[0]]
                    device = self.network.add_device(factory(**_add_options(args)))
                    return f"ok {device.ieee}"
                case "remove" | "offline" | "online" | "rejoin" | "power-cycle":
                    return self._device_command(command, t.EUI64.convert(args[0]))
                case "faults":
                    return self._faults(args)
                case "lock" | "ihd" | "load" | "meter-price":
                    device = self.network.devices[t.EUI64.convert(args[0])]
                    return heavy_kinds.run_device_command(command, device, args[1:])
        except (KeyError, IndexError, ValueError) as err:
            return f"error {command}: {err!r}"
        return f"error unknown command {command}"

    def _device_command(self, command: str, ieee: t.EUI64) -> str:
        device = self.network.devices[ieee]
        if command == "remove":
            self.network.remove_device(ieee)
        elif command == "rejoin":
            self.network.rejoin(device)
        elif command == "power-cycle":
            device.power_cycle()
        else:
            self.network.set_online(device, command == "online")
        return f"ok {command} {ieee}"

    def _faults(self, args: list[str]) -> str:
        faults = self.network.faults
        if args == ["reset"]:
            faults.reset()
        for arg in args:
            if arg == "reset":
                continue
            name, value = arg.split("=", 1)
            if name == "drop":
                faults.drop_rate = float(value)
            elif name == "delay":
                faults.delay = float(value)
            elif name == "duplicate":
                faults.duplicate = value not in ("0", "false", "off")
            elif name == "transmit_delay":
                faults.transmit_delay = float(value)
            else:
                raise KeyError(name)
        answer = (
            f"ok drop={faults.drop_rate} delay={faults.delay}"
            f" duplicate={faults.duplicate}"
        )
        if faults.transmit_delay:
            answer += f" transmit_delay={faults.transmit_delay}"
        return answer


def _add_options(args: list[str]) -> dict[str, object]:
    """Read ``add KIND [IEEE] [profile=NAME]`` into factory arguments."""
    options: dict[str, object] = {}
    for word in args[1:]:
        name, _sep, value = word.partition("=")
        if not value:
            options["ieee"] = t.EUI64.convert(word)
        elif name == "profile" and args[0] == "lock":
            options["profile"] = LOCK_PROFILES[value].name
        else:
            raise KeyError(word)
    return options


def _nwk(nwk: int | None) -> str:
    return "none" if nwk is None else f"0x{nwk:04X}"


async def send_command(port: int, command: str, host: str = "127.0.0.1") -> str:
    """Send one command to a control server and return its answer."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write((command + "\n").encode())
        await writer.drain()
        return (await reader.readline()).decode().strip()
    finally:
        writer.close()


def main(argv: list[str] | None = None) -> int:
    """Send a command from the command line."""
    parser = argparse.ArgumentParser(description="Control a running simulated network.")
    parser.add_argument("--port", type=int, required=True, help="control port")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    answer = asyncio.run(send_command(args.port, " ".join(args.command)))
    print(answer)
    return 0 if answer.startswith("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
