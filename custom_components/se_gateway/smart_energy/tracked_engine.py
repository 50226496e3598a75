"""The gateway engine, telling when a call changes its state.

Whoever holds the engine (the runtime, the services, the entities) calls the
same ``GatewayEngine`` methods; each call that changes the event tables or
the client role's lists calls ``on_change`` when it starts and again when it
is done. The save that ``on_change`` schedules reads the state when it
writes, and the engine stores an event before it sends it anywhere: a save
during a fan-out (Home Assistant stopping, the entry unloading) already holds
the event. What remote devices change arrives as notifications, which the
runtime follows itself.

``on_result`` gets the ``SendResult`` of every fan-out and resend, so the
runtime can count the transmissions that failed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import zigpy.types as t
from zigpy.zcl.foundation import Status

from ..engine import (
    CancelAllDrlcEvents,
    CancelDrlcEvent,
    CancelMessage,
    DeviceRef,
    DrlcEvent,
    GatewayEngine,
    MessageEvent,
    PriceEvent,
    SendResult,
)


class TrackedEngine(GatewayEngine):
    """A ``GatewayEngine`` that calls ``on_change`` around every change."""

    def __init__(
        self,
        on_change: Callable[[], None],
        on_result: Callable[[SendResult], None] = lambda _result: None,
        **kwargs: Any,
    ) -> None:
        """Create the engine; ``kwargs`` go to ``GatewayEngine``."""
        super().__init__(**kwargs)
        self._on_change = on_change
        self._on_result = on_result

    def state_changed(self) -> None:
        """Tell the owner that the state changed some other way: save, redraw."""
        self._on_change()

    async def _changing[T](self, call: Awaitable[T]) -> T:
        self._on_change()
        try:
            return self._told(await call)
        finally:
            self._on_change()

    def _told[T](self, result: T) -> T:
        if isinstance(result, SendResult):
            self._on_result(result)
        return result

    def _changed[T](self, result: T) -> T:
        self._on_change()
        return result

    async def create_price_event(self, record: PriceEvent) -> SendResult:
        """Store a price and publish it to every price client now."""
        return await self._changing(super().create_price_event(record))

    def cancel_price_event(self, issuer_event_id: int) -> SendResult:
        """Forget a price."""
        return self._changed(super().cancel_price_event(issuer_event_id))

    def cancel_all_price_events(self) -> SendResult:
        """Forget every price."""
        return self._changed(super().cancel_all_price_events())

    async def clear_received_price_events(self) -> int:
        """Forget the prices servers sent."""
        return await self._changing(super().clear_received_price_events())

    async def create_drlc_event(self, record: DrlcEvent) -> SendResult:
        """Store a load control event and send it to the clients it addresses."""
        return await self._changing(super().create_drlc_event(record))

    async def cancel_drlc_event(self, record: CancelDrlcEvent) -> SendResult:
        """Cancel a load control event and tell the clients it addresses."""
        return await self._changing(super().cancel_drlc_event(record))

    async def cancel_all_drlc_events(
        self, record: CancelAllDrlcEvents | None = None
    ) -> SendResult:
        """Cancel every load control event and tell every DRLC client."""
        return await self._changing(super().cancel_all_drlc_events(record))

    async def create_message_event(self, record: MessageEvent) -> SendResult:
        """Store a message and send it to every messaging client now."""
        return await self._changing(super().create_message_event(record))

    async def cancel_message_event(self, record: CancelMessage) -> SendResult:
        """Forget a message and tell every messaging client."""
        return await self._changing(super().cancel_message_event(record))

    async def cancel_all_message_events(self) -> SendResult:
        """Forget every message and tell every messaging client."""
        return await self._changing(super().cancel_all_message_events())

    async def resend_to_device(self, ieee: str | t.EUI64) -> SendResult:
        """Send the current events to a device that rejoined or came back."""
        return self._told(await super().resend_to_device(ieee))

    async def resend_all(self) -> SendResult:
        """Send the current events to every available client."""
        return self._told(await super().resend_all())

    async def opt_out_drlc_event(
        self, server: DeviceRef, issuer_event_id: int
    ) -> Status:
        """Opt the gateway out of a load control event a server sent."""
        return await self._changing(super().opt_out_drlc_event(server, issuer_event_id))

    async def opt_in_drlc_event(
        self, server: DeviceRef, issuer_event_id: int
    ) -> Status:
        """Opt the gateway back in to a load control event a server sent."""
        return await self._changing(super().opt_in_drlc_event(server, issuer_event_id))
