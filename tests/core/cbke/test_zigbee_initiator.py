"""The gateway as Key Establishment initiator on zigpy (radio mocked).

The meter's Key Establishment server is the simulator's independent CBKE as
responder (``network_simulator.cbke.CbkeSession(initiator=False)``). Its
answers go server to client with the request's sequence number; the generate
times it advertises and the Terminate statuses are those of ZigBee SE 1.x,
07-5356 Annex C.3.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
import time
from unittest.mock import AsyncMock

import pytest
import zigpy.device
import zigpy.types as t
from zigpy.zcl import foundation

from network_simulator.cbke import (
    CbkeSession,
    CertificateAuthority,
    DeviceCredentials,
    IssuedCertificate,
)
from network_simulator.cbke.session import terminate
from se_gateway_core.cbke import LocalCredentials, TerminateStatus
from se_gateway_core.cbke.zigbee import (
    DEFAULT_ENDPOINT_ID,
    KeyEstablishmentInitiator,
    KeyEstablishmentResponder,
    Outcome,
)
from tests.zigpy_app import FakeApplication

from .conftest import DEVICE_IEEE, GATEWAY_IEEE, scalars
from .zigpy_cluster import zcl_frame

KE = 0x0800
SE_PROFILE = 0x0109
METER_EP = 0x0A
INITIATE, EPHEMERAL, CONFIRM, TERMINATE = 0, 1, 2, 3
MARGIN_S = 0.2

type Command = tuple[int, bytes]
# What the meter does with the gateway's command: its answer, or None
type Answer = Callable[[int, bytes], Command | None]


@dataclass
class Meter:
    """A meter's Key Establishment server answering the gateway over zigpy."""

    app: FakeApplication
    device: zigpy.device.Device
    initiator: KeyEstablishmentInitiator
    install: AsyncMock
    session: CbkeSession
    answer: Answer | None = None
    received: list[tuple[int, int, bytes]] = field(default_factory=list)

    def on_packet(self, packet: t.ZigbeePacket) -> None:
        """Take what the gateway sent; answer it as the meter would."""
        assert packet.cluster_id == KE
        assert packet.profile_id == SE_PROFILE
        assert packet.src_ep == DEFAULT_ENDPOINT_ID
        assert packet.dst_ep == METER_EP
        hdr, payload = foundation.ZCLHeader.deserialize(packet.data.serialize())
        assert hdr.direction == foundation.Direction.Client_to_Server
        assert hdr.frame_control.is_cluster
        self.received.append((hdr.tsn, int(hdr.command_id), bytes(payload)))
        answer = self.answer or self.session.handle
        reply = answer(int(hdr.command_id), bytes(payload))
        if reply is None:
            return
        frame = zcl_frame(*reply, server_to_client=True, tsn=hdr.tsn)
        asyncio.get_running_loop().call_soon(
            self.initiator.handle_message,
            self.device,
            SE_PROFILE,
            KE,
            METER_EP,
            DEFAULT_ENDPOINT_ID,
            frame,
        )

    async def establish(self) -> Outcome:
        return await self.initiator.establish(self.device, METER_EP)


def meter_ieee() -> t.EUI64:
    return t.EUI64(DEVICE_IEEE[::-1])


def meter_session(
    ca: CertificateAuthority,
    issued: IssuedCertificate,
    *,
    generate_s: int = 0,
    partner_ieee: bytes = GATEWAY_IEEE,
) -> CbkeSession:
    return CbkeSession(
        initiator=False,
        credentials=DeviceCredentials(
            issued.certificate, issued.private_key, ca.public_key
        ),
        partner_ieee=partner_ieee,
        generate_times=(generate_s, generate_s),
    )


@pytest.fixture
def gateway_credentials(
    sim_ca: CertificateAuthority, gateway_cert: IssuedCertificate
) -> LocalCredentials:
    return LocalCredentials(
        gateway_cert.certificate, gateway_cert.private_key, sim_ca.public_key
    )


