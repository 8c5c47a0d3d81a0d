"""Real headless Chromium (Debian's, driven by Playwright): shareouts print on one page,
and the site opens and searches."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES
from .test_cli import hotwash

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.md")))
def test_each_shareout_prints_on_one_page(browser: Any, tmp_path: Path, example: str) -> None:
    out = tmp_path / "shareout.html"
    result = hotwash(
        "publish", str(EXAMPLES / example), "-a", "shareout", "--format", "html", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto(out.as_uri())
    assert page.locator("h1").count() == 1
    assert page.locator("table tr").count() == 4  # header and the top three actions
    pdf = page.pdf(format="A4", print_background=False)
    page.close()
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 1


def test_html_is_sanitized_and_self_contained(browser: Any, tmp_path: Path) -> None:
    pack = tmp_path / "p.md"
    text = (EXAMPLES / "payments-api-outage.md").read_text()
    start = text.index("### Summary\n\n") + len("### Summary\n\n")
    pack.write_text(
        text[:start] + '<script>document.title="owned"</script>\n\n'
        '[x](javascript:alert(1)) <img src=x onerror="document.title=1">\n\n' + text[start:]
    )
    out = tmp_path / "internal.html"
    assert hotwash("publish", str(pack), "--format", "html", "-o", str(out)).returncode == 0
    html = out.read_text()
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # no outside assets
    page = browser.new_page()
    page.goto(out.as_uri())
    assert page.title() == "Payments API outage (internal)"
    page.close()


def test_site_opens_filters_and_searches(browser: Any, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = hotwash("site", str(EXAMPLES), "-o", str(site))
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    rows = page.locator("tr.review")
    assert rows.count() == 4
    assert page.locator("#count").inner_text() == "4 of 4 reviews"
    page.fill("#q", "connection pool")
    assert rows.count() == 1 and "Payments API outage" in rows.first.inner_text()
    page.fill("#q", "")
    page.select_option("#kind", "retro")
    assert rows.count() == 1
    page.select_option("#kind", "")
    page.fill("#q", "no such words anywhere")
    assert rows.count() == 0 and page.locator("#count").inner_text() == "0 of 4 reviews"
    page.fill("#q", "payments")
    page.locator("tr.review a", has_text="customer").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Payments API outage")
    assert "@" not in page.locator("main").inner_text()
    page.close()


def test_site_replaces_the_folder_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old")
    assert hotwash("site", str(EXAMPLES), "-o", str(site)).returncode == 0
    assert not (site / "stale.html").exists() and (site / "index.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_pdf_export_of_a_shareout_is_one_page(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "shareout.pdf"
    result = hotwash(
        "publish",
        str(EXAMPLES / "payments-api-outage.md"),
        "-a",
        "shareout",
        "--format",
        "pdf",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1


def test_pdf_needs_an_output_file() -> None:
    result = hotwash("publish", str(EXAMPLES / "payments-api-outage.md"), "--format", "pdf")
    assert result.returncode == 2 and "-o FILE.pdf" in result.stderr
