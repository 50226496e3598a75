"""Fixtures: a zigpy application on a fake radio."""

from __future__ import annotations

from hypothesis import find, strategies as st
import pytest

from .fake_zigpy import FakeApplication


def pytest_collection_finish() -> None:
    """Let Hypothesis create its own PRNG before the first test.

    pytest-homeassistant-custom-component freezes the garbage collector before
    each test module. When Hypothesis first creates its PRNG after such a
    freeze, it cannot see what holds it and warns that ``register_random`` was
    given an object about to be collected. Running Hypothesis once after
    collection, before any test, creates and registers the PRNG in time.
    """
    find(st.none(), lambda _: True)


@pytest.fixture
def app() -> FakeApplication:
    """Return a zigpy application on a fake radio."""
    return FakeApplication()
