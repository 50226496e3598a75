"""ECMQV with cofactor, the key agreement of CBKE (SEC 1 v2.0 §3.4, §6.2).

avf(Q) (§3.4, "associate value function"): take x_Q as an integer (§2.3.9),
keep its low ceil(f/2) bits and set the next one, where f = ceil(log2 n);
for sect163k1, 82 bits and 2^82.

Shared secret (§3.4, ECMQV primitive, cofactor variant): with the local
static key (d1, Q1), local ephemeral key (d2, Q2) and the peer's static and
ephemeral public keys Q1', Q2':
s = d2 + avf(Q2) d1 mod n, P = h s (Q2' + avf(Q2') Q1'); Z = x_P as an
octet string (§2.3.5); P = O is an error.
"""

from __future__ import annotations

from .curve import BinaryCurve, Point


class SharedSecretError(ValueError):
    """The agreed point is the point at infinity."""


def associate_value(curve: BinaryCurve, point: Point) -> int:
    """Return avf(Q) = (x_Q mod 2^ceil(f/2)) + 2^ceil(f/2)."""
    half = (_ceil_log2(curve.order) + 1) // 2
    return (point.x & ((1 << half) - 1)) | (1 << half)


def shared_secret(
    curve: BinaryCurve,
    *,
    static_private: int,
    ephemeral_private: int,
    ephemeral_public: Point,
    peer_static_public: Point,
    peer_ephemeral_public: Point,
) -> bytes:
    """Return Z, the x-coordinate of the agreed point, as an octet string."""
    implicit_signature = (
        ephemeral_private + associate_value(curve, ephemeral_public) * static_private
    ) % curve.order
    peer_point = curve.add(
        peer_ephemeral_public,
        curve.multiply(
            associate_value(curve, peer_ephemeral_public), peer_static_public
        ),
    )
    agreed = curve.multiply(curve.cofactor * implicit_signature, peer_point)

    if agreed is None:
        raise SharedSecretError("ECMQV gave the point at infinity")
    return curve.field.to_bytes(agreed.x)


def _ceil_log2(value: int) -> int:
    """Return ceil(log2(value)) for value >= 1."""
    return (value - 1).bit_length()
