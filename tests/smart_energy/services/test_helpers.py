"""The Home Assistant-free helpers of the Smart Energy services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import probatio
import pytest
import yaml
import zigpy.types as t

from custom_components.se_gateway.core.clusters.types import (
    datetime_to_utc_time,
)
from custom_components.se_gateway.core.engine import DeviceRef, MessageEvent
from custom_components.se_gateway.core.engine.records import CancelMessage
from custom_components.se_gateway.services import se_fields
from custom_components.se_gateway.services.se_asking import matching_servers
from custom_components.se_gateway.services.se_client import _holder
from custom_components.se_gateway.services.smart_energy import SERVICES

METER = DeviceRef("00:0d:6f:00:0a:90:69:02", 1)
OTHER = DeviceRef("00:0d:6f:00:0a:90:69:03", 1)


def test_times_as_numbers_or_dates() -> None:
    moment = datetime(2030, 1, 1, 12, tzinfo=UTC)
    seconds = datetime_to_utc_time(moment)

    assert se_fields.se_time(0) == 0
    assert se_fields.se_time(" 0x10 ") == 16
    assert se_fields.se_time(moment) == seconds
    assert se_fields.se_time("2030-01-01T12:00:00Z") == seconds
    local = moment.astimezone(dt_util.get_default_time_zone()).replace(tzinfo=None)
    assert se_fields.se_time(local.isoformat()) == seconds
    assert se_fields.se_time(local) == seconds
    for value in (1.5, None, "soon", "-1", 2**32, moment - timedelta(days=11323)):
        with pytest.raises(probatio.Invalid):
            se_fields.se_time(value)


def test_record_fields_follow_the_records() -> None:
    schema = probatio.Schema(se_fields.record_fields(CancelMessage))

    assert schema({"message_id": "0x10"}) == {"message_id": 16}
    with pytest.raises(probatio.MultipleInvalid):
        schema({"message_control": 1})
    text = probatio.Schema(se_fields.record_fields(MessageEvent))
    with pytest.raises(probatio.MultipleInvalid):
        text({"message_id": 1, "message": 42})


def test_only_the_user_statuses_can_be_reported() -> None:
    assert se_fields.user_event_status("0x04") == 4
    assert se_fields.user_event_status(5) == 5
    with pytest.raises(probatio.Invalid):
        se_fields.user_event_status(6)


def test_the_server_of_a_received_event() -> None:
    held = {METER: [CancelMessage(message_id=5)], OTHER: [CancelMessage(message_id=5)]}

    def message_id(record: CancelMessage) -> int:
        return record.message_id

    with pytest.raises(ServiceValidationError) as err:
        _holder({}, held, "message_id", 5, message_id)
    assert err.value.translation_key == "ambiguous_received_event"
    assert err.value.translation_placeholders == {
        "field": "destination_address",
        "id": "5",
        "servers": f"{METER.ieee}, {OTHER.ieee}",
    }
    chosen = {"destination_address": t.EUI64.convert(OTHER.ieee)}
    assert _holder(chosen, held, "message_id", 5, message_id) == OTHER
    assert matching_servers(held, None, 2) == []


def test_every_service_is_described_translated_and_has_an_icon() -> None:
    root = Path(__file__).parents[3] / "custom_components" / "se_gateway"
    described = yaml.safe_load((root / "services.yaml").read_text())
    texts = json.loads((root / "translations" / "en.json").read_text())
    icons = json.loads((root / "icons.json").read_text())["services"]

    for spec in SERVICES:
        name, schema = spec.name, spec.schema
        fields = {str(key) for key in schema} - set(se_fields.MANUAL_SPELLINGS)
        assert set((described[name] or {}).get("fields", {})) == fields, name
        translated = texts["services"][name]
        assert translated["name"]
        assert translated["description"]
        assert set(translated.get("fields", {})) == fields, name
        assert icons[name]["service"].startswith("mdi:")
