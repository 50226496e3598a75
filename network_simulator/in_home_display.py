"""A simulated in-home display: a Smart Energy client of the gateway's servers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, override

from zigpy.zcl import foundation
from zigpy.zcl.clusters.general import Time

from se_gateway_core.clusters import messaging, price
from se_gateway_core.clusters.types import (
    GetCurrentPriceOptions,
    PriceControl,
)

from .cluster_io import RequestingCluster, cluster_frame
from .se_device import SE_ENDPOINT, ReceivedCommand, SmartEnergyDevice, se_time_now
from .zcl import SimulatedCluster

GENERAL = foundation.GeneralCommand
PRICE_REQUESTS = price.Price.ServerCommandDefs
MESSAGE_REPLIES = messaging.Messaging.ServerCommandDefs
DISPLAY_COMMANDS: Final = frozenset({"display_message", "display_protected_message"})
TIME_ATTRIBUTES: Final = (Time.AttributeDefs.time, Time.AttributeDefs.time_status)


@dataclass
class InHomeDisplay(SmartEnergyDevice):
    """Shows what the gateway publishes; asks for the price and reads the time.

    Once started it sends Get Current Price and reads the gateway's Time
    (time, time_status). It acknowledges prices that ask for it and, with
    ``auto_confirm``, confirms messages that ask for it.

    Tests read ``prices``, ``drlc_events`` and ``messages`` (decoded payloads
    in arrival order), ``inbox`` (every command), ``answers`` (Default
    Responses and read responses), ``time_readings`` and ``confirmed``.
    """

    auto_confirm: bool = True
    time_readings: list[dict[str, Any]] = field(default_factory=list)
    confirmed: list[int] = field(default_factory=list)

    @property
    def prices(self) -> list[price.PublishPrice]:
        """Return the Publish Price payloads received."""
        return self.commands_named("publish_price")

    @property
    def drlc_events(self) -> list[Any]:
        """Return the Load Control Event payloads received."""
        return self.commands_named("load_control_event")

    @property
    def messages(self) -> list[messaging.DisplayMessage]:
        """Return the Display (Protected) Message payloads received."""
        return [c.payload for c in self.inbox if c.name in DISPLAY_COMMANDS]

    @override
    def on_start(self) -> None:
        """Ask for the current price and read the time, as after joining."""
        self.request_price()
        self.read_time()

    def request_price(self) -> int:
        """Send Get Current Price; return its sequence number."""
        options = GetCurrentPriceOptions(0)
        if self.mains_powered:
            options |= GetCurrentPriceOptions.Requestor_Rx_On_When_Idle
        request = price.GetCurrentPrice(command_options=options)
        return self.send_command(
            self._client(price.Price.cluster_id),
            PRICE_REQUESTS.get_current_price.id,
            request,
        )

    def request_scheduled_prices(self, start_time: int = 0, count: int = 0) -> int:
        """Send Get Scheduled Prices (0: from now, all); return its sequence number.

        The prices come back as Publish Price commands (``prices``).
        """
        request = price.GetScheduledPrices(
            start_time=start_time, number_of_events=count
        )
        return self.send_command(
            self._client(price.Price.cluster_id),
            PRICE_REQUESTS.get_scheduled_prices.id,
            request,
        )

    def read_time(self) -> int:
        """Read time and time_status from the gateway; return the sequence number."""
        cluster = self._client(Time.cluster_id)
        schema = foundation.GENERAL_COMMANDS[GENERAL.Read_Attributes].schema
        request = schema(attribute_ids=[attr.id for attr in TIME_ATTRIBUTES])
        tsn = self.next_tsn()
        frame = cluster.frame(tsn, GENERAL.Read_Attributes, request.serialize())
        self.send_zcl(SE_ENDPOINT, cluster, frame)
        return tsn

    def confirm(self, message_id: int) -> None:
        """Send a Message Confirmation for ``message_id``."""
        cluster = self._client(messaging.Messaging.cluster_id)
        self.send_command(
            cluster,
            MESSAGE_REPLIES.message_confirmation.id,
            self._confirmation(message_id),
        )

    @override
    def on_command(
        self,
        cluster: SimulatedCluster,
        hdr: foundation.ZCLHeader,
        command: ReceivedCommand,
    ) -> list[bytes]:
        """Acknowledge prices and confirm messages that ask for it."""
        payload = command.payload
        if command.name == "publish_price" and _wants_ack(payload):
            ack = price.PriceAcknowledgement(
                provider_id=payload.provider_id,
                issuer_event_id=payload.issuer_event_id,
                price_ack_time=se_time_now(),
                control=payload.price_control,
            )
            return [self._frame(cluster, PRICE_REQUESTS.price_acknowledgement.id, ack)]
        if command.name in DISPLAY_COMMANDS and self.auto_confirm:
            control = payload.message_control
            if control.confirmation_required or control.enhanced_confirmation_required:
                confirmation = self._confirmation(payload.message_id)
                return [
                    self._frame(
                        cluster, MESSAGE_REPLIES.message_confirmation.id, confirmation
                    )
                ]
        return []

    @override
    def take_answer(
        self, cluster: RequestingCluster, hdr: foundation.ZCLHeader, answer: Any
    ) -> None:
        """Keep answers; read responses of the Time cluster go to time_readings."""
        super().take_answer(cluster, hdr, answer)
        if (
            cluster.cluster_id == Time.cluster_id
            and hdr.command_id == GENERAL.Read_Attributes_rsp
        ):
            self.time_readings.append(
                {
                    Time.attributes[record.attrid].name: record.value.value
                    for record in answer.status_records
                    if record.status == foundation.Status.SUCCESS
                }
            )

    def _client(self, cluster_id: int) -> SimulatedCluster:
        return self.cluster(cluster_id, endpoint_id=SE_ENDPOINT, server=False)

    def _confirmation(self, message_id: int) -> messaging.MessageConfirmation:
        self.confirmed.append(message_id)
        return messaging.MessageConfirmation(
            message_id=message_id, confirmation_time=se_time_now()
        )

    def _frame(self, cluster: SimulatedCluster, command_id: int, payload: Any) -> bytes:
        return cluster_frame(cluster, self.next_tsn(), command_id, payload.serialize())


def _wants_ack(payload: price.PublishPrice) -> bool:
    control = payload.price_control
    return control is not None and bool(
        control & PriceControl.Price_Acknowledgement_Required
    )
