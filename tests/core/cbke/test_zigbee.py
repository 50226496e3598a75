"""The gateway as Key Establishment responder on zigpy (radio mocked).

The device's side is the simulator's independent CBKE (``network_simulator
.cbke.CbkeSession``). Terminate statuses and the generate times a device
advertises are those of ZigBee SE 1.x, 07-5356 Annex C.3 (Key Establishment
cluster: Initiate Key Establishment Request carries "Ephemeral Data Generate
Time" and "Confirm Key Generate Time" in seconds; Terminate Key Establishment
statuses 1 UNKNOWN_ISSUER ... 6 INVALID_CERTIFICATE).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
import logging
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
from se_gateway_core.cbke import LocalCredentials, TerminateStatus
from se_gateway_core.cbke.zigbee import (
    DEFAULT_ENDPOINT_ID,
    KeyEstablishmentResponder,
    Outcome,
)
from tests.zigpy_app import FakeApplication

from .conftest import DEVICE_IEEE, GATEWAY_IEEE, scalars
from .zigpy_cluster import zcl_frame

KE = 0x0800
SE_PROFILE = 0x0109
DEVICE_EP = 0x0A
INITIATE, EPHEMERAL, CONFIRM, TERMINATE = 0, 1, 2, 3
# Margin after the advertised time, small so that stalls end quickly here
MARGIN_S = 0.2


@dataclass
class Harness:
    """A responder on a fake application, and one device talking to it."""

    app: FakeApplication
    device: zigpy.device.Device
    responder: KeyEstablishmentResponder
    install: AsyncMock
    outcomes: list[Outcome] = field(default_factory=list)
    tsn: int = 0x10

    def send(self, command_id: int, payload: bytes, **kwargs: object) -> None:
        """Hand the device's command to the responder as zigpy would."""
        self.tsn += 1
        frame = zcl_frame(command_id, payload, server_to_client=False, tsn=self.tsn)
        self.responder.handle_message(
            self.device,
            int(kwargs.get("profile", SE_PROFILE)),  # type: ignore[call-overload]
            int(kwargs.get("cluster", KE)),  # type: ignore[call-overload]
            int(kwargs.get("src_ep", DEVICE_EP)),  # type: ignore[call-overload]
            DEFAULT_ENDPOINT_ID,
            frame,
        )

    async def settle(self) -> None:
        """Let the responder handle everything it was given."""
        for _ in range(100):
            if not self.responder._tasks:
                return
            await asyncio.sleep(0)
        raise AssertionError("the responder did not settle")

    def sent(self) -> list[tuple[int, int, bytes]]:
        """Return (tsn, command id, payload) of each frame the gateway sent."""
        frames = []
        for call in self.app.send_packet.mock_calls:  # type: ignore[attr-defined]
            packet: t.ZigbeePacket = call.args[0]
            assert packet.cluster_id == KE
            assert packet.profile_id == SE_PROFILE
            assert packet.src_ep == DEFAULT_ENDPOINT_ID
            assert packet.dst_ep == DEVICE_EP
            hdr, payload = foundation.ZCLHeader.deserialize(packet.data.serialize())
            assert hdr.direction == foundation.Direction.Server_to_Client
            assert hdr.frame_control.is_cluster
            frames.append((hdr.tsn, int(hdr.command_id), bytes(payload)))
        return frames

    async def exchange(self, session: CbkeSession, *, until: int = CONFIRM) -> None:
        """Run the device's side until it has sent command ``until``."""
        command: tuple[int, bytes] | None = session.initiate()
        while command is not None:
            self.send(*command)
            await self.settle()
            if command[0] == until:
                return
            _tsn, command_id, payload = self.sent()[-1]
            command = session.handle(command_id, payload)


def device_ieee() -> t.EUI64:
    return t.EUI64(DEVICE_IEEE[::-1])


@pytest.fixture
def gateway_credentials(
    sim_ca: CertificateAuthority, gateway_cert: IssuedCertificate
) -> LocalCredentials:
    return LocalCredentials(
        gateway_cert.certificate, gateway_cert.private_key, sim_ca.public_key
    )


def device_session(
    ca: CertificateAuthority, issued: IssuedCertificate, generate_s: int = 0
) -> CbkeSession:
    return CbkeSession(
        initiator=True,
        credentials=DeviceCredentials(
            issued.certificate, issued.private_key, ca.public_key
        ),
        partner_ieee=GATEWAY_IEEE,
        generate_times=(generate_s, generate_s),
    )


@pytest.fixture
def harness(gateway_credentials: LocalCredentials) -> Iterator[Harness]:
    app = FakeApplication()
    device = app.add_device(device_ieee(), 0x3C3C)
    endpoint = device.add_endpoint(DEVICE_EP)
    endpoint.profile_id = SE_PROFILE
    install = AsyncMock()
    outcomes: list[Outcome] = []
    credentials: list[LocalCredentials | None] = [gateway_credentials]
    responder = KeyEstablishmentResponder(
        app,
        lambda: credentials[0],
        install_link_key=install,
        on_outcome=outcomes.append,
        stall_margin_s=MARGIN_S,
    )
    responder.start()
    h = Harness(app, device, responder, install, outcomes)
    h.credentials = credentials  # type: ignore[attr-defined]
    yield h
    responder.stop()


