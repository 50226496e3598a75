"""What a certified Smart Energy device does on the network: CBKE and APS security.

After joining it finds the ESI (ZDO Match Descriptor on profile 0x0109), runs
CBKE as the initiator with the endpoint that answered, leaves the network if
CBKE fails, and once it has a link key sends its Smart Energy frames
APS-encrypted with it (and, in strict mode, drops those that did not come
encrypted with it). In responder mode (``Certification.responder``, a meter
that is its own ESI) it looks for no ESI and starts nothing: its Key
Establishment server answers the trust centre's Initiate as responder, from
the endpoint the request came from, with the request's sequence number.
``Certification`` holds that state; ``CertifiedMixin`` adds the behaviour to a
Smart Energy device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import logging
from typing import Final, override

import zigpy.types as t
from zigpy.zcl import foundation
from zigpy.zcl.clusters.smartenergy import KeyEstablishment
import zigpy.zdo.types as zdo_t

from se_gateway_core.clusters.profile import SMART_ENERGY_PROFILE_ID

from ..cbke import CbkeSession, DeviceCredentials
from ..cbke.session import terminate
from ..device import ZDO_ENDPOINT, ZDO_PROFILE, Frame
from ..se_device import SE_ENDPOINT, SmartEnergyDevice

_LOGGER = logging.getLogger(__name__)

KE_CLUSTER: Final = KeyEstablishment.cluster_id
SE_CLUSTERS: Final = range(0x0700, 0x0800)
KE_INITIATE: Final = 0x00
KE_CONFIRM: Final = 0x02
KE_TERMINATE: Final = 0x03
RESPONSE_TIMEOUT_S: Final = 5.0
# Seconds between a failed key establishment and leaving the network
LEAVE_DELAY_S: Final = 1.0


@dataclass
class Certification:
    """A device's CBKE state. ``outcome``: pending, established or why it left."""

    credentials: DeviceCredentials
    strict: bool = True
    match_clusters: tuple[int, ...] = (KE_CLUSTER,)
    response_timeout_s: float = RESPONSE_TIMEOUT_S
    corrupt_mac: bool = False  # test hook: MACU with one bit flipped
    stall_after_initiate: bool = False  # test hook: never send Ephemeral Data
    # Responder mode: no ESI search, no Initiate; the Key Establishment server
    # answers the trust centre's Initiate as responder
    responder: bool = False
    refuse_with: int | None = None  # test hook (responder): Terminate status
    esi_endpoint: int | None = None
    link_key: bytes | None = field(default=None, repr=False)
    session: CbkeSession | None = field(default=None, repr=False)
    outcome: str = "pending"
    terminate_status: int | None = None
    deadline: float | None = None
    leave_at: float | None = None
    dropped_unencrypted: int = 0
    started_at: float | None = None
    established_in_s: float | None = None

    def reset(self) -> None:
        """Forget the last exchange (the device joins again)."""
        self.esi_endpoint = None
        self.link_key = None
        self.session = None
        self.outcome = "pending"
        self.terminate_status = None
        self.deadline = None
        self.leave_at = None
        self.started_at = None
        self.established_in_s = None


