"""A certified meter in responder mode: its Key Establishment server answers."""

from __future__ import annotations

import zigpy.types as t
from zigpy.zcl import foundation

from network_simulator.cbke import CbkeSession, DeviceCredentials
from network_simulator.certified import DEMO_CA, KE_CLUSTER, certified_meter
from network_simulator.certified.devices import CertifiedMeter
from network_simulator.device import Frame

SE_PROFILE = 0x0109
GATEWAY_EP = 0x5E
GATEWAY_IEEE = t.EUI64.convert("00:13:a2:00:41:5a:3c:01")
UNKNOWN_ISSUER = 0x01


def joined_meter(**hooks: object) -> tuple[CertifiedMeter, list[Frame]]:
    meter = certified_meter(responder=True, **hooks)  # type: ignore[arg-type]
    sent: list[Frame] = []
    meter.coordinator_ieee = GATEWAY_IEEE
    meter.nwk = t.NWK(0x2222)
    meter.transmit = lambda _device, frame: sent.append(frame)
    return meter, sent


def gateway_session(meter: CertifiedMeter) -> CbkeSession:
    issued = DEMO_CA.issue(bytes(GATEWAY_IEEE.serialize()[::-1]))
    return CbkeSession(
        initiator=True,
        credentials=DeviceCredentials(
            issued.certificate, issued.private_key, DEMO_CA.public_key
        ),
        partner_ieee=bytes(meter.ieee.serialize()[::-1]),
    )


def request(meter: CertifiedMeter, tsn: int, command: tuple[int, bytes]) -> None:
    hdr = foundation.ZCLHeader.cluster(
        tsn, command[0], direction=foundation.Direction.Client_to_Server
    )
    meter.receive((GATEWAY_EP, 1, KE_CLUSTER, SE_PROFILE, hdr.serialize() + command[1]))


def answer(sent: list[Frame], tsn: int) -> tuple[int, bytes]:
    src_ep, dst_ep, cluster, profile, data = sent[-1]
    assert (src_ep, dst_ep, cluster, profile) == (1, GATEWAY_EP, KE_CLUSTER, SE_PROFILE)
    hdr, payload = foundation.ZCLHeader.deserialize(data)
    assert hdr.direction == foundation.Direction.Server_to_Client
    assert hdr.tsn == tsn
    return int(hdr.command_id), bytes(payload)


def test_the_meter_answers_the_gateway_and_both_hold_the_key() -> None:
    meter, sent = joined_meter()
    meter.announce()
    # Its announcement, and no Match Descriptor: it does not look for an ESI
    assert sent
    assert all(frame[2] != 0x0006 for frame in sent)
    sent.clear()

    gateway = gateway_session(meter)
    command: tuple[int, bytes] | None = gateway.initiate()
    tsn = 0x30
    while command is not None:
        request(meter, tsn, command)
        command = gateway.handle(*answer(sent, tsn))
        tsn += 1

    assert len(sent) == 3
    assert gateway.link_key is not None
    assert meter.established
    assert meter.certification.link_key == gateway.link_key
    assert meter.certification.outcome == "established"
    assert meter.certification.esi_endpoint == GATEWAY_EP


def test_a_refusing_meter_answers_terminate() -> None:
    meter, sent = joined_meter(refuse_with=UNKNOWN_ISSUER)
    gateway = gateway_session(meter)
    request(meter, 0x40, gateway.initiate())

    assert gateway.handle(*answer(sent, 0x40)) is None
    assert gateway.terminate_status == UNKNOWN_ISSUER
    assert not meter.established
    assert meter.certification.terminate_status == UNKNOWN_ISSUER
    # Later requests of that exchange get nothing
    request(meter, 0x41, (0x01, bytes(22)))
    assert len(sent) == 1
