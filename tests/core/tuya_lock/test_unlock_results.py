"""Tests of matching remote unlock results to the requests they answer."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.se_gateway.core.tuya_lock import events as ev
from custom_components.se_gateway.core.tuya_lock.commands import (
    CommandId,
    DataMessage,
)
from custom_components.se_gateway.core.tuya_lock.datapoints import bool_dp, raw_dp
from custom_components.se_gateway.core.tuya_lock.unlock_results import (
    UnlockResultMatcher,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def answer(
    success: bool, *, answers_seq: int | None, key_id: int | None = None
) -> ev.RemoteUnlockResult:
    return ev.RemoteUnlockResult(success, NOW, 900, answers_seq, key_id)


def test_a_response_answers_the_request_whose_seq_it_echoes() -> None:
    matcher = UnlockResultMatcher()
    matcher.sent(1, None, 0.0)
    matcher.sent(2, None, 16.0)  # the first timed out; the second is pending
    late = matcher.match(answer(True, answers_seq=1), 17.0)
    assert late is not None
    assert late.seq == 1  # the late answer goes to the first, not the second
    current = matcher.match(answer(False, answers_seq=2), 18.0)
    assert current is not None
    assert current.seq == 2
    assert matcher.outstanding == ()


def test_an_answer_is_taken_once_and_unknown_seqs_answer_nothing() -> None:
    matcher = UnlockResultMatcher()
    matcher.sent(5, None, 0.0)
    assert matcher.match(answer(True, answers_seq=4), 1.0) is None
    assert matcher.match(answer(True, answers_seq=5), 1.0) is not None
    assert matcher.match(answer(True, answers_seq=5), 1.5) is None  # repeated


def test_a_reported_result_answers_the_oldest_unanswered_request() -> None:
    matcher = UnlockResultMatcher()
    matcher.sent(1, None, 0.0)
    matcher.sent(2, None, 16.0)
    first = matcher.match(answer(True, answers_seq=None), 17.0)
    second = matcher.match(answer(False, answers_seq=None), 18.0)
    assert (first and first.seq, second and second.seq) == (1, 2)


def test_a_dp49_answer_must_carry_the_requests_key_id() -> None:
    matcher = UnlockResultMatcher()
    matcher.sent(1, 1, 0.0)
    matcher.sent(2, 2, 1.0)
    assert matcher.match(answer(True, answers_seq=1, key_id=2), 2.0) is None
    matched = matcher.match(answer(True, answers_seq=None, key_id=2), 2.0)
    assert matched is not None
    assert matched.seq == 2
    assert [request.seq for request in matcher.outstanding] == [1]


def test_requests_never_answered_are_forgotten_after_the_late_window() -> None:
    matcher = UnlockResultMatcher(late_window_s=60.0)
    matcher.sent(1, None, 0.0)  # never answered
    matcher.sent(2, None, 61.0)
    matched = matcher.match(answer(True, answers_seq=None), 62.0)
    assert matched is not None
    assert matched.seq == 2


def test_the_dispatcher_says_which_request_a_result_answers() -> None:
    dispatcher = ev.LockEventDispatcher()
    response = DataMessage(CommandId.DATA_RESPONSE, 7, (bool_dp(22, True),))
    (dp22,) = dispatcher.feed(response, tsn=1, received_at=NOW)
    assert dp22 == ev.RemoteUnlockResult(True, NOW, 7, answers_seq=7)
    report = DataMessage(
        CommandId.DATA_REPORT, 300, (raw_dp(49, bytes.fromhex("000003")),)
    )
    (dp49,) = dispatcher.feed(report, tsn=2, received_at=NOW)
    assert dp49 == ev.RemoteUnlockResult(True, NOW, 300, answers_seq=None, key_id=3)
