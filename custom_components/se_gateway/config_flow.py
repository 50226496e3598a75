"""Config flow of se_gateway: one entry, on top of a running ZHA."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
import probatio

from .const import (
    CONF_RELOAD_ZHA_FOR_QUIRKS,
    DEFAULT_RELOAD_ZHA_FOR_QUIRKS,
    DOMAIN,
    ZHA_DOMAIN,
)
from .key_establishment.flow import SUBENTRY_TYPE, CertificateSubentryFlow

TITLE = "Smart Energy Gateway"


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
    """Gateway settings."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the gateway settings."""
        if user_input is not None:
            # Keep the settings made through the registry_configuration action.
            return self.async_create_entry(
                data={**self.config_entry.options, **user_input}
            )
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_RELOAD_ZHA_FOR_QUIRKS,
                    default=self.config_entry.options.get(
                        CONF_RELOAD_ZHA_FOR_QUIRKS, DEFAULT_RELOAD_ZHA_FOR_QUIRKS
                    ),
                ): bool,
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
