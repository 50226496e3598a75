"""An independent, deliberately plain reading of a DP payload, used as a test oracle."""

from __future__ import annotations

UNLOCK_DPS = frozenset({1, 2, 3, 4, 5, 6, 7, 36, 38, 40, 41, 45, 62})
FIXED_SIZES = {0x01: 1, 0x02: 4, 0x04: 1}
BITMAP_SIZES = (1, 2, 4)


def unlock_user_ids(payload: bytes) -> list[int] | None:
    """Return the user ids of the unlock DPs before any damage; None without a seq."""
    if len(payload) < 2:
        return None
    users: list[int] = []
    pos = 2
    while pos < len(payload):
        header = payload[pos : pos + 4]
        if len(header) < 4:
            return users
        dpid, dp_type = header[0], header[1]
        size = int.from_bytes(header[2:4], "big")
        value = payload[pos + 4 : pos + 4 + size]
        if len(value) != size:
            return users
        if dp_type in FIXED_SIZES and size != FIXED_SIZES[dp_type]:
            return users
        if dp_type == 0x05 and size not in BITMAP_SIZES:
            return users
        if dpid in UNLOCK_DPS:
            if dp_type == 0x02:
                users.append(int.from_bytes(value, "big", signed=True))
            elif dp_type in (0x04, 0x05):
                users.append(int.from_bytes(value, "big"))
            elif dp_type == 0x01 and value[0]:
                users.append(0)
        pos += 4 + size
    return users
