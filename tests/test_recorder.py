"""What reaches Home Assistant's recorder: asked-for reports only, and no secrets.

The recorder (``recorder_mock``, requested before ``hass``) writes every bus
event to its database. Attribute reports must fire events only for the
attributes given to ``start_receiving_reports``; the options flow's "Add a
Smart Energy device" must leave no key in the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components import recorder
from homeassistant.components.recorder.util import session_scope
from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy import text
import zigpy.types as t
from zigpy.zcl.clusters.general import Basic
from zigpy.zcl.clusters.smartenergy import Metering

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.gateway.device_keys import (
    link_key_from_install_code,
)
from custom_components.se_gateway.smart_energy.bus_events import (
    EVENT_ATTRIBUTE_REPORT,
)
from network_simulator import Network, SimulatedDevice

from .conftest import wait_for

SUMMATION = Metering.AttributeDefs.current_summ_delivered.id
DEMAND = Metering.AttributeDefs.instantaneous_demand.id
UNASKED_BURST = 200
NEW_DEVICE = "00:0d:6f:00:0a:90:69:77"
# The link key of the install code below, and the code itself (valid CRC).
INSTALL_CODE = "83FED3407A939723A5C639B26916D505C3B5"
LINK_KEY = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
ACTION_LINK_KEY = "00112233445566778899aabbccddeeff"


@pytest.fixture
def mock_recorder_before_hass(
    async_test_recorder: Any,
) -> None:
    """Prepare the recorder before hass, which autouse fixtures set up early."""


def recorded_events(hass: HomeAssistant) -> list[tuple[str, str]]:
    """Return every event in the recorder's database: its type and data."""

    def read() -> list[tuple[str, str]]:
        with session_scope(hass=hass, read_only=True) as session:
            rows = session.execute(
                text(
                    "SELECT event_types.event_type, event_data.shared_data "
                    "FROM events "
                    "LEFT JOIN event_types "
                    "ON events.event_type_id = event_types.event_type_id "
                    "LEFT JOIN event_data ON events.data_id = event_data.data_id"
                )
            ).all()
        return [(str(row[0]), str(row[1] or "")) for row in rows]

    return recorder.get_instance(hass).async_add_executor_job(read)  # type: ignore[return-value]


def database_text(hass: HomeAssistant) -> Any:
    """Return every text column of every table of the recorder's database."""

    def read() -> str:
        with session_scope(hass=hass, read_only=True) as session:
            tables = [
                row[0]
                for row in session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")
                ).all()
            ]
            dump: list[str] = []
            for table in tables:
                for row in session.execute(text(f'SELECT * FROM "{table}"')).all():
                    dump.extend(str(value) for value in row if value is not None)
        return "\n".join(dump)

    return recorder.get_instance(hass).async_add_executor_job(read)


def report(device: SimulatedDevice, cluster_id: int, *attribute_ids: int) -> None:
    """Make ``device`` send one Report Attributes frame of its cluster."""
    cluster = device.cluster(cluster_id)
    device.send_zcl(
        1, cluster, cluster.report_frame(device.next_tsn(), list(attribute_ids))
    )


