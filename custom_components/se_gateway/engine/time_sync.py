"""Time for Smart Energy clients, and why the gateway need not configure it.

SE clients read the Time cluster (0x000A) attributes ``time`` and
``time_status`` from the ESI. zigpy decodes such a read with the cluster
object of the device that sent it: the client's own Time output cluster. That
object is zigpy's ``Time`` cluster, whose read handlers answer:

- ``time``: the host's UTC clock as seconds since 2000-01-01 (SE UTCTime);
- ``time_status``: Master | Master_for_Zone_and_DST (0x05);
- ``time_zone``, ``standard_time`` and ``local_time`` from the host's zone.

The coordinator's own Time cluster is never involved, so there is nothing to
configure on it. A device that does not list Time among its output clusters
gets no answer: zigpy drops the read as addressed to an unknown cluster.

Is 0x05 acceptable? SE 1.x (105638 section 5.7.2, as Silicon Labs' SE
registration applies it) chooses a time server by rank: Master and
Superseding before Master alone, Master before neither, then the lower short
address; a server with neither the Master nor the Synchronized bit is never
chosen. zigpy's 0x05 has Master, so SE clients accept it. ZCL also says the
Synchronized bit is 0 whenever Master is 1, so Master | Synchronized (0x03)
would contradict itself. Without Superseding, a meter that sets Master |
Superseding outranks the gateway, which is right when the meter holds the
utility's time.
"""

from __future__ import annotations

from zigpy.zcl.clusters.general import TimeStatus


def is_usable_time_source(time_status: int) -> bool:
    """Return True if an SE client may take time from a server with this status."""
    return bool(time_status & (TimeStatus.Master | TimeStatus.Synchronized))


def time_source_rank(time_status: int, nwk: int) -> tuple[bool, bool, int]:
    """Return a sort key: the best SE time server has the largest key."""
    master = bool(time_status & TimeStatus.Master)
    superseding = bool(time_status & TimeStatus.Superseding)
    return master and superseding, master, -nwk