@pytest.fixture
def meter(
    gateway_credentials: LocalCredentials,
    sim_ca: CertificateAuthority,
    device_cert: IssuedCertificate,
) -> Iterator[Meter]:
    app = FakeApplication()
    device = app.add_device(meter_ieee(), t.NWK(0x4D4D))
    endpoint = device.add_endpoint(METER_EP)
    endpoint.profile_id = SE_PROFILE
    install = AsyncMock()
    initiator = KeyEstablishmentInitiator(
        app,
        lambda: gateway_credentials,
        install_link_key=install,
        stall_margin_s=MARGIN_S,
        response_timeout_s=MARGIN_S,
    )
    initiator.start()
    m = Meter(app, device, initiator, install, meter_session(sim_ca, device_cert))
    app.send_packet.side_effect = m.on_packet  # type: ignore[attr-defined]
    yield m
    initiator.stop()


# --- Success ------------------------------------------------------------------------


async def test_the_gateway_initiates_and_both_hold_the_same_key(meter: Meter) -> None:
    outcome = await meter.establish()

    assert outcome.established
    assert outcome.reason == "established"
    assert outcome.status is None
    assert meter.session.link_key is not None
    meter.install.assert_awaited_once_with(meter_ieee(), meter.session.link_key)
    # Initiate, Ephemeral Data, Confirm Key Data: client to server, from 0x5E
    assert [command for _tsn, command, _ in meter.received] == [
        INITIATE,
        EPHEMERAL,
        CONFIRM,
    ]
    assert len({tsn for tsn, _, _ in meter.received}) == 3
    assert meter.initiator.in_progress == frozenset()


async def test_a_second_exchange_at_once_is_refused(meter: Meter) -> None:
    first = asyncio.ensure_future(meter.establish())
    await asyncio.sleep(0)
    assert meter.initiator.in_progress == frozenset({meter_ieee()})
    with pytest.raises(RuntimeError, match="already in progress"):
        await meter.establish()
    assert (await first).established


async def test_without_a_certificate_nothing_is_sent(meter: Meter) -> None:
    meter.initiator._credentials = lambda: None
    outcome = await meter.establish()
    assert outcome.no_credentials
    assert not outcome.established
    assert meter.received == []


async def test_client_to_server_frames_and_other_endpoints_are_ignored(
    meter: Meter,
) -> None:
    # Before the Initiate Response, only the meter's server answers count
    replies: list[Command | None] = []

    def silent(command_id: int, payload: bytes) -> Command | None:
        replies.append(meter.session.handle(command_id, payload))
        return None

    meter.answer = silent
    task = asyncio.ensure_future(meter.establish())
    await asyncio.sleep(0)
    reply = replies[0]
    assert reply is not None
    for src_ep, server_to_client in ((METER_EP, False), (METER_EP + 1, True)):
        meter.initiator.handle_message(
            meter.device,
            SE_PROFILE,
            KE,
            src_ep,
            DEFAULT_ENDPOINT_ID,
            zcl_frame(*reply, server_to_client=server_to_client),
        )
    outcome = await task
    # Neither frame was taken as the answer: no Ephemeral Data went out
    assert outcome.stalled
    assert [command for _tsn, command, _ in meter.received] == [INITIATE]


# --- Terminate from the meter ---------------------------------------------------------


def _tamper(command: int, change: Callable[[bytes], bytes]) -> Callable[[Meter], None]:
    def apply(meter: Meter) -> None:
        def answer(command_id: int, payload: bytes) -> Command | None:
            if command_id == command:
                payload = change(payload)
            return meter.session.handle(command_id, payload)

        meter.answer = answer

    return apply


def _busy(meter: Meter) -> None:
    meter.answer = lambda _command, _payload: terminate(TerminateStatus.NO_RESOURCES)


def _other_ca(meter: Meter) -> None:
    other = CertificateAuthority.generate(issuer=b"OTHER-CA", scalar=scalars(31))
    meter.session = meter_session(other, other.issue(DEVICE_IEEE, scalar=scalars(32)))


def _expects_another_gateway(meter: Meter) -> None:
    session = meter.session
    meter.session = CbkeSession(
        initiator=False,
        credentials=session.credentials,
        partner_ieee=bytes.fromhex("000D6F00000000BB"),
        generate_times=session.generate_times,
    )


