"""config.yaml: hassfest's description of the config entry, true to the flows.

hassfest (Home Assistant's integration validator) requires every integration
with a config flow to ship ``config.yaml``: the versions of its config entry,
with the fields of the entry's data and options, and those of each subentry
type. hassfest is not installed here, so the schema it validates the file with
is copied below; the other tests check that the file says what the flows store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_SELECTOR
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import selector
from homeassistant.util.yaml import load_yaml_dict
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol
import zigpy.types as t

from custom_components.se_gateway import config_flow
from custom_components.se_gateway.config_flow import (
    SEGatewayConfigFlow,
    settings_schema,
)
from custom_components.se_gateway.const import DOMAIN, ZHA_DOMAIN
from custom_components.se_gateway.gateway import settings
from custom_components.se_gateway.gateway.settings import SETTINGS, Setting
from custom_components.se_gateway.key_establishment import flow as certificate_flow
from custom_components.se_gateway.key_establishment.flow import (
    CA_PUBLIC_KEY,
    CERTIFICATE,
    PRIVATE_KEY,
    SUBENTRY_TYPE,
)
from scripts.package import files_to_package

CONFIG_YAML = (
    Path(__file__).resolve().parent.parent
    / "custom_components"
    / "se_gateway"
    / "config.yaml"
)

# --- The schema of hassfest's config_entry check --------------------------------
# Copied from home-assistant/core script/hassfest/config_entry.py at commit
# 2f37a587989543e8c031d3243ff6e028269fcfd6 (VERSION_SCHEMA ... ROOT_SCHEMA), as
# written there. Home Assistant 2026.10 aliases ``voluptuous`` to probatio
# (homeassistant/__init__.py), so ``vol`` here is the engine hassfest runs on.
VERSION_SCHEMA = vol.Schema(
    {
        vol.Required("major"): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Required("minor"): vol.All(vol.Coerce(int), vol.Range(min=1)),
    }
)

FIELD_SCHEMA = vol.Schema(
    {
        vol.Optional("required"): bool,
        vol.Optional("default"): object,
        vol.Optional("example"): object,
        vol.Required(CONF_SELECTOR): selector.validate_selector,
    }
)

FIELDS_SCHEMA = vol.Schema({str: FIELD_SCHEMA})

SECTION_SCHEMA = vol.Schema({vol.Required("fields"): FIELDS_SCHEMA})

VERSIONED_SCHEMA = vol.Schema(
    {
        vol.Required("version"): VERSION_SCHEMA,
        vol.Required("data"): SECTION_SCHEMA,
        vol.Required("options"): SECTION_SCHEMA,
    }
)

SUBENTRY_SCHEMA = vol.Schema({vol.Required("versions"): [VERSIONED_SCHEMA]})

CONFIG_ENTRY_SCHEMA = vol.Schema(
    {
        vol.Required("versions"): [VERSIONED_SCHEMA],
        vol.Optional("subentries", default={}): {str: SUBENTRY_SCHEMA},
    }
)

ROOT_SCHEMA = vol.Schema({vol.Required("config_entry"): CONFIG_ENTRY_SCHEMA})
# --- End of the copy -------------------------------------------------------------


def _duplicate_versions(versions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Return a block's repeated versions (hassfest's _validate_unique_versions)."""
    seen: set[tuple[int, int]] = set()
    repeated: list[tuple[int, int]] = []
    for version_config in versions:
        version = version_config["version"]
        key = (version["major"], version["minor"])
        if key in seen:
            repeated.append(key)
        seen.add(key)
    return repeated


