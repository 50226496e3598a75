"""The lock's zigpy device: acknowledges retransmitted reports again.

zigpy drops a packet identical to one received in the last 10 s before any
cluster sees it. A Tuya lock sends a report again, with the same sequence
numbers, when its Default Response got lost, so the retransmission is identical:
zigpy drops it and the lock never gets the acknowledgement it waits for. This
device sends the Default Response once more, without handling the frame again.
"""

from __future__ import annotations

from zhaquirks.device import CustomZigpyDevice
import zigpy.types as t
from zigpy.zcl import foundation

from .cluster import TUYA_LOCK_CLUSTER_ID


class TuyaLockDevice(CustomZigpyDevice):  # type: ignore[misc]
    """A Tuya lock: duplicates are dropped, but acknowledged."""

    def _should_filter_packet(self, packet: t.ZigbeePacket) -> bool:
        """Drop a duplicate as zigpy does, and acknowledge it if it asks for it."""
        duplicate: bool = super()._should_filter_packet(packet)
        if duplicate and packet.cluster_id == TUYA_LOCK_CLUSTER_ID:
            self._acknowledge_again(packet)
        return duplicate

    def _acknowledge_again(self, packet: t.ZigbeePacket) -> None:
        try:
            hdr, _ = foundation.ZCLHeader.deserialize(packet.data.serialize())
        except ValueError:
            return
        control = hdr.frame_control
        if not control.is_cluster or control.disable_default_response:
            return
        endpoint = self.endpoints.get(packet.src_ep)
        cluster = getattr(endpoint, "in_clusters", {}).get(TUYA_LOCK_CLUSTER_ID)
        if cluster is not None:
            cluster.send_default_rsp(hdr, foundation.Status.SUCCESS)
