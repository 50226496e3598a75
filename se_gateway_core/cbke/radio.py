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
- bellows (EZSP), the way bellows itself writes the key table on a network
  restore (``EZSPv4.write_link_keys`` / ``EZSPv13.write_link_keys``), but
  for one device on the running network: EZSP protocol 4-12
  ``addOrUpdateKeyTableEntry(address, linkKey=True, keyData)`` (frame 0x0066,
  which replaces the device's entry or takes a free one); protocol 13 and
  later (where 0x66 is gone) ``importLinkKey(index, address, key)`` (frame
  0x010E) into the device's existing entry, else the first free one, found
  with ``exportLinkKeyByIndex`` over ``CONFIG_KEY_TABLE_SIZE`` entries (the
  way ``EZSPv13.read_link_keys`` walks the table). Not
  ``add_transient_link_key``: a transient key is only for joining and
  expires.
- zigpy-znp: ``ZDO.SetLinkKey`` (MT ZDO_SET_LINK_KEY, SREQ 0x25 0x23: NWK,
  IEEE, key), the library's command for a device's application link key
  (Z-Stack's own handling of it is not verified on a radio); a firmware
  that answers "command not recognized" is a ``LinkKeyInstallError``.
- zigpy-deconz: ``write_parameter(NetworkParameter.link_key, LinkKey(ieee,
  key))``, the parameter zigpy-deconz's own ``permit_with_link_key`` writes.

The EZSP, MT and deCONZ frames carry the IEEE address little-endian, then
the 16 key bytes in the order CBKE derived them (zigpy's ``KeyData`` is a
fixed list of bytes, serialized as is); ``tests/core/cbke/
test_radio_link_keys.py`` asserts the bytes. A refusal status is a
``LinkKeyInstallError``; a timeout or another library error propagates as
the library raises it. Other libraries (zigpy-zigate, ...) raise
``LinkKeyUnsupported`` naming the library.

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
import importlib
import logging
from typing import Any, Final

from zigpy.application import ControllerApplication
import zigpy.types as t

_LOGGER: Final = logging.getLogger(__name__)

SMART_ENERGY_CLUSTERS: Final = range(0x0700, 0x0800)
XBEE_LIBRARY: Final = "zigpy_xbee"
BELLOWS_LIBRARY: Final = "bellows"
ZNP_LIBRARY: Final = "zigpy_znp"
DECONZ_LIBRARY: Final = "zigpy_deconz"
# XBee Explicit Addressing Command frame: transmit option "Enable APS encryption"
XBEE_TX_APS_ENCRYPTION: Final = 0x20
# Index of the transmit options among ``tx_explicit``'s arguments:
# (ieee, nwk, src_ep, dst_ep, cluster, profile, radius, options, data)
_XBEE_TX_OPTIONS_ARG: Final = 7
# Register Joining Device: reserved address and key type "link key"
_XBEE_RESERVED_NWK: Final = 0xFFFE
_XBEE_KEY_TYPE_LINK_KEY: Final = 0
_XBEE_REGISTRATION_SUCCESS: Final = 0x00
_KEY_LENGTH: Final = 16
# EZSP: ``addOrUpdateKeyTableEntry`` up to protocol 12, ``importLinkKey`` from 13
_EZSP_IMPORT_LINK_KEY_VERSION: Final = 13
_EZSP_SUCCESS: Final = 0x00
# Z-Stack ZDO.SetLinkKey for a device zigpy does not know: "address unknown"
_UNKNOWN_NWK: Final = 0xFFFE

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
    if len(link_key) != _KEY_LENGTH:
        raise LinkKeyInstallError(f"a link key has 16 bytes, not {len(link_key)}")
    library = radio_library(app)
    installer = _INSTALLERS.get(library)
    if installer is None:
        raise LinkKeyUnsupported(library)
    await installer(app, ieee, bytes(link_key))
    _LOGGER.debug("Link key for %s installed in the radio (%s)", ieee, library)


async def _install_xbee(app: ControllerApplication, ieee: t.EUI64, key: bytes) -> None:
    api: Any = getattr(app, "_api", None)
    if api is None:
        raise LinkKeyInstallError("the XBee is not connected")
    status = await api.register_joining_device(
        ieee, _XBEE_RESERVED_NWK, _XBEE_KEY_TYPE_LINK_KEY, key
    )
    if status != _XBEE_REGISTRATION_SUCCESS:
        raise LinkKeyInstallError(f"XBee registration status 0x{int(status):02X}")


async def _install_bellows(
    app: ControllerApplication, ieee: t.EUI64, key: bytes
) -> None:
    ezsp: Any = getattr(app, "_ezsp", None)
    if ezsp is None:
        raise LinkKeyInstallError("the EZSP NCP is not connected")
    key_data = t.KeyData(key)
    if ezsp.ezsp_version < _EZSP_IMPORT_LINK_KEY_VERSION:
        (status,) = await ezsp.addOrUpdateKeyTableEntry(
            address=ieee, linkKey=True, keyData=key_data
        )
        _check_ezsp("addOrUpdateKeyTableEntry", status)
        return
    index = await _ezsp_key_table_index(ezsp, ieee)
    (status,) = await ezsp.importLinkKey(index=index, address=ieee, key=key_data)
    _check_ezsp("importLinkKey", status)


async def _ezsp_key_table_index(ezsp: Any, ieee: t.EUI64) -> int:
    """Return the device's key table entry, else the first free one."""
    bt: Any = importlib.import_module("bellows.types")
    status, size = await ezsp.getConfigurationValue(
        configId=bt.EzspConfigId.CONFIG_KEY_TABLE_SIZE
    )
    _check_ezsp("getConfigurationValue", status)
    free: int | None = None
    for index in range(size):
        entry = await _ezsp_named(ezsp, "exportLinkKeyByIndex", index=index)
        if int(entry["status"]) != _EZSP_SUCCESS:
            free = index if free is None else free
            continue
        # protocol 13: ``eui64``; 14 and later: ``context.eui64``
        eui64 = entry["eui64"] if "eui64" in entry else entry["context"].eui64
        if eui64 == ieee:
            return index
    if free is None:
        raise LinkKeyInstallError(f"the NCP's key table ({size} entries) is full")
    return free


async def _ezsp_named(ezsp: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    """Send an EZSP command; name its response fields (their order varies)."""
    result = await getattr(ezsp, name)(**kwargs)
    return dict(zip(ezsp._protocol.COMMANDS[name][2], result, strict=True))


def _check_ezsp(command: str, status: Any) -> None:
    # EmberStatus.SUCCESS, EzspStatus.SUCCESS and sl_Status.OK are all 0x00
    if int(status) != _EZSP_SUCCESS:
        raise LinkKeyInstallError(f"EZSP {command} status 0x{int(status):02X}")


async def _install_znp(app: ControllerApplication, ieee: t.EUI64, key: bytes) -> None:
    znp: Any = getattr(app, "_znp", None)
    if znp is None:
        raise LinkKeyInstallError("the Z-Stack radio is not connected")
    c: Any = importlib.import_module("zigpy_znp.commands")
    zt: Any = importlib.import_module("zigpy_znp.types")
    errors: Any = importlib.import_module("zigpy_znp.exceptions")

    try:
        nwk: Any = app.get_device(ieee=ieee).nwk
    except KeyError:
        nwk = zt.NWK(_UNKNOWN_NWK)
    try:
        await znp.request(
            c.ZDO.SetLinkKey.Req(NWK=nwk, IEEE=ieee, LinkKeyData=t.KeyData(key)),
            RspStatus=zt.Status.SUCCESS,
        )
    except errors.InvalidCommandResponse as err:
        raise LinkKeyInstallError(f"Z-Stack ZDO.SetLinkKey: {err}") from err
    except errors.CommandNotRecognized as err:
        # firmware built without the MT ZDO functions
        raise LinkKeyInstallError(
            "the Z-Stack firmware does not know ZDO.SetLinkKey"
        ) from err


async def _install_deconz(
    app: ControllerApplication, ieee: t.EUI64, key: bytes
) -> None:
    api: Any = getattr(app, "_api", None)
    if api is None:
        raise LinkKeyInstallError("the deCONZ radio is not connected")
    deconz: Any = importlib.import_module("zigpy_deconz.api")
    deconz_errors: Any = importlib.import_module("zigpy_deconz.exception")

    try:
        await api.write_parameter(
            deconz.NetworkParameter.link_key,
            deconz.LinkKey(ieee=ieee, key=t.KeyData(key)),
        )
    except deconz_errors.CommandError as err:
        raise LinkKeyInstallError(f"deCONZ link_key parameter: {err}") from err


type _Installer = Callable[
    [ControllerApplication, t.EUI64, bytes], Coroutine[Any, Any, None]
]
_INSTALLERS: Final[dict[str, _Installer]] = {
    XBEE_LIBRARY: _install_xbee,
    BELLOWS_LIBRARY: _install_bellows,
    ZNP_LIBRARY: _install_znp,
    DECONZ_LIBRARY: _install_deconz,
}


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
