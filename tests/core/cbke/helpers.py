"""Run a Key Establishment exchange between two parties, ours or the simulator's.

A party takes (command id, payload) and returns its answer, or None. Frames
can be altered on the way (``tamper``), to test each refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from se_gateway_core.cbke import KeyEstablishment, LocalCredentials
from se_gateway_core.cbke.params import SECT163K1

from . import vectors as c5

type Command = tuple[int, bytes]
type Party = Callable[[int, bytes], Command | None]
type Tamper = Callable[[str, int, bytes], bytes]

INITIATOR = "initiator"
RESPONDER = "responder"


def fixed_rng(private_key: int) -> Callable[[int], bytes]:
    """An RNG that yields one given private key, as its 21 bytes."""
    return private_key.to_bytes


def v_credentials() -> LocalCredentials:
    return LocalCredentials(c5.V_CERTIFICATE, c5.V_PRIVATE, c5.CA_PUBLIC_KEY)


def u_credentials() -> LocalCredentials:
    return LocalCredentials(c5.U_CERTIFICATE, c5.U_PRIVATE, c5.CA_PUBLIC_KEY)


def x_without_point() -> bytes:
    """Return an x (21 bytes) that no point of sect163k1 has.

    SEC 1 §2.3.4: x is a point's when z^2 + z = x + a + b/x^2 has a root, that
    is when the trace of the right side is 0.
    """
    field = SECT163K1.field
    for x in range(2, 1000):
        if field.trace(
            x ^ SECT163K1.a ^ field.mul(SECT163K1.b, field.sqr(field.inv(x)))
        ):
            return field.to_bytes(x)
    raise AssertionError("unreachable")


def party(session: KeyEstablishment) -> Party:
    """Wrap one of our exchanges as a party."""

    def answer(command_id: int, payload: bytes) -> Command | None:
        step = session.receive(command_id, payload)
        if step.reply is None:
            return None
        return step.reply.command_id, step.reply.encode()

    return answer


@dataclass(frozen=True)
class Frame:
    """One command on the air."""

    sender: str
    command_id: int
    payload: bytes


def run(
    first: Command,
    initiator: Party,
    responder: Party,
    tamper: Tamper | None = None,
    limit: int = 10,
) -> list[Frame]:
    """Relay commands from the initiator's first until someone stays silent."""
    frames: list[Frame] = []
    sender, command = INITIATOR, first

    for _ in range(limit):
        command_id, payload = command
        if tamper is not None:
            payload = tamper(sender, command_id, payload)
        frames.append(Frame(sender, command_id, payload))
        receiver = responder if sender == INITIATOR else initiator
        answer = receiver(command_id, payload)
        if answer is None:
            return frames
        sender = RESPONDER if sender == INITIATOR else INITIATOR
        command = answer

    raise AssertionError("the exchange did not end")
