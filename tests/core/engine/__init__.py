"""Tests of the gateway engine."""
