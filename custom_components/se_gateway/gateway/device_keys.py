"""Link keys and installation codes of devices added to the gateway.

Keys are secrets: nothing here logs them, and ``KnownDevice`` keeps its key out
of its ``repr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import re
from typing import Any

import zigpy.types as t
import zigpy.util

from .aliases import parse_ieee

NOT_HEX = re.compile(r"[^0-9A-Fa-f]")
LINK_KEY_BYTES = 16
# Installation codes of 48, 64, 96 or 128 bits, each followed by a 16-bit CRC.
INSTALL_CODE_BYTES = (8, 10, 14, 18)


class InvalidKeyError(ValueError):
    """A link key or installation code that cannot be used."""


def link_key_from_text(text: str) -> t.KeyData:
    """Return the 128-bit link key written in hex; separators are ignored."""
    digits = NOT_HEX.sub("", text)
    if len(digits) != 2 * LINK_KEY_BYTES:
        raise InvalidKeyError("A link key has 32 hexadecimal digits")
    return t.KeyData(bytes.fromhex(digits))


def link_key_from_install_code(text: str) -> t.KeyData:
    """Return the link key derived from an installation code written in hex.

    Non-hex characters are removed first, as the manual says. The code's CRC
    must match.
    """
    digits = NOT_HEX.sub("", text)
    if len(digits) % 2 or len(digits) // 2 not in INSTALL_CODE_BYTES:
        raise InvalidKeyError("An installation code has 8, 10, 14 or 18 bytes")
    try:
        return zigpy.util.convert_install_code(bytes.fromhex(digits))
    except ValueError:
        raise InvalidKeyError("The installation code's CRC does not match") from None


@dataclass(frozen=True)
class KnownDevice:
    """A device added with add_device, with the link key it joins with."""

    device_address: t.EUI64
    link_key: t.KeyData | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Refuse a link key that is not exactly 16 bytes."""
        if self.link_key is not None and len(self.link_key) != LINK_KEY_BYTES:
            raise InvalidKeyError("A link key has 16 bytes")

    def as_dict(self) -> dict[str, Any]:
        """Return the device for storage (the key included)."""
        return {
            "device_address": str(self.device_address),
            "link_key": None if self.link_key is None else bytes(self.link_key).hex(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KnownDevice:
        """Return a device from ``as_dict`` output; raise ValueError if it is bad.

        The messages never include the key.
        """
        address = data["device_address"]
        ieee = parse_ieee(address) if isinstance(address, str) else None
        if ieee is None:
            raise ValueError("bad device address")
        key = data.get("link_key")
        if key is None:
            return cls(ieee)
        if not isinstance(key, str) or len(key) != 2 * LINK_KEY_BYTES:
            raise InvalidKeyError("the link key is not 16 bytes")
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            raise InvalidKeyError("the link key is not hexadecimal") from None
        return cls(ieee, t.KeyData(raw))
