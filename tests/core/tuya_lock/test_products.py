"""The product table."""

from __future__ import annotations

import pytest

from custom_components.se_gateway.core.tuya_lock.dp_map import DpKind
from custom_components.se_gateway.core.tuya_lock.products import (
    DEFAULT_PRODUCT,
    PRODUCTS,
    product_for,
)
from custom_components.se_gateway.core.tuya_lock.remote_unlock import (
    RemoteUnlockMethod,
)
from custom_components.se_gateway.core.tuya_lock.temporary_passwords import (
    PasswordLayout,
)

KNOWN = [
    "_TYST12_srptwvak",
    "_TYST12_j2pnjbsd",
    "_TYST12_udaoihrc",
    "_TYST12_snr3p274",
    "_TYST12_bfejtdig",
    "_TYST12_54rrtbbg",
    "_TYST12_qcdc4vui",
    "_TYST12_ujcjk46o",
]


@pytest.mark.parametrize("manufacturer", KNOWN)
def test_every_known_product_has_a_row_with_a_source(manufacturer: str) -> None:
    product = product_for(manufacturer, "TY0A01")
    assert product.manufacturer == manufacturer
    assert product.source
    if product.remote_unlock is RemoteUnlockMethod.PASSWORD_FREE:
        # A layout that is not public says so.
        assert product.key_layout.evidence or product.assumed


def test_rows_are_unique() -> None:
    keys = [(p.manufacturer, p.model) for p in PRODUCTS]
    assert len(set(keys)) == len(keys)


def test_the_captured_product() -> None:
    product = product_for("_TYST12_srptwvak")
    assert product.remote_unlock is RemoteUnlockMethod.PASSWORD_FREE
    assert (product.key_layout.method_size, product.key_layout.method) == (2, 1)
    assert product.password_layout is PasswordLayout.EXTENDED


def test_every_ty0a02_unlocks_on_dp_103() -> None:
    product = product_for("_TZF320_abcdefgh", "TY0A02")
    assert product.remote_unlock is RemoteUnlockMethod.PASSWORD_DP103
    assert product.assumed


@pytest.mark.parametrize(
    ("manufacturer", "model"),
    [("_TYST12_unknown1", "TY0A01"), ("_TZF320_unknown2", "TY0A05"), (None, None)],
)
def test_unknown_locks_get_the_default(
    manufacturer: str | None, model: str | None
) -> None:
    product = product_for(manufacturer, model)
    assert product is DEFAULT_PRODUCT
    assert product.remote_unlock is RemoteUnlockMethod.PASSWORD_DP21
    assert product.dp_map[50].kind is DpKind.REMOTE_UNLOCK_REQUEST


def test_settings_are_in_the_map() -> None:
    for product in (*PRODUCTS, DEFAULT_PRODUCT):
        for setting in product.settings:
            assert product.dp_map[setting.dpid].name == setting.key
