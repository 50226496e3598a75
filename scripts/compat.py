"""Test the integration on the oldest Home Assistant it claims; watch for newer ones.

Run by ``scripts/test-compat`` (which ``.ci/run`` calls after ``scripts/test``):

- ``run``: for the minimum in ``hacs.json``, and for the newest Home Assistant
  whose ZHA the registry serves when that is not the main suite's version,
  makes a venv in ``.cache/compat/ha-VERSION/`` with that Home Assistant, the
  ``pytest-homeassistant-custom-component`` release that pins it, and the
  exact zha and zha-quirks (and ZHA's dependencies' requirements) that its ZHA
  manifest pins; then imports every module of the integration and runs
  ``SUBSET``. A failure fails the command.
- ``notice``: asks the registry for the newest Home Assistant and whether its
  ZHA's pins are installable, and prints a notice when a newer Home Assistant
  than the main suite's can be tested. It never fails: an unreachable registry
  prints a notice too.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
import functools
import importlib.metadata
import json
import os
from pathlib import Path
import re
import subprocess
import sys
import time
from typing import Final
import zipfile

ROOT: Final = Path(__file__).resolve().parent.parent
CACHE: Final = ROOT / ".cache"
COMPAT: Final = CACHE / "compat"
UV: Final = CACHE / "bootstrap" / "bin" / "uv"
PIP: Final = CACHE / "bootstrap" / "bin" / "pip"
# ZHA, the integrations it depends on, and those its platforms import (the
# same set requirements_test.txt pins for the main suite).
ZHA_DOMAINS: Final = ("zha", "usb", "homeassistant_hardware", "backup", "infrared")
# Test tools the subset needs besides what pytest-homeassistant-custom-component
# brings, pinned as in requirements_test.txt.
TOOLS: Final = ("hypothesis", "scapy")
SUBSET: Final = (
    "tests/test_compat_imports.py",
    "tests/test_init.py",
    "tests/test_config_flow.py",
    "tests/test_triggers.py",
    "tests/zha/test_e2e.py",
    "tests/tuya_lock/test_lock_e2e.py",
    "tests/smart_energy/test_server_role.py",
)
VERSION: Final = re.compile(r"^\d+\.\d+\.\d+$")


class RegistryError(Exception):
    """The package registry did not answer as expected."""


@dataclass(frozen=True)
class Target:
    """A Home Assistant release to test, with the pins its ZHA needs."""

    homeassistant: str
    requirements: tuple[str, ...]


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a release version such as 2026.10.4."""
    return tuple(int(part) for part in version.split("."))


def declared_minimum() -> str:
    """Return the minimum Home Assistant that hacs.json declares."""
    hacs = json.loads((ROOT / "hacs.json").read_text())
    return str(hacs["homeassistant"])


def main_suite_version() -> str:
    """Return the Home Assistant version the main suite (.venv) runs."""
    return importlib.metadata.version("homeassistant")


def python_version() -> str:
    """Return the running Python's version, which the compat venvs use too."""
    return ".".join(str(part) for part in sys.version_info[:3])


def parse_index_versions(output: str) -> list[str]:
    """Return the final releases listed by ``pip index versions``, newest first."""
    for line in output.splitlines():
        if line.startswith("Available versions:"):
            listed = line.partition(":")[2].split(",")
            releases = [v.strip() for v in listed if VERSION.match(v.strip())]
            return sorted(releases, key=version_key, reverse=True)
    raise RegistryError("pip index versions listed no versions")


