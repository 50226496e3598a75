"""Sending one command to many clusters, and what came of it.

A failure to reach one device (zigpy's DeliveryError, a timeout) is recorded
against that device and never stops the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
import logging
from typing import Any, Final

from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

_LOGGER: Final = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class DeviceRef:
    """A device endpoint: its IEEE address as text, and the endpoint id."""

    ieee: str
    endpoint: int

    @classmethod
    def of(cls, cluster: Cluster) -> DeviceRef:
        """Return the device endpoint that hosts ``cluster``."""
        return cls(str(cluster.endpoint.device.ieee), cluster.endpoint.endpoint_id)

    def as_dict(self) -> dict[str, Any]:
        """Return the address as a dict."""
        return {"ieee": self.ieee, "endpoint": self.endpoint}


@dataclass(frozen=True, kw_only=True)
class SendResult:
    """The manual's answer to a create or cancel: status and ``device_list``.

    ``device_list`` holds the devices the command reached; ``errors`` those it
    did not, with the reason. ``superseded`` lists the issuer event ids a new
    load control event superseded.
    """

    status: Status = Status.SUCCESS
    device_list: tuple[DeviceRef, ...] = ()
    errors: dict[DeviceRef, str] = field(default_factory=dict)
    superseded: tuple[int, ...] = ()

    def __add__(self, other: SendResult) -> SendResult:
        """Return both results as one, the first status kept."""
        return SendResult(
            status=self.status,
            device_list=tuple(sorted({*self.device_list, *other.device_list})),
            errors={**self.errors, **other.errors},
            superseded=self.superseded + other.superseded,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-able dict."""
        return {
            "status": int(self.status),
            "device_list": [device.as_dict() for device in self.device_list],
            "errors": [
                {**device.as_dict(), "error": error}
                for device, error in sorted(self.errors.items())
            ],
            "superseded": list(self.superseded),
        }


type Send = Callable[[Cluster], Awaitable[None]]


async def send_to_all(clusters: Iterable[Cluster], send: Send) -> SendResult:
    """Run ``send`` for every cluster at once; collect who got it and who not."""
    targets = list(clusters)
    outcomes = await asyncio.gather(
        *(send(cluster) for cluster in targets), return_exceptions=True
    )
    reached: list[DeviceRef] = []
    errors: dict[DeviceRef, str] = {}
    for cluster, outcome in zip(targets, outcomes, strict=True):
        device = DeviceRef.of(cluster)
        if isinstance(outcome, Exception):
            _LOGGER.debug("Sending to %s failed: %r", device, outcome)
            errors[device] = repr(outcome)
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            reached.append(device)
    return SendResult(device_list=tuple(sorted(set(reached))), errors=errors)
