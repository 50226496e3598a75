"""One source of truth: the release zip and ZHA's custom quirks folder."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys
import zipfile

import homeassistant
import pytest
import yaml

from scripts.package import build, files_to_package

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "se_gateway_core"
INTEGRATION = ROOT / "custom_components" / "se_gateway"


def _run(code: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bundled_quirks_are_the_source_itself() -> None:
    link = INTEGRATION / "core"
    assert link.is_symlink()
    assert link.resolve() == SOURCE.resolve()


def test_zip_holds_every_quirk_file_as_a_real_file(tmp_path: Path) -> None:
    archive = build(tmp_path / "se_gateway.zip")

    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        for source in SOURCE.rglob("*.py"):
            if "__pycache__" in source.parts:
                continue
            name = "core/" + source.relative_to(SOURCE).as_posix()
            assert name in names
            assert zipped.read(name) == source.read_bytes()
        assert "manifest.json" in names
        assert "brand/icon.png" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_no_file_is_packaged_twice() -> None:
    names = [name for _source, name in files_to_package()]
    assert len(names) == len(set(names))


def test_extracted_zip_registers_the_quirks(tmp_path: Path) -> None:
    target = tmp_path / "custom_components" / "se_gateway"
    with zipfile.ZipFile(build(tmp_path / "se_gateway.zip")) as zipped:
        zipped.extractall(target)

    out = _run(
        "import homeassistant.core\n"
        "import custom_components.se_gateway.zha.quirks as q\n"
        "from zigpy.zcl import Cluster\n"
        "print(q.__file__)\n"
        "print(Cluster._registry[0x0700].__module__)\n",
        cwd=tmp_path,
    )

    assert out.splitlines() == [
        str(target / "zha" / "quirks.py"),
        "custom_components.se_gateway.core.clusters.price",
    ]


@pytest.mark.parametrize("loads", [1, 2])
def test_quirks_folder_loads_as_zha_custom_quirks(loads: int) -> None:
    out = _run(
        "import zhaquirks\n"
        "from zha.quirks import DEVICE_REGISTRY\n"
        "from zigpy.zcl import Cluster\n"
        f"for _ in range({loads}):\n"
        f"    zhaquirks.setup(custom_quirks_path={str(ROOT / 'quirks')!r})\n"
        "ours = [e for e in DEVICE_REGISTRY\n"
        "        if e.source.module.startswith('se_gateway_core')]\n"
        "print(sorted(m.model for e in ours for m in e.device_match.applies_to))\n"
        "print(Cluster._registry[0x0701].__module__)\n",
        cwd=ROOT,
    )

    # Each quirk once, even after ZHA purged and loaded the folder again.
    assert out.splitlines() == [
        "['TY0A01', 'TY0A02']",
        "se_gateway_core.clusters.drlc",
    ]


def test_manifest_follows_hassfest_rules() -> None:
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    keys = list(manifest)

    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == "se_gateway"
    for key in ("version", "codeowners", "documentation", "issue_tracker", "iot_class"):
        assert manifest[key]
    assert manifest["iot_class"] == "local_push"
    assert manifest["config_flow"] is True
    assert not list(ROOT.glob("quirks/**/manifest.json"))


def test_hacs_json_has_only_valid_keys() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    valid = {
        "name",
        "content_in_root",
        "zip_release",
        "filename",
        "hide_default_branch",
        "country",
        "homeassistant",
        "hacs",
        "persistent_directory",
    }
    assert set(hacs) <= valid
    assert hacs["zip_release"] is True
    assert hacs["filename"] == "se_gateway.zip"


def test_declared_minimum_home_assistant_is_the_tested_one() -> None:
    """hacs.json, the README and scripts/test-compat name the same minimum.

    scripts/test-compat tests hacs.json's minimum; 2026.9 lacks
    ``homeassistant.components.binary_sensor.const`` and ``notify.const``.
    """
    minimum = json.loads((ROOT / "hacs.json").read_text())["homeassistant"]
    readme = (ROOT / "README.md").read_text()
    requirements = readme.split("## Requirements", 1)[1].split("\n## ", 1)[0]

    assert tuple(int(part) for part in minimum.split(".")) >= (2026, 10, 0)
    assert f"Home Assistant {minimum} or newer" in " ".join(requirements.split())


def test_brand_icon_is_a_256_pixel_png() -> None:
    head = (INTEGRATION / "brand" / "icon.png").read_bytes()[:24]

    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20]) == int.from_bytes(head[20:24]) == 256


def test_translations_cover_the_flows() -> None:
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())
    assert not (INTEGRATION / "strings.json").exists()
    assert "zha_not_loaded" in strings["config"]["abort"]
    assert "zha_not_loaded" in strings["exceptions"]
    assert "[%key:" not in json.dumps(strings)


def test_quality_scale_covers_every_rule() -> None:
    """Every rule of a core platinum integration's file is done or exempt, with why."""
    components = Path(homeassistant.__file__).parent / "components"
    reference = yaml.safe_load(
        (components / "nordpool" / "quality_scale.yaml").read_text()
    )["rules"]
    ours = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]

    assert set(ours) == set(reference)
    for rule, value in ours.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in ("done", "exempt"), rule
        if status == "exempt":
            assert value["comment"], rule
