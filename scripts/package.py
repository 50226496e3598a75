"""Build the HACS release zip: the integration with its bundled core.

``custom_components/se_gateway/core`` is a symbolic link to the single source,
``se_gateway_core`` (the Home Assistant-free code). The zip holds real files,
so HACS extracts a self-contained integration into
``custom_components/se_gateway``.

Usage: .venv/bin/python scripts/package.py [OUTPUT.zip]
"""

from __future__ import annotations

import os
from pathlib import Path
import sys
import zipfile

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "se_gateway"
SKIPPED = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def files_to_package(integration: Path = INTEGRATION) -> list[tuple[Path, str]]:
    """Return (source file, name in the zip) pairs, following symbolic links."""
    found: list[tuple[Path, str]] = []
    for folder, dirs, files in os.walk(integration, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix != ".pyc":
                found.append((path, path.relative_to(integration).as_posix()))
    return found


def build(output: Path) -> Path:
    """Write the zip and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for source, name in files_to_package():
            archive.write(source, name)
    return output


if __name__ == "__main__":
    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "se_gateway.zip"
    )
    print(build(target))
