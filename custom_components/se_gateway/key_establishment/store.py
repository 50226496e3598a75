"""The gateway's certificate and the CBKE link keys, stored privately.

One ``Store`` for the whole Home Assistant instance (the certificate belongs to
the radio's IEEE address, not to a config entry), created with
``private=True``. Nothing here logs a key, and ``repr`` shows none.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey
import zigpy.types as t

from ..const import DOMAIN
from ..core.cbke import LocalCredentials

_LOGGER: Final = logging.getLogger(__name__)

STORAGE_KEY: Final = f"{DOMAIN}.key_establishment"
STORAGE_VERSION: Final = 1
DATA_STORE: HassKey[KeyEstablishmentStore] = HassKey(f"{DOMAIN}_key_establishment")


class _CertificateData(TypedDict):
    certificate: str
    private_key: str
    ca_public_key: str


class _StoredData(TypedDict):
    certificate: _CertificateData | None
    link_keys: dict[str, str]


class KeyEstablishmentStore:
    """The certificate and link keys; load once, then read in place."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Prepare the store; ``async_load`` reads it."""
        self._store: Store[_StoredData] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY, private=True, atomic_writes=True
        )
        self._credentials: LocalCredentials | None = None
        self._link_keys: dict[t.EUI64, bytes] = {}
        self._loaded = False

    def __repr__(self) -> str:
        return (
            f"KeyEstablishmentStore(certificate={self._credentials is not None},"
            f" link_keys={len(self._link_keys)})"
        )

    async def async_load(self) -> None:
        """Read the store once."""
        if self._loaded:
            return
        self._loaded = True
        data = await self._store.async_load()
        if data is None:
            return
        if (certificate := data.get("certificate")) is not None:
            try:
                self._credentials = LocalCredentials(
                    certificate=bytes.fromhex(certificate["certificate"]),
                    private_key=int(certificate["private_key"], 16),
                    ca_public_key=bytes.fromhex(certificate["ca_public_key"]),
                )
            except KeyError, ValueError:
                _LOGGER.warning("The stored gateway certificate is unreadable; ignored")
        for ieee, key in data.get("link_keys", {}).items():
            try:
                self._link_keys[t.EUI64.convert(ieee)] = bytes.fromhex(key)
            except ValueError:
                _LOGGER.warning("A stored link key is unreadable; ignored")

    @property
    def credentials(self) -> LocalCredentials | None:
        """Return the installed certificate, or None."""
        return self._credentials

    @property
    def link_keys(self) -> Mapping[t.EUI64, bytes]:
        """Return the CBKE link keys by device."""
        return self._link_keys

    async def async_set_credentials(self, credentials: LocalCredentials) -> None:
        """Install (replace) the gateway's certificate."""
        self._credentials = credentials
        await self._async_save()

    async def async_set_link_key(self, ieee: t.EUI64, key: bytes) -> None:
        """Keep a device's CBKE link key."""
        self._link_keys[ieee] = bytes(key)
        await self._async_save()

    async def async_remove_link_key(self, ieee: t.EUI64) -> None:
        """Forget a device's link key."""
        if self._link_keys.pop(ieee, None) is not None:
            await self._async_save()

    async def _async_save(self) -> None:
        await self._store.async_save(self._data())

    def _data(self) -> _StoredData:
        credentials = self._credentials
        certificate: _CertificateData | None = None
        if credentials is not None:
            certificate = {
                "certificate": credentials.certificate.hex(),
                "private_key": f"{credentials.private_key:042x}",
                "ca_public_key": credentials.ca_public_key.hex(),
            }
        return {
            "certificate": certificate,
            "link_keys": {
                str(ieee): key.hex() for ieee, key in self._link_keys.items()
            },
        }


async def async_get_store(hass: HomeAssistant) -> KeyEstablishmentStore:
    """Return the instance's store, loaded."""
    store = hass.data.get(DATA_STORE)
    if store is None:
        store = hass.data[DATA_STORE] = KeyEstablishmentStore(hass)
    await store.async_load()
    return store


def describe(credentials: LocalCredentials | None) -> dict[str, Any]:
    """Return what may be shown of the certificate (never the private key)."""
    if credentials is None:
        return {"installed": False}
    fields = credentials.fields
    return {
        "installed": True,
        "certificate": credentials.certificate.hex(),
        "subject": str(t.EUI64(fields.subject[::-1])),
        "issuer": fields.issuer.hex(),
        "ca_public_key": credentials.ca_public_key.hex(),
    }