def _current(versions: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the block of the newest version, the one hassfest compares."""
    return max(
        versions,
        key=lambda block: (block["version"]["major"], block["version"]["minor"]),
    )


def _raw() -> dict[str, Any]:
    """Return config.yaml as hassfest loads it."""
    return load_yaml_dict(str(CONFIG_YAML))


@pytest.fixture(name="config_entry")
def config_entry_fixture() -> dict[str, Any]:
    """Return the validated ``config_entry`` of config.yaml."""
    validated: dict[str, Any] = ROOT_SCHEMA(_raw())["config_entry"]
    return validated


def _options_fields(config_entry: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = _current(config_entry["versions"])["options"]["fields"]
    return fields


def _form_fields() -> dict[str, tuple[bool, selector.Selector[Any]]]:
    """Return each field of the settings form: whether required, and its selector."""
    form: dict[str, tuple[bool, selector.Selector[Any]]] = {}
    for key, value in settings_schema({}).schema.items():
        field = value.validators[0] if isinstance(value, probatio.All) else value
        assert isinstance(field, selector.Selector), key
        form[str(key)] = (isinstance(key, probatio.Required), field)
    return form


def _walk_fields(config_entry: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield (where, field) for every field of every version and subentry."""
    blocks = [("entry", config_entry["versions"])] + [
        (f"subentry {name}", subentry["versions"])
        for name, subentry in config_entry["subentries"].items()
    ]
    for owner, versions in blocks:
        for block in versions:
            for section in ("data", "options"):
                for name, field in block[section]["fields"].items():
                    yield f"{owner} {section}.{name}", field


# --- The file is what hassfest accepts --------------------------------------------


def test_config_yaml_passes_the_hassfest_schema(
    config_entry: dict[str, Any],
) -> None:
    assert config_entry["versions"]
    assert not _duplicate_versions(config_entry["versions"])
    for subentry in config_entry["subentries"].values():
        assert subentry["versions"]
        assert not _duplicate_versions(subentry["versions"])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("config_entry", "versions", 0, "options"), None),  # a section missing
        (("config_entry", "versions", 0, "version", "minor"), 0),
        (("config_entry", "versions", 0, "data", "fields", "x"), {"required": True}),
        (
            ("config_entry", "versions", 0, "data", "fields", "x"),
            {"selector": {"no_such_selector": {}}},
        ),
        (
            ("config_entry", "versions", 0, "data", "fields", "x"),
            {"selector": {"text": {}}, "description": "not a field key"},
        ),
        (("config_entry", "subentries", SUBENTRY_TYPE, "versions"), None),
        (("config_entry", "unknown"), {}),
    ],
)
def test_the_copied_schema_refuses_what_hassfest_refuses(
    path: tuple[str | int, ...], value: Any
) -> None:
    """The copy has teeth: a broken file fails it (None removes the key)."""
    data = _raw()
    parent: Any = data
    for step in path[:-1]:
        parent = parent[step]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value

    with pytest.raises(vol.Invalid):
        ROOT_SCHEMA(data)


def test_every_selector_is_a_home_assistant_selector(
    config_entry: dict[str, Any],
) -> None:
    checked = []
    for where, field in _walk_fields(config_entry):
        built = selector.selector(field[CONF_SELECTOR])
        assert isinstance(built, selector.Selector), where
        assert callable(built), where
        if "example" in field:
            assert built(field["example"]) == field["example"], where
        if field.get("required") and "default" in field:
            assert built(field["default"]) == field["default"], where
        checked.append(where)
    # Both sections of the entry and the certificate's data were walked.
    assert len(checked) == len(SETTINGS) + 2


# --- The file says what the code does ---------------------------------------------


def test_version_is_the_flows(config_entry: dict[str, Any]) -> None:
    version = _current(config_entry["versions"])["version"]

    assert (version["major"], version["minor"]) == (
        SEGatewayConfigFlow.VERSION,
        SEGatewayConfigFlow.MINOR_VERSION,
    )


def test_options_are_the_settings_with_their_form(
    config_entry: dict[str, Any],
) -> None:
    """Every setting, as the settings step shows it: selector, required, default."""
    documented = _options_fields(config_entry)
    form = _form_fields()

    assert set(documented) == set(SETTINGS) == set(form)
    for name, setting in SETTINGS.items():
        required, shown = form[name]
        field = documented[name]
        assert field["required"] is required, name
        assert field["default"] == setting.default, name
        assert isinstance(field["default"], type(setting.default)), name
        assert field[CONF_SELECTOR] == selector.validate_selector(
            shown.serialize()[CONF_SELECTOR]
        ), name


