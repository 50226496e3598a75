"""Binary elliptic curves y^2 + xy = x^3 + ax^2 + b over GF(2^m) (SEC 1 §2.2.2).

Points are affine ``Point(x, y)``; ``None`` is the point at infinity O.
Scalar multiplication is the Montgomery ladder in López-Dahab projective
x-coordinates ("Fast multiplication on elliptic curves over GF(2^m) without
precomputation", López and Dahab, CHES 1999; Hankerson, Menezes and
Vanstone, "Guide to Elliptic Curve Cryptography", Algorithm 3.40): five field
multiplications and four squarings per scalar bit, one inversion at the end.
Compressed point encoding is SEC 1 §2.3.3 and §2.3.4.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from .gf2m import BinaryField

COMPRESSED_EVEN: Final = 0x02
COMPRESSED_ODD: Final = 0x03


class PointDecodeError(ValueError):
    """An octet string that is not a compressed point of the curve."""


class Point(NamedTuple):
    """An affine point other than O."""

    x: int
    y: int


class BinaryCurve:
    """A curve over GF(2^m) with a base point G of prime order n, cofactor h."""

    __slots__ = ("a", "b", "cofactor", "field", "generator", "name", "order")

    def __init__(
        self,
        name: str,
        field: BinaryField,
        *,
        a: int,
        b: int,
        generator: Point,
        order: int,
        cofactor: int,
    ) -> None:
        """Define the curve; the parameters are checked by the tests, not here."""
        self.name: Final = name
        self.field: Final = field
        self.a: Final = a
        self.b: Final = b
        self.generator: Final = generator
        self.order: Final = order
        self.cofactor: Final = cofactor

    def __repr__(self) -> str:
        return f"BinaryCurve({self.name})"

    @property
    def point_length(self) -> int:
        """Return the size of a compressed point: a prefix byte and x."""
        return 1 + self.field.byte_length

    @property
    def scalar_length(self) -> int:
        """Return the size of a private key as an octet string."""
        return (self.order.bit_length() + 7) // 8

    def contains(self, point: Point) -> bool:
        """Return whether the point's coordinates are in the field and on the curve."""
        f = self.field
        x, y = point

        if x >> f.degree or y >> f.degree or x < 0 or y < 0:
            return False

        x2 = f.sqr(x)
        left = f.sqr(y) ^ f.mul(x, y)
        right = f.mul(x2, x) ^ f.mul(self.a, x2) ^ self.b
        return left == right

    # --- Affine group law (Guide to ECC §3.1.2) -----------------------------

    def negate(self, point: Point | None) -> Point | None:
        """Return -P = (x, x + y)."""
        if point is None:
            return None
        return Point(point.x, point.x ^ point.y)

    def add(self, p: Point | None, q: Point | None) -> Point | None:
        """Return P + Q."""
        if p is None:
            return q
        if q is None:
            return p

        f = self.field
        if p.x == q.x:
            if p.y == q.y:
                return self.double(p)
            return None  # Q = -P

        slope = f.mul(p.y ^ q.y, f.inv(p.x ^ q.x))
        x3 = f.sqr(slope) ^ slope ^ p.x ^ q.x ^ self.a
        y3 = f.mul(slope, p.x ^ x3) ^ x3 ^ p.y
        return Point(x3, y3)

    def double(self, p: Point | None) -> Point | None:
        """Return 2P."""
        if p is None or p.x == 0:
            return None  # (0, sqrt(b)) has order 2

        f = self.field
        slope = p.x ^ f.mul(p.y, f.inv(p.x))
        x3 = f.sqr(slope) ^ slope ^ self.a
        y3 = f.sqr(p.x) ^ f.mul(slope, x3) ^ x3
        return Point(x3, y3)

    # --- Scalar multiplication ----------------------------------------------

    def multiply(self, k: int, p: Point | None) -> Point | None:
        """Return kP for k >= 0 by the López-Dahab Montgomery ladder."""
        if k < 0:
            raise ValueError("Scalar must not be negative")
        if p is None or k == 0:
            return None
        if p.x == 0:  # order 2: the ladder's x-only formulas divide by x
            return p if k & 1 else None

        f = self.field
        mul = f.mul
        sqr = f.sqr
        b = self.b
        x = p.x
        times_x = f.multiplier(x)

        # (X1 : Z1) = P and (X2 : Z2) = 2P; the ladder keeps X2 - X1 = P
        x1, z1 = x, 1
        z2 = sqr(x)
        x2 = sqr(z2) ^ b

        # Bit 1: X1 <- X1 + X2, X2 <- 2 X2. Bit 0: the same with X1 and X2
        # swapped, X2 <- X1 + X2, X1 <- 2 X1.
        for bit in format(k, "b")[1:]:
            if bit == "0":
                x1, z1, x2, z2 = x2, z2, x1, z1

            # Madd: (X1 : Z1) <- (X1 : Z1) + (X2 : Z2)
            t1 = mul(x1, z2)
            t2 = mul(x2, z1)
            z1 = sqr(t1 ^ t2)
            x1 = times_x(z1) ^ mul(t1, t2)
            # Mdouble: (X2 : Z2) <- 2 (X2 : Z2); X = X^4 + b Z^4, Z = X^2 Z^2
            xx = sqr(x2)
            zz = sqr(z2)
            z2 = mul(xx, zz)
            x2 = sqr(xx ^ zz) if b == 1 else sqr(xx) ^ mul(b, sqr(zz))

            if bit == "0":
                x1, z1, x2, z2 = x2, z2, x1, z1

        return self._affine_from_ladder(p, x1, z1, x2, z2)

    def _affine_from_ladder(
        self, p: Point, x1: int, z1: int, x2: int, z2: int
    ) -> Point | None:
        """Return kP from the ladder's (X1 : Z1) = kP, (X2 : Z2) = (k+1)P.

        Guide to ECC Algorithm 3.40, step 4 (Mxy):
        x3 = X1/Z1, y3 = (x + x3)[(X1 + xZ1)(X2 + xZ2) + (x^2 + y)Z1Z2]
        / (xZ1Z2) + y.
        """
        if z1 == 0:
            return None
        if z2 == 0:
            return self.negate(p)  # (k+1)P = O, so kP = -P

        f = self.field
        mul = f.mul
        x, y = p
        z1z2 = mul(z1, z2)
        inverse = f.inv(mul(x, z1z2))  # 1 / (x Z1 Z2)
        x3 = mul(mul(x1, mul(x, z2)), inverse)  # X1 / Z1
        t = mul(x1 ^ mul(x, z1), x2 ^ mul(x, z2)) ^ mul(f.sqr(x) ^ y, z1z2)
        y3 = mul(mul(x ^ x3, t), inverse) ^ y
        return Point(x3, y3)

    # --- Compressed encoding (SEC 1 §2.3.3, §2.3.4) -------------------------

    def encode(self, point: Point) -> bytes:
        """Return the compressed octet string 02|03 || x of a point."""
        f = self.field
        y_bit = 0 if point.x == 0 else f.mul(point.y, f.inv(point.x)) & 1
        return bytes([COMPRESSED_EVEN | y_bit]) + f.to_bytes(point.x)

    def decode(self, data: bytes) -> Point:
        """Return the point of a compressed octet string.

        SEC 1 §2.3.4: for x != 0, z with z^2 + z = x + a + b/x^2 is found
        (half-trace; none means no point), its low bit chosen to match the
        prefix, and y = x z. For x = 0, y = sqrt(b).
        """
        f = self.field

        if len(data) != self.point_length or data[0] not in (
            COMPRESSED_EVEN,
            COMPRESSED_ODD,
        ):
            raise PointDecodeError("Not a compressed point of this curve")
        try:
            x = f.from_bytes(data[1:])
        except ValueError as exc:
            raise PointDecodeError(str(exc)) from exc

        if x == 0:
            return Point(0, f.sqrt(self.b))

        beta = x ^ self.a ^ f.mul(self.b, f.sqr(f.inv(x)))
        z = f.half_trace(beta)
        if f.sqr(z) ^ z != beta:
            raise PointDecodeError("x is not the x-coordinate of a curve point")
        if z & 1 != data[0] & 1:
            z ^= 1
        return Point(x, f.mul(x, z))