class CertifiedMixin(SmartEnergyDevice):
    """CBKE, the ESI search and APS security for a Smart Energy device.

    Mixed in before the device's own class; ``certification`` holds the state.
    """

    certification: Certification

    @property
    def established(self) -> bool:
        """Return True once CBKE gave the device a link key."""
        return self.certification.link_key is not None

    # --- Joining -------------------------------------------------------------------

    @override
    def announce(self) -> None:
        """Announce, then look for the ESI."""
        super().announce()
        cert = self.certification
        cert.reset()
        cert.started_at = self.clock()
        if not cert.responder:
            self._find_esi()

    def _find_esi(self) -> None:
        cert = self.certification
        payload = t.serialize(
            [
                t.NWK(0x0000),
                t.uint16_t(SMART_ENERGY_PROFILE_ID),
                t.LVList[t.uint16_t, t.uint8_t](cert.match_clusters),
                t.LVList[t.uint16_t, t.uint8_t]([]),
            ],
            [
                t.NWK,
                t.uint16_t,
                t.LVList[t.uint16_t, t.uint8_t],
                t.LVList[t.uint16_t, t.uint8_t],
            ],
        )
        cert.deadline = self.clock() + cert.response_timeout_s
        self.send(
            (
                ZDO_ENDPOINT,
                ZDO_ENDPOINT,
                zdo_t.ZDOCmd.Match_Desc_req,
                ZDO_PROFILE,
                bytes([self.next_tsn()]) + payload,
            )
        )

    def leave(self, outcome: str) -> None:
        """Leave the network (CBKE failed)."""
        cert = self.certification
        cert.outcome = outcome
        cert.deadline = None
        _LOGGER.info("%s leaves the network: %s", self.ieee, outcome)
        self.nwk = None

    @override
    def tick(self, now: float) -> None:
        """Wait for CBKE; start as an SE device only once it succeeded."""
        cert = self.certification
        if not self.on_air:
            return
        if not self.established:
            if cert.leave_at is not None and now >= cert.leave_at:
                self.leave(cert.outcome)
            elif cert.deadline is not None and now > cert.deadline:
                self.leave("timeout")
            return
        super().tick(now)

    # --- Receiving -------------------------------------------------------------------

    @override
    def receive_secured(self, frame: Frame, aps_key: bytes | None) -> None:
        """Drop unencrypted Smart Energy frames in strict mode."""
        cert = self.certification
        _src_ep, dst_ep, cluster_id, _profile, _data = frame
        if (
            cert.strict
            and dst_ep != ZDO_ENDPOINT
            and cluster_id in SE_CLUSTERS
            and (aps_key is None or aps_key != cert.link_key)
        ):
            cert.dropped_unencrypted += 1
            _LOGGER.debug(
                "%s dropped a Smart Energy frame (cluster 0x%04X) that was not"
                " APS-encrypted with its link key",
                self.ieee,
                cluster_id,
            )
            return
        self.receive(frame)

    @override
    def receive(self, frame: Frame) -> None:
        """Take Match Descriptor answers and Key Establishment frames."""
        src_ep, dst_ep, cluster_id, _profile_id, data = frame
        if dst_ep == ZDO_ENDPOINT and cluster_id == zdo_t.ZDOCmd.Match_Desc_rsp:
            self.received.append(frame)
            self._on_match_desc_rsp(data)
            return
        if dst_ep != ZDO_ENDPOINT and cluster_id == KE_CLUSTER:
            self.received.append(frame)
            if self.certification.responder:
                self._on_key_establishment_request(src_ep, data)
            else:
                self._on_key_establishment(data)
            return
        super().receive(frame)

    def _on_match_desc_rsp(self, data: bytes) -> None:
        cert = self.certification
        if cert.esi_endpoint is not None or len(data) < 5:
            return
        status, endpoints = data[1], list(data[5 : 5 + data[4]])
        if status != zdo_t.Status.SUCCESS or not endpoints:
            return  # not the ESI: wait for another answer, or time out
        cert.esi_endpoint = endpoints[0]
        cert.session = CbkeSession(
            initiator=True,
            credentials=cert.credentials,
            partner_ieee=bytes(self.coordinator_ieee_be()),
        )
        command_id, payload = cert.session.initiate()
        self._send_ke(command_id, payload)

    def coordinator_ieee_be(self) -> bytes:
        """Return the trust centre's IEEE address, big-endian."""
        assert self.coordinator_ieee is not None
        return bytes(self.coordinator_ieee.serialize()[::-1])

    def _on_key_establishment(self, data: bytes) -> None:
        cert = self.certification
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(data)
        except ValueError:
            return
        if hdr.direction != foundation.Direction.Server_to_Client:
            return
        session = cert.session
        if session is None or cert.outcome != "pending":
            return
        reply = session.handle(hdr.command_id, bytes(payload))
        if reply is not None:
            command_id, body = reply
            if command_id == KE_CONFIRM and cert.corrupt_mac:
                body = bytes((body[0] ^ 0x01,)) + body[1:]
            if command_id == KE_INITIATE or not cert.stall_after_initiate:
                self._send_ke(command_id, body)
        if session.link_key is not None:
            cert.link_key = session.link_key
            cert.outcome = "established"
            cert.deadline = None
            if cert.started_at is not None:
                cert.established_in_s = self.clock() - cert.started_at
            _LOGGER.info("%s established a link key with the trust centre", self.ieee)
        elif session.terminate_status is not None:
            cert.terminate_status = session.terminate_status
            cert.outcome = f"terminated (status {session.terminate_status})"
            cert.deadline = None
            cert.leave_at = self.clock() + LEAVE_DELAY_S
        else:
            cert.deadline = self.clock() + 2 + cert.response_timeout_s

    def _on_key_establishment_request(self, src_ep: int, data: bytes) -> None:
        """Answer the trust centre's Key Establishment requests (responder mode)."""
        cert = self.certification
        try:
            hdr, payload = foundation.ZCLHeader.deserialize(data)
        except ValueError:
            return
        if hdr.direction != foundation.Direction.Client_to_Server:
            return
        command_id = int(hdr.command_id)
        if command_id == KE_INITIATE and cert.link_key is None:
            cert.esi_endpoint = src_ep
            cert.outcome = "pending"
            cert.terminate_status = None
            cert.session = CbkeSession(
                initiator=False,
                credentials=cert.credentials,
                partner_ieee=bytes(self.coordinator_ieee_be()),
            )
            if cert.refuse_with is not None:
                cert.session = None
                cert.terminate_status = cert.refuse_with
                cert.outcome = f"terminated (status {cert.refuse_with})"
                self._answer_ke(src_ep, hdr.tsn, terminate(cert.refuse_with))
                return
        session = cert.session
        if session is None or cert.outcome != "pending":
            return
        reply = session.handle(command_id, bytes(payload))
        if reply is not None:
            self._answer_ke(src_ep, hdr.tsn, reply)
        if session.link_key is not None:
            cert.link_key = session.link_key
            cert.outcome = "established"
            if cert.started_at is not None:
                cert.established_in_s = self.clock() - cert.started_at
            _LOGGER.info("%s established a link key with the trust centre", self.ieee)
        elif session.terminate_status is not None:
            cert.terminate_status = session.terminate_status
            cert.outcome = f"terminated (status {session.terminate_status})"

    def _answer_ke(self, dst_ep: int, tsn: int, command: tuple[int, bytes]) -> None:
        command_id, payload = command
        hdr = foundation.ZCLHeader.cluster(
            tsn, command_id, direction=foundation.Direction.Server_to_Client
        )
        self.send(
            (
                SE_ENDPOINT,
                dst_ep,
                KE_CLUSTER,
                SMART_ENERGY_PROFILE_ID,
                hdr.serialize() + payload,
            )
        )

    def _send_ke(self, command_id: int, payload: bytes) -> None:
        cert = self.certification
        assert cert.esi_endpoint is not None
        hdr = foundation.ZCLHeader.cluster(
            self.next_tsn(), command_id, direction=foundation.Direction.Client_to_Server
        )
        cert.deadline = self.clock() + 2 + cert.response_timeout_s
        self.send(
            (
                SE_ENDPOINT,
                cert.esi_endpoint,
                KE_CLUSTER,
                SMART_ENERGY_PROFILE_ID,
                hdr.serialize() + payload,
            )
        )

    # --- Sending ----------------------------------------------------------------------

    @override
    def aps_key_for(self, frame: Frame) -> bytes | None:
        """Encrypt Smart Energy frames with the link key once established."""
        if frame[2] in SE_CLUSTERS and frame[1] != ZDO_ENDPOINT:
            return self.certification.link_key
        return None

    @override
    def _bound_endpoint(self, endpoint_id: int, cluster_id: int) -> int:
        """Send to a binding's endpoint, else to the ESI's."""
        for binding in self.bindings:
            if binding.src_ep == endpoint_id and binding.cluster_id == cluster_id:
                return binding.dst_ep
        return self.certification.esi_endpoint or 1
