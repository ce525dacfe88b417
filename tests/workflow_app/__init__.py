"""A test-only app holding a tiny workflow model for the shared workflow helper's tests.

Installed only under pytest, by `pytest_configure` in tests/conftest.py.
"""
