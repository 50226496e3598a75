"""GF(2^m) arithmetic: the fast product against a schoolbook one, field laws.

Fields: SEC 2 v2.0 §3.2.1 (sect163k1, x^163 + x^7 + x^6 + x^3 + 1) and §3.4.1
(sect283k1, x^283 + x^12 + x^7 + x^5 + 1, whose products need two-byte
slots in ``BinaryField.mul``).
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from se_gateway_core.cbke.gf2m import BinaryField
from se_gateway_core.cbke.params import GF2_163, GF2_283

FIELDS = [GF2_163, GF2_283]
PROPERTY = settings(max_examples=150, deadline=None, database=None)


def schoolbook_mul(a: int, b: int, field: BinaryField) -> int:
    """Carry-less product, then long division by f(x), bit by bit."""
    product = 0
    for i in range(b.bit_length()):
        if b >> i & 1:
            product ^= a << i
    f = field.polynomial
    while product.bit_length() > field.degree:
        product ^= f << (product.bit_length() - 1 - field.degree)
    return product


def elements(field: BinaryField) -> st.SearchStrategy[int]:
    return st.one_of(
        st.integers(min_value=0, max_value=(1 << field.degree) - 1),
        st.sampled_from([0, 1, 2, (1 << field.degree) - 1, 1 << (field.degree - 1)]),
    )


field_param = pytest.mark.parametrize("field", FIELDS, ids=repr)


def test_polynomials() -> None:
    assert GF2_163.polynomial == (1 << 163) | 0b11001001
    assert GF2_283.polynomial == (1 << 283) | 0x10A1
    assert (GF2_163.byte_length, GF2_283.byte_length) == (21, 36)


@field_param
@PROPERTY
@given(data=st.data())
def test_mul_matches_schoolbook(field: BinaryField, data: st.DataObject) -> None:
    a = data.draw(elements(field))
    b = data.draw(elements(field))

    assert field.mul(a, b) == schoolbook_mul(a, b, field)
    assert field.multiplier(a)(b) == field.mul(a, b)
    assert field.sqr(a) == schoolbook_mul(a, a, field)


@field_param
@PROPERTY
@given(data=st.data())
def test_ring_laws(field: BinaryField, data: st.DataObject) -> None:
    a, b, c = (data.draw(elements(field)) for _ in range(3))
    mul = field.mul

    assert mul(a, b) == mul(b, a)
    assert mul(mul(a, b), c) == mul(a, mul(b, c))
    assert mul(a, b ^ c) == mul(a, b) ^ mul(a, c)
    assert mul(a, 1) == a
    assert mul(a, 0) == 0
    assert field.sqr(a ^ b) == field.sqr(a) ^ field.sqr(b)  # Frobenius


@field_param
@PROPERTY
@given(data=st.data())
def test_inverse_and_square_root(field: BinaryField, data: st.DataObject) -> None:
    a = data.draw(elements(field).filter(bool))

    assert field.mul(a, field.inv(a)) == 1
    assert field.sqr(field.sqrt(a)) == a
    assert field.sqr_times(a, field.degree) == a  # a^(2^m) = a


@field_param
@PROPERTY
@given(data=st.data())
def test_half_trace_solves_quadratic(field: BinaryField, data: st.DataObject) -> None:
    beta = data.draw(elements(field))
    z = field.half_trace(beta)
    solved = field.sqr(z) ^ z == beta

    assert field.trace(beta) in (0, 1)
    assert solved is (field.trace(beta) == 0)


@field_param
def test_trace_is_half_the_elements(field: BinaryField) -> None:
    # Tr is GF(2)-linear and onto: x^0 has trace m mod 2 = 1 for odd m
    assert field.trace(1) == 1
    assert field.trace(0) == 0


@field_param
@PROPERTY
@given(data=st.data())
def test_reduce_any_length(field: BinaryField, data: st.DataObject) -> None:
    value = data.draw(st.integers(min_value=0, max_value=(1 << (3 * field.degree))))
    reduced = field.reduce(value)
    reference = value
    f = field.polynomial
    while reference.bit_length() > field.degree:
        reference ^= f << (reference.bit_length() - 1 - field.degree)

    assert reduced == reference


def test_zero_has_no_inverse() -> None:
    with pytest.raises(ZeroDivisionError):
        GF2_163.inv(0)


def test_bytes() -> None:
    assert GF2_163.to_bytes(1) == bytes(20) + b"\x01"
    assert GF2_163.from_bytes(bytes(20) + b"\x01") == 1
    with pytest.raises(ValueError, match="Not an element"):
        GF2_163.from_bytes(b"\x08" + bytes(20))  # x^163
    with pytest.raises(ValueError, match="Not an element"):
        GF2_163.from_bytes(bytes(22))


@pytest.mark.parametrize(
    "exponents",
    [(7, 6, 6), (170, 6, 3), (0, 6, 3), (163, 6, 3)],
    ids=["repeated", "above-degree", "zero", "degree"],
)
def test_bad_polynomials(exponents: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="Need"):
        BinaryField(163, exponents)


def test_high_middle_term_still_reduces() -> None:
    """A middle term above m/2 needs more than two folds; reduce loops."""
    field = BinaryField(17, (14, 5, 1))
    value = (1 << 32) | 12345

    assert field.reduce(value) == schoolbook_mul(value, 1, field)


def test_repr() -> None:
    assert repr(GF2_163) == "BinaryField(x^163 + x^7 + x^6 + x^3 + 1)"
