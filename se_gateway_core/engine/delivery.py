"""Sending one command to many clusters, and what came of it.

A failure to reach one device (zigpy's DeliveryError, a timeout) is recorded
against that device and never stops the others, with its detail (``errors``)
and a ``DeliveryFailure`` reason (``reasons``) that the integration translates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
import logging
from typing import Any, Final

from zigpy.exceptions import DeliveryError
from zigpy.zcl import Cluster
from zigpy.zcl.foundation import Status

_LOGGER: Final = logging.getLogger(__name__)


class DeliveryFailure(StrEnum):
    """Why a command did not reach a device."""

    NO_ACKNOWLEDGEMENT = "no_acknowledgement"
    NO_ROUTE = "no_route"
    NOT_ON_NETWORK = "not_on_network"
    TIMEOUT = "timeout"
    SEND_FAILED = "send_failed"


# Words of the radios' transmit statuses (XBee TXStatus, EmberStatus, zigpy's
# texts) and what they mean for the user.
_FAILURE_WORDS: Final = (
    ("ACK", DeliveryFailure.NO_ACKNOWLEDGEMENT),
    ("ROUTE", DeliveryFailure.NO_ROUTE),
    ("ADDRESS_NOT_FOUND", DeliveryFailure.NO_ROUTE),
    ("LEFT THE NETWORK", DeliveryFailure.NOT_ON_NETWORK),
    ("RE-JOINED", DeliveryFailure.NOT_ON_NETWORK),
    ("TIMEOUT", DeliveryFailure.TIMEOUT),
)


def failure_reason(error: BaseException) -> DeliveryFailure:
    """Return why a send failed, from zigpy's exception and the radio's status."""
    if isinstance(error, TimeoutError):
        return DeliveryFailure.TIMEOUT
    if isinstance(error, DeliveryError):
        status = getattr(error, "status", None)
        text = f"{getattr(status, 'name', '')} {error}".upper()
        for word, reason in _FAILURE_WORDS:
            if word in text:
                return reason
    return DeliveryFailure.SEND_FAILED


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
    did not, with the detail; ``reasons`` says why in a ``DeliveryFailure``
    (absent for errors that did not come from a send). ``superseded`` lists
    the issuer event ids a new load control event superseded.
    """

    status: Status = Status.SUCCESS
    device_list: tuple[DeviceRef, ...] = ()
    errors: dict[DeviceRef, str] = field(default_factory=dict)
    superseded: tuple[int, ...] = ()
    reasons: dict[DeviceRef, DeliveryFailure] = field(default_factory=dict)

    def reason(self, device: DeviceRef) -> DeliveryFailure:
        """Return why ``device`` did not get the command."""
        return self.reasons.get(device, DeliveryFailure.SEND_FAILED)

    def __add__(self, other: SendResult) -> SendResult:
        """Return both results as one, the first status kept."""
        return SendResult(
            status=self.status,
            device_list=tuple(sorted({*self.device_list, *other.device_list})),
            errors={**self.errors, **other.errors},
            superseded=self.superseded + other.superseded,
            reasons={**self.reasons, **other.reasons},
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
    reasons: dict[DeviceRef, DeliveryFailure] = {}
    for cluster, outcome in zip(targets, outcomes, strict=True):
        device = DeviceRef.of(cluster)
        if isinstance(outcome, Exception):
            _LOGGER.debug("Sending to %s failed: %r", device, outcome)
            errors[device] = repr(outcome)
            reasons[device] = failure_reason(outcome)
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            reached.append(device)
    return SendResult(
        device_list=tuple(sorted(set(reached))), errors=errors, reasons=reasons
    )
