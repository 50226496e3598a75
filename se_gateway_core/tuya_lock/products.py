"""The lock products publicly known: each one's DPs, settings and remote unlock.

A row names a product by its manufacturer id (or, with an empty one, every
lock of a model), adds or replaces datapoint rows of the reference map,
lists its settings and says how it unlocks remotely. What no public source
shows is marked in ``assumed``: a user with a capture corrects the row, not
the code. Locks no row names get `DEFAULT_PRODUCT`.

Sources, by short name:

- TZLL: the TY0A01 replacement-firmware project ("Door-Lock-TY0A01-with-
  TYZS3-to-Z2M-firmware") as its fork EDIT-Aeterna/tuya-zigbee-lock-local
  documents and captures it (docs/, tests/fixtures/target_srptwvak/).
- Z2M PRs: Koenkk/zigbee-herdsman-converters pull requests 10774-10777 and
  12831 (unmerged converters).
- Z2M issues: Koenkk/zigbee2mqtt issues 4478, 6835, 22515, 25513, 32732.
- ZHA issues: zigpy/zha-device-handlers issues 2045 and 2321.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .dp_map import DEFAULT_LOCK_DP_MAP, DpKind, DpRow, number, with_rows
from .remote_unlock import GENERIC_KEY_LAYOUT, KeyUnlockLayout, RemoteUnlockMethod
from .settings import (
    ARMING,
    AUTO_LOCK_TIME,
    NORMAL_OPEN,
    REMOTE_UNLOCK_SWITCH,
    REVERSE_LOCK,
    VOLUME,
    LockSetting,
)
from .temporary_passwords import PasswordLayout

FIELD_MODEL: Final = "TY0A01"
STANDARD_MODEL: Final = "TY0A02"
UNLOCK_REQUEST_DP: Final = 50

_GENERIC_KEY_ASSUMED: Final = (
    "remote unlock by DP 48/49 in Tuya's generic 15-byte layout: no public"
    " capture shows how this product unlocks remotely"
)


@dataclass(frozen=True, slots=True)
class LockProduct:
    """One lock product; ``manufacturer`` empty means every lock of ``model``."""

    manufacturer: str
    model: str
    brand: str
    remote_unlock: RemoteUnlockMethod
    key_layout: KeyUnlockLayout = GENERIC_KEY_LAYOUT
    password_layout: PasswordLayout = PasswordLayout.GENERIC
    rows: tuple[DpRow, ...] = ()
    settings: tuple[LockSetting, ...] = ()
    states: tuple[str, ...] = ()  # state DPs (`DpKind.STATE` rows) it reports
    # True when the lock answers the DP query (0x03) with its DPs; no public
    # source shows a lock that does, so no row says so yet.
    data_query: bool = False
    assumed: str = ""
    source: str = ""

    @property
    def dp_map(self) -> Mapping[int, DpRow]:
        """Return the reference map with this product's rows and settings."""
        return with_rows(
            DEFAULT_LOCK_DP_MAP,
            *self.rows,
            *(setting.row for setting in self.settings),
        )


