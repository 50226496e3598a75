"""Tests of the bounded recent-frame memory."""

from __future__ import annotations

from custom_components.se_gateway.core.tuya_lock.replay_guard import (
    RecordGuard,
    ReplayGuard,
)


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


def test_record_guard_new_seq_and_tsn_is_a_new_record() -> None:
    guard = RecordGuard(4, window_s=30.0)
    assert guard.first_time("unlock@12:00:00", seq=1, tsn=10, now=0.0)
    assert guard.first_time("unlock@12:00:00", seq=2, tsn=11, now=0.4)


def test_record_guard_same_seq_is_the_same_record_however_late() -> None:
    guard = RecordGuard(4, window_s=30.0)
    assert guard.first_time("r", seq=1, tsn=10, now=0.0)
    assert not guard.first_time("r", seq=1, tsn=10, now=0.5)  # retransmitted
    assert not guard.first_time("r", seq=1, tsn=99, now=7200.0)  # after a rejoin


def test_record_guard_same_tsn_counts_only_within_the_window() -> None:
    guard = RecordGuard(4, window_s=30.0)
    assert guard.first_time("r", seq=1, tsn=10, now=0.0)
    assert not guard.first_time("r", seq=2, tsn=10, now=2.0)  # renumbered resend
    assert guard.first_time("r", seq=3, tsn=10, now=40.0)


def test_record_guard_other_content_is_never_a_repeat() -> None:
    guard = RecordGuard(4, window_s=30.0)
    assert guard.first_time("a", seq=1, tsn=10, now=0.0)
    assert guard.first_time("b", seq=1, tsn=10, now=0.0)


def test_record_guard_memory_is_bounded() -> None:
    guard = RecordGuard(2, window_s=30.0)
    for content in ("a", "b", "c"):
        assert guard.first_time(content, seq=1, tsn=1, now=0.0)
    assert len(guard) == 2
    assert guard.first_time("a", seq=1, tsn=1, now=100.0)  # pushed out by "c"
