"""Date and time text never reaches ciso8601 when it would crash the process."""

from __future__ import annotations

from datetime import UTC, datetime

import probatio
import pytest

from custom_components.se_gateway.datetimes import datetime_value, parse_datetime
from custom_components.se_gateway.services.se_fields import se_time

# ciso8601 2.3.3 ends the interpreter with a segmentation fault on these.
CRASHING = ("\ud800", "2026-01-01T00:00:00\udfff", "2026-01-01T00:00:00+\ud800")


@pytest.mark.parametrize("text", CRASHING)
def test_text_that_is_not_unicode_is_no_date(text: str) -> None:
    assert parse_datetime(text) is None
    with pytest.raises(probatio.Invalid):
        datetime_value(text)
    with pytest.raises(probatio.Invalid):
        se_time(text)


def test_dates_still_parse() -> None:
    expected = datetime(2026, 1, 1, tzinfo=UTC)

    assert parse_datetime("2026-01-01T00:00:00+00:00") == expected
    assert datetime_value("2026-01-01T00:00:00+00:00") == expected
    assert (
        se_time("2026-01-01T00:00:00+00:00") == 820540800
    )  # seconds since 2000-01-01 UTC
