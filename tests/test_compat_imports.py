"""Every module of the integration and of the core imports on this Home Assistant.

``scripts/test-compat`` runs this file first on the oldest Home Assistant that
``hacs.json`` declares: a module that uses a newer API fails here by name.
"""

from __future__ import annotations

import importlib
from pathlib import Path
import pkgutil

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("custom_components.se_gateway", "se_gateway_core")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        folder = ROOT.joinpath(*package.split("."))
        names.append(package)
        names.extend(
            info.name
            for info in pkgutil.walk_packages([str(folder)], prefix=f"{package}.")
            # The integration's core is the same files as se_gateway_core.
            if not info.name.startswith("custom_components.se_gateway.core")
        )
    return names


def test_the_walk_finds_the_packages_modules() -> None:
    modules = _modules()
    assert "custom_components.se_gateway.config_flow" in modules
    assert "custom_components.se_gateway.services.smart_energy" in modules
    assert "se_gateway_core.engine" in modules
    assert len(modules) > 60


@pytest.mark.parametrize("module", _modules())
def test_module_imports(module: str) -> None:
    assert importlib.import_module(module).__name__ == module
