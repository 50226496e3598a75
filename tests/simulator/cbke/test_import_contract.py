"""The simulator's CBKE is independent: it imports nothing of the gateway's.

Checked twice: statically (every import statement of every module of
``network_simulator.cbke``) and by importing the package in a fresh
interpreter, where neither ``se_gateway_core`` nor ``custom_components`` may
end up loaded. The parent package ``network_simulator`` is stubbed there so
that what others add to it cannot hide or cause a failure.
"""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

import network_simulator.cbke

PACKAGE = Path(network_simulator.cbke.__file__).parent
FORBIDDEN = ("se_gateway_core", "custom_components")
ALLOWED_TOP_LEVEL = {
    "__future__",
    "argparse",
    "collections",
    "cryptography",
    "dataclasses",
    "functools",
    "hmac",
    "secrets",
    "struct",
    "sys",
    "typing",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Return (relative level, module) of each import of a file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def test_static_imports() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert {path.name for path in modules} >= {"__init__.py", "__main__.py", "ec163.py"}

    for path in modules:
        for level, module in _imports(path):
            assert not module.startswith(FORBIDDEN), (path.name, module)
            if level == 0:
                assert module.split(".")[0] in ALLOWED_TOP_LEVEL, (path.name, module)
            else:
                assert level == 1, (path.name, module)  # within the package only


def test_runtime_imports() -> None:
    script = f"""
import importlib, pkgutil, sys, types
stub = types.ModuleType("network_simulator")
stub.__path__ = [{str(PACKAGE.parent)!r}]
sys.modules["network_simulator"] = stub
package = importlib.import_module("network_simulator.cbke")
for info in pkgutil.iter_modules(package.__path__):
    importlib.import_module("network_simulator.cbke." + info.name)
loaded = sorted(
    name for name in sys.modules if name.split(".")[0] in {FORBIDDEN!r}
)
print(len(package.__all__), loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, text=True
    )

    assert result.stdout.split(maxsplit=1)[1].strip() == "[]"
    assert int(result.stdout.split()[0]) > 0
