"""The aps_encryption_se setting reaches the radio library's transmit options."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import HomeAssistant
import zigpy.types as t

from custom_components.se_gateway.core.clusters import Price
from custom_components.se_gateway.zha.aps_encryption import SMART_ENERGY_CLUSTERS

from ...conftest import Call, wait_for
from ..conftest import SmartEnergyNetwork
from .test_server_role import PRICE

APS = t.TransmitOptions.APS_Encryption


async def test_the_setting_encrypts_smart_energy_frames(
    hass: HomeAssistant, se_network: SmartEnergyNetwork, call: Call
) -> None:
    net = se_network
    app = get_zha_gateway(hass).application_controller
    ihd_nwk = net.ihd.nwk

    def price_options() -> list[bool]:
        # The radio library gets every packet; only the spy looks at them.
        return [
            APS in packet.tx_options
            for (packet,) in (c.args for c in spy.call_args_list)
            if packet.cluster_id == Price.cluster_id and packet.dst.address == ihd_nwk
        ]

    with patch.object(app, "send_packet", wraps=app.send_packet) as spy:
        await call("create_price_event", PRICE)
        await call("registry_configuration", {"name": "aps_encryption_se", "value": 1})
        await call("create_price_event", {**PRICE, "issuer_event_id": 2})
        await call("registry_configuration", {"name": "aps_encryption_se", "value": 0})
        await call("create_price_event", {**PRICE, "issuer_event_id": 3})
        await wait_for(hass, lambda: len(net.ihd.prices) == 3)

    assert price_options() == [False, True, False]

    await call("registry_configuration", {"name": "aps_encryption_se", "value": 1})
    assert all(cluster.aps_encryption for cluster in SMART_ENERGY_CLUSTERS)
    await net.unload_entry()
    # Unloaded, the gateway leaves zigpy's default behind.
    assert not any(cluster.aps_encryption for cluster in SMART_ENERGY_CLUSTERS)
