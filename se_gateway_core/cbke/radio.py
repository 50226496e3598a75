"""Link keys in the radio, and APS encryption of Smart Energy frames.

After CBKE the device and the trust centre share a link key; the radio (the
NCP, which does the APS security) must have it, and the gateway's Smart
Energy frames to that device must ask for APS encryption.

**Link keys.** zigpy has no API for "install this link key for this device"
on a running network; each radio library offers its own way (see the README's
radio table). ``install_link_key`` does it where we know how:

- zigpy-xbee: the Register Joining Device frame (0x24) with key type 0
  (a link key) and reserved address 0xFFFE, which adds or replaces the
  device's entry in the XBee's key table (Digi XBee 3 Zigbee RF Module
  manual, "Register Joining Device - 0x24"); ``ControllerApplication
  ._api.register_joining_device`` sends it and returns its status.

Other libraries raise ``LinkKeyUnsupported`` naming the library.

**APS encryption.** ``ApsEncryption`` shadows ``send_packet`` on the
application object (an instance attribute; zigpy's classes are untouched):

- a unicast frame of a Smart Energy cluster (0x0700-0x07FF) to a device that
  has a CBKE link key gets zigpy's ``TransmitOptions.APS_Encryption``;
- zigpy-xbee 0.22 never reads that option (its ``send_packet`` builds the
  XBee transmit options itself). When the radio is an XBee, the shadow sets a
  context variable around the library's ``send_packet`` and shadows the
  XBee API's ``tx_explicit`` (the one call that builds the Explicit Addressing
  Command frame 0x11) to add the XBee transmit option 0x20 (Enable APS
  encryption) while it is set. The cost: one context variable set and reset
  per frame, and a check that the API object (replaced when zigpy-xbee
  reconnects) still has the shadow.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import contextvars
import functools
import logging
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.types as t

_LOGGER: Final = logging.getLogger(__name__)

SMART_ENERGY_CLUSTERS: Final = range(0x0700, 0x0800)
XBEE_LIBRARY: Final = "zigpy_xbee"
# XBee Explicit Addressing Command frame: transmit option "Enable APS encryption"
XBEE_TX_APS_ENCRYPTION: Final = 0x20
# Index of the transmit options among ``tx_explicit``'s arguments:
# (ieee, nwk, src_ep, dst_ep, cluster, profile, radius, options, data)
_XBEE_TX_OPTIONS_ARG: Final = 7
# Register Joining Device: reserved address and key type "link key"
_XBEE_RESERVED_NWK: Final = 0xFFFE
_XBEE_KEY_TYPE_LINK_KEY: Final = 0
_XBEE_REGISTRATION_SUCCESS: Final = 0x00

_xbee_aps_encryption: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "se_gateway_xbee_aps_encryption", default=False
)

type SendPacket = Callable[[t.ZigbeePacket], Coroutine[Any, Any, None]]


class LinkKeyUnsupported(Exception):
    """The radio library offers no way to install a link key that we use."""

    def __init__(self, library: str) -> None:
        super().__init__(f"{library} cannot install a device's link key")
        self.library = library


class LinkKeyInstallError(Exception):
    """The radio refused the link key."""


def radio_library(app: ControllerApplication) -> str:
    """Return the name of the radio library behind ``app`` (its package)."""
    return type(app).__module__.split(".", 1)[0]


async def install_link_key(
    app: ControllerApplication, ieee: t.EUI64, link_key: bytes
) -> None:
    """Put ``link_key`` for ``ieee`` into the radio's key table.

    Raises ``LinkKeyUnsupported`` for a radio library we cannot do it with,
    ``LinkKeyInstallError`` when the radio refuses.
    """
    library = radio_library(app)
    if library != XBEE_LIBRARY:
        raise LinkKeyUnsupported(library)
    api: Any = getattr(app, "_api", None)
    if api is None:
        raise LinkKeyInstallError("the XBee is not connected")
    status = await api.register_joining_device(
        ieee, _XBEE_RESERVED_NWK, _XBEE_KEY_TYPE_LINK_KEY, bytes(link_key)
    )
    if status != _XBEE_REGISTRATION_SUCCESS:
        raise LinkKeyInstallError(f"XBee registration status 0x{int(status):02X}")
    _LOGGER.debug("Link key for %s installed in the XBee's key table", ieee)


class ApsEncryption:
    """APS-encrypts the Smart Energy frames to devices with a CBKE link key."""

    def __init__(
        self, app: ControllerApplication, has_link_key: Callable[[t.EUI64], bool]
    ) -> None:
        """Encrypt for the devices ``has_link_key`` names, once started."""
        self.app = app
        self.has_link_key = has_link_key
        self.is_xbee = radio_library(app) == XBEE_LIBRARY
        self.encrypted = 0
        self._next: SendPacket = app.send_packet
        self._installed: SendPacket = self.send_packet
        self._shadowed_own_attribute = False

    def start(self) -> None:
        """Shadow the application's ``send_packet``."""
        self._next = self.app.send_packet
        self._shadowed_own_attribute = "send_packet" in vars(self.app)
        self.app.send_packet = self._installed  # type: ignore[method-assign,assignment]

    def stop(self) -> None:
        """Give the application its ``send_packet`` back."""
        if vars(self.app).get("send_packet") is not self._installed:
            return
        if self._shadowed_own_attribute:
            self.app.send_packet = self._next  # type: ignore[method-assign,assignment]
        else:
            del self.app.send_packet

    def wants_encryption(self, packet: t.ZigbeePacket) -> bool:
        """Return True for a unicast SE frame to a device with a link key."""
        if packet.cluster_id not in SMART_ENERGY_CLUSTERS or packet.dst is None:
            return False
        if packet.dst.addr_mode not in (t.AddrMode.NWK, t.AddrMode.IEEE):
            return False
        try:
            device = self.app.get_device_with_address(packet.dst)
        except KeyError, ValueError:
            return False
        return self.has_link_key(device.ieee)

    async def send_packet(self, packet: t.ZigbeePacket) -> None:
        """Send ``packet``, APS-encrypted when it should be."""
        if self.wants_encryption(packet):
            packet = packet.replace(
                tx_options=packet.tx_options | t.TransmitOptions.APS_Encryption
            )
        encrypt = bool(packet.tx_options & t.TransmitOptions.APS_Encryption)
        if encrypt:
            self.encrypted += 1
        if not (encrypt and self.is_xbee):
            await self._next(packet)
            return
        _shadow_xbee_tx_explicit(self.app)
        token = _xbee_aps_encryption.set(True)
        try:
            await self._next(packet)
        finally:
            _xbee_aps_encryption.reset(token)


def _shadow_xbee_tx_explicit(app: ControllerApplication) -> None:
    """Make the XBee API add transmit option 0x20 while asked to."""
    api: Any = getattr(app, "_api", None)
    if api is None or getattr(vars(api).get("tx_explicit"), "se_gateway", False):
        return
    # zigpy-xbee resolves ``api.tx_explicit`` through ``__getattr__`` to this
    library_tx_explicit = functools.partial(api._command, "tx_explicit")

    def tx_explicit(*args: Any) -> Any:
        if _xbee_aps_encryption.get() and len(args) > _XBEE_TX_OPTIONS_ARG:
            options = int(args[_XBEE_TX_OPTIONS_ARG]) | XBEE_TX_APS_ENCRYPTION
            args = (
                *args[:_XBEE_TX_OPTIONS_ARG],
                options,
                *args[_XBEE_TX_OPTIONS_ARG + 1 :],
            )
        return library_tx_explicit(*args)

    tx_explicit.se_gateway = True  # type: ignore[attr-defined]
    api.tx_explicit = tx_explicit
