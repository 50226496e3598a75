"""Device addresses and aliases, as the gateway manual uses them.

An address field takes a 64-bit IEEE address (``00:0d:6f:00:0a:90:69:01``,
``000d6f000a906901`` or with dashes) or the name of an alias. An alias names a
device address and, optionally, one of its endpoints. Alias names follow the
manual, where an alias is an XML tag: a letter or underscore, then letters,
digits, ``_``, ``-`` or ``.``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
from typing import Any

import zigpy.types as t

ALIAS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
IEEE_SEPARATORS = re.compile(r"[:\-\s]")
IEEE_HEX = re.compile(r"[0-9A-Fa-f]{16}")


class AliasName(str):
    """An address field that names an alias rather than an IEEE address."""

    __slots__ = ()


def parse_ieee(text: str) -> t.EUI64 | None:
    """Return the IEEE address written in ``text``, or None if it is not one."""
    digits = IEEE_SEPARATORS.sub("", text)
    if not IEEE_HEX.fullmatch(digits):
        return None
    return t.EUI64(bytes.fromhex(digits)[::-1])


def parse_address(text: str) -> t.EUI64 | AliasName | None:
    """Return the IEEE address or alias name in ``text``, or None if neither."""
    if (ieee := parse_ieee(text)) is not None:
        return ieee
    if ALIAS_NAME.fullmatch(text):
        return AliasName(text)
    return None


@dataclass(frozen=True)
class Alias:
    """A name for a device address and, optionally, one of its endpoints."""

    alias_name: str
    device_address: t.EUI64
    endpoint_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the alias as the manual's parameters."""
        return {
            "alias_name": self.alias_name,
            "device_address": str(self.device_address),
            "endpoint_id": self.endpoint_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alias:
        """Return an alias from ``as_dict`` output; raise ValueError if it is bad."""
        name, address = data["alias_name"], data["device_address"]
        if not isinstance(name, str) or not ALIAS_NAME.fullmatch(name):
            raise ValueError("bad alias name")
        ieee = parse_ieee(address) if isinstance(address, str) else None
        if ieee is None:
            raise ValueError("bad device address")
        endpoint = data.get("endpoint_id")
        if endpoint is not None and (
            not isinstance(endpoint, int)
            or isinstance(endpoint, bool)
            or not 1 <= endpoint <= 240
        ):
            raise ValueError("bad endpoint id")
        return cls(name, ieee, endpoint)
