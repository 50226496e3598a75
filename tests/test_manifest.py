"""The manifest's dependencies cover every integration the code imports.

The rule is hassfest's (Home Assistant core, ``script/hassfest/dependencies.py``):
an import of ``homeassistant.components.<domain>`` outside ``TYPE_CHECKING``
needs ``<domain>`` in ``dependencies`` or ``after_dependencies``, unless it is
an entity platform or one of the internal integrations hassfest allows.
As in hassfest, a domain we have a platform file of (``diagnostics.py``) is
allowed; stricter than hassfest, our ``zha/`` folder does not excuse ``zha``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from homeassistant.const import Platform

INTEGRATION = (
    Path(__file__).resolve().parent.parent / "custom_components" / "se_gateway"
)
# hassfest's ALLOWED_USED_COMPONENTS, less the entity platforms.
HASSFEST_ALLOWED = {
    "alert", "automation", "conversation", "default_config", "device_automation",
    "frontend", "group", "homeassistant", "input_boolean", "input_button",
    "input_datetime", "input_number", "input_select", "input_text",
    "media_source", "onboarding", "panel_custom", "persistent_notification",
    "person", "script", "shopping_list", "sun", "system_health", "system_log",
    "timer", "webhook", "websocket_api", "zone", "mjpeg", "stream",
}  # fmt: skip


class _Imports(ast.NodeVisitor):
    def __init__(self) -> None:
        self.domains: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and node.module.startswith("homeassistant.components."):
            self.domains.add(node.module.split(".")[2])
        elif node.module == "homeassistant.components":
            self.domains.update(alias.name for alias in node.names)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith("homeassistant.components."):
                self.domains.add(alias.name.split(".")[2])


def _imported_integrations() -> set[str]:
    collector = _Imports()
    for path in INTEGRATION.rglob("*.py"):
        collector.visit(ast.parse(path.read_text(), str(path)))
    return collector.domains


def test_every_imported_integration_is_a_dependency() -> None:
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    declared = {
        *manifest.get("dependencies", []),
        *manifest.get("after_dependencies", []),
    }
    platform_files = {path.stem for path in INTEGRATION.glob("*.py")}
    allowed = declared | HASSFEST_ALLOWED | {p.value for p in Platform} | platform_files

    imported = _imported_integrations()

    assert "zha" in imported
    assert imported - allowed == set()
    # Nothing is declared that the code does not use.
    assert declared <= imported