def _pip(*args: str, timeout: float = 300) -> str:
    try:
        result = subprocess.run(
            [str(PIP), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PIP_CACHE_DIR": str(CACHE / "pip")},
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RegistryError(f"pip {args[0]}: {err}") from err
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RegistryError(f"pip {' '.join(args[:3])}: {last}")
    return result.stdout


@functools.cache
def served_versions(package: str) -> list[str]:
    """Return the releases of ``package`` the registry serves for this Python."""
    return parse_index_versions(
        _pip(
            "index",
            "versions",
            "--python-version",
            python_version(),
            "--only-binary=:all:",
            package,
            timeout=120,
        )
    )


def requirements_from_wheel(wheel: Path, domains: Iterable[str]) -> list[str]:
    """Return the requirements that ``domains``' manifests pin in a HA wheel."""
    requirements: list[str] = []
    with zipfile.ZipFile(wheel) as zipped:
        for domain in domains:
            name = f"homeassistant/components/{domain}/manifest.json"
            manifest = json.loads(zipped.read(name))
            requirements.extend(manifest.get("requirements", []))
    return requirements


def homeassistant_wheel(version: str) -> Path:
    """Download (once) the homeassistant wheel of ``version``; return its path."""
    folder = COMPAT / "wheels"
    found = list(folder.glob(f"homeassistant-{version}-*.whl"))
    if not found:
        _pip(
            "download",
            "--no-deps",
            "--python-version",
            python_version(),
            "--only-binary=:all:",
            "-d",
            str(folder),
            f"homeassistant=={version}",
        )
        found = list(folder.glob(f"homeassistant-{version}-*.whl"))
    if not found:
        raise RegistryError(f"no wheel of homeassistant {version}")
    return found[0]


def target(version: str) -> Target:
    """Return the test target of a Home Assistant release."""
    return Target(
        version,
        tuple(requirements_from_wheel(homeassistant_wheel(version), ZHA_DOMAINS)),
    )


def unserved(requirements: Iterable[str]) -> list[str]:
    """Return the ``name==version`` pins the registry does not serve."""
    missing = []
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        if version not in served_versions(name):
            missing.append(requirement)
    return missing


def newest_testable(
    releases: Sequence[str], floor: str
) -> tuple[str | None, dict[str, list[str]]]:
    """Walk releases newest first down to ``floor``; return the first testable.

    A release is testable when every pin of its ZHA is served. Return it (None
    when there is none) and, for each newer release, the pins not served.
    """
    blocked: dict[str, list[str]] = {}
    for release in releases:
        if version_key(release) < version_key(floor):
            break
        missing = unserved(
            r for r in target(release).requirements if r.startswith("zha")
        )
        if not missing:
            return release, blocked
        blocked[release] = missing
    return None, blocked


def notice_text(
    newest: str, testable: str | None, blocked: Mapping[str, list[str]], main: str
) -> str:
    """Return the notice for the registry's state."""
    lines = [f"Newest Home Assistant on the registry: {newest}."]
    for release, missing in blocked.items():
        lines.append(
            f"  {release} is not testable yet: its ZHA needs {', '.join(missing)},"
            " which the registry does not serve."
        )
    if testable is None:
        lines.append("  No release at or above the main suite's is testable.")
    elif version_key(testable) > version_key(main):
        lines.append(
            f"NOTICE: Home Assistant {testable} is installable with its ZHA; the"
            f" main suite runs {main}. Move requirements_test.txt to it."
        )
    else:
        lines.append(f"  The main suite's {main} is the newest testable release.")
    return "\n".join(lines)


def notice() -> tuple[str | None, str]:
    """Ask the registry; return the newest testable release and the notice."""
    main = main_suite_version()
    try:
        releases = served_versions("homeassistant")
        testable, blocked = newest_testable(releases, main)
    except RegistryError as err:
        return None, f"Could not ask the registry about newer Home Assistant: {err}"
    return testable, notice_text(releases[0], testable, blocked, main)


def tool_pins() -> list[str]:
    """Return requirements_test.txt's pins of TOOLS."""
    pins = []
    for line in (ROOT / "requirements_test.txt").read_text().splitlines():
        name = line.partition("==")[0].strip()
        if name in TOOLS:
            pins.append(line.strip())
    return pins


def make_venv(release: Target) -> Path:
    """Create (or reuse) the venv of ``release``; return its python."""
    venv = COMPAT / f"ha-{release.homeassistant}"
    python = venv / "bin" / "python"
    wanted = [
        f"homeassistant=={release.homeassistant}",
        "pytest-homeassistant-custom-component",
        *release.requirements,
        *tool_pins(),
    ]
    stamp = venv / ".installed"
    if stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return python
    env = {**os.environ, "UV_CACHE_DIR": str(CACHE / "uv")}
    subprocess.run(
        [str(UV), "venv", "-q", "--clear", "--python", sys.executable, str(venv)],
        check=True,
        env=env,
    )
    # uv picks the pytest-homeassistant-custom-component release whose
    # homeassistant pin is this release.
    subprocess.run(
        [str(UV), "pip", "install", "-q", "--python", str(python), *wanted],
        check=True,
        env=env,
    )
    stamp.write_text("\n".join(wanted))
    return python


def run_target(
    release: Target, pytest_args: Sequence[str], *, must_install: bool = True
) -> bool:
    """Install and test one release; return whether it passed.

    A release that cannot be installed fails, unless ``must_install`` is False
    (a newer release whose pytest-homeassistant-custom-component is not out
    yet): then it is a notice.
    """
    started = time.monotonic()
    print(f"== Home Assistant {release.homeassistant}: installing", flush=True)
    try:
        python = make_venv(release)
    except subprocess.CalledProcessError as err:
        if must_install:
            raise
        print(
            f"NOTICE: Home Assistant {release.homeassistant} does not install yet"
            f" ({err}); not tested.",
            flush=True,
        )
        return True
    installed = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m; print(' '.join(f'{p} {m.version(p)}' for p"
            " in ('homeassistant', 'pytest-homeassistant-custom-component', 'zha',"
            " 'zha-quirks', 'zigpy')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"== {installed}", flush=True)
    if not installed.startswith(f"homeassistant {release.homeassistant} "):
        print(f"== wrong Home Assistant installed: {installed}", flush=True)
        return False
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            *SUBSET,
            *pytest_args,
        ],
        cwd=ROOT,
        check=False,
    )
    elapsed = time.monotonic() - started
    verdict = "passed" if result.returncode == 0 else "FAILED"
    print(f"== Home Assistant {release.homeassistant}: {verdict} in {elapsed:.0f} s")
    return result.returncode == 0


def run(pytest_args: Sequence[str]) -> int:
    """Test the declared minimum and the newest testable release."""
    minimum = declared_minimum()
    testable, text = notice()
    print(text, flush=True)
    try:
        failed = [] if run_target(target(minimum), pytest_args) else [minimum]
        if testable is not None and version_key(testable) > version_key(
            main_suite_version()
        ):
            newest = run_target(target(testable), pytest_args, must_install=False)
            failed += [] if newest else [testable]
    except (RegistryError, subprocess.CalledProcessError) as err:
        print(f"Could not install the Home Assistant to test: {err}", flush=True)
        return 1
    if failed:
        print(f"Failed on Home Assistant {', '.join(failed)}", flush=True)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("run", "notice"))
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "notice":
        print(notice()[1])
        return 0
    return run(args.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