async def test_only_asked_reports_fire_events_and_reach_the_database(
    recorder_mock: recorder.Recorder,
    hass: HomeAssistant,
    zha_with_meter: SimulatedDevice,
    se_entry: MockConfigEntry,
) -> None:
    meter = zha_with_meter
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    fired: list[Event] = []
    hass.bus.async_listen(EVENT_ATTRIBUTE_REPORT, fired.append)
    metering = meter.cluster(Metering.cluster_id)
    # Count the meter's frames as the gateway sees them (zigpy listeners).
    app = get_zha_gateway(hass).application_controller
    listener = _FrameCounter(meter.ieee)
    app.add_listener(listener)

    # Nobody asked: the Basic cluster's and ZHA's own Metering reports.
    for value in range(UNASKED_BURST):
        metering.set("current_summ_delivered", 20_000_000 + value)
        report(meter, Basic.cluster_id, Basic.AttributeDefs.zcl_version.id)
        report(meter, Metering.cluster_id, SUMMATION, DEMAND)
    await wait_for(hass, lambda: listener.frames >= 2 * UNASKED_BURST, timeout=60)
    assert fired == []

    # Asked: the demand only.
    answer = await hass.services.async_call(
        DOMAIN,
        "start_receiving_reports",
        {
            "destination_address": str(meter.ieee),
            "destination_endpoint_id": 1,
            "cluster_id": Metering.cluster_id,
            "record_list": [{"attribute_id": DEMAND, "max_interval": 300}],
        },
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    assert answer["record_list"][0]["status"] == 0
    metering.set("instantaneous_demand", 2750)
    report(meter, Basic.cluster_id, Basic.AttributeDefs.zcl_version.id)
    report(meter, Metering.cluster_id, SUMMATION, DEMAND)
    await wait_for(hass, lambda: bool(fired))
    # The meter may report the change itself too: only the demand, every time.
    assert {(e.data["cluster_id"], str(e.data["record"])) for e in fired} == {
        (
            Metering.cluster_id,
            str({"attribute_id": DEMAND, "attribute_type": 0x2A, "value": 2750}),
        )
    }

    # Stopped: nothing again. (The meter's own report of the change may still
    # arrive before the stop: every event until then was asked for.)
    await hass.services.async_call(
        DOMAIN,
        "stop_receiving_reports",
        {
            "destination_address": str(meter.ieee),
            "destination_endpoint_id": 1,
            "cluster_id": Metering.cluster_id,
            "record_list": [{"attribute_id": DEMAND}],
        },
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    asked = len(fired)
    assert {e.data["record"]["attribute_id"] for e in fired} == {DEMAND}
    frames = listener.frames
    report(meter, Metering.cluster_id, DEMAND)
    await wait_for(hass, lambda: listener.frames > frames)
    assert len(fired) == asked

    await async_wait_recording_done(hass)
    rows = await recorded_events(hass)
    reports = [
        data for event_type, data in rows if event_type == EVENT_ATTRIBUTE_REPORT
    ]
    assert len(reports) == asked
    assert f'"attribute_id":{DEMAND}' in reports[0].replace(" ", "")
    # Nothing else of ours was recorded for those 400 frames.
    assert not [
        event_type
        for event_type, _data in rows
        if event_type.startswith(f"{DOMAIN}_") and event_type != EVENT_ATTRIBUTE_REPORT
    ]


class _FrameCounter:
    """Counts the Report Attributes frames one device sent (zigpy listener)."""

    def __init__(self, ieee: t.EUI64) -> None:
        self.ieee = ieee
        self.frames = 0

    def handle_message(
        self,
        device: Any,
        profile: int,
        cluster: int,
        src_ep: int,
        dst_ep: int,
        message: bytes,
    ) -> None:
        if device.ieee == self.ieee and cluster in (
            Basic.cluster_id,
            Metering.cluster_id,
        ):
            self.frames += 1


async def test_adding_a_device_in_the_options_flow_records_no_key(
    recorder_mock: recorder.Recorder,
    hass: HomeAssistant,
    zha_with_meter: SimulatedDevice,
    se_entry: MockConfigEntry,
    simulator: Network,
) -> None:
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    await hass.async_block_till_done()
    derived = bytes(link_key_from_install_code(INSTALL_CODE)).hex()
    secrets = _spellings(LINK_KEY) | _spellings(INSTALL_CODE) | _spellings(derived)

    for user_input in (
        {"device_address": NEW_DEVICE, "installation_code": INSTALL_CODE},
        {"device_address": NEW_DEVICE, "link_key": LINK_KEY},
    ):
        result = await hass.config_entries.options.async_init(se_entry.entry_id)
        assert result["type"] is FlowResultType.MENU
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": "add_device"}
        )
        assert result["type"] is FlowResultType.FORM
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], user_input
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        store = se_entry.runtime_data.gateway_store
        known = store.devices[t.EUI64.convert(NEW_DEVICE)]
        assert known.link_key is not None
        expected = (
            link_key_from_install_code(user_input["installation_code"])
            if "installation_code" in user_input
            else bytes.fromhex(LINK_KEY)
        )
        assert bytes(known.link_key) == bytes(expected)

    # The action, for comparison: its key lands in the call_service event.
    await hass.services.async_call(
        DOMAIN,
        "add_device",
        {"device_address": NEW_DEVICE, "link_key": ACTION_LINK_KEY},
        blocking=True,
    )

    await async_wait_recording_done(hass)
    dump = (await database_text(hass)).lower()
    assert ACTION_LINK_KEY in dump  # the search finds a key the database holds
    leaked = [secret for secret in secrets if secret in dump]
    assert leaked == []


def _spellings(hex_text: str) -> set[str]:
    """Return a key's hex in lower case, both byte orders, with separators."""
    data = bytes.fromhex(hex_text)
    spellings: set[str] = set()
    for ordered in (data, data[::-1]):
        spellings.add(ordered.hex())
        spellings.add(ordered.hex(":"))
        spellings.add(ordered.hex(" "))
        spellings.add(ordered.hex("-"))
    return spellings


def test_the_readme_exclusion_is_valid_recorder_configuration() -> None:
    config = recorder.CONFIG_SCHEMA(
        {"recorder": {"exclude": {"event_types": ["call_service"]}}}
    )
    assert config["recorder"]["exclude"]["event_types"] == ["call_service"]
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "    exclude:\n      event_types:\n        - call_service" in readme