def test_a_setting_missing_from_config_yaml_is_caught(
    config_entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setting added to the code but not to config.yaml fails the checks above."""
    added = {**SETTINGS, "new_setting": Setting("new_setting", False, "A new one.")}
    monkeypatch.setattr(settings, "SETTINGS", added)
    monkeypatch.setattr(config_flow, "SETTINGS", added)

    assert set(_form_fields()) - set(_options_fields(config_entry)) == {"new_setting"}


@pytest.fixture
def setup_without_zha() -> Iterator[None]:
    """Let se_gateway's entry load and unload without a network or ZHA."""
    with (
        patch("custom_components.se_gateway.async_setup_entry", return_value=True),
        patch("custom_components.se_gateway.async_unload_entry", return_value=True),
    ):
        yield


async def test_entry_data_is_what_the_setup_step_stores(
    hass: HomeAssistant, config_entry: dict[str, Any], setup_without_zha: None
) -> None:
    hass.config.components.add(ZHA_DOMAIN)
    MockConfigEntry(domain=ZHA_DOMAIN, state=ConfigEntryState.LOADED).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert (entry.version, entry.minor_version) == (
        SEGatewayConfigFlow.VERSION,
        SEGatewayConfigFlow.MINOR_VERSION,
    )
    for block in config_entry["versions"]:
        assert set(block["data"]["fields"]) == set(entry.data)


async def test_options_are_what_the_options_flow_stores(
    hass: HomeAssistant,
    config_entry: dict[str, Any],
    setup_without_zha: None,
    se_entry: MockConfigEntry,
) -> None:
    hass.config.components.add(ZHA_DOMAIN)
    assert await hass.config_entries.async_setup(se_entry.entry_id)
    result = await hass.config_entries.options.async_init(se_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert set(se_entry.options) == set(_options_fields(config_entry))


def test_subentry_types_are_the_flows(
    config_entry: dict[str, Any], se_entry: MockConfigEntry
) -> None:
    supported = SEGatewayConfigFlow.async_get_supported_subentry_types(se_entry)

    assert set(config_entry["subentries"]) == set(supported) == {SUBENTRY_TYPE}


async def test_certificate_subentry_stores_only_what_is_listed(
    hass: HomeAssistant, config_entry: dict[str, Any], se_entry: MockConfigEntry
) -> None:
    """The subentry keeps the subject and issuer: never a key or the certificate."""
    shown = {  # what certificates.async_install returns (store.describe)
        "installed": True,
        "certificate": "0203",
        "subject": "00:13:a2:00:41:5a:b1:c2",
        "issuer": "5445535453454341",
        "ca_public_key": "0304",
    }
    with (
        patch.object(certificate_flow, "check_installation", return_value=object()),
        patch.object(certificate_flow, "async_install", return_value=shown),
    ):
        result = await hass.config_entries.subentries.async_init(
            (se_entry.entry_id, SUBENTRY_TYPE), context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"],
            {CA_PUBLIC_KEY: "0304", CERTIFICATE: "0203", PRIVATE_KEY: "0102"},
        )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = se_entry.subentries.values()
    documented = config_entry["subentries"][SUBENTRY_TYPE]["versions"]
    for block in documented:
        assert set(block["data"]["fields"]) == set(subentry.data)
        assert not block["options"]["fields"]
        assert not {CA_PUBLIC_KEY, CERTIFICATE, PRIVATE_KEY} & set(
            block["data"]["fields"]
        )


def test_certificate_examples_have_the_stored_form(
    config_entry: dict[str, Any],
) -> None:
    """subject: the radio's IEEE address as zigpy writes it; issuer: 8 bytes in hex."""
    fields = _current(config_entry["subentries"][SUBENTRY_TYPE]["versions"])["data"][
        "fields"
    ]
    subject = fields["subject"]["example"]
    issuer = fields["issuer"]["example"]

    assert str(t.EUI64.convert(subject)) == subject
    assert len(bytes.fromhex(issuer)) == 8
    assert issuer == issuer.lower()


# --- The release ships it ---------------------------------------------------------


def test_release_zip_includes_config_yaml() -> None:
    names = {name for _source, name in files_to_package()}

    assert "config.yaml" in names
