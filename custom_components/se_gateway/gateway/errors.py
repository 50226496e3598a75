"""Errors of requests sent to Zigbee devices, free of Home Assistant."""

from __future__ import annotations

from collections.abc import Iterator
import contextlib

import zigpy.exceptions
import zigpy.types as t


class ZigbeeRequestError(Exception):
    """A request to a device failed."""

    def __init__(self, ieee: t.EUI64) -> None:
        """Name the device the request was for."""
        super().__init__(str(ieee))
        self.ieee = ieee


class DeliveryFailedError(ZigbeeRequestError):
    """The radio could not deliver the request."""


class NoResponseError(ZigbeeRequestError):
    """The device did not answer in time."""


class RecordFieldError(ValueError):
    """A record field is missing or cannot be used; ``field`` names it."""

    def __init__(self, field: str, problem: str, detail: str = "") -> None:
        """Name the field and the problem: ``missing_field`` or ``invalid_field``."""
        super().__init__(f"{field}: {problem} {detail}".strip())
        self.field = field
        self.problem = problem
        self.detail = detail


@contextlib.contextmanager
def request_errors(ieee: t.EUI64) -> Iterator[None]:
    """Turn zigpy's delivery errors and timeouts into our errors."""
    try:
        yield
    except TimeoutError as err:
        raise NoResponseError(ieee) from err
    except zigpy.exceptions.ZigbeeException as err:
        raise DeliveryFailedError(ieee) from err
