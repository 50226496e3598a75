"""Benchmark: the gateway's side of one CBKE exchange, next to one scalar multiply.

(a) One scalar multiplication kP on sect163k1 with a 163-bit k
(``SECT163K1.multiply``, the López-Dahab Montgomery ladder): the unit of work
of every public-key step.

(b) The responder's (trust centre's) whole share of one exchange: a fresh
``KeyEstablishment`` fed the three requests of the ZigBee SE Annex C.5
exchange: Initiate Key Establishment (parse, issuer and subject checks, ECQV
reconstruction of the initiator's key), Ephemeral Data (a fresh ephemeral key
pair, ECMQV, the KDF and both MACs) and Confirm Key Data (MAC check). The
responder's RNG yields the Annex's ephemeral key, so the initiator's MACU is
the Annex's and the three requests can be made once. That is about three and
a half scalar multiplications (128-bit e P_U, 163-bit d_E G, 83-bit avf Q_U,
164-bit h s Q) and three point decompressions.

Both are measured in CPU time (``time.process_time``), so a loaded machine
does not inflate them; the second benchmark prints the medians and their
ratio, stores the ratio in its extra info, and checks the 50 ms target.
Run: ``pytest -p no:cacheprovider --benchmark-only <this file>``.
"""

from __future__ import annotations

import random
import time

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from se_gateway_core.cbke import KeyEstablishment, LocalCredentials, Role, State
from se_gateway_core.cbke.params import SECT163K1
from tests.core.cbke import vectors as c5

EXCHANGE_TARGET_SECONDS = 0.050
REQUESTS = (
    (0x00, b"\x01\x00\x05\x05" + c5.U_CERTIFICATE),
    (0x01, c5.U_EPHEMERAL_PUBLIC),
    (0x02, c5.MAC_U),
)

_MEDIAN_SECONDS: dict[str, float] = {}

cpu_time = pytest.mark.benchmark(timer=time.process_time)


@pytest.fixture(scope="module")
def credentials() -> LocalCredentials:
    """The responder's credentials, validated once as at installation."""
    credentials = LocalCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY)
    credentials.validate()
    return credentials


def _annex_rng(count: int) -> bytes:
    return c5.V_EPHEMERAL_PRIVATE.to_bytes(count)


@cpu_time
def test_bench_cbke_scalar_multiplication(benchmark: BenchmarkFixture) -> None:
    k = random.Random(163).randrange(1 << 162, SECT163K1.order)

    point = benchmark(SECT163K1.multiply, k, SECT163K1.generator)

    assert point is not None
    assert SECT163K1.contains(point)
    if benchmark.stats is not None:
        _MEDIAN_SECONDS["scalar_multiplication"] = benchmark.stats.stats.median


@cpu_time
def test_bench_cbke_responder_exchange(
    benchmark: BenchmarkFixture,
    credentials: LocalCredentials,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run the responder's share of the exchange; then print the figures."""

    def respond() -> KeyEstablishment:
        responder = KeyEstablishment(
            Role.RESPONDER, credentials, c5.U_IEEE, rng=_annex_rng
        )
        for command_id, payload in REQUESTS:
            responder.receive(command_id, payload)
        return responder

    responder = benchmark(respond)

    assert responder.state is State.ESTABLISHED
    assert responder.link_key == c5.KEY_DATA
    if benchmark.stats is None or "scalar_multiplication" not in _MEDIAN_SECONDS:
        return

    exchange = benchmark.stats.stats.median
    multiply = _MEDIAN_SECONDS["scalar_multiplication"]
    benchmark.extra_info["exchange_per_scalar_multiplication"] = exchange / multiply
    with capsys.disabled():
        print(
            f"\nCBKE, CPU time, medians: one sect163k1 scalar multiplication"
            f" {multiply * 1e3:.2f} ms; the responder's whole exchange"
            f" {exchange * 1e3:.2f} ms ({exchange / multiply:.1f} scalar"
            f" multiplications; target {EXCHANGE_TARGET_SECONDS * 1e3:.0f} ms)"
        )
    assert exchange <= EXCHANGE_TARGET_SECONDS
