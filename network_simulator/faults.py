"""Fault knobs of the simulated network: loss, delay and duplication."""

from __future__ import annotations

from dataclasses import dataclass, field
import random

import zigpy.types as t


@dataclass
class Faults:
    """Faults applied to frames crossing the simulated air.

    ``drop_rate`` is the chance that a frame is lost, in either direction.
    ``delay`` adds seconds before a device's frame reaches the host.
    ``duplicate`` delivers every device frame to the host twice.
    ``transmit_delay`` adds seconds before a host frame reaches its device and
    the host gets its transmit status, as over a slow, busy mesh;
    ``transmit_delays`` sets it per device (IEEE address), over the global one.
    """

    drop_rate: float = 0.0
    delay: float = 0.0
    duplicate: bool = False
    transmit_delay: float = 0.0
    transmit_delays: dict[t.EUI64, float] = field(default_factory=dict)
    seed: int = 0
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def should_drop(self) -> bool:
        """Return True when the next frame is lost."""
        return self.drop_rate > 0 and self._random.random() < self.drop_rate

    def copies(self) -> int:
        """Return how many times a device frame reaches the host."""
        return 2 if self.duplicate else 1

    def reset(self) -> None:
        """Turn every fault off."""
        self.drop_rate = 0.0
        self.delay = 0.0
        self.duplicate = False
        self.transmit_delay = 0.0
        self.transmit_delays.clear()

    def transmit_delay_to(self, ieee: t.EUI64) -> float:
        """Return the seconds a host frame takes to reach device ``ieee``."""
        return self.transmit_delays.get(ieee, self.transmit_delay)