# --- Success ------------------------------------------------------------------------


async def test_an_exchange_gives_the_radio_the_key_before_the_last_answer(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    session = device_session(sim_ca, device_cert)
    order: list[str] = []
    harness.install.side_effect = lambda *_: order.append("installed")
    harness.app.send_packet.side_effect = lambda p: order.append(  # type: ignore[attr-defined]
        f"sent {p.data.serialize()[2]}"
    )
    await harness.exchange(session)
    _tsn, command_id, payload = harness.sent()[-1]
    assert session.handle(command_id, payload) is None

    assert session.link_key is not None
    harness.install.assert_awaited_once_with(device_ieee(), session.link_key)
    assert order == ["sent 0", "sent 1", "installed", "sent 2"]
    # Each answer carries the request's sequence number
    assert [tsn for tsn, _, _ in harness.sent()] == [0x11, 0x12, 0x13]
    (outcome,) = harness.outcomes
    assert outcome.established
    assert outcome.reason == "established"
    assert outcome.status is None
    assert harness.responder.in_progress == frozenset()


# --- Refusals -----------------------------------------------------------------------


def terminate_status(harness: Harness) -> int:
    _tsn, command_id, payload = harness.sent()[-1]
    assert command_id == TERMINATE
    assert len(payload) == 4  # status, wait time, suite (Annex C.3.1.2.3)
    return payload[0]


async def test_a_certificate_of_another_ca_is_unknown_issuer(
    harness: Harness,
) -> None:
    other = CertificateAuthority.generate(issuer=b"OTHER-CA", scalar=scalars(21))
    session = device_session(other, other.issue(DEVICE_IEEE, scalar=scalars(22)))
    await harness.exchange(session, until=INITIATE)

    assert terminate_status(harness) == TerminateStatus.UNKNOWN_ISSUER
    (outcome,) = harness.outcomes
    assert not outcome.established
    assert outcome.status == TerminateStatus.UNKNOWN_ISSUER
    assert outcome.reason == "UNKNOWN_ISSUER"
    harness.install.assert_not_awaited()


async def test_a_certificate_for_another_device_is_invalid(
    harness: Harness, sim_ca: CertificateAuthority, gateway_cert: IssuedCertificate
) -> None:
    # The gateway's own certificate, presented by the device
    session = device_session(sim_ca, gateway_cert)
    await harness.exchange(session, until=INITIATE)
    assert terminate_status(harness) == TerminateStatus.INVALID_CERTIFICATE
    assert harness.outcomes[0].status == TerminateStatus.INVALID_CERTIFICATE


async def test_a_wrong_mac_is_bad_key_confirm_and_stores_nothing(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    session = device_session(sim_ca, device_cert)
    await harness.exchange(session, until=EPHEMERAL)
    _tsn, command_id, payload = harness.sent()[-1]
    reply = session.handle(command_id, payload)
    assert reply is not None
    confirm_id, mac = reply
    harness.send(confirm_id, bytes((mac[0] ^ 0x01,)) + mac[1:])
    await harness.settle()

    assert terminate_status(harness) == TerminateStatus.BAD_KEY_CONFIRM
    (outcome,) = harness.outcomes
    assert outcome.status == TerminateStatus.BAD_KEY_CONFIRM
    harness.install.assert_not_awaited()


async def test_no_certificate_is_no_resources(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    harness.credentials[0] = None  # type: ignore[attr-defined]
    await harness.exchange(device_session(sim_ca, device_cert), until=INITIATE)

    assert terminate_status(harness) == TerminateStatus.NO_RESOURCES
    (outcome,) = harness.outcomes
    assert outcome.no_credentials
    assert outcome.reason == "no certificate installed"
    assert harness.responder.in_progress == frozenset()


async def test_a_radio_that_refuses_the_key_gives_no_resources(
    harness: Harness,
    sim_ca: CertificateAuthority,
    device_cert: IssuedCertificate,
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness.install.side_effect = RuntimeError("key table full")
    session = device_session(sim_ca, device_cert)
    await harness.exchange(session)

    assert terminate_status(harness) == TerminateStatus.NO_RESOURCES
    (outcome,) = harness.outcomes
    assert outcome.link_key_refused
    assert outcome.reason == "the radio did not take the link key"
    assert "key table full" in caplog.text
    assert harness.responder.in_progress == frozenset()


async def test_a_command_outside_an_exchange_is_bad_message(
    harness: Harness,
) -> None:
    harness.send(EPHEMERAL, b"\x02" * 22)
    await harness.settle()
    assert terminate_status(harness) == TerminateStatus.BAD_MESSAGE
    assert harness.outcomes == []

    # A Terminate outside an exchange gets no answer
    harness.send(TERMINATE, bytes((TerminateStatus.BAD_MESSAGE, 10, 1, 0)))
    await harness.settle()
    assert len(harness.sent()) == 1


async def test_a_terminate_from_the_device_ends_the_exchange(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    await harness.exchange(device_session(sim_ca, device_cert), until=INITIATE)
    harness.send(TERMINATE, bytes((TerminateStatus.NO_RESOURCES, 10, 1, 0)))
    await harness.settle()

    (outcome,) = harness.outcomes
    assert outcome.terminated_by_peer
    assert outcome.status == TerminateStatus.NO_RESOURCES
    assert outcome.reason == "terminated by the device (NO_RESOURCES)"
    assert len(harness.sent()) == 1  # our Initiate response only


async def test_a_new_initiate_restarts_the_exchange(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    await harness.exchange(device_session(sim_ca, device_cert), until=EPHEMERAL)
    session = device_session(sim_ca, device_cert)
    await harness.exchange(session)
    _tsn, command_id, payload = harness.sent()[-1]
    session.handle(command_id, payload)

    assert session.link_key is not None
    assert [o.established for o in harness.outcomes] == [True]
    harness.install.assert_awaited_once_with(device_ieee(), session.link_key)


# --- Stalls -------------------------------------------------------------------------


@pytest.mark.parametrize("until", [INITIATE, EPHEMERAL])
async def test_a_stalled_device_is_refused_after_its_time_and_the_margin(
    harness: Harness,
    sim_ca: CertificateAuthority,
    device_cert: IssuedCertificate,
    until: int,
) -> None:
    advertised_s = 1
    loop = asyncio.get_running_loop()
    await harness.exchange(
        device_session(sim_ca, device_cert, advertised_s), until=until
    )
    last_answer = loop.time()
    assert harness.responder.in_progress == {device_ieee()}

    await asyncio.sleep(advertised_s + MARGIN_S - 0.1)
    assert harness.outcomes == []
    await asyncio.sleep(0.3)

    (outcome,) = harness.outcomes
    assert outcome.stalled
    assert not outcome.established
    assert outcome.reason == "the device stalled"
    assert outcome.duration_s >= advertised_s + MARGIN_S - 0.05
    assert loop.time() - last_answer >= advertised_s + MARGIN_S
    assert harness.responder.in_progress == frozenset()
    harness.install.assert_not_awaited()
    # Its late command is outside any exchange now
    harness.send(CONFIRM, b"\x00" * 16)
    await harness.settle()
    assert terminate_status(harness) == TerminateStatus.BAD_MESSAGE


# --- What is not ours ---------------------------------------------------------------


async def test_frames_that_are_not_key_establishment_requests_are_ignored(
    harness: Harness,
) -> None:
    initiate = zcl_frame(INITIATE, b"\x01\x00", server_to_client=False)
    answer = zcl_frame(INITIATE, b"\x01\x00", server_to_client=True)
    read = foundation.ZCLHeader.general(1, foundation.GeneralCommand.Read_Attributes)
    for cluster, src_ep, frame in [
        (0x0702, DEVICE_EP, initiate),  # another cluster
        (KE, 0, initiate),  # ZDO endpoint
        (KE, DEVICE_EP, b"\x01"),  # no ZCL header
        (KE, DEVICE_EP, answer),  # server to client
        (KE, DEVICE_EP, read.serialize() + b"\x00\x00"),  # global command
    ]:
        harness.responder.handle_message(
            harness.device, SE_PROFILE, cluster, src_ep, DEFAULT_ENDPOINT_ID, frame
        )
    await harness.settle()
    assert harness.sent() == []
    assert harness.outcomes == []


async def test_answers_use_the_endpoints_profile(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    # zigpy hands over an uninterviewed device's frame with its profile; the
    # endpoint's, once known, wins (here both 0x0109)
    harness.send(
        INITIATE, device_session(sim_ca, device_cert).initiate()[1], profile=0x0104
    )
    await harness.settle()
    assert harness.sent()[0][1] == INITIATE


async def test_a_failed_send_is_logged(
    harness: Harness,
    sim_ca: CertificateAuthority,
    device_cert: IssuedCertificate,
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness.device.request = AsyncMock(side_effect=OSError("no route"))  # type: ignore[method-assign]
    caplog.set_level(logging.WARNING)
    await harness.exchange(device_session(sim_ca, device_cert), until=INITIATE)
    assert "Could not send InitiateKeyEstablishment" in caplog.text
    assert harness.responder.in_progress == {device_ieee()}


async def test_stop_drops_exchanges_in_progress(
    harness: Harness, sim_ca: CertificateAuthority, device_cert: IssuedCertificate
) -> None:
    await harness.exchange(device_session(sim_ca, device_cert), until=INITIATE)
    deadline = harness.responder._sessions[device_ieee()].deadline
    assert deadline is not None
    harness.responder.stop()
    assert harness.responder.in_progress == frozenset()
    assert deadline.cancelled()


def test_reasons_name_unknown_statuses() -> None:
    ieee = device_ieee()
    assert Outcome(ieee, established=False, status=0x7F).reason == "status 0x7f"
    assert Outcome(ieee, established=False).reason == "none"
    assert (
        Outcome(ieee, established=False, status=2, terminated_by_peer=True).reason
        == "terminated by the device (BAD_KEY_CONFIRM)"
    )
