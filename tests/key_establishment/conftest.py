"""Certified Smart Energy devices through the real ZHA, with se_gateway's CBKE."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.core.cbke import LocalCredentials
from custom_components.se_gateway.key_establishment.runtime import (
    KeyEstablishmentRuntime,
)
from custom_components.se_gateway.key_establishment.store import async_get_store
from network_simulator import Network, SimulatedDevice
from network_simulator.cbke import CertificateAuthority
from network_simulator.certified import DEMO_CA

from ..conftest import wait_for


def gateway_credentials(
    simulator: Network, authority: CertificateAuthority = DEMO_CA
) -> LocalCredentials:
    """Return a certificate for the simulated XBee, issued by ``authority``."""
    issued = authority.issue(bytes(simulator.radio.ieee.serialize()[::-1]))
    return LocalCredentials(
        certificate=issued.certificate,
        private_key=issued.private_key,
        ca_public_key=authority.public_key,
    )


@dataclass
class CertifiedNetwork:
    """ZHA and se_gateway on the simulator, ready for certified devices."""

    hass: HomeAssistant
    simulator: Network
    entry: MockConfigEntry

    @property
    def runtime(self) -> KeyEstablishmentRuntime:
        """Return the entry's key establishment runtime."""
        runtime = self.entry.runtime_data.key_establishment
        assert runtime is not None
        return runtime

    async def pair(self, device: SimulatedDevice) -> None:
        """Add ``device`` and let it join with its install code, as a user would."""
        assert device.install_code is not None
        self.simulator.add_device(device)
        await self.hass.services.async_call(
            "zha",
            "permit",
            {
                "duration": 60,
                "source_ieee": str(device.ieee),
                "install_code": device.install_code.hex(),
            },
            blocking=True,
        )

    async def unload(self) -> None:
        """Unload se_gateway, then ZHA, as when Home Assistant stops."""
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        zha_entry = self.hass.config_entries.async_entries("zha")[0]
        assert await self.hass.config_entries.async_unload(zha_entry.entry_id)
        await self.hass.async_block_till_done()

    async def load(self) -> None:
        """Load ZHA, then se_gateway, as when Home Assistant starts."""
        zha_entry = self.hass.config_entries.async_entries("zha")[0]
        assert await self.hass.config_entries.async_setup(zha_entry.entry_id)
        await self.hass.async_block_till_done()
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.hass.async_block_till_done()

    async def wait_served(self, device: SimulatedDevice) -> None:
        """Wait until the Smart Energy runtime knows ``device``."""
        devices = self.entry.runtime_data.smart_energy.devices
        await wait_for(self.hass, lambda: device.ieee in devices.devices, timeout=30)


SETTLE_S = 0.5


@pytest.fixture
async def certified_network(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> AsyncGenerator[Callable[..., Coroutine[Any, Any, CertifiedNetwork]]]:
    """Return a function that starts ZHA and se_gateway, with or without a certificate.

    At the end, the answers still in flight (zigpy's Default Responses) go out.
    """

    async def _start(*, certificate: bool = True) -> CertifiedNetwork:
        if certificate:
            store = await async_get_store(hass)
            await store.async_set_credentials(gateway_credentials(simulator))
        await setup_zha()
        assert await hass.config_entries.async_setup(se_entry.entry_id)
        await hass.async_block_till_done()
        return CertifiedNetwork(hass, simulator, se_entry)

    yield _start
    await asyncio.sleep(SETTLE_S)
    await hass.async_block_till_done()
