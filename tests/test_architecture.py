"""The import contract (README, "Architecture") holds and catches what it forbids."""

from __future__ import annotations

from pathlib import Path
import shutil
import subprocess
import sys

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CORE_MODULES = (
    "se_gateway_core.clusters",
    "se_gateway_core.engine",
    "se_gateway_core.quirks",
    "se_gateway_core.se_profile",
    "se_gateway_core.tuya_lock",
)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_core_imports_without_home_assistant() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    __import__(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'homeassistant', 'custom_components', 'network_simulator'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert result.stdout.strip() == "[]"


def test_the_import_contract_holds() -> None:
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout
    assert " 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        (
            "se_gateway_core/engine/clock.py",
            "import homeassistant.core",
            "The core",
        ),
        (
            "custom_components/se_gateway/sensor.py",
            "from .services import common",
            "platforms and entities do not import the services layer",
        ),
        (
            "network_simulator/catalogue.py",
            "from custom_components.se_gateway import const",
            "The simulator imports nothing of the integration",
        ),
        (
            "network_simulator/catalogue.py",
            "import se_gateway_core.engine",
            "The simulator imports nothing of the integration",
        ),
    ],
)
def test_the_import_contract_catches_a_forbidden_import(
    tmp_path: Path, module: str, forbidden_import: str, contract: str
) -> None:
    for folder in ("se_gateway_core", "custom_components", "network_simulator"):
        shutil.copytree(
            ROOT / folder,
            tmp_path / folder,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{forbidden_import}\n")

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in " ".join(broken.split())
