"""The simulator's side of the exchange: its arithmetic and its refusals."""

from __future__ import annotations

import random

import pytest

from network_simulator.cbke import CbkeSession, DeviceCredentials, ec163
from network_simulator.cbke.session import (
    BAD_KEY_CONFIRM,
    BAD_MESSAGE,
    INVALID_CERTIFICATE,
    UNKNOWN_ISSUER,
    UNSUPPORTED_SUITE,
    terminate,
)

from . import vectors as c5


def schoolbook(a: int, b: int) -> int:
    product = 0
    for i in range(b.bit_length()):
        if b >> i & 1:
            product ^= a << i
    for i in range(product.bit_length() - 1, ec163.M - 1, -1):
        if product >> i & 1:
            product ^= ec163.POLY << (i - ec163.M)
    return product


def test_field_arithmetic() -> None:
    rng = random.Random(163)
    for _ in range(50):
        a, b = rng.getrandbits(163), rng.getrandbits(163) or 1
        assert ec163.f_mul(a, b) == schoolbook(a, b)
        assert ec163.f_mul(b, ec163.f_inv(b)) == 1
    with pytest.raises(ZeroDivisionError):
        ec163.f_inv(0)


def test_quadratic_solver() -> None:
    rng = random.Random(2)
    solved = 0
    for _ in range(40):
        beta = rng.getrandbits(163)
        z = ec163.solve_quadratic(beta)
        if z is not None:
            assert ec163.f_mul(z, z) ^ z == beta
            solved += 1
    assert 5 < solved < 35  # half the elements have trace 0


def test_point_operations() -> None:
    g = ec163.G
    minus_g = (g[0], g[0] ^ g[1])

    assert ec163.point_add(g, minus_g) is None
    assert ec163.point_add(None, g) == g
    assert ec163.point_add((0, 1), (0, 1)) is None  # order 2
    assert ec163.scalar_mult(3, g) == ec163.point_add(g, ec163.point_add(g, g))
    assert ec163.on_curve(None)
    assert not ec163.on_curve((g[0], g[1] ^ 1))
    assert ec163.decompress(b"\x02" + bytes(21)) == (0, 1)
    for bad in (
        b"\x04" + bytes(21),
        bytes(22),
        b"\x02" + bytes(20),
        b"\x02\x08" + bytes(20),
    ):
        with pytest.raises(ec163.BadPoint):
            ec163.decompress(bad)


def device(partner: bytes = c5.V_IEEE, initiator: bool = True) -> CbkeSession:
    return CbkeSession(
        initiator=initiator,
        credentials=DeviceCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY),
        partner_ieee=partner,
    )


def response(certificate: bytes = c5.V_CERTIFICATE, suite: int = 1) -> bytes:
    return suite.to_bytes(2, "little") + b"\x05\x05" + certificate


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (
            response(c5.V_CERTIFICATE[:30] + b"OTHER-CA" + c5.V_CERTIFICATE[38:]),
            UNKNOWN_ISSUER,
        ),
        (response(suite=2), UNSUPPORTED_SUITE),
        (response(c5.V_CERTIFICATE[:-1]), BAD_MESSAGE),
        (b"\x01\x00", BAD_MESSAGE),
        (response(b"\x05" + c5.V_CERTIFICATE[1:]), INVALID_CERTIFICATE),
    ],
    ids=["unknown-issuer", "suite-2", "truncated", "cut-header", "bad-point"],
)
def test_initiator_refusals(payload: bytes, status: int) -> None:
    session = device()
    session.initiate()

    assert session.handle(0, payload) == terminate(status)
    assert session.terminate_status == status
    assert session.handle(0, response()) is None  # finished


def test_responder_subject_must_be_the_partner() -> None:
    session = device(partner=bytes.fromhex("0000000000000005"))

    assert session.handle(0, response()) == terminate(INVALID_CERTIFICATE)


def test_out_of_turn_and_bad_points() -> None:
    assert device().handle(2, bytes(16)) == terminate(BAD_MESSAGE)
    session = device()
    session.handle(0, response())
    assert session.handle(1, b"\x02" + bytes(20)) == terminate(BAD_MESSAGE)


def test_bad_macv() -> None:
    session = device()
    session.handle(0, response())
    session.handle(1, c5.V_EPHEMERAL_PUBLIC)

    assert session.handle(2, bytes(16)) == terminate(BAD_KEY_CONFIRM)
    assert session.link_key is None
    session = device()
    session.handle(0, response())
    session.handle(1, c5.V_EPHEMERAL_PUBLIC)
    assert session.handle(2, bytes(15)) == terminate(BAD_MESSAGE)


def test_partner_terminate() -> None:
    session = device()

    assert session.handle(3, bytes([4, 30, 1, 0])) is None
    assert session.terminate_status == 4
