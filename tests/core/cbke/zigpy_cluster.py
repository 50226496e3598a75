"""Our Key Establishment cluster on a zigpy device, without the registry.

``se_gateway_core.quirks`` does not register the cluster yet, so the tests put
instances on an endpoint themselves: the server (input) side receives
client-to-server commands, the client (output) side server-to-client ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import zigpy.types as t
from zigpy.zcl import foundation

from se_gateway_core.clusters.key_establishment import KeyEstablishment
from tests.zigpy_app import FakeApplication

CLUSTER_ID = KeyEstablishment.cluster_id


@dataclass(frozen=True)
class Clusters:
    """Both sides of the cluster on one device."""

    server: KeyEstablishment
    client: KeyEstablishment

    def receiving(self, *, server_to_client: bool) -> KeyEstablishment:
        """Return the side that receives commands of that direction."""
        return self.client if server_to_client else self.server


def key_establishment_clusters(nwk: int = 0x1234) -> Clusters:
    app = FakeApplication()
    ieee = t.EUI64(nwk.to_bytes(2, "little") + b"\x00\x11\x22\x33\x44\x55")
    device = app.add_device(ieee, t.NWK(nwk))
    endpoint = device.add_endpoint(1)
    server = KeyEstablishment(endpoint, is_server=True)
    client = KeyEstablishment(endpoint, is_server=False)
    endpoint.add_input_cluster(CLUSTER_ID, server)
    endpoint.add_output_cluster(CLUSTER_ID, client)
    return Clusters(server=server, client=client)


def zcl_frame(
    command_id: int, payload: bytes, *, server_to_client: bool, tsn: int = 0x42
) -> bytes:
    """Return a cluster-specific ZCL frame: header and payload."""
    direction = (
        foundation.Direction.Server_to_Client
        if server_to_client
        else foundation.Direction.Client_to_Server
    )
    header = foundation.ZCLHeader.cluster(tsn, command_id, direction=direction)
    return header.serialize() + payload
