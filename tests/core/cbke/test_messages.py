"""Key Establishment payloads: our codec, the zigpy cluster, and fuzzing.

``se_gateway_core.cbke.messages.decode`` must raise nothing but
``MessageDecodeError``; the zigpy cluster must decode every frame to a payload
or drop it as ``MalformedPayload``; an exchange must answer any command in any
state without raising. 10,500 fuzzed cases a run in all.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from zigpy.zcl import foundation

from se_gateway_core.cbke import (
    CommandId,
    ConfirmKeyData,
    EphemeralData,
    InitiateKeyEstablishment,
    KeyEstablishment,
    MessageDecodeError,
    Role,
    State,
    TerminateKeyEstablishment,
    TerminateStatus,
)
from se_gateway_core.cbke.messages import KeyEstablishmentCommand, decode
from se_gateway_core.clusters import key_establishment as ke
from se_gateway_core.clusters.robust import MalformedPayload

from . import vectors as c5
from .helpers import fixed_rng, u_credentials, v_credentials
from .zigpy_cluster import key_establishment_clusters, zcl_frame

DECODE_EXAMPLES = 6_000
CLUSTER_EXAMPLES = 3_000
EXCHANGE_EXAMPLES = 1_500
# The zigpy cluster decodes suite 1 sizes, whatever the suite field says
SUITE_1_SIZES = {0: 4 + 48, 1: 22, 2: 16, 3: 4}

FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SAMPLES: list[KeyEstablishmentCommand] = [
    InitiateKeyEstablishment(1, 3, 6, c5.U_CERTIFICATE),
    EphemeralData(c5.U_EPHEMERAL_PUBLIC),
    ConfirmKeyData(c5.MAC_U),
    TerminateKeyEstablishment(TerminateStatus.UNKNOWN_ISSUER, 30, 1),
]
# Our payload class -> the zigpy command names of the request and response
ZIGPY_COMMANDS = {
    InitiateKeyEstablishment: (
        "initiate_key_establishment_request",
        "initiate_key_establishment_response",
    ),
    EphemeralData: ("ephemeral_data_request", "ephemeral_data_response"),
    ConfirmKeyData: ("confirm_key_data_request", "confirm_key_data_response"),
    TerminateKeyEstablishment: (
        "terminate_key_establishment",
        "terminate_key_establishment",
    ),
}


# --- Our codec -----------------------------------------------------------------------


def test_layouts() -> None:
    initiate, ephemeral, confirm, terminate = (m.encode() for m in SAMPLES)

    assert initiate == b"\x01\x00\x03\x06" + c5.U_CERTIFICATE
    assert ephemeral == c5.U_EPHEMERAL_PUBLIC
    assert confirm == c5.MAC_U
    assert terminate == b"\x01\x1e\x01\x00"
    assert [m.command_id for m in SAMPLES] == list(CommandId)


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_round_trip(message: KeyEstablishmentCommand) -> None:
    assert decode(message.command_id, message.encode()) == message


@pytest.mark.parametrize(
    "message",
    [
        InitiateKeyEstablishment(0x10000, 0, 0, b""),
        InitiateKeyEstablishment(1, 256, 0, b""),
        InitiateKeyEstablishment(1, 0, -1, b""),
        TerminateKeyEstablishment(256, 0, 1),
        TerminateKeyEstablishment(1, 256, 1),
        TerminateKeyEstablishment(1, 0, -1),
    ],
)
def test_encode_refuses_out_of_range(message: KeyEstablishmentCommand) -> None:
    with pytest.raises(ValueError, match=r"one byte|16 bits"):
        message.encode()


def test_initiate_of_an_unknown_suite_keeps_any_identity() -> None:
    message = decode(0, b"\x80\x00\x01\x02abc")

    assert message == InitiateKeyEstablishment(0x0080, 1, 2, b"abc")


# --- Our codec against the zigpy cluster definition -----------------------------------


@pytest.mark.parametrize("server_to_client", [False, True], ids=["request", "response"])
@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_zigpy_cluster_agrees(
    message: KeyEstablishmentCommand, server_to_client: bool
) -> None:
    clusters = key_establishment_clusters()
    receiving = clusters.receiving(server_to_client=server_to_client)
    defs = (
        ke.KeyEstablishment.ClientCommandDefs
        if server_to_client
        else ke.KeyEstablishment.ServerCommandDefs
    )
    name = ZIGPY_COMMANDS[type(message)][server_to_client]
    command = getattr(defs, name)
    frame = zcl_frame(
        message.command_id, message.encode(), server_to_client=server_to_client
    )

    header, decoded = receiving.deserialize(frame)

    assert int(command.id) == message.command_id
    assert int(header.command_id) == message.command_id
    assert type(decoded) is command.schema
    assert isinstance(decoded, foundation.CommandSchema)
    assert decoded.serialize() == message.encode()
    assert decode(message.command_id, decoded.serialize()) == message


def test_zigpy_fields() -> None:
    payload = ke.InitiateKeyEstablishmentRequest(
        key_establishment_suite=ke.KeyEstablishmentSuite.CBKE_ECMQV,
        ephemeral_data_generate_time=3,
        confirm_key_generate_time=6,
        identity=ke.ImplicitCertificate(c5.U_CERTIFICATE),
    )
    terminate = ke.TerminateKeyEstablishmentFromServer(
        status_code=ke.TerminateStatus.INVALID_CERTIFICATE,
        wait_time=10,
        key_establishment_suite=ke.KeyEstablishmentSuite.CBKE_ECMQV,
    )

    assert payload.serialize() == SAMPLES[0].encode()
    assert terminate.serialize() == b"\x06\x0a\x01\x00"
    assert {s.name: s.value for s in ke.TerminateStatus} == {
        s.name: s.value for s in TerminateStatus
    }
    assert ke.KeyEstablishment.cluster_id == 0x0800
    assert ke.KeyEstablishment.AttributeDefs.key_establishment_suite.id == 0x0000
    assert ke.KeyEstablishment.answered_requests == frozenset({0, 1, 2})


@pytest.mark.parametrize(
    ("field_type", "length"),
    [
        (ke.ImplicitCertificate, 48),
        (ke.EphemeralPublicKey, 22),
        (ke.KeyConfirmationMac, 16),
    ],
)
def test_fixed_fields(field_type: type[ke.ImplicitCertificate], length: int) -> None:
    value, rest = field_type.deserialize(bytes(range(length + 2)))

    assert value == bytes(range(length))
    assert rest == bytes([length, length + 1])
    with pytest.raises(ValueError, match="too short"):
        field_type.deserialize(bytes(length - 1))
    with pytest.raises(ValueError, match=f"{length} bytes"):
        field_type(bytes(length + 1)).serialize()


@pytest.mark.parametrize("cut", [1, 10])
def test_cluster_drops_a_cut_certificate(cut: int) -> None:
    clusters = key_establishment_clusters()
    frame = zcl_frame(0, SAMPLES[0].encode()[:-cut], server_to_client=False)

    _, decoded = clusters.server.deserialize(frame)

    assert isinstance(decoded, MalformedPayload)


# --- Fuzzing --------------------------------------------------------------------------


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    """The valid payload cut, extended, or with one byte changed."""
    return st.one_of(
        st.integers(0, len(data)).map(lambda n: data[:n]),
        st.binary(min_size=1, max_size=4).map(lambda extra: data + extra),
        st.tuples(st.integers(0, max(len(data) - 1, 0)), st.integers(0, 255)).map(
            lambda change: (
                data[: change[0]] + bytes([change[1]]) + data[change[0] + 1 :]
                if data
                else data
            )
        ),
    )


commands = st.one_of(
    st.tuples(st.integers(0, 255), st.binary(max_size=96)),
    st.sampled_from(SAMPLES).flatmap(
        lambda m: st.tuples(st.just(int(m.command_id)), _mutations(m.encode()))
    ),
)


@settings(FUZZ, max_examples=DECODE_EXAMPLES)
@given(command=commands)
def test_fuzz_decode(command: tuple[int, bytes]) -> None:
    command_id, payload = command
    try:
        message = decode(command_id, payload)
    except MessageDecodeError:
        return

    assert message.command_id == command_id
    assert message.encode() == payload


@settings(FUZZ, max_examples=CLUSTER_EXAMPLES)
@given(command=commands, server_to_client=st.booleans(), tsn=st.integers(0, 255))
def test_fuzz_cluster_deserialize(
    command: tuple[int, bytes], server_to_client: bool, tsn: int
) -> None:
    command_id, payload = command
    cluster = CLUSTERS.receiving(server_to_client=server_to_client)
    frame = zcl_frame(command_id, payload, server_to_client=server_to_client, tsn=tsn)

    _, decoded = cluster.deserialize(frame)

    if command_id > 3:
        assert type(decoded) is bytes  # zigpy leaves unknown commands undecoded
    elif len(payload) < SUITE_1_SIZES[command_id]:
        assert isinstance(decoded, MalformedPayload)
    else:
        assert isinstance(decoded, foundation.CommandSchema)
        # zigpy leaves bytes beyond the known fields undecoded
        assert decoded.serialize() == payload[: SUITE_1_SIZES[command_id]]


CLUSTERS = key_establishment_clusters()


def _prepared_responders() -> dict[State, KeyEstablishment]:
    """A responder waiting for each command in turn (deep-copied per case)."""
    waiting_initiate = KeyEstablishment(
        Role.RESPONDER,
        v_credentials(),
        c5.U_IEEE,
        rng=fixed_rng(c5.V_EPHEMERAL_PRIVATE),
    )
    waiting_ephemeral = copy.deepcopy(waiting_initiate)
    initiator = KeyEstablishment(Role.INITIATOR, u_credentials(), c5.V_IEEE)
    waiting_ephemeral.receive(0, initiator.start().encode())
    waiting_confirm = copy.deepcopy(waiting_ephemeral)
    waiting_confirm.receive(1, c5.U_EPHEMERAL_PUBLIC)
    return {
        State.WAIT_INITIATE: waiting_initiate,
        State.WAIT_EPHEMERAL_DATA: waiting_ephemeral,
        State.WAIT_CONFIRM_KEY: waiting_confirm,
    }


RESPONDERS = _prepared_responders()
# Valid next steps: state -> (command id, reply type, new state)
NEXT = {
    State.WAIT_INITIATE: (0, InitiateKeyEstablishment, State.WAIT_EPHEMERAL_DATA),
    State.WAIT_EPHEMERAL_DATA: (1, EphemeralData, State.WAIT_CONFIRM_KEY),
    State.WAIT_CONFIRM_KEY: (2, ConfirmKeyData, State.ESTABLISHED),
}


@settings(FUZZ, max_examples=EXCHANGE_EXAMPLES)
@given(state=st.sampled_from(list(RESPONDERS)), command=commands)
def test_fuzz_exchange(state: State, command: tuple[int, bytes]) -> None:
    responder = copy.deepcopy(RESPONDERS[state])
    command_id, payload = command

    step = responder.receive(command_id, payload)

    expected_id, reply_type, next_state = NEXT[state]
    if command_id == CommandId.TERMINATE_KEY_ESTABLISHMENT and len(payload) == 4:
        assert step.reply is None
        assert step.state is State.TERMINATED
    elif isinstance(step.reply, TerminateKeyEstablishment):
        assert step.state is State.TERMINATED
        assert step.reply.status in set(TerminateStatus)
    else:
        assert command_id == expected_id
        assert isinstance(step.reply, reply_type)
        assert step.state is next_state
    assert (step.link_key is not None) is (step.state is State.ESTABLISHED)