PRODUCTS: Final[tuple[LockProduct, ...]] = (
    # TZLL's target lock: DP 49 request and answer, DP 24 (27 bytes), DP 54
    # enrolment and records captured (tests/fixtures/target_srptwvak/); it
    # also takes DP 21 (docs/PHASE2DR_DP21_CONTROL_REPORT.md).
    LockProduct(
        "_TYST12_srptwvak",
        FIELD_MODEL,
        "DHO924 (TZLL's target)",
        RemoteUnlockMethod.PASSWORD_FREE,
        key_layout=KeyUnlockLayout(
            method_size=2,
            method=1,
            key_id=1,
            evidence="TZLL dp49_request.json: 01 0001 <8 digits> 0001",
        ),
        password_layout=PasswordLayout.EXTENDED,
        assumed="the key's validity window and use count the gateway picks",
        source="TZLL docs/PHASE1_PROTOCOL_REPORT.md, docs/REMOTE_UNLOCK_PROTOCOL.md",
    ),
    # AVATTO: Z2M PRs 10774-10777 map alarm 0-13, reverse lock 12, doorbell
    # 14, remote-unlock switch 23, hijack 35, closed/opened 47, motor state
    # 57, voice unlock 62, arming 71, normal-open 76 (all in the reference
    # map); the switches are settings.
    LockProduct(
        "_TYST12_j2pnjbsd",
        FIELD_MODEL,
        "AVATTO",
        RemoteUnlockMethod.PASSWORD_FREE,
        settings=(REVERSE_LOCK, REMOTE_UNLOCK_SWITCH, ARMING, NORMAL_OPEN),
        states=("lock_motor_state",),
        assumed=_GENERIC_KEY_ASSUMED + "; the PRs send no remote unlock",
        source="Z2M PRs 10774-10777",
    ),
    # Fortezza: Z2M PR 12831 names it; no DP beyond the reference map is
    # public.
    LockProduct(
        "_TYST12_udaoihrc",
        FIELD_MODEL,
        "Fortezza",
        RemoteUnlockMethod.PASSWORD_FREE,
        assumed=_GENERIC_KEY_ASSUMED,
        source="Z2M PR 12831",
    ),
    # Intelbras: its cloud function list (ZHA issue 2045) has remote_result
    # (DP 22, the answer to DP 21), hijack, door_opened, key_tone and
    # unlock_voice_remote; key_tone's DP id is not public.
    LockProduct(
        "_TYST12_snr3p274",
        FIELD_MODEL,
        "Intelbras",
        RemoteUnlockMethod.PASSWORD_DP21,
        assumed="remote unlock by DP 21: its cloud list has DP 21's answer",
        source="ZHA issue 2045",
    ),
    # Unlocks by fingerprint, password, temporary, dynamic and offline
    # passwords (Z2M issue 22515); a firmware of 1.0.4 adds "an encrypted
    # communication channel" (Z2M issue 4478).
    LockProduct(
        "_TYST12_bfejtdig",
        FIELD_MODEL,
        "",
        RemoteUnlockMethod.PASSWORD_FREE,
        assumed=_GENERIC_KEY_ASSUMED,
        source="Z2M issues 22515, 4478; ZHA issue 2321",
    ),
    # Door opened and a two-level doorbell volume through the Tuya cloud (Z2M
    # issue 25513); the volume's DP id is not public.
    LockProduct(
        "_TYST12_54rrtbbg",
        FIELD_MODEL,
        "",
        RemoteUnlockMethod.PASSWORD_FREE,
        assumed=_GENERIC_KEY_ASSUMED,
        source="Z2M issue 25513",
    ),
    # Named in Z2M issues 6835 and 32732 (battery and lock state work there,
    # lock and unlock commands do not).
    LockProduct(
        "_TYST12_qcdc4vui",
        FIELD_MODEL,
        "",
        RemoteUnlockMethod.PASSWORD_FREE,
        assumed=_GENERIC_KEY_ASSUMED,
        source="Z2M issues 6835, 32732",
    ),
    # TZLL's TYZS3 binding: DP 21 unlocks, DP 54/55 enrol and delete, DPs
    # 58/59/60/93 list the credentials; temporary passwords do not work.
    LockProduct(
        "_TYST12_ujcjk46o",
        FIELD_MODEL,
        "",
        RemoteUnlockMethod.PASSWORD_DP21,
        source="TZLL docs/lock-profiles/ujcjk46o.md, docs/supported-locks.md",
    ),
    # Every TY0A02 (``_TZF320_`` + product id, the standard in shared/seeds):
    # one Tuya gateway capture shows DP 103 with an 8-digit ASCII password.
    LockProduct(
        "",
        STANDARD_MODEL,
        "",
        RemoteUnlockMethod.PASSWORD_DP103,
        assumed="DP 103 for every TY0A02: one capture, of an unnamed product",
        source="Tuya's Zigbee lock standard (shared/seeds/004)",
    ),
)

# Locks no row names: Tuya's reference map, DP 21, and what the simulated lock
# of network_simulator has, which no public Zigbee source shows: a remote
# unlock request on DP 50 (a countdown in seconds, like the Wi-Fi locks'
# ``unlock_request``), and settings on DPs 12, 19 and 31 (see `settings`).
DEFAULT_PRODUCT: Final = LockProduct(
    "",
    "",
    "",
    RemoteUnlockMethod.PASSWORD_DP21,
    rows=(
        DpRow(
            UNLOCK_REQUEST_DP, "unlock_request", DpKind.REMOTE_UNLOCK_REQUEST, number
        ),
    ),
    settings=(REVERSE_LOCK, AUTO_LOCK_TIME, VOLUME),
    assumed="DP 21; unlock request on DP 50; settings on DPs 12, 19, 31",
    source="Tuya's Residential Lock DP Reference (Zigbee)",
)

_BY_MANUFACTURER: Final = {p.manufacturer: p for p in PRODUCTS if p.manufacturer}
_BY_MODEL: Final = {p.model: p for p in PRODUCTS if not p.manufacturer}


def product_for(manufacturer: str | None, model: str | None = None) -> LockProduct:
    """Return a lock's product row: by manufacturer id, then by model."""
    product = _BY_MANUFACTURER.get(manufacturer or "")
    if product is None:
        product = _BY_MODEL.get(model or "", DEFAULT_PRODUCT)
    return product


def dp_map_for(
    manufacturer: str | None, model: str | None = None
) -> Mapping[int, DpRow]:
    """Return the datapoint map of a product."""
    return product_for(manufacturer, model).dp_map


def settings_for(
    manufacturer: str | None, model: str | None = None
) -> tuple[LockSetting, ...]:
    """Return the settings a product has."""
    return product_for(manufacturer, model).settings
