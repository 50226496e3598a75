"""The automation editor's se_gateway triggers: descriptions, texts and checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import yaml

from custom_components.se_gateway import trigger
from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.device_trigger import TRIGGERS

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / DOMAIN


def _select_options(description: dict[str, Any], field: str) -> list[str]:
    return description["fields"][field]["selector"]["select"]["options"]


async def _trigger_descriptions(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> dict[str, Any]:
    """Return what the editor gets from trigger_platforms/subscribe."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "trigger_platforms/subscribe"})
    assert (await client.receive_json())["success"]
    message = await client.receive_json()
    assert message["type"] == "event"
    return message["event"]


async def _validate(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, config: dict[str, Any]
) -> dict[str, Any]:
    """Validate one trigger as the editor does before it saves."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "validate_config", "triggers": [config]})
    answer = await client.receive_json()
    assert answer["success"]
    return answer["result"]["triggers"]


async def test_the_editor_lists_every_trigger_with_its_fields(
    hass: HomeAssistant, services_only: None, hass_ws_client: WebSocketGenerator
) -> None:
    descriptions = await _trigger_descriptions(hass, hass_ws_client)
    ours = {
        key.removeprefix(f"{DOMAIN}."): value
        for key, value in descriptions.items()
        if key.startswith(f"{DOMAIN}.")
    }

    assert set(ours) == set(TRIGGERS)
    unlocked = ours["unlocked"]
    assert unlocked["target"] == {
        "entity": [{"integration": DOMAIN, "domain": ["lock"]}]
    }
    assert set(unlocked["fields"]) == {"method", "user_id"}
    assert unlocked["fields"]["user_id"]["selector"]["number"]["max"] == 999
    assert ours["alarm"]["fields"]["alarm"]["selector"]["select"]["multiple"] is True
    assert ours["doorbell"] == {
        "fields": {},
        "target": {"entity": [{"integration": DOMAIN, "domain": ["lock"]}]},
    }
    assert ours["received_message_confirmation"] == {
        "fields": {},
        "target": {"entity": [{"integration": DOMAIN}]},
    }


async def test_descriptions_follow_the_device_trigger_table(
    hass: HomeAssistant,
) -> None:
    """triggers.yaml offers exactly the subtypes the device triggers know."""
    described = {
        key: value
        for key, value in yaml.safe_load(
            (INTEGRATION / "triggers.yaml").read_text()
        ).items()
        if not key.startswith(".")
    }

    assert list(described) == list(TRIGGERS)
    assert list(await trigger.async_get_triggers(hass)) == list(TRIGGERS)
    for trigger_type, (_event, subtype_key, subtypes) in TRIGGERS.items():
        fields = described[trigger_type].get("fields", {})
        if subtype_key:
            assert _select_options(described[trigger_type], subtype_key) == subtypes
        expected = set(trigger.options_schema(trigger_type))
        assert {str(marker) for marker in expected} == set(fields)


async def test_triggers_have_texts_and_icons(
    hass: HomeAssistant, services_only: None
) -> None:
    texts = await async_get_translations(hass, "en", "triggers", [DOMAIN])
    options = await async_get_translations(hass, "en", "selector", [DOMAIN])
    icons = (await async_get_icons(hass, "triggers", [DOMAIN]))[DOMAIN]
    prefix = f"component.{DOMAIN}"

    for trigger_type in TRIGGERS:
        assert texts[f"{prefix}.triggers.{trigger_type}.name"]
        assert texts[f"{prefix}.triggers.{trigger_type}.description"]
        assert icons[trigger_type]["trigger"].startswith("mdi:")
    assert texts[f"{prefix}.triggers.unlocked.fields.user_id.name"] == "User"
    assert texts[f"{prefix}.triggers.alarm.fields.alarm.name"] == "Alarm"
    assert (
        options[f"{prefix}.selector.unlock_method.options.fingerprint"] == "Fingerprint"
    )
    assert options[f"{prefix}.selector.lock_alarm.options.pry"] == "Prying"


@pytest.mark.parametrize(
    ("config", "error"),
    [
        (
            {"options": {"method": ["nose"]}, "target": {"device_id": "abc"}},
            "value must be one of ['app', 'card',",
        ),
        (
            {"options": {"user_id": 1000}, "target": {"device_id": "abc"}},
            "value must be at most 999 at 'options.user_id'",
        ),
        ({"options": {"method": "card"}}, "required key not provided at 'target'"),
        (
            {"options": {"alarm": ["pry"]}, "target": {"device_id": "abc"}},
            "not a valid option at 'options.alarm'",
        ),
    ],
)
async def test_invalid_options_are_rejected(
    hass: HomeAssistant,
    services_only: None,
    hass_ws_client: WebSocketGenerator,
    config: dict[str, Any],
    error: str,
) -> None:
    result = await _validate(
        hass, hass_ws_client, {"trigger": f"{DOMAIN}.unlocked", **config}
    )

    assert result["valid"] is False
    assert error in result["error"]


async def test_valid_options_are_normalised(
    hass: HomeAssistant, services_only: None, hass_ws_client: WebSocketGenerator
) -> None:
    good = await _validate(
        hass,
        hass_ws_client,
        {
            "trigger": f"{DOMAIN}.unlocked",
            "target": {"device_id": "abc"},
            "options": {"method": "card", "user_id": "3"},
        },
    )
    unknown = await _validate(
        hass,
        hass_ws_client,
        {"trigger": f"{DOMAIN}.no_such_trigger", "target": {"device_id": "abc"}},
    )

    assert good == {"valid": True, "error": None}
    assert unknown["valid"] is False
    assert "Invalid trigger 'se_gateway.no_such_trigger'" in unknown["error"]
    validated = await trigger.TRIGGER_CLASSES["unlocked"].async_validate_config(
        hass, {"target": {"device_id": "abc"}, "options": {"method": "card"}}
    )
    assert validated["options"] == {"method": ["card"]}
    doorbell = await trigger.TRIGGER_CLASSES["doorbell"].async_validate_config(
        hass, {"target": {"device_id": "abc"}}
    )
    assert doorbell == {"target": {"device_id": ["abc"]}, "options": {}}
