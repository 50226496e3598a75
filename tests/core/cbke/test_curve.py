"""sect163k1 (and sect283k1, as data): parameters, group law, ladder, encoding.

SEC 2 v2.0 §3.2.1 / §3.4.1 for the parameters; SEC 1 v2.0 §2.3.3-2.3.4 for
compressed points; the ladder (López-Dahab, Guide to ECC Algorithm 3.40) is
checked against plain affine double-and-add.
"""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st
import pytest

from se_gateway_core.cbke.curve import BinaryCurve, Point, PointDecodeError
from se_gateway_core.cbke.params import SECT163K1, SECT283K1

CURVES = [SECT163K1, SECT283K1]
curve_param = pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
FEW = settings(max_examples=25, deadline=None, database=None)


def is_probable_prime(n: int) -> bool:
    """Miller-Rabin with 40 fixed-seed bases."""
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    rng = random.Random(n)
    for _ in range(40):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def double_and_add(curve: BinaryCurve, k: int, point: Point | None) -> Point | None:
    result: Point | None = None
    for bit in format(k, "b"):
        result = curve.double(result)
        if bit == "1":
            result = curve.add(result, point)
    return result


@curve_param
def test_domain_parameters(curve: BinaryCurve) -> None:
    g = curve.generator

    assert curve.contains(g)
    assert is_probable_prime(curve.order)
    assert curve.multiply(curve.order, g) is None
    assert curve.multiply(curve.order - 1, g) == curve.negate(g)
    # Hasse: #E = h n is within 2 sqrt(2^m) of 2^m + 1
    q = 1 << curve.field.degree
    assert abs(curve.cofactor * curve.order - (q + 1)) <= 2 * (
        1 << (curve.field.degree // 2 + 1)
    )


def test_suite_1_sizes() -> None:
    assert SECT163K1.point_length == 22
    assert SECT163K1.scalar_length == 21
    assert SECT163K1.order.bit_length() == 163
    assert SECT163K1.cofactor == 2
    assert SECT283K1.point_length == 37


@curve_param
@FEW
@given(data=st.data())
def test_ladder_matches_double_and_add(curve: BinaryCurve, data: st.DataObject) -> None:
    base = curve.multiply(data.draw(st.integers(1, curve.order - 1)), curve.generator)
    k = data.draw(
        st.one_of(
            st.integers(0, 1 << 40),
            st.integers(0, 3 * curve.order),
            st.sampled_from([1, 2, 3, curve.order, curve.order + 1, 2 * curve.order]),
        )
    )

    assert curve.multiply(k, base) == double_and_add(curve, k, base)


@curve_param
@FEW
@given(data=st.data())
def test_group_laws(curve: BinaryCurve, data: st.DataObject) -> None:
    g = curve.generator
    a = data.draw(st.integers(1, curve.order - 1))
    b = data.draw(st.integers(1, curve.order - 1))
    p, q = curve.multiply(a, g), curve.multiply(b, g)
    assert p is not None

    assert curve.contains(p)
    assert curve.add(p, q) == curve.multiply((a + b) % curve.order, g)
    assert curve.add(p, q) == curve.add(q, p)
    assert curve.add(p, curve.negate(p)) is None
    assert curve.double(p) == curve.add(p, p) == curve.multiply(2 * a, g)
    assert curve.add(None, p) == p == curve.add(p, None)


@curve_param
@FEW
@given(data=st.data())
def test_compressed_round_trip(curve: BinaryCurve, data: st.DataObject) -> None:
    point = curve.multiply(data.draw(st.integers(1, curve.order - 1)), curve.generator)
    assert point is not None
    encoded = curve.encode(point)

    assert len(encoded) == curve.point_length
    assert encoded[0] in (2, 3)
    assert curve.decode(encoded) == point
    # The other prefix gives the other point with that x: -P
    flipped = bytes([encoded[0] ^ 1]) + encoded[1:]
    assert curve.decode(flipped) == curve.negate(point)


def test_order_two_point() -> None:
    curve = SECT163K1
    two_torsion = Point(0, 1)  # y^2 = b = 1

    assert curve.contains(two_torsion)
    assert curve.encode(two_torsion) == b"\x02" + bytes(21)
    assert curve.decode(b"\x02" + bytes(21)) == two_torsion
    assert curve.double(two_torsion) is None
    assert curve.multiply(3, two_torsion) == two_torsion
    assert curve.multiply(4, two_torsion) is None


def test_multiply_edge_cases() -> None:
    g = SECT163K1.generator

    assert SECT163K1.multiply(0, g) is None
    assert SECT163K1.multiply(5, None) is None
    assert SECT163K1.multiply(1, g) == g
    with pytest.raises(ValueError, match="negative"):
        SECT163K1.multiply(-1, g)


def test_not_on_curve() -> None:
    g = SECT163K1.generator

    assert not SECT163K1.contains(Point(g.x, g.y ^ 2))
    assert not SECT163K1.contains(Point(1 << 163, 0))


def _x_without_point() -> bytes:
    """Return an x for which x + a + b/x^2 has trace 1: no curve point has it."""
    f = SECT163K1.field
    for x in range(2, 100):
        beta = x ^ 1 ^ f.sqr(f.inv(x))
        if f.trace(beta):
            return f.to_bytes(x)
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00",
        b"\x04" + bytes(21),
        b"\x02" + bytes(20),
        b"\x02" + bytes(22),
        b"\x02\x08" + bytes(20),  # x = x^163: not a field element
        b"\x03" + _x_without_point(),
    ],
    ids=[
        "empty",
        "infinity",
        "uncompressed-prefix",
        "short",
        "long",
        "x-too-big",
        "no-y",
    ],
)
def test_decode_refuses(data: bytes) -> None:
    with pytest.raises(PointDecodeError):
        SECT163K1.decode(data)


def test_generator_encoding() -> None:
    # SEC 2 §3.2.1: G compressed = 0302FE13C0537BBC11ACAA07D793DE4E6D5E5C94EEE8
    assert SECT163K1.encode(SECT163K1.generator).hex().upper() == (
        "0302FE13C0537BBC11ACAA07D793DE4E6D5E5C94EEE8"
    )
    assert repr(SECT163K1) == "BinaryCurve(sect163k1)"
