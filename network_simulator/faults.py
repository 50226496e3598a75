"""Fault knobs of the simulated network: loss, delay and duplication."""

from __future__ import annotations

from dataclasses import dataclass, field
import random


@dataclass
class Faults:
    """Faults applied to frames crossing the simulated air.

    ``drop_rate`` is the chance that a frame is lost, in either direction.
    ``delay`` adds seconds before a device's frame reaches the host.
    ``duplicate`` delivers every device frame to the host twice.
    ``transmit_delay`` adds seconds before a host frame reaches its device and
    the host gets its transmit status, as over a slow, busy mesh: a host that
    waits for each status (zigpy with one request at a time) sends slowly.
    """

    drop_rate: float = 0.0
    delay: float = 0.0
    duplicate: bool = False
    transmit_delay: float = 0.0
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
