"""Config flow of se_gateway: one entry, on top of a running ZHA."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
)
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import probatio

from .const import DOMAIN, ZHA_DOMAIN
from .gateway.settings import SETTINGS, setting_value
from .key_establishment.flow import SUBENTRY_TYPE, CertificateSubentryFlow
from .services.add_device_flow import (
    ADD_DEVICE_SCHEMA,
    INSTALLATION_CODE,
    LINK_KEY,
    add_device_from_flow,
)

TITLE = "Smart Energy Gateway"
# The options menu; the certificate installation step may join it.
OPTIONS_MENU: Final = ["settings", "add_device"]


class SEGatewayConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up se_gateway."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm the setup; ZHA must be loaded."""
        if not any(
            entry.state is ConfigEntryState.LOADED
            for entry in self.hass.config_entries.async_entries(ZHA_DOMAIN)
        ):
            return self.async_abort(reason="zha_not_loaded")
        if user_input is not None:
            return self.async_create_entry(title=TITLE, data={})
        return self.async_show_form(step_id="user")

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SEGatewayOptionsFlow:
        """Return the options flow."""
        return SEGatewayOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls,
        config_entry: ConfigEntry,  # noqa: ARG003 - Home Assistant's signature
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentries: the gateway's certificate (key_establishment)."""
        return {SUBENTRY_TYPE: CertificateSubentryFlow}


class SEGatewayOptionsFlow(OptionsFlowWithReload):
    """Gateway settings, and the secrets users type: a device's key."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the settings and adding a Smart Energy device."""
        return self.async_show_menu(step_id="init", menu_options=OPTIONS_MENU)

    async def async_step_add_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a Smart Energy device with its installation code or link key.

        A flow is not a ``call_service`` event, so the key stays out of the
        recorder's database; ``add_device_from_flow`` does what the
        ``add_device`` action does.
        """
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            failure = await add_device_from_flow(self.hass, user_input)
            if failure is None:
                # Adding a device changes no setting: the options stay as they are.
                return self.async_create_entry(data=dict(self.config_entry.options))
            errors[failure.form_field] = failure.key
            placeholders = failure.placeholders
        return self.async_show_form(
            step_id="add_device",
            data_schema=self.add_suggested_values_to_schema(
                ADD_DEVICE_SCHEMA, _without_secrets(user_input)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit every gateway setting (those ``registry_configuration`` edits)."""
        options = self.config_entry.options
        if user_input is not None:
            values = {
                name: setting.coerce(user_input.get(name, ""))
                for name, setting in SETTINGS.items()
            }
            # Options that are not settings stay as they are.
            return self.async_create_entry(data={**options, **values})
        return self.async_show_form(
            step_id="settings",
            data_schema=settings_schema(options),
        )


def settings_schema(options: Mapping[str, Any]) -> probatio.Schema:
    """Return the form of the gateway settings, made from ``SETTINGS``.

    Each field shows the value in the options (what ``registry_configuration``
    reads and writes), else the setting's default.
    """
    fields: dict[Any, Any] = {}
    for name, setting in SETTINGS.items():
        current = setting_value(options, name)
        if isinstance(setting.default, bool):
            fields[probatio.Required(name, default=current)] = BooleanSelector()
        elif isinstance(setting.default, int):
            config = NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX)
            if setting.minimum is not None:
                config["min"] = setting.minimum
            if setting.maximum is not None:
                config["max"] = setting.maximum
            fields[probatio.Required(name, default=current)] = probatio.All(
                NumberSelector(config), probatio.Coerce(int)
            )
        else:  # the price source: any sensor; empty for none
            key = (
                probatio.Optional(name, description={"suggested_value": current})
                if current
                else probatio.Optional(name)
            )
            fields[key] = EntitySelector(EntitySelectorConfig(domain=Platform.SENSOR))
    return probatio.Schema(fields)


def _without_secrets(user_input: dict[str, Any] | None) -> dict[str, Any]:
    """Return what a form shown again may suggest: not the key or code."""
    return {
        name: value
        for name, value in (user_input or {}).items()
        if name not in (INSTALLATION_CODE, LINK_KEY)
    }
