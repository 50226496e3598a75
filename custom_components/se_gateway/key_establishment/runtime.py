"""Certified Smart Energy devices on ZHA's network: the pieces, wired together.

While the config entry is loaded:

- the gateway's Smart Energy endpoint answers Match Descriptor requests on
  profile 0x0109, and devices whose Basic is on 0x0109 finish their interview
  (``core.se_profile.coordinator``);
- every device that asks gets CBKE with the gateway as responder
  (``core.cbke.zigbee``): on success its link key goes into the radio, then
  into the private store, then the device gets the Confirm Key response;
- a device with a Key Establishment server and no stored key (a meter that
  is its own ESI) gets CBKE with the gateway as initiator once zigpy has
  interviewed it, or at start for devices interviewed before
  (``INITIATE_DELAY_S`` later, so that a device that initiates by itself
  goes first); never while the responder runs an exchange with it, and the
  responder answers a device the initiator is busy with NO_RESOURCES; the
  key is installed and stored as the responder's; a failed initiation is
  logged and kept in ``outcomes`` but the device is not removed;
- Smart Energy frames to devices with a link key go APS-encrypted
  (``core.cbke.radio``), with the XBee's transmit option 0x20 on zigpy-xbee;
- a refused or stalled device gets nothing stored (a key it had is
  forgotten) and is removed from the network (it leaves by itself, as the
  SE spec requires; zigpy would otherwise keep interviewing it);
- repair issues: ``no_certificate`` when a device asks for CBKE and no
  certificate is installed, ``link_keys_unsupported`` when the radio library
  offers no way to install a link key.
"""

from __future__ import annotations

import asyncio
from collections import deque
import logging
import time
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from zigpy.application import ControllerApplication
import zigpy.device
import zigpy.types as t

from ..const import DOMAIN
from ..core.cbke import LocalCredentials
from ..core.cbke.messages import CLUSTER_ID as KEY_ESTABLISHMENT_CLUSTER
from ..core.cbke.radio import (
    ApsEncryption,
    LinkKeyUnsupported,
    install_link_key,
    radio_library,
)
from ..core.cbke.zigbee import (
    KeyEstablishmentInitiator,
    KeyEstablishmentResponder,
    Outcome,
)
from ..core.se_profile.coordinator import SmartEnergyCoordinator
from .store import KeyEstablishmentStore, async_get_store

if TYPE_CHECKING:
    # data.py holds this runtime: a type-only import keeps the two out of a cycle.
    from ..data import SEGatewayConfigEntry

_LOGGER: Final = logging.getLogger(__name__)

ISSUE_NO_CERTIFICATE: Final = "no_certificate"
ISSUE_LINK_KEYS_UNSUPPORTED: Final = "link_keys_unsupported"
OUTCOMES_KEPT: Final = 50
# Seconds during which the frames of a refused device do not restart its interview
REFUSED_QUIET_S: Final = 30.0
# Seconds between a device's interview and the gateway initiating CBKE with it
INITIATE_DELAY_S: Final = 2.0


