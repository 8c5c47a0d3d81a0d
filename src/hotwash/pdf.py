"""PDF through a real browser's print engine (the optional extra ``hotwash[pdf]``).

Uses Playwright to drive a Chromium that is already installed (Debian's ``chromium``, or
the path in ``HOTWASH_CHROMIUM``); it never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .core.errors import UsageError

_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str:
    for candidate in (
        os.environ.get("HOTWASH_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise UsageError(
        "PDF needs Chromium: install it (Debian: apt-get install chromium) or set "
        "HOTWASH_CHROMIUM to its path"
    )


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` to A4 PDF bytes with the page's own print CSS."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UsageError("PDF needs the optional extra: pip install 'hotwash[pdf]'") from None
    chromium = find_chromium()
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "page.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=_FLAGS, headless=True)
            try:
                page = browser.new_page()
                page.goto(page_file.as_uri())
                return bytes(page.pdf(format="A4"))
            finally:
                browser.close()
