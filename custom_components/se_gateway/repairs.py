"""Repairs of se_gateway: the fix flows of its fixable repair issues.

``damaged_storage`` (see ``gateway.stored_files``) is fixed by the time the user
sees it: what could be read is loaded and the file was rewritten without the
bad records, beside a copy of it as found. Its flow only asks the user to
acknowledge what was left out.
"""

from __future__ import annotations

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the flow that acknowledges a repair issue."""
    return ConfirmRepairFlow()
