"""Values that zigpy's types cannot take come back as translated field errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from zigpy.zcl import foundation

from custom_components.se_gateway.errors import translated_errors
from custom_components.se_gateway.gateway.errors import RecordFieldError
from custom_components.se_gateway.gateway.report_subscriptions import (
    ReportSubscription,
    ReportSubscriptions,
)
from custom_components.se_gateway.gateway.zcl_records import write_attributes_payload
from custom_components.se_gateway.tuya_lock.firmware import _read_image

NO_ATTRIBUTES: Any = SimpleNamespace(attributes={})
T = foundation.DataTypeId


@pytest.mark.parametrize(
    ("type_id", "value", "field"),
    [
        (T.bool_, "on", "value"),  # KeyError in zigpy's enum
        (T.enum8, "high", "value"),
        (T.enum16, "x", "value"),
        (T.array, 1, "attribute_type"),  # AttributeError in zigpy
        (T.struct, "x", "attribute_type"),
        (T.set, [1], "attribute_type"),
        (T.bag, 1, "attribute_type"),
    ],
)
def test_unusable_write_values_name_the_field(
    type_id: int, value: Any, field: str
) -> None:
    record = {"attribute_id": 1, "attribute_type": int(type_id), "value": value}
    with pytest.raises(RecordFieldError) as raised:
        write_attributes_payload(NO_ATTRIBUTES, [record])
    assert raised.value.field == f"record_list[0].{field}"
    with pytest.raises(ServiceValidationError) as translated, translated_errors():
        write_attributes_payload(NO_ATTRIBUTES, [record])
    assert translated.value.translation_key == "invalid_field"


def test_bool_and_enum_values_that_fit_are_written() -> None:
    payload, written = write_attributes_payload(
        NO_ATTRIBUTES,
        [
            {"attribute_id": 1, "attribute_type": int(T.bool_), "value": True},
            {"attribute_id": 2, "attribute_type": int(T.enum8), "value": 3},
        ],
    )
    assert payload == bytes([1, 0, T.bool_, 1, 2, 0, T.enum8, 3])
    assert [record["value"] for record in written] == [True, 3]


@pytest.mark.parametrize("path", ["/config/a\x00b.bin", "/config/\ud800.bin"])
async def test_unusable_firmware_paths_are_refused(
    hass: HomeAssistant, path: str
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await hass.async_add_executor_job(_read_image, hass, path)
    assert raised.value.translation_key == "lock_firmware_path_invalid"


def test_report_subscriptions_index_and_storage() -> None:
    ieee = foundation.t.EUI64.convert("00:0d:6f:00:0a:90:69:01")
    demand = ReportSubscription(ieee, 1, 0x0702, 0, 0x0400)
    summation = ReportSubscription(ieee, 1, 0x0702, 0, 0x0000)
    subscriptions = ReportSubscriptions([demand, summation])

    assert subscriptions.attributes(ieee, 1, 0x0702, 0) == {0x0400, 0x0000}
    assert subscriptions.attributes(ieee, 1, 0x0702, 1) == frozenset()
    assert subscriptions.attributes(ieee, 2, 0x0702, 0) == frozenset()
    assert ReportSubscription.from_dict(demand.as_dict()) == demand
    subscriptions.replace([demand])
    assert list(subscriptions) == [demand]
    assert summation not in subscriptions
    with pytest.raises(ValueError, match="bad address"):
        ReportSubscription.from_dict({**demand.as_dict(), "device_address": "x"})
