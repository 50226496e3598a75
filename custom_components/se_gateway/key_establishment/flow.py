"""Install the gateway's certificate from the UI (a config subentry).

*Settings → Devices & services → Smart Energy Gateway → Install certificate*
takes the three values of the manual's Appendix B. A flow's data goes neither
through a ``call_service`` event nor into the recorder, so the private key is
typed in here rather than in an action. The values are checked
(``certificates.check_installation``) and stored privately; the subentry
keeps only what may be shown (subject and issuer). A new certificate replaces
the previous one and its subentry.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.zha.helpers import get_zha_gateway
from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio
import zigpy.types as t

from ..core.cbke.installation import Installation
from .certificates import async_install, check_installation

SUBENTRY_TYPE: Final = "certificate"
CA_PUBLIC_KEY: Final = "ca_public_key"
CERTIFICATE: Final = "certificate"
PRIVATE_KEY: Final = "private_key"

SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(CA_PUBLIC_KEY): TextSelector(),
        probatio.Required(CERTIFICATE): TextSelector(
            TextSelectorConfig(multiline=True)
        ),
        probatio.Required(PRIVATE_KEY): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
    }
)


class CertificateSubentryFlow(ConfigSubentryFlow):
    """Install the gateway's certificate."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the CA public key, the certificate and the private key."""
        errors: dict[str, str] = {}
        if user_input is not None:
            installation = Installation(
                user_input[CA_PUBLIC_KEY],
                user_input[CERTIFICATE],
                user_input[PRIVATE_KEY],
            )
            try:
                credentials = check_installation(installation, self._radio_ieee())
            except ServiceValidationError as err:
                field = (err.translation_placeholders or {}).get("field") or "base"
                errors[field] = err.translation_key or "unknown"
            else:
                shown = await async_install(self.hass, credentials)
                entry = self._get_entry()
                for subentry_id, subentry in list(entry.subentries.items()):
                    if subentry.subentry_type == SUBENTRY_TYPE:
                        self.hass.config_entries.async_remove_subentry(
                            entry, subentry_id
                        )
                return self.async_create_entry(
                    title=f"Certificate {shown['subject']}",
                    data={"subject": shown["subject"], "issuer": shown["issuer"]},
                    unique_id=shown["subject"],
                )
        return self.async_show_form(step_id="user", data_schema=SCHEMA, errors=errors)

    def _radio_ieee(self) -> t.EUI64 | None:
        try:
            app = get_zha_gateway(self.hass).application_controller
        except ValueError:
            return None
        ieee: t.EUI64 = app.state.node_info.ieee
        return ieee
