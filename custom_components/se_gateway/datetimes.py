r"""Date and time text, parsed without taking the process down.

Home Assistant's ``dt_util.parse_datetime`` (and so ``cv.datetime``) hands the
text to ciso8601, whose C parser (2.3.3) crashes the interpreter with a
segmentation fault on a lone surrogate such as ``"\\ud800"``: one action call
would stop Home Assistant. Text that is not valid Unicode is no date, so it is
refused before it reaches ciso8601 (found by ``tests/test_action_fuzz.py``;
the upstream report is in ``docs/upstream.md``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio


def _is_unicode(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def parse_datetime(text: str) -> datetime | None:
    """Return the date and time ``text`` holds, or None."""
    return dt_util.parse_datetime(text) if _is_unicode(text) else None


def datetime_value(value: Any) -> datetime:
    """Validate a date and time as ``cv.datetime`` does, without the crash."""
    if isinstance(value, str) and not _is_unicode(value):
        raise probatio.Invalid("invalid datetime")
    return cv.datetime(value)
