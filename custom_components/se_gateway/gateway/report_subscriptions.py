"""The attribute reports a user asked for with ``start_receiving_reports``.

The manual's ``start_receiving_reports_response`` answers that RPC: it is the
report of an attribute the user asked the device to report. So only those
reports become bus events. A ``ReportSubscription`` names one attribute of one
cluster of one device's endpoint; ``stop_receiving_reports`` removes it. The
gateway store keeps them across restarts.

``ReportSubscriptions`` answers "which attributes of this cluster were asked
for" with one dictionary look-up, so every other report (ZHA's own, a lock's
Basic cluster, ...) is dropped before it is decoded.

``ReportingConfiguration`` is a Configure Reporting record the gateway sent
(for the user's ``start_receiving_reports``, or its own for a 0x0109 meter)
with the time within which a report is expected; ``reporting_watch`` sends it
again when none came. ``ReportingConfigurations`` holds them, one per
attribute, and is kept in the gateway store beside the subscriptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
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


# --- Reporting configurations the gateway sent, and when to expect reports ----

# One attribute of one cluster: the cluster key and the attribute id.
type AttributeKey = tuple[t.EUI64, int, int, int, int]
# ZCL: a maximum interval of 0xFFFF stops periodic reports (and 0: none asked).
STOP_REPORTING_INTERVAL: Final = 0xFFFF
# Without a timeout of its own, a configuration expects a report within three
# maximum intervals: one report may be lost, or late, without a re-send.
DEFAULT_TIMEOUT_INTERVALS: Final = 3


def expected_timeout(max_interval: int, timeout_period: int = 0) -> int:
    """Return the seconds within which a report is expected; 0 for none.

    ``timeout_period`` (the manual's field, as in a direction 1 record) when
    given, else ``DEFAULT_TIMEOUT_INTERVALS`` times ``max_interval``; 0 when
    neither asks for periodic reports.
    """
    if timeout_period > 0:
        return timeout_period
    if 0 < max_interval < STOP_REPORTING_INTERVAL:
        return DEFAULT_TIMEOUT_INTERVALS * max_interval
    return 0


@dataclass(frozen=True, slots=True, order=True)
class ReportingConfiguration:
    """A Configure Reporting record the gateway sent, as it would send it again.

    ``timeout`` is the number of seconds within which a report of the attribute
    is expected (``expected_timeout``).
    """

    device_address: t.EUI64
    endpoint_id: int
    cluster_id: int
    server_or_client: int
    attribute_id: int
    attribute_type: int
    min_interval: int
    max_interval: int
    reportable_change: float
    timeout: int
    source_endpoint_id: int
    manufacturer_code: int | None = None
    aps_encryption: bool = False

    @property
    def cluster_key(self) -> ClusterKey:
        """Return the device, endpoint, cluster and side it belongs to."""
        return (
            self.device_address,
            self.endpoint_id,
            self.cluster_id,
            self.server_or_client,
        )

    @property
    def key(self) -> AttributeKey:
        """Return the attribute it configures (one configuration each)."""
        return (*self.cluster_key, self.attribute_id)

    def as_record(self) -> dict[str, Any]:
        """Return the record ``zcl_records.reporting_configs`` sends."""
        return {
            "direction": 0,
            "attribute_id": self.attribute_id,
            "attribute_type": self.attribute_type,
            "min_interval": self.min_interval,
            "max_interval": self.max_interval,
            "reportable_change": self.reportable_change,
        }

    def as_dict(self) -> dict[str, Any]:
        """Return the configuration for storage."""
        return {
            "device_address": str(self.device_address),
            "endpoint_id": self.endpoint_id,
            "cluster_id": self.cluster_id,
            "server_or_client": self.server_or_client,
            "attribute_id": self.attribute_id,
            "attribute_type": self.attribute_type,
            "min_interval": self.min_interval,
            "max_interval": self.max_interval,
            "reportable_change": self.reportable_change,
            "timeout": self.timeout,
            "source_endpoint_id": self.source_endpoint_id,
            "manufacturer_code": self.manufacturer_code,
            "aps_encryption": self.aps_encryption,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportingConfiguration:
        """Return a configuration from ``as_dict`` output."""
        ieee = parse_ieee(data["device_address"])
        if ieee is None:
            raise ValueError("Stored reporting configuration has a bad address")
        change = data["reportable_change"]
        if isinstance(change, bool) or not isinstance(change, int | float):
            raise TypeError("reportable_change is not a number")
        manufacturer = data.get("manufacturer_code")
        configuration = cls(
            ieee,
            int(data["endpoint_id"]),
            int(data["cluster_id"]),
            int(data["server_or_client"]),
            int(data["attribute_id"]),
            int(data["attribute_type"]),
            int(data["min_interval"]),
            int(data["max_interval"]),
            change,
            int(data["timeout"]),
            int(data["source_endpoint_id"]),
            None if manufacturer is None else int(manufacturer),
            bool(data.get("aps_encryption", False)),
        )
        if configuration.timeout < 0:
            raise ValueError("timeout is negative")
        return configuration


type ConfigurationsListener = Callable[[frozenset[ReportingConfiguration]], None]


class ReportingConfigurations:
    """The configurations, one per attribute, indexed by cluster.

    Replaced as a whole on a change; each listener then gets the
    configurations that are new or changed.
    """

    def __init__(self, configurations: Iterable[ReportingConfiguration] = ()) -> None:
        """Index ``configurations``."""
        self._by_key: dict[AttributeKey, ReportingConfiguration] = {}
        self._by_cluster: dict[ClusterKey, frozenset[int]] = {}
        self._listeners: list[ConfigurationsListener] = []
        self.replace(configurations)

    def replace(self, configurations: Iterable[ReportingConfiguration]) -> None:
        """Hold exactly ``configurations`` from now on (the last one per key)."""
        old = self._by_key
        self._by_key = {item.key: item for item in configurations}
        by_cluster: dict[ClusterKey, set[int]] = {}
        for item in self._by_key.values():
            by_cluster.setdefault(item.cluster_key, set()).add(item.attribute_id)
        self._by_cluster = {key: frozenset(ids) for key, ids in by_cluster.items()}
        changed = frozenset(
            item for key, item in self._by_key.items() if old.get(key) != item
        )
        if changed:
            for listener in list(self._listeners):
                listener(changed)

    def add_listener(self, listener: ConfigurationsListener) -> Callable[[], None]:
        """Call ``listener`` with the new or changed configurations of a change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def __iter__(self) -> Iterator[ReportingConfiguration]:
        """Iterate over the configurations, in a stable order."""
        return iter(sorted(self._by_key.values()))

    def __len__(self) -> int:
        """Return how many attributes are configured."""
        return len(self._by_key)

    @property
    def all(self) -> dict[AttributeKey, ReportingConfiguration]:
        """Return every configuration by its attribute (do not change it)."""
        return self._by_key

    def get(self, key: AttributeKey) -> ReportingConfiguration | None:
        """Return the configuration of one attribute, if any."""
        return self._by_key.get(key)

    def attributes(
        self, ieee: t.EUI64, endpoint_id: int, cluster_id: int, server_or_client: int
    ) -> frozenset[int]:
        """Return the ids of the configured attributes of one cluster."""
        return self._by_cluster.get(
            (ieee, endpoint_id, cluster_id, server_or_client), NONE
        )
