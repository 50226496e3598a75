"""Private keys: their range, their encoding, and drawing one from an RNG.

SEC 1 v2.0 §3.2.1: a private key is an integer d in [1, n-1], the public key
Q = dG. As an octet string it is big-endian, ceil(log2(n)/8) bytes (21 for
sect163k1).
"""

from __future__ import annotations

from collections.abc import Callable
import secrets

from .curve import BinaryCurve, Point

type Rng = Callable[[int], bytes]
"""A source of random bytes: called with a count, returns that many bytes."""

_MAX_DRAWS = 64


def check_private_key(curve: BinaryCurve, private_key: int) -> None:
    """Raise ``ValueError`` unless 1 <= private_key < n."""
    if not 0 < private_key < curve.order:
        raise ValueError("A private key is in [1, n-1]")


def private_key_from_bytes(curve: BinaryCurve, data: bytes) -> int:
    """Return the private key of its big-endian octet string."""
    if len(data) != curve.scalar_length:
        raise ValueError(f"A private key is {curve.scalar_length} bytes")
    private_key = int.from_bytes(data)
    check_private_key(curve, private_key)
    return private_key


def private_key_to_bytes(curve: BinaryCurve, private_key: int) -> bytes:
    """Return the big-endian octet string of a private key."""
    check_private_key(curve, private_key)
    return private_key.to_bytes(curve.scalar_length)


def random_private_key(curve: BinaryCurve, rng: Rng = secrets.token_bytes) -> int:
    """Draw d uniformly from [1, n-1].

    The RNG's bytes are cut to n's bit length and drawn again while out of
    range (SEC 1 v2.0 §3.2.1 leaves the method open).
    """
    bits = curve.order.bit_length()
    for _ in range(_MAX_DRAWS):
        candidate = int.from_bytes(rng(curve.scalar_length)) & ((1 << bits) - 1)
        if 0 < candidate < curve.order:
            return candidate
    raise RuntimeError("The random number generator keeps giving keys out of range")


def public_key(curve: BinaryCurve, private_key: int) -> Point:
    """Return Q = dG."""
    check_private_key(curve, private_key)
    point = curve.multiply(private_key, curve.generator)
    assert point is not None  # d < n
    return point
