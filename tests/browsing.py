"""Headless Chromium for the browser tests: Debian's ``chromium`` with its
``chromedriver``, driven by selenium without any download.

Outside CI a browser test is skipped, saying why, when no browser can be found;
``.ci/run`` installs it and sets ``PLANNER_BROWSER_REQUIRED``, so that there a missing
browser fails instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def headless_chromium(profile: Path, size: str) -> Any:
    """A headless Chromium with its own profile folder and a window of ``size``
    (``"1400,1000"``) that asks nothing of the network; skips (or fails in CI) when there
    is no browser."""
    if not (BROWSER and DRIVER):
        why = "no chromium and chromedriver here (apt-get install chromium chromium-driver)"
        if os.environ.get("PLANNER_BROWSER_REQUIRED"):
            pytest.fail(why)
        pytest.skip(why)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={size}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(DRIVER), options=options)
