"""Control-channel commands of the simulated lock, and its independence."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from network_simulator import Network
from network_simulator.control import ControlServer
from network_simulator.lock.alarms import ALARMS, alarm_code
from network_simulator.lock.credentials import Kind
from network_simulator.tuya_lock import LOCK_IEEE, TuyaLock

SIMULATOR = Path(__file__).parents[2] / "network_simulator"


@pytest.fixture
def control() -> ControlServer:
    server = ControlServer(Network(seed=5))
    server.execute("add lock")
    return server


def lock_of(control: ControlServer) -> TuyaLock:
    lock = control.network.devices[LOCK_IEEE]
    assert isinstance(lock, TuyaLock)
    return lock


@pytest.mark.parametrize(
    ("word", "code"),
    [("pry", 8), ("8", 8), ("PRY", 8), ("anti-pry", 8), ("low_battery", 10)],
)
def test_alarms_by_name_or_number(control: ControlServer, word: str, code: int) -> None:
    assert control.execute(f"lock {LOCK_IEEE} alarm {word}").startswith("ok locked=")
    assert alarm_code(word) == code
    assert lock_of(control).dropped  # the report was lost off the air


def test_every_alarm_name_has_its_own_code() -> None:
    assert sorted(ALARMS.values()) == list(range(14))


def test_an_unknown_alarm_is_an_error(control: ControlServer) -> None:
    answer = control.execute(f"lock {LOCK_IEEE} alarm explode")
    assert answer.startswith("error lock:")
    assert "pry" in answer


def test_keypad_finger_and_enrolment(control: ControlServer) -> None:
    lock = lock_of(control)
    control.execute(f"lock {LOCK_IEEE} enrol-finger thumb")
    assert lock.mcu.store.find(Kind.FINGERPRINT, "thumb") == 0
    assert control.execute(f"lock {LOCK_IEEE} finger thumb").startswith(
        "ok locked=False"
    )
    control.execute(f"lock {LOCK_IEEE} lock")
    assert control.execute(f"lock {LOCK_IEEE} keypad 999999").startswith(
        "ok locked=True"
    )


def test_add_a_lock_of_a_profile() -> None:
    server = ControlServer(Network(seed=5))
    answer = server.execute("add lock a4:c1:38:00:00:00:00:09 profile=password-free")
    assert answer == "ok a4:c1:38:00:00:00:00:09"
    lock = next(iter(server.network.devices.values()))
    assert isinstance(lock, TuyaLock)
    assert lock.manufacturer == "_TYST12_srptwvak"
    assert server.execute("add lock profile=nothing").startswith("error add:")
    assert server.execute("add meter profile=dp21").startswith("error add:")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path",
    [*sorted((SIMULATOR / "lock").glob("*.py")), SIMULATOR / "tuya_lock.py"],
    ids=lambda path: path.name,
)
def test_the_simulated_lock_imports_nothing_of_the_gateway(path: Path) -> None:
    for name in imported_modules(path):
        assert not name.startswith(("se_gateway_core", "custom_components")), name
