"""Fixtures: a zigpy application on a fake radio."""

from __future__ import annotations

import pytest

from .fake_zigpy import FakeApplication


@pytest.fixture
def app() -> FakeApplication:
    """Return a zigpy application on a fake radio."""
    return FakeApplication()
