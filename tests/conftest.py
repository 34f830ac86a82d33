"""Shared pytest setup: the real-server fixtures are plugins under tests/support/."""

import importlib.util

pytest_plugins = [
    name
    for name in (
        "tests.support.mailstack",
        "tests.support.testdns",
        "tests.support.db",
        "tests.support.relay",
    )
    if importlib.util.find_spec(name) is not None
]
