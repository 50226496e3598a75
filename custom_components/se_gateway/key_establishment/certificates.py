"""Installing the gateway's certificate: checks and storage, for the action and the UI.

The installation (the manual's Appendix B: CA public key, implicit
certificate, private key) is checked by ``core.cbke.installation``: sizes,
a usable certificate and CA key, and a private key that matches the public key
they reconstruct. The certificate's subject must also be the radio's IEEE
address, or every device would refuse the gateway (INVALID_CERTIFICATE).
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import zigpy.types as t

from ..core.cbke import LocalCredentials
from ..core.cbke.installation import Installation, InstallationError, parse_installation
from ..errors import user_error
from .runtime import async_certificate_installed
from .store import async_get_store, describe


def installation_error(err: InstallationError) -> ServiceValidationError:
    """Return the translated error of an installation that failed a check."""
    return user_error(
        f"certificate_{err.problem}", field=err.field, expected=err.expected
    )


def check_installation(
    installation: Installation, radio_ieee: t.EUI64 | None
) -> LocalCredentials:
    """Return the checked credentials; raise a translated error."""
    try:
        credentials = parse_installation(installation)
    except InstallationError as err:
        raise installation_error(err) from None
    subject = t.EUI64(credentials.ieee[::-1])
    if radio_ieee is not None and subject != radio_ieee:
        raise user_error("certificate_wrong_subject", subject=subject, radio=radio_ieee)
    return credentials


async def async_install(
    hass: HomeAssistant, credentials: LocalCredentials
) -> dict[str, Any]:
    """Store the credentials; return what may be shown of them."""
    store = await async_get_store(hass)
    await store.async_set_credentials(credentials)
    async_certificate_installed(hass)
    return describe(credentials)
