"""Standalone, sanitized HTML for a published document, with print CSS and no outside links.

Markdown becomes HTML through pyromark (CommonMark and GFM tables); the result goes
through nh3 (the Ammonia sanitizer), so raw HTML, scripts, event handlers and unsafe link
targets in a pack never reach a reader's browser. Pure: text in, text out.
"""

from __future__ import annotations

import html
import re


def markdown_to_html(markdown: str) -> str:
    """The body HTML of ``markdown`` (front matter dropped), sanitized."""
    import nh3
    import pyromark

    if markdown.startswith("---\n"):
        end = markdown.find("\n---", 4)
        if end > 0:
            markdown = markdown[end + 4 :].split("\n", 1)[-1]
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    body = pyromark.html(markdown, options=options)
    return str(nh3.clean(body, link_rel="noopener noreferrer"))


def page(markdown: str, *, title: str, version: str, nav: str = "") -> str:
    """A complete HTML document: the sanitized body inside the site template."""
    from .render import environment

    body = markdown_to_html(markdown)
    return str(
        environment()
        .get_template("site/page.html.j2")
        .render(title=html.escape(_plain(title)), body=body, nav=nav, version=version)
    )


def _plain(text: str) -> str:
    return re.sub(r"[*_`]", "", text)
