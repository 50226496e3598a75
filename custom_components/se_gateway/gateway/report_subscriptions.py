"""The attribute reports a user asked for with ``start_receiving_reports``.

The manual's ``start_receiving_reports_response`` answers that RPC: it is the
report of an attribute the user asked the device to report. So only those
reports become bus events. A ``ReportSubscription`` names one attribute of one
cluster of one device's endpoint; ``stop_receiving_reports`` removes it. The
gateway store keeps them across restarts.

``ReportSubscriptions`` answers "which attributes of this cluster were asked
for" with one dictionary look-up, so every other report (ZHA's own, a lock's
Basic cluster, ...) is dropped before it is decoded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import zigpy.types as t

from .aliases import parse_ieee

NONE: Final[frozenset[int]] = frozenset()

# device, its endpoint, the cluster and its side (0 server, 1 client).
type ClusterKey = tuple[t.EUI64, int, int, int]


@dataclass(frozen=True, slots=True, order=True)
class ReportSubscription:
    """One attribute whose reports the user asked for."""

    device_address: t.EUI64
    endpoint_id: int
    cluster_id: int
    server_or_client: int
    attribute_id: int

    @property
    def cluster_key(self) -> ClusterKey:
        """Return the device, endpoint, cluster and side it belongs to."""
        return (
            self.device_address,
            self.endpoint_id,
            self.cluster_id,
            self.server_or_client,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the subscription for storage."""
        return {
            "device_address": str(self.device_address),
            "endpoint_id": self.endpoint_id,
            "cluster_id": self.cluster_id,
            "server_or_client": self.server_or_client,
            "attribute_id": self.attribute_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportSubscription:
        """Return a subscription from ``as_dict`` output."""
        ieee = parse_ieee(data["device_address"])
        if ieee is None:
            raise ValueError("Stored report subscription has a bad address")
        return cls(
            ieee,
            int(data["endpoint_id"]),
            int(data["cluster_id"]),
            int(data["server_or_client"]),
            int(data["attribute_id"]),
        )


class ReportSubscriptions:
    """The subscriptions, indexed by cluster; replaced as a whole on a change."""

    def __init__(self, subscriptions: Iterable[ReportSubscription] = ()) -> None:
        """Index ``subscriptions``."""
        self._all: frozenset[ReportSubscription] = frozenset()
        self._by_cluster: dict[ClusterKey, frozenset[int]] = {}
        self.replace(subscriptions)

    def replace(self, subscriptions: Iterable[ReportSubscription]) -> None:
        """Hold exactly ``subscriptions`` from now on."""
        self._all = frozenset(subscriptions)
        by_cluster: dict[ClusterKey, set[int]] = {}
        for subscription in self._all:
            by_cluster.setdefault(subscription.cluster_key, set()).add(
                subscription.attribute_id
            )
        self._by_cluster = {key: frozenset(ids) for key, ids in by_cluster.items()}

    def __iter__(self) -> Any:
        """Iterate over the subscriptions, in a stable order."""
        return iter(sorted(self._all))

    def __len__(self) -> int:
        """Return how many attributes are subscribed."""
        return len(self._all)

    def __contains__(self, subscription: object) -> bool:
        """Return True if ``subscription`` is held."""
        return subscription in self._all

    @property
    def all(self) -> frozenset[ReportSubscription]:
        """Return every subscription."""
        return self._all

    def attributes(
        self, ieee: t.EUI64, endpoint_id: int, cluster_id: int, server_or_client: int
    ) -> frozenset[int]:
        """Return the ids of the subscribed attributes of one cluster."""
        return self._by_cluster.get(
            (ieee, endpoint_id, cluster_id, server_or_client), NONE
        )
