"""The emulated Digi XBee radio: AT commands and API frames, host side."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import logging
import random
from typing import Final, Protocol

import zigpy.types as t
import zigpy.util

from . import xbee_frames as xf
from .faults import Faults

_LOGGER = logging.getLogger(__name__)

# Value widths of the AT commands the radio answers, from Digi's XBee Zigbee manual.
# None means the command takes no value and executes an action.
AT_WIDTHS: Final[dict[str, int | None]] = {
    "AP": 1, "AO": 1, "CE": 1, "EE": 1, "EO": 1, "ZS": 1, "NJ": 1, "AI": 1,
    "CH": 1, "DB": 1, "NH": 1, "BH": 1, "PL": 1, "PM": 1, "SM": 1, "JV": 1,
    "MY": 2, "OI": 2, "VR": 2, "HV": 2, "SP": 2, "SN": 2, "KT": 2, "SC": 2,
    "NP": 2, "CI": 2,
    "SH": 4, "SL": 4,
    "ID": 8, "OP": 8,
    "NK": 0, "KY": 0,
    "WR": None, "AC": None, "CN": None, "NR": None, "FR": None, "RE": None,
    "ED": None,
}  # fmt: skip

AT_OK: Final = 0
AT_ERROR: Final = 1
AT_INVALID_COMMAND: Final = 2
AT_INVALID_PARAMETER: Final = 3

MODEM_HARDWARE_RESET: Final = 0x00
MODEM_COORDINATOR_STARTED: Final = 0x06

TX_SUCCESS: Final = 0x00
TX_NETWORK_ACK_FAILURE: Final = 0x21
TX_ADDRESS_NOT_FOUND: Final = 0x24

REGISTRATION_SUCCESS: Final = 0x00
REGISTRATION_INVALID_KEY: Final = 0xB2
REGISTRATION_KEY_TYPE_LINK_KEY: Final = 0
REGISTRATION_KEY_TYPE_INSTALL_CODE: Final = 1

# Explicit Addressing Command (0x11) transmit options
TX_OPTION_APS_ENCRYPTION: Final = 0x20
# Explicit Rx Indicator (0x91) receive options
RX_OPTION_ACKNOWLEDGED: Final = 0x01
RX_OPTION_APS_ENCRYPTED: Final = 0x20

ASSOCIATED: Final = 0x00
NOT_ASSOCIATED: Final = 0x21  # scan found no PANs: the network is not formed

UNKNOWN_IEEE: Final = t.EUI64.convert("ff:ff:ff:ff:ff:ff:ff:ff")
BROADCAST_IEEE: Final = t.EUI64.convert("00:00:00:00:00:00:ff:ff")
BROADCAST_NWKS: Final = frozenset({0xFFFC, 0xFFFD, 0xFFFF})


@dataclass(frozen=True)
class Transmission:
    """An explicit transmit request from the host."""

    ieee: t.EUI64
    nwk: int
    src_ep: int
    dst_ep: int
    cluster_id: int
    profile_id: int
    data: bytes
    # The link key the radio APS-encrypted the frame with (TX option 0x20)
    aps_key: bytes | None = field(default=None, repr=False)

    @property
    def is_broadcast(self) -> bool:
        """Return True for a broadcast."""
        return self.ieee == BROADCAST_IEEE or self.nwk in BROADCAST_NWKS


class RadioNetwork(Protocol):
    """What the radio needs from the network behind it."""

    def deliver(self, transmission: Transmission) -> int:
        """Deliver a transmission; return the XBee transmit status."""

    def permit_joining(self, seconds: int) -> None:
        """Open (or close, with 0) the network for joining."""

    def register_joining_device(self, ieee: t.EUI64, key_type: int, key: bytes) -> int:
        """Allow a device to join with a link key or an install code."""

    @property
    def faults(self) -> Faults:
        """Return the faults the network injects."""


@dataclass
class XBeeRadio:
    """State and frame handling of the emulated XBee (API mode 2, escaped)."""

    network: RadioNetwork
    write_to_host: Callable[[bytes], None]
    ieee: t.EUI64 = field(
        default_factory=lambda: t.EUI64.convert("00:13:a2:00:41:5a:3c:01")
    )
    seed: int = 0
    settings: dict[str, int | bytes] = field(default_factory=dict)
    formed: bool = False
    # The key table: link keys by device, from Register Joining Device (0x24)
    link_keys: dict[t.EUI64, bytes] = field(default_factory=dict, repr=False)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        formed = self.formed
        self.formed = False
        self.settings = {
            "AP": 2, "AO": 0, "CE": 1, "EE": 0, "EO": 0, "ZS": 0, "NJ": 0,
            "CH": 0, "DB": 0x28, "NH": 30, "BH": 0, "PL": 4, "PM": 1, "SM": 0,
            "JV": 0, "VR": 0x1009, "HV": 0x2D46, "SP": 0x20, "SN": 1, "KT": 300,
            "SC": 0x7FFF, "NP": 0x54, "CI": 0x11, "ID": 0, "OP": 0, "OI": 0xFFFF,
        }  # fmt: skip
        if formed:
            self.settings.update({"EE": 1, "EO": 2, "ZS": 2, "SC": 1 << (15 - 11)})
            self._form()

    # Host frames -------------------------------------------------------------------

    def handle_frame(self, frame: bytes) -> None:
        """Handle one API frame from the host; never raises."""
        if not frame:
            return
        handlers: dict[int, Callable[[bytes], None]] = {
            xf.AT_COMMAND: self._at_command,
            xf.QUEUED_AT_COMMAND: self._at_command,
            xf.EXPLICIT_TRANSMIT: self._explicit_transmit,
            xf.REGISTER_JOINING_DEVICE: self._register_joining_device,
            xf.REMOTE_AT_COMMAND: self._remote_at_command,
            xf.CREATE_SOURCE_ROUTE: lambda _body: None,
        }
        handler = handlers.get(frame[0])
        if handler is None:
            _LOGGER.warning("Ignored an XBee frame of unknown type 0x%02X", frame[0])
            return
        try:
            handler(frame[1:])
        except (ValueError, IndexError) as err:
            _LOGGER.warning("Dropped a malformed XBee frame 0x%02X: %s", frame[0], err)

    def send(self, frame: bytes) -> None:
        """Send an API frame to the host."""
        self.write_to_host(xf.encode_frame(frame))

    def send_modem_status(self, status: int) -> None:
        """Send a modem status frame."""
        self.send(bytes((xf.MODEM_STATUS, status)))

    def send_explicit_receive(
        self,
        ieee: t.EUI64,
        nwk: int,
        src_ep: int,
        dst_ep: int,
        cluster_id: int,
        profile_id: int,
        data: bytes,
        *,
        aps_encrypted: bool = False,
    ) -> None:
        """Send a received packet to the host (explicit receive indicator).

        The receive options say the frame was acknowledged, and (0x20) that it
        came APS-encrypted, as Digi's firmware reports it.
        """
        options = RX_OPTION_ACKNOWLEDGED
        if aps_encrypted:
            options |= RX_OPTION_APS_ENCRYPTED
        body = (
            bytes((xf.EXPLICIT_RECEIVE,))
            + bytes(reversed(ieee.serialize()))
            + nwk.to_bytes(2, "big")
            + bytes((src_ep, dst_ep))
            + cluster_id.to_bytes(2, "big")
            + profile_id.to_bytes(2, "big")
            + bytes((options,))
            + data
        )
        self.send(body)

    # AT commands -------------------------------------------------------------

    def _at_command(self, body: bytes) -> None:
        frame_id = body[0]
        name = body[1:3].decode("ascii", "replace")
        value = body[3:]
        status, result = self.execute_at(name, value)
        self.send(
            bytes((xf.AT_RESPONSE, frame_id)) + body[1:3] + bytes((status,)) + result
        )

    def execute_at(self, name: str, value: bytes) -> tuple[int, bytes]:
        """Execute an AT command; return its status and response value."""
        if name not in AT_WIDTHS:
            return AT_INVALID_COMMAND, b""
        width = AT_WIDTHS[name]
        if width is None:
            return self._execute_action(name, value)
        if value:
            if width and len(value) > width:
                return AT_INVALID_PARAMETER, b""
            self.settings[name] = int.from_bytes(value, "big") if width else value
            if name == "NJ" and self.formed:
                self.network.permit_joining(int.from_bytes(value, "big"))
            return AT_OK, b""
        return AT_OK, self._read_at(name, width)

    def _read_at(self, name: str, width: int) -> bytes:
        if width == 0:
            return b""  # keys are write-only
        ieee = bytes(reversed(self.ieee.serialize()))
        computed: dict[str, int] = {
            "SH": int.from_bytes(ieee[:4], "big"),
            "SL": int.from_bytes(ieee[4:], "big"),
            "MY": 0x0000 if self.formed else 0xFFFE,
            "AI": ASSOCIATED if self.formed else NOT_ASSOCIATED,
        }
        setting = computed.get(name, self.settings.get(name, 0))
        assert isinstance(setting, int)
        return setting.to_bytes(width, "big")

    def _execute_action(self, name: str, value: bytes) -> tuple[int, bytes]:
        if name == "ED":
            return AT_OK, bytes(self._random.randint(40, 90) for _ in range(16))
        if name in ("WR", "AC", "CN") and self._form_ready():
            self._form()
        if name == "AC" and self.formed:
            nj = self.settings["NJ"]
            assert isinstance(nj, int)
            self.network.permit_joining(nj)
        if name == "NR" and self.formed:
            self.send_modem_status(MODEM_COORDINATOR_STARTED)
        if name in ("FR", "RE"):
            self.send_modem_status(MODEM_HARDWARE_RESET)
            if self.formed:
                self.send_modem_status(MODEM_COORDINATOR_STARTED)
        del value
        return AT_OK, b""

    def _form_ready(self) -> bool:
        return not self.formed and self.settings["EE"] == 1 and self.settings["ZS"] == 2

    def _form(self) -> None:
        scan = self.settings["SC"]
        assert isinstance(scan, int)
        self.settings["CH"] = next(
            (11 + bit for bit in range(16) if scan & (1 << bit)), 15
        )
        self.settings["OI"] = self._random.randint(0x0001, 0xFFF0)
        if not self.settings["ID"]:
            self.settings["ID"] = self._random.getrandbits(64)
        self.settings["OP"] = self.settings["ID"]
        self.formed = True
        _LOGGER.info("Formed a network on channel %s", self.settings["CH"])
        self.send_modem_status(MODEM_COORDINATOR_STARTED)

    # Data ----------------------------------------------------------------------

    def _explicit_transmit(self, body: bytes) -> None:
        if len(body) < 19:
            raise ValueError("explicit transmit frame too short")
        frame_id = body[0]
        ieee = t.EUI64(reversed(body[1:9]))
        options = body[18]
        transmission = Transmission(
            ieee=ieee,
            nwk=int.from_bytes(body[9:11], "big"),
            src_ep=body[11],
            dst_ep=body[12],
            cluster_id=int.from_bytes(body[13:15], "big"),
            profile_id=int.from_bytes(body[15:17], "big"),
            data=bytes(body[19:]),
            aps_key=self.aps_key(ieee) if options & TX_OPTION_APS_ENCRYPTION else None,
        )
        if delay := self.network.faults.transmit_delay_to(ieee):
            asyncio.get_running_loop().call_later(
                delay, self._transmitted, frame_id, transmission
            )
        else:
            self._transmitted(frame_id, transmission)

    def _transmitted(self, frame_id: int, transmission: Transmission) -> None:
        """Deliver a host transmission and send its transmit status."""
        status = (
            self.network.deliver(transmission) if self.formed else TX_ADDRESS_NOT_FOUND
        )
        nwk = transmission.nwk if transmission.nwk != 0xFFFE else 0xFFFD
        if frame_id:
            self.send(
                bytes((xf.TRANSMIT_STATUS, frame_id))
                + nwk.to_bytes(2, "big")
                + bytes((0, status, 0))
            )

    def _register_joining_device(self, body: bytes) -> None:
        if len(body) < 12:
            raise ValueError("register joining device frame too short")
        frame_id = body[0]
        ieee = t.EUI64(reversed(body[1:9]))
        key_type = body[11]
        key = bytes(body[12:])
        if not key:
            # Digi: a registration without a key removes the device's entry
            self.link_keys.pop(ieee, None)
            self.send(bytes((xf.REGISTRATION_STATUS, frame_id, REGISTRATION_SUCCESS)))
            return
        status = self.network.register_joining_device(ieee, key_type, key)
        if status == REGISTRATION_SUCCESS:
            if key_type == REGISTRATION_KEY_TYPE_INSTALL_CODE:
                key = bytes(zigpy.util.convert_install_code(key))
            self.link_keys[ieee] = key
        self.send(bytes((xf.REGISTRATION_STATUS, frame_id, status)))

    def aps_key(self, ieee: t.EUI64) -> bytes | None:
        """Return the key APS security with ``ieee`` uses: its key table entry.

        Without one, the trust centre link key (``KY``) is used, as for a
        device that joined with the preconfigured key.
        """
        key = self.link_keys.get(ieee)
        if key is not None:
            return key
        preconfigured = self.settings.get("KY")
        return preconfigured if isinstance(preconfigured, bytes) else None

    def _remote_at_command(self, body: bytes) -> None:
        # There are no remote XBee modules on the simulated network.
        frame_id = body[0]
        self.send(
            bytes((xf.REMOTE_AT_RESPONSE, frame_id))
            + body[1:11]
            + body[12:14]
            + bytes((4,))  # transmission failure
        )
