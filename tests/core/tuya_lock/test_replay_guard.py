"""Tests of the bounded recent-frame memory."""

from __future__ import annotations

from custom_components.se_gateway.core.tuya_lock.replay_guard import ReplayGuard


def test_second_sighting_is_not_first() -> None:
    guard = ReplayGuard(4)
    assert guard.first_time("a", 0.0)
    assert not guard.first_time("a", 1.0)
    assert guard.first_time("b", 1.0)


def test_memory_is_bounded() -> None:
    guard = ReplayGuard(2)
    for key in ("a", "b", "c"):
        assert guard.first_time(key, 0.0)
    assert len(guard) == 2
    assert guard.first_time("a", 0.0)  # pushed out by "c"
    assert not guard.first_time("c", 0.0)


def test_keys_expire() -> None:
    guard = ReplayGuard(4, max_age=10.0)
    assert guard.first_time("a", 0.0)
    assert not guard.first_time("a", 10.0)
    assert guard.first_time("a", 20.5)


def test_a_run_of_retransmissions_keeps_the_key_alive() -> None:
    guard = ReplayGuard(4, max_age=10.0)
    assert guard.first_time("a", 0.0)
    for now in (8.0, 16.0, 24.0):
        assert not guard.first_time("a", now)


def test_without_max_age_keys_never_expire() -> None:
    guard = ReplayGuard(4)
    assert guard.first_time("a", 0.0)
    assert not guard.first_time("a", 1e9)
