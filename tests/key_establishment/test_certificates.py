"""Installing the gateway's certificate: the action, the UI, the checks, the store."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.se_gateway.const import DOMAIN
from custom_components.se_gateway.key_establishment.runtime import (
    ISSUE_NO_CERTIFICATE,
)
from custom_components.se_gateway.key_establishment.store import (
    DATA_STORE,
    async_get_store,
)
from network_simulator.certified import DEMO_CA, OTHER_CA

from ..conftest import Call
from .conftest import CertifiedNetwork


def certificate_text(network: CertifiedNetwork, *, wrong_key: bool = False) -> str:
    issued = DEMO_CA.issue(bytes(network.simulator.radio.ieee.serialize()[::-1]))
    private_key = issued.private_key + (1 if wrong_key else 0)
    return (
        f"CA Public Key: {DEMO_CA.public_key.hex()}\n"
        f"Device Implicit Cert: {issued.certificate.hex()}\n"
        f"Device Private Key: {private_key.to_bytes(21, 'big').hex()}\n"
        "Device Public Key: 0300\n"
    )


async def test_install_certificate_from_a_file(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
    tmp_path: Path,
) -> None:
    network = await certified_network(certificate=False)
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    path = tmp_path / "gateway.cert"
    path.write_text(certificate_text(network))
    ir.async_create_issue(
        hass,
        DOMAIN,
        ISSUE_NO_CERTIFICATE,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_NO_CERTIFICATE,
        translation_placeholders={"device": "x"},
    )

    answer = await call("install_certificate", {"file": str(path)})

    assert answer is not None
    assert answer["installed"] is True
    assert answer["subject"] == str(network.simulator.radio.ieee)
    assert answer["ca_public_key"] == DEMO_CA.public_key.hex()
    assert "private_key" not in answer
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_NO_CERTIFICATE) is None
    read = await call("get_certificate")
    assert read == {**answer, "link_key_devices": []}
    store = await async_get_store(hass)
    assert store.credentials is not None


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (
            lambda text: text.replace("Device Private Key", "Nothing"),
            "certificate_missing",
        ),
        (
            lambda text: text.replace("CA Public Key: ", "CA Public Key: zz"),
            "certificate_not_hex",
        ),
        (
            lambda text: text.replace("CA Public Key: ", "CA Public Key: 00"),
            "certificate_wrong_length",
        ),
    ],
)
async def test_a_bad_file_is_refused(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
    tmp_path: Path,
    mutate: Callable[[str], str],
    key: str,
) -> None:
    network = await certified_network(certificate=False)
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    path = tmp_path / "gateway.cert"
    path.write_text(mutate(certificate_text(network)))

    with pytest.raises(ServiceValidationError) as err:
        await call("install_certificate", {"file": str(path)})

    assert err.value.translation_key == key
    assert (await async_get_store(hass)).credentials is None


async def test_a_private_key_that_does_not_match_is_refused(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
    tmp_path: Path,
) -> None:
    network = await certified_network(certificate=False)
    hass.config.allowlist_external_dirs = {str(tmp_path)}
    path = tmp_path / "gateway.cert"
    path.write_text(certificate_text(network, wrong_key=True))

    with pytest.raises(ServiceValidationError) as err:
        await call("install_certificate", {"file": str(path)})

    assert err.value.translation_key == "certificate_key_mismatch"
    assert (await async_get_store(hass)).credentials is None


async def test_a_path_outside_the_allowlist_is_refused(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
    call: Call,
    tmp_path: Path,
) -> None:
    await certified_network(certificate=False)
    with pytest.raises(ServiceValidationError) as err:
        await call("install_certificate", {"file": str(tmp_path / "x")})
    assert err.value.translation_key == "certificate_path_not_allowed"


async def test_install_certificate_in_the_ui(
    hass: HomeAssistant,
    certified_network: Callable[..., Coroutine[Any, Any, CertifiedNetwork]],
) -> None:
    network = await certified_network(certificate=False)
    radio = bytes(network.simulator.radio.ieee.serialize()[::-1])
    issued = DEMO_CA.issue(radio)
    foreign = OTHER_CA.issue(b"\x00\x11\x22\x33\x44\x55\x66\x77")
    entry = network.entry

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "certificate"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    values = {
        "ca_public_key": DEMO_CA.public_key.hex(),
        "certificate": issued.certificate.hex(),
        "private_key": issued.private_key_hex(),
    }
    # A certificate of another device is refused
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            **values,
            "certificate": foreign.certificate.hex(),
            "private_key": foreign.private_key_hex(),
            "ca_public_key": OTHER_CA.public_key.hex(),
        },
    )
    assert result["errors"] == {"base": "certificate_wrong_subject"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**values, "private_key": "zz"}
    )
    assert result["errors"] == {"private_key": "certificate_not_hex"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], values
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.data == {
        "subject": str(network.simulator.radio.ieee),
        "issuer": issued.certificate[30:38].hex(),
    }
    hass.data.pop(DATA_STORE)  # read it back from disk
    store = await async_get_store(hass)
    assert store.credentials is not None
    assert store.credentials.private_key == issued.private_key
