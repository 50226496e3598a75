"""The Zigbee network's parameters, and which of them can change while it runs.

ZHA forms and owns the network. Its identity (extended PAN id, PAN id), the
channels it may use and its security level are fixed while it runs: changing
them means forming a new network, which every joined device would lose. The
channel can move while the network runs, but only through ZHA's own channel
change, which tells every device first.
"""

from __future__ import annotations

from typing import Any, Final

from zigpy.application import ControllerApplication

FIXED_WHILE_LIVE: Final = ("extended_pan_id", "pan_id", "channel_mask")
CHANGED_THROUGH_ZHA: Final = ("channel",)


def network_record(app: ControllerApplication) -> dict[str, Any]:
    """Return the network's current parameters."""
    network = app.state.network_info
    node = app.state.node_info
    return {
        "extended_pan_id": str(network.extended_pan_id),
        "pan_id": int(network.pan_id),
        "channel": int(network.channel),
        "channel_mask": int(network.channel_mask),
        "nwk_update_id": int(network.nwk_update_id),
        "security_level": int(network.security_level),
        "coordinator_address": str(node.ieee),
        "coordinator_nwk_addr": int(node.nwk),
        "fixed_while_live": list(FIXED_WHILE_LIVE),
        "changed_through_zha": list(CHANGED_THROUGH_ZHA),
    }
