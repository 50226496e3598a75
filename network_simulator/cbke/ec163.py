"""sect163k1 for the simulated devices, written plainly and on its own.

This is the device side's second, independent implementation of the curve
arithmetic the gateway does in ``se_gateway_core.cbke`` (it shares no code
with it and takes nothing from it): affine coordinates only, schoolbook
shift-and-add field products, inversion by the extended Euclidean algorithm
for polynomials, right-to-left double-and-add, and point decompression by
Gaussian elimination over GF(2). Slow (tens of milliseconds per scalar
multiplication) and simple on purpose: a misreading of the standard shared by
both sides would have to be made twice, in different code.

Curve: SEC 2 v2.0 §3.2.1, sect163k1: y^2 + xy = x^3 + x^2 + 1 over
GF(2^163) with f(x) = x^163 + x^7 + x^6 + x^3 + 1. Formulas: Hankerson,
Menezes, Vanstone, "Guide to Elliptic Curve Cryptography", §3.1.2; point
encoding: SEC 1 v2.0 §2.3.3-2.3.4.
"""

from __future__ import annotations

from functools import cache
from typing import Final

M: Final = 163
POLY: Final = (1 << 163) | (1 << 7) | (1 << 6) | (1 << 3) | 1
A: Final = 1
B: Final = 1
GX: Final = 0x02FE13C0537BBC11ACAA07D793DE4E6D5E5C94EEE8
GY: Final = 0x0289070FB05D38FF58321F2E800536D538CCDAA3D9
N: Final = 0x04000000000000000000020108A2E0CC0D99F8A5EF
H: Final = 2
ELEMENT_BYTES: Final = 21
POINT_BYTES: Final = 22

type Affine = tuple[int, int] | None
"""An affine point (x, y), or None for the point at infinity."""

G: Final[tuple[int, int]] = (GX, GY)


class BadPoint(ValueError):
    """Bytes that are not a compressed point of sect163k1."""


# --- GF(2^163) ------------------------------------------------------------------


def f_mod(value: int) -> int:
    """Reduce a polynomial modulo f(x), one leading bit at a time."""
    while value.bit_length() > M:
        value ^= POLY << (value.bit_length() - 1 - M)
    return value


def f_mul(a: int, b: int) -> int:
    """Multiply two field elements: shift and add, then reduce."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        a <<= 1
        b >>= 1
    return f_mod(product)


def f_inv(a: int) -> int:
    """Invert a field element with the extended Euclidean algorithm.

    Keeps u = g1 * a and v = g2 * a (mod f), cancelling the leading term of
    the longer of u and v until u = 1.
    """
    if a == 0:
        raise ZeroDivisionError("0 is not invertible")
    u, v = a, POLY
    g1, g2 = 1, 0
    while u != 1:
        shift = u.bit_length() - v.bit_length()
        if shift < 0:
            u, v = v, u
            g1, g2 = g2, g1
            shift = -shift
        u ^= v << shift
        g1 ^= g2 << shift
    return f_mod(g1)


# --- Points -----------------------------------------------------------------------


def on_curve(point: Affine) -> bool:
    """Return whether the point satisfies y^2 + xy = x^3 + x^2 + 1."""
    if point is None:
        return True
    x, y = point
    return f_mul(y, y) ^ f_mul(x, y) == f_mul(f_mul(x, x), x) ^ f_mul(x, x) ^ B


def point_add(p: Affine, q: Affine) -> Affine:
    """Return P + Q in affine coordinates, doubling included."""
    if p is None:
        return q
    if q is None:
        return p
    x1, y1 = p
    x2, y2 = q
    if x1 == x2 and y1 != y2:
        return None  # Q = -P (y2 = x1 + y1)
    if x1 == x2:
        if x1 == 0:
            return None
        lam = x1 ^ f_mul(y1, f_inv(x1))
        x3 = f_mul(lam, lam) ^ lam ^ A
        return x3, f_mul(x1, x1) ^ f_mul(lam ^ 1, x3)
    lam = f_mul(y1 ^ y2, f_inv(x1 ^ x2))
    x3 = f_mul(lam, lam) ^ lam ^ x1 ^ x2 ^ A
    return x3, f_mul(lam, x1 ^ x3) ^ x3 ^ y1


def scalar_mult(k: int, point: Affine) -> Affine:
    """Return kP, right to left: add P, 2P, 4P, ... for each set bit of k."""
    result: Affine = None
    addend = point
    while k > 0:
        if k & 1:
            result = point_add(result, addend)
        addend = point_add(addend, addend)
        k >>= 1
    return result


# --- Compressed points (SEC 1 §2.3.3-2.3.4) ---------------------------------------


def compress(point: tuple[int, int]) -> bytes:
    """Return 02|03 || x, the low bit of y/x choosing the prefix."""
    x, y = point
    bit = 0 if x == 0 else f_mul(y, f_inv(x)) & 1
    return bytes([2 + bit]) + x.to_bytes(ELEMENT_BYTES, "big")


@cache
def _quadratic_basis() -> tuple[tuple[int, int, int], ...]:
    """Return an echelon basis of the linear map L(z) = z^2 + z over GF(2).

    Each entry is (pivot bit, L(w), w): images in echelon form, with the
    element w they are the image of.
    """
    rows: list[tuple[int, int, int]] = []
    for i in range(M):
        image, preimage = f_mul(1 << i, 1 << i) ^ (1 << i), 1 << i
        for pivot, row_image, row_preimage in rows:
            if image >> pivot & 1:
                image ^= row_image
                preimage ^= row_preimage
        if image:
            rows.append((image.bit_length() - 1, image, preimage))
    return tuple(rows)


def solve_quadratic(beta: int) -> int | None:
    """Return a z with z^2 + z = beta, or None when there is none."""
    z = 0
    for pivot, image, preimage in _quadratic_basis():
        if beta >> pivot & 1:
            beta ^= image
            z ^= preimage
    return z if beta == 0 else None


def decompress(data: bytes) -> tuple[int, int]:
    """Return the point of a 22-byte compressed encoding."""
    if len(data) != POINT_BYTES or data[0] not in (2, 3):
        raise BadPoint("not a 22-byte compressed point")
    x = int.from_bytes(data[1:], "big")
    if x >= 1 << M:
        raise BadPoint("x is not a field element")
    if x == 0:
        return 0, 1  # sqrt(b) with b = 1
    # y = x z with z^2 + z = x + a + b / x^2
    inverse = f_inv(x)
    z = solve_quadratic(x ^ A ^ f_mul(inverse, inverse))
    if z is None:
        raise BadPoint("no point has this x")
    if z & 1 != data[0] & 1:
        z ^= 1
    return x, f_mul(x, z)
