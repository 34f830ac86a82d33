"""Debian's headless Chromium for the browser tests: found, or installed with apt-get when we are root.

Outside CI a machine without it skips those tests with the reason; in CI (env CI set) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest


def chromium_path() -> str:
    """The Chromium binary, apt-installing Debian's ``chromium`` when missing and allowed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = [
            "apt-get",
            "install",
            "-y",
            "-o",
            "DPkg::Lock::Timeout=120",
            "--no-install-recommends",
            "chromium",
        ]
        for step in (
            [install],
            [["apt-get", "update", "-qq"], install],
        ):  # a fresh machine has no package lists
            for command in step:
                subprocess.run(command, capture_output=True, timeout=600, check=False, env=env)
            if path := shutil.which("chromium"):
                return path
    reason = "headless Chromium is not installed and could not be installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# Flags for Debian's chromium in a container, and the two widths every page is checked at.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]  # fmt: skip
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def new_page(browser: Any, size: str) -> tuple[Any, Any, list[str]]:
    """A Vietnamese-locale context at ``size`` and its page, with the list that collects script errors and
    CSP violations the page reports (a test asserts it stays empty)."""
    context = browser.new_context(viewport=SIZES[size], locale="vi-VN", is_mobile=size == "phone")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems
