"""A simulated Tuya lock paired through the real ZHA, with se_gateway loaded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.se_gateway.const import (
    DOMAIN,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_ENROLMENT,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_REMOTE_UNLOCK_RESULT,
    EVENT_LOCK_UNLOCKED,
)
from network_simulator import Network
from network_simulator.tuya_lock import TuyaLock, tuya_lock

from ..conftest import wait_for

LOCK_EVENTS = (
    EVENT_LOCK_UNLOCKED,
    EVENT_LOCK_ALARM,
    EVENT_LOCK_DOORBELL,
    EVENT_LOCK_ENROLMENT,
    EVENT_LOCK_REMOTE_UNLOCK_REQUEST,
    EVENT_LOCK_REMOTE_UNLOCK_RESULT,
)


@dataclass
class PairedLock:
    """The simulated lock, its HA entity ids and the bus events it caused."""

    hass: HomeAssistant
    sim: TuyaLock
    device_id: str
    events: list[Event] = field(default_factory=list)

    def entity_id(self, key: str) -> str:
        """Return the entity id of one of the lock's se_gateway entities."""
        entity_id = er.async_get(self.hass).async_get_entity_id(
            key.split(".", maxsplit=1)[0],
            DOMAIN,
            f"{self.sim.ieee}-{key.split('.')[1]}",
        )
        assert entity_id is not None, key
        return entity_id

    def state(self, key: str) -> Any:
        """Return the state object of one of the lock's entities."""
        state = self.hass.states.get(self.entity_id(key))
        assert state is not None
        return state

    def events_of(self, event_type: str) -> list[dict[str, Any]]:
        """Return the data of the bus events of one type."""
        return [event.data for event in self.events if event.event_type == event_type]

    async def call(self, domain: str, service: str, **data: Any) -> None:
        """Call a lock or se_gateway action on the lock entity, as a user would."""
        await self.hass.services.async_call(
            domain,
            service,
            {"entity_id": self.entity_id("lock.lock"), **data},
            blocking=True,
        )

    async def settle(self) -> None:
        """Wait until the lock has no report waiting for an acknowledgement."""
        outbox = self.sim.outbox
        await wait_for(self.hass, lambda: outbox.in_flight is None and not outbox.queue)

    async def wait_for_event(self, event_type: str, count: int = 1) -> None:
        """Wait until ``count`` bus events of a type arrived."""
        await wait_for(self.hass, lambda: len(self.events_of(event_type)) >= count)


type PairLock = Callable[..., Awaitable[PairedLock]]


@pytest.fixture
async def pair_lock(
    hass: HomeAssistant,
    simulator: Network,
    setup_zha: Callable[..., Coroutine[Any, Any, None]],
    se_entry: MockConfigEntry,
) -> PairLock:
    """Return a function that pairs a simulated lock of a profile through ZHA."""

    async def pair(profile: str = "simlock", **options: Any) -> PairedLock:
        await setup_zha()
        assert await hass.config_entries.async_setup(se_entry.entry_id)
        await hass.async_block_till_done()
        sim = simulator.add_device(
            tuya_lock(
                profile=profile,
                **{"heartbeat_s": 1.0, "startup_delay_s": 0.5, **options},
            )
        )
        assert isinstance(sim, TuyaLock)
        await hass.services.async_call("zha", "permit", {"duration": 60}, blocking=True)

        def registered() -> bool:
            return (
                er.async_get(hass).async_get_entity_id(
                    "lock", DOMAIN, f"{sim.ieee}-lock"
                )
                is not None
            )

        await wait_for(hass, registered, timeout=30)
        (device,) = dr.async_get(hass).async_get_devices(
            identifiers={("zha", str(sim.ieee))}
        )
        assert device is not None
        paired = PairedLock(hass, sim, device.id)
        for event_type in LOCK_EVENTS:
            hass.bus.async_listen(event_type, paired.events.append)
        await wait_for(hass, lambda: sim.time_synced, timeout=15)
        # The lock's start-up reports (its settings) are acknowledged.
        await paired.settle()
        return paired

    return pair


@pytest.fixture
async def paired_lock(pair_lock: PairLock) -> PairedLock:
    """Pair the simulated lock (profile ``simlock``) through ZHA and load se_gateway."""
    return await pair_lock()
