"""scripts/compat.py: which Home Assistant releases it tests, and its notice."""

from __future__ import annotations

import json
from pathlib import Path
import re
import zipfile

import pytest

from scripts import compat

ROOT = Path(__file__).resolve().parent.parent.parent

PIP_INDEX_OUTPUT = """homeassistant (2026.11.0)
Available versions: 2026.11.0, 2026.11.0b3, 2026.10.4, 2026.9.4, 2026.10.0
  INSTALLED: 2026.10.4
"""


def test_index_versions_are_final_releases_newest_first() -> None:
    assert compat.parse_index_versions(PIP_INDEX_OUTPUT) == [
        "2026.11.0",
        "2026.10.4",
        "2026.10.0",
        "2026.9.4",
    ]


def test_index_without_versions_is_a_registry_error() -> None:
    with pytest.raises(compat.RegistryError):
        compat.parse_index_versions("ERROR: No matching distribution found\n")


def test_requirements_are_read_from_the_wheels_manifests(tmp_path: Path) -> None:
    wheel = tmp_path / "homeassistant-2026.10.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zipped:
        for domain, requirements in (
            ("zha", ["zha==2.3.0", "zha-quirks==2.3.0"]),
            ("usb", ["aiousbwatcher==1.1.2"]),
            ("http", ["aiohttp==9"]),
        ):
            zipped.writestr(
                f"homeassistant/components/{domain}/manifest.json",
                json.dumps({"domain": domain, "requirements": requirements}),
            )

    assert compat.requirements_from_wheel(wheel, ("zha", "usb")) == [
        "zha==2.3.0",
        "zha-quirks==2.3.0",
        "aiousbwatcher==1.1.2",
    ]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A fake registry: 2026.11.0's ZHA pins are not served, 2026.10.4's are."""
    served = {
        "zha": ["2.3.1", "2.3.0"],
        "zha-quirks": ["2.3.0"],
    }
    pins = {
        "2026.11.0": ("zha==2.4.2", "zha-quirks==2.4.1", "serialx==1.12.0"),
        "2026.10.4": ("zha==2.3.1", "zha-quirks==2.3.0", "serialx==1.11.0"),
        "2026.10.0": ("zha==2.3.0", "zha-quirks==2.3.0", "serialx==1.11.0"),
    }
    monkeypatch.setattr(compat, "served_versions", lambda name: served[name])
    monkeypatch.setattr(
        compat, "target", lambda version: compat.Target(version, pins[version])
    )
    return served


@pytest.mark.usefixtures("registry")
def test_the_newest_testable_release_skips_those_whose_zha_is_not_served() -> None:
    testable, blocked = compat.newest_testable(
        ["2026.11.0", "2026.10.4", "2026.10.0"], "2026.10.4"
    )

    assert testable == "2026.10.4"
    assert blocked == {"2026.11.0": ["zha==2.4.2", "zha-quirks==2.4.1"]}


def test_newest_testable_stops_at_the_floor(registry: dict[str, list[str]]) -> None:
    registry["zha"] = []

    assert compat.newest_testable(["2026.11.0", "2026.10.4"], "2026.10.4") == (
        None,
        {
            "2026.11.0": ["zha==2.4.2", "zha-quirks==2.4.1"],
            "2026.10.4": ["zha==2.3.1"],
        },
    )


def test_notice_names_a_newer_testable_release() -> None:
    text = compat.notice_text("2026.11.0", "2026.11.0", {}, "2026.10.4")

    assert "NOTICE: Home Assistant 2026.11.0 is installable" in text


def test_no_notice_when_the_main_suite_runs_the_newest_testable() -> None:
    text = compat.notice_text(
        "2026.11.0", "2026.10.4", {"2026.11.0": ["zha==2.4.2"]}, "2026.10.4"
    )

    assert "NOTICE" not in text
    assert "2026.11.0 is not testable yet: its ZHA needs zha==2.4.2" in text


def test_an_unreachable_registry_is_a_notice_not_a_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreachable(_name: str) -> list[str]:
        raise compat.RegistryError("pip index: connection refused")

    monkeypatch.setattr(compat, "served_versions", unreachable)

    testable, text = compat.notice()

    assert testable is None
    assert text.startswith("Could not ask the registry")
    assert compat.main(["notice"]) == 0


def test_the_minimum_tested_is_the_one_hacs_json_declares() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())

    assert compat.declared_minimum() == hacs["homeassistant"]
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", compat.declared_minimum())


def test_the_subset_exists_and_the_tools_are_pinned_as_in_the_main_suite() -> None:
    for path in compat.SUBSET:
        assert (ROOT / path).is_file(), path
    assert sorted(pin.partition("==")[0] for pin in compat.tool_pins()) == sorted(
        compat.TOOLS
    )
    assert all("==" in pin for pin in compat.tool_pins())


def test_ci_runs_the_compat_tests_after_the_main_suite() -> None:
    ci = (ROOT / ".ci" / "run").read_text()

    assert ci.index("scripts/test\n") < ci.index("scripts/test-compat")


@pytest.mark.parametrize(
    ("testable", "failing", "tested", "code"),
    [
        ("2026.10.4", set(), ["2026.10.0"], 0),
        (None, set(), ["2026.10.0"], 0),
        ("2026.11.0", set(), ["2026.10.0", "2026.11.0"], 0),
        ("2026.11.0", {"2026.11.0"}, ["2026.10.0", "2026.11.0"], 1),
        ("2026.10.4", {"2026.10.0"}, ["2026.10.0"], 1),
    ],
)
def test_run_tests_the_minimum_and_a_newer_testable_release(
    monkeypatch: pytest.MonkeyPatch,
    testable: str | None,
    failing: set[str],
    tested: list[str],
    code: int,
) -> None:
    ran: list[str] = []

    def run_target(release: compat.Target, _args: object, **_kw: object) -> bool:
        ran.append(release.homeassistant)
        return release.homeassistant not in failing

    monkeypatch.setattr(compat, "declared_minimum", lambda: "2026.10.0")
    monkeypatch.setattr(compat, "main_suite_version", lambda: "2026.10.4")
    monkeypatch.setattr(compat, "notice", lambda: (testable, "notice"))
    monkeypatch.setattr(compat, "target", lambda v: compat.Target(v, ()))
    monkeypatch.setattr(compat, "run_target", run_target)

    assert compat.run([]) == code
    assert ran == tested