@pytest.mark.parametrize(
    ("status", "arrange", "sent"),
    [
        (TerminateStatus.UNKNOWN_ISSUER, _other_ca, [INITIATE]),
        (
            TerminateStatus.BAD_KEY_CONFIRM,
            _tamper(CONFIRM, lambda mac: bytes((mac[0] ^ 0x01,)) + mac[1:]),
            [INITIATE, EPHEMERAL, CONFIRM],
        ),
        (
            TerminateStatus.BAD_MESSAGE,
            _tamper(EPHEMERAL, lambda data: b"\x07" + data[1:]),
            [INITIATE, EPHEMERAL],
        ),
        (TerminateStatus.NO_RESOURCES, _busy, [INITIATE]),
        (
            TerminateStatus.UNSUPPORTED_SUITE,
            _tamper(INITIATE, lambda data: b"\x02\x00" + data[2:]),
            [INITIATE],
        ),
        (TerminateStatus.INVALID_CERTIFICATE, _expects_another_gateway, [INITIATE]),
    ],
)
async def test_a_terminate_from_the_meter_ends_the_exchange(
    meter: Meter,
    status: TerminateStatus,
    arrange: Callable[[Meter], None],
    sent: list[int],
) -> None:
    arrange(meter)
    outcome = await meter.establish()

    assert not outcome.established
    assert outcome.terminated_by_peer
    assert outcome.status == status
    assert outcome.reason == f"terminated by the device ({status.name})"
    meter.install.assert_not_awaited()
    # The gateway sends nothing after the meter's Terminate
    assert [command for _tsn, command, _ in meter.received] == sent
    assert meter.initiator.in_progress == frozenset()


# --- Stalls ---------------------------------------------------------------------------


async def test_a_meter_that_never_answers_stalls(meter: Meter) -> None:
    meter.answer = lambda _command, _payload: None
    started = time.monotonic()
    outcome = await meter.establish()
    assert outcome.stalled
    assert outcome.reason == "the device stalled"
    assert time.monotonic() - started >= MARGIN_S - 0.05
    meter.install.assert_not_awaited()


async def test_the_stall_timer_follows_the_time_the_meter_advertised(
    meter: Meter, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    # It advertises 1 s to generate its ephemeral data, then never sends it
    meter.session = meter_session(sim_ca, device_cert, generate_s=1)

    def initiate_only(command_id: int, payload: bytes) -> Command | None:
        reply = meter.session.handle(command_id, payload)
        return reply if command_id == INITIATE else None

    meter.answer = initiate_only
    started = time.monotonic()
    outcome = await meter.establish()
    waited = time.monotonic() - started

    assert outcome.stalled
    assert not outcome.established
    assert waited >= 1 + MARGIN_S - 0.05
    assert [command for _tsn, command, _ in meter.received] == [INITIATE, EPHEMERAL]
    meter.install.assert_not_awaited()


async def test_a_radio_that_refuses_the_key_fails_the_exchange(meter: Meter) -> None:
    meter.install.side_effect = RuntimeError("key table full")
    outcome = await meter.establish()
    assert not outcome.established
    assert outcome.link_key_refused
    assert outcome.status == TerminateStatus.NO_RESOURCES


# --- The responder while the gateway initiates ----------------------------------------


async def test_the_responder_is_busy_for_a_device_the_initiator_serves(
    gateway_credentials: LocalCredentials,
    sim_ca: CertificateAuthority,
    device_cert: IssuedCertificate,
) -> None:
    app = FakeApplication()
    device = app.add_device(meter_ieee(), t.NWK(0x4D4D))
    device.add_endpoint(METER_EP).profile_id = SE_PROFILE
    outcomes: list[Outcome] = []
    responder = KeyEstablishmentResponder(
        app,
        lambda: gateway_credentials,
        install_link_key=AsyncMock(),
        on_outcome=outcomes.append,
        is_busy=lambda ieee: ieee == meter_ieee(),
    )
    responder.start()
    try:
        initiate = CbkeSession(
            initiator=True,
            credentials=DeviceCredentials(
                device_cert.certificate, device_cert.private_key, sim_ca.public_key
            ),
            partner_ieee=GATEWAY_IEEE,
        ).initiate()
        responder.handle_message(
            device,
            SE_PROFILE,
            KE,
            METER_EP,
            DEFAULT_ENDPOINT_ID,
            zcl_frame(*initiate, server_to_client=False),
        )
        for _ in range(20):
            await asyncio.sleep(0)
    finally:
        responder.stop()

    (call,) = app.send_packet.mock_calls  # type: ignore[attr-defined]
    hdr, payload = foundation.ZCLHeader.deserialize(call.args[0].data.serialize())
    assert hdr.command_id == TERMINATE
    assert payload[0] == TerminateStatus.NO_RESOURCES
    assert outcomes == []
    assert responder.in_progress == frozenset()