class KeyEstablishmentRuntime:
    """The Smart Energy endpoint, CBKE, link keys and APS encryption."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SEGatewayConfigEntry,
        app: ControllerApplication,
    ) -> None:
        """Serve certified devices on ``app`` while ``entry`` is loaded."""
        self.hass = hass
        self.entry = entry
        self.app = app
        self.store: KeyEstablishmentStore | None = None
        self.outcomes: deque[Outcome] = deque(maxlen=OUTCOMES_KEPT)
        self._refused: dict[t.EUI64, float] = {}
        self.coordinator = SmartEnergyCoordinator(app)
        self.aps = ApsEncryption(app, self._has_link_key)
        self.responder = KeyEstablishmentResponder(
            app,
            self._credentials,
            install_link_key=self._async_install_link_key,
            on_outcome=self._on_outcome,
            endpoint_id=self.coordinator.endpoint_id,
            is_busy=self._initiating,
        )
        self.initiator = KeyEstablishmentInitiator(
            app,
            self._credentials,
            install_link_key=self._async_install_link_key,
            endpoint_id=self.coordinator.endpoint_id,
        )
        self.initiate_delay_s = INITIATE_DELAY_S
        self._scheduled: set[t.EUI64] = set()

    async def async_start(self) -> None:
        """Load the store, register the endpoint and start serving."""
        self.store = await async_get_store(self.hass)
        await self.coordinator.async_start()
        self.aps.start()
        self.responder.start()
        self.initiator.start()
        self.app.add_listener(self)
        if self.store.credentials is not None:
            async_certificate_installed(self.hass)
        await self._async_restore_link_keys()
        for device in list(self.app.devices.values()):
            if isinstance(device, zigpy.device.Device) and device.is_initialized:
                self.device_initialized(device)

    @callback
    def async_stop(self) -> None:
        """Stop serving; give zigpy its methods back."""
        self.app.remove_listener(self)
        self.initiator.stop()
        self.responder.stop()
        self.aps.stop()
        self.coordinator.stop()

    def handle_message(self, device: zigpy.device.Device, *_frame: object) -> None:
        """Stop the interview of a refused device (zigpy application listener).

        zigpy starts interviewing an uninitialized device again on each of its
        frames (the answer to the leave request included) unless one is under
        way; a cancelled one counts as under way until the loop runs it.
        """
        until = self._refused.get(device.ieee)
        if until is None:
            return
        if time.monotonic() > until:
            del self._refused[device.ieee]
            return
        device.cancel_initialization()

    # --- The gateway as initiator ---------------------------------------------------

    def device_initialized(self, device: zigpy.device.Device) -> None:
        """Initiate CBKE with an interviewed device (zigpy application listener)."""
        if (
            self._key_establishment_server(device) is None
            or device.ieee in self._scheduled
            or self._has_link_key(device.ieee)
        ):
            return
        self._scheduled.add(device.ieee)
        self.entry.async_create_background_task(
            self.hass,
            self._async_initiate(device),
            f"{DOMAIN} initiate key establishment with {device.ieee}",
        )

    def _initiating(self, ieee: t.EUI64) -> bool:
        return ieee in self.initiator.in_progress

    @staticmethod
    def _key_establishment_server(device: zigpy.device.Device) -> int | None:
        """Return the endpoint of the device's Key Establishment server, if any."""
        for endpoint_id, endpoint in device.endpoints.items():
            if endpoint_id == 0:
                continue
            if KEY_ESTABLISHMENT_CLUSTER in getattr(endpoint, "in_clusters", {}):
                return int(endpoint_id)
        return None

    async def _async_initiate(self, device: zigpy.device.Device) -> None:
        ieee = device.ieee
        try:
            await asyncio.sleep(self.initiate_delay_s)
            endpoint_id = self._key_establishment_server(device)
            if (
                endpoint_id is None
                or self._credentials() is None
                or self._has_link_key(ieee)
                or ieee in self.responder.in_progress
                or ieee in self.initiator.in_progress
                or self.app.devices.get(ieee) is not device
            ):
                return
            _LOGGER.debug("Initiating key establishment with %s", ieee)
            outcome = await self.initiator.establish(device, endpoint_id)
        finally:
            self._scheduled.discard(ieee)
        # A refusal or a stall is logged and kept, not held against the device:
        # it did not ask for this exchange, and stays on the network unkeyed
        self.outcomes.append(outcome)

    # --- Link keys ------------------------------------------------------------------

    def _has_link_key(self, ieee: t.EUI64) -> bool:
        return self.store is not None and ieee in self.store.link_keys

    def _credentials(self) -> LocalCredentials | None:
        return None if self.store is None else self.store.credentials

    async def _async_install_link_key(self, ieee: t.EUI64, key: bytes) -> None:
        """Put a new link key into the radio, then into the store."""
        try:
            await install_link_key(self.app, ieee, key)
        except LinkKeyUnsupported as err:
            self._raise_unsupported(err.library)
            raise
        assert self.store is not None
        await self.store.async_set_link_key(ieee, key)

    async def _async_restore_link_keys(self) -> None:
        """Install the stored keys again (a new radio, a reset key table)."""
        assert self.store is not None
        for ieee, key in list(self.store.link_keys.items()):
            try:
                await install_link_key(self.app, ieee, key)
            except LinkKeyUnsupported as err:
                self._raise_unsupported(err.library)
                return
            except Exception as err:
                _LOGGER.warning("Could not restore the link key of %s: %s", ieee, err)
        if self.store.link_keys:
            _LOGGER.debug(
                "Restored %d CBKE link key(s) in the radio", len(self.store.link_keys)
            )

    def _raise_unsupported(self, library: str) -> None:
        _LOGGER.error(
            "The radio library %s offers no way to install a device's link key:"
            " certified Smart Energy devices cannot be served",
            library,
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            ISSUE_LINK_KEYS_UNSUPPORTED,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_LINK_KEYS_UNSUPPORTED,
            translation_placeholders={"library": library},
        )

    # --- Outcomes -------------------------------------------------------------------

    def _on_outcome(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if outcome.established:
            return
        if outcome.no_credentials:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                ISSUE_NO_CERTIFICATE,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_NO_CERTIFICATE,
                translation_placeholders={"device": str(outcome.ieee)},
            )
        self.entry.async_create_background_task(
            self.hass,
            self._async_refused(outcome.ieee),
            f"{DOMAIN} refused {outcome.ieee}",
        )

    async def _async_refused(self, ieee: t.EUI64) -> None:
        """Forget a refused device's key and remove it from the network."""
        assert self.store is not None
        self._refused[ieee] = time.monotonic() + REFUSED_QUIET_S
        if (device := self.app.devices.get(ieee)) is not None:
            device.cancel_initialization()  # type: ignore[attr-defined]
        await self.store.async_remove_link_key(ieee)
        if ieee not in self.app.devices or ieee in self.responder.in_progress:
            return
        _LOGGER.info("Removing %s: its key establishment failed", ieee)
        try:
            await self.app.remove(ieee)
        except Exception as err:  # it may have left already
            _LOGGER.debug("Removing %s failed: %s", ieee, err)


@callback
def async_certificate_installed(hass: HomeAssistant) -> None:
    """Withdraw the repair issue that asked for a certificate."""
    ir.async_delete_issue(hass, DOMAIN, ISSUE_NO_CERTIFICATE)


__all__ = [
    "ISSUE_LINK_KEYS_UNSUPPORTED",
    "ISSUE_NO_CERTIFICATE",
    "KeyEstablishmentRuntime",
    "async_certificate_installed",
    "radio_library",
]
