"""Arithmetic in GF(2^m), polynomial basis, elements as Python ints.

Bit ``i`` of an int is the coefficient of ``x^i``. A field is data: its degree
``m`` and the exponents of its reduction pentanomial
``f(x) = x^m + x^k3 + x^k2 + x^k1 + 1`` (SEC 2 §3, "Recommended Elliptic Curve
Domain Parameters over F_2^m"); both ZigBee Smart Energy crypto suites use a
pentanomial: sect163k1 (suite 1) and sect283k1 (suite 2).

CPython has no carry-less multiply, so ``mul`` borrows the big-integer one: each
bit of an operand is spread into its own byte (two bytes when m > 255), the two
are multiplied as integers, and the low bit of each byte of the product is the
coefficient of the polynomial product. A byte holds the sum of at most m bits
without carrying into the next one, which is why wide fields use two bytes.
The spreading and gathering are done by ``format``/``int`` in C, which makes a
163-bit product a few microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

_ASCII_ZERO: Final = ord("0")


class BinaryField:
    """GF(2^m) with a pentanomial reduction polynomial."""

    __slots__ = (
        "_bin_format",
        "_k1",
        "_k2",
        "_k3",
        "_low_bits",
        "_mask",
        "_product_bytes",
        "_slot_encoding",
        "_slot_zeros",
        "_spread_zeros",
        "byte_length",
        "degree",
    )

    def __init__(self, degree: int, middle_exponents: tuple[int, int, int]) -> None:
        """Define GF(2^degree) reduced by x^degree + x^k3 + x^k2 + x^k1 + 1."""
        k3, k2, k1 = sorted(middle_exponents, reverse=True)

        if not degree > k3 > k2 > k1 > 0:
            raise ValueError("Need degree > k3 > k2 > k1 > 0")

        self.degree: Final = degree
        self.byte_length: Final = (degree + 7) // 8
        self._k1 = k1
        self._k2 = k2
        self._k3 = k3
        self._mask = (1 << degree) - 1
        self._bin_format = f"0{degree}b"

        # One byte per coefficient while a byte can hold m without a carry.
        slot = 1 if degree < 256 else 2
        self._slot_encoding = "latin-1" if slot == 1 else "utf-16-be"
        slots = 2 * degree - 1  # coefficients of a product of two elements
        self._product_bytes = slot * slots
        self._spread_zeros = int.from_bytes(("0" * degree).encode(self._slot_encoding))
        self._low_bits = int.from_bytes(("\x01" * slots).encode(self._slot_encoding))
        self._slot_zeros = int.from_bytes(("0" * slots).encode(self._slot_encoding))

    def __repr__(self) -> str:
        return (
            f"BinaryField(x^{self.degree} + x^{self._k3} + x^{self._k2}"
            f" + x^{self._k1} + 1)"
        )

    @property
    def polynomial(self) -> int:
        """Return the reduction polynomial f(x) as an int."""
        return (
            (1 << self.degree) | (1 << self._k3) | (1 << self._k2) | (1 << self._k1) | 1
        )

    def reduce(self, value: int) -> int:
        """Return ``value`` mod f(x), for a polynomial of any degree."""
        degree = self.degree
        mask = self._mask
        k1, k2, k3 = self._k1, self._k2, self._k3

        # x^m = x^k3 + x^k2 + x^k1 + 1: fold the high part down until none is left
        while high := value >> degree:
            value = (value & mask) ^ high ^ (high << k1) ^ (high << k2) ^ (high << k3)

        return value

    def mul(self, a: int, b: int) -> int:
        """Return a * b mod f(x), for reduced a and b."""
        encoding = self._slot_encoding
        spread_zeros = self._spread_zeros
        spread_a = int.from_bytes(format(a, self._bin_format).encode(encoding))
        spread_b = int.from_bytes(format(b, self._bin_format).encode(encoding))
        product = (spread_a ^ spread_zeros) * (spread_b ^ spread_zeros)
        # Keep each slot's parity, written back as the digit "0" or "1"
        digits = ((product & self._low_bits) | self._slot_zeros).to_bytes(
            self._product_bytes
        )
        return self.reduce(int(digits.decode(encoding), 2))

    def multiplier(self, constant: int) -> Callable[[int], int]:
        """Return a function multiplying by ``constant``, spread once up front."""
        encoding = self._slot_encoding
        spread_zeros = self._spread_zeros
        bin_format = self._bin_format
        low_bits = self._low_bits
        slot_zeros = self._slot_zeros
        product_bytes = self._product_bytes
        reduce = self.reduce
        spread_constant = (
            int.from_bytes(format(constant, bin_format).encode(encoding)) ^ spread_zeros
        )

        def times_constant(value: int) -> int:
            spread = int.from_bytes(format(value, bin_format).encode(encoding))
            product = spread_constant * (spread ^ spread_zeros)
            digits = ((product & low_bits) | slot_zeros).to_bytes(product_bytes)
            return reduce(int(digits.decode(encoding), 2))

        return times_constant

    def sqr(self, a: int) -> int:
        """Return a^2 mod f(x): squaring spreads the bits, read here as base 4."""
        return self.reduce(int(format(a, "b"), 4))

    def sqr_times(self, a: int, times: int) -> int:
        """Return a^(2^times) mod f(x)."""
        for _ in range(times):
            a = self.reduce(int(format(a, "b"), 4))
        return a

    def inv(self, a: int) -> int:
        """Return a^-1 = a^(2^m - 2) by Itoh-Tsujii; 0 has no inverse.

        With beta_k = a^(2^k - 1): beta_2k = beta_k^(2^k) * beta_k and
        beta_(k+1) = beta_k^2 * a, walked along the bits of m - 1; then
        a^-1 = beta_(m-1)^2.
        """
        if a == 0:
            raise ZeroDivisionError("0 has no inverse in GF(2^m)")

        beta = a
        k = 1
        for bit in format(self.degree - 1, "b")[1:]:
            beta = self.mul(self.sqr_times(beta, k), beta)
            k *= 2
            if bit == "1":
                beta = self.mul(self.sqr(beta), a)
                k += 1

        return self.sqr(beta)

    def sqrt(self, a: int) -> int:
        """Return the square root of a: a^(2^(m-1))."""
        return self.sqr_times(a, self.degree - 1)

    def trace(self, a: int) -> int:
        """Return Tr(a) = a + a^2 + ... + a^(2^(m-1)), which is 0 or 1."""
        total = a
        for _ in range(self.degree - 1):
            a = self.sqr(a)
            total ^= a
        return total

    def half_trace(self, a: int) -> int:
        """Return H(a) = sum of a^(4^i), i = 0..(m-1)/2 (m odd).

        z = H(a) solves z^2 + z = a whenever Tr(a) = 0 (SEC 1 §2.3.4 leaves
        the method open; IEEE 1363 A.4.7 gives the half-trace for odd m).
        """
        total = a
        for _ in range((self.degree - 1) // 2):
            a = self.sqr(self.sqr(a))
            total ^= a
        return total

    def from_bytes(self, data: bytes) -> int:
        """Return the element of a big-endian octet string (SEC 1 §2.3.6)."""
        value = int.from_bytes(data)

        if len(data) != self.byte_length or value >> self.degree:
            raise ValueError("Not an element of the field")

        return value

    def to_bytes(self, value: int) -> bytes:
        """Return the big-endian octet string of an element (SEC 1 §2.3.5)."""
        return value.to_bytes(self.byte_length)
