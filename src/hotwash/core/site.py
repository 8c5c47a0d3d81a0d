"""A static site of all reviews: an index with client-side search and filters, and each
review in its audiences. Pure: entries in, a mapping of relative paths to file contents out.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from .html import page
from .model import Review
from .publish import Roster


@dataclass(frozen=True)
class Entry:
    """One review ready for the site: its Markdown for each audience and what to index."""

    slug: str
    title: str
    kind: str
    date: str
    services: tuple[str, ...]
    tags: tuple[str, ...]
    score: str
    text: str
    pages: dict[str, str] = field(default_factory=dict)  # audience -> Markdown
    withheld: str | None = None  # why the customer version is not published


def build_site(entries: list[Entry], *, version: str, title: str = "Reviews") -> dict[str, str]:
    from .render import environment

    files: dict[str, str] = {}
    rows = []
    for e in sorted(entries, key=lambda x: (x.date, x.slug), reverse=True):
        pages = {}
        for audience, markdown in e.pages.items():
            rel = f"reviews/{e.slug}/{audience}.html"
            nav = (
                " ".join(f'<a href="{a}.html">{a}</a>' for a in e.pages if a != audience)
                + ' <a href="../../index.html">all reviews</a>'
            )
            files[rel] = page(markdown, title=f"{e.title} ({audience})", version=version, nav=nav)
            pages[audience] = rel
        rows.append(
            {
                "slug": e.slug,
                "title": e.title,
                "kind": e.kind,
                "date": e.date,
                "services": list(e.services),
                "tags": list(e.tags),
                "score": e.score,
                "text": " ".join([e.title, e.kind, *e.services, *e.tags, e.text]).lower(),
                "pages": pages,
                "withheld": e.withheld,
            }
        )
    data = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")
    files["index.html"] = (
        environment()
        .get_template("site/index.html.j2")
        .render(
            title=html.escape(title),
            version=version,
            data=data,
            kinds=sorted({e.kind for e in entries}),
            services=[html.escape(s) for s in sorted({s for e in entries for s in e.services})],
            tags=[html.escape(t) for t in sorted({t for e in entries for t in e.tags})],
        )
    )
    return files


def make_entry(
    review: Review, source: str, *, native: bool, score: str, roster: Roster | None = None
) -> Entry:
    """The site entry of one review: internal, shareout and (when nothing leaks) customer."""
    from .publish import LeakError, customer, shareout
    from .render import render_pack

    pages = {
        "internal": render_pack(review) if native else source,
        "shareout": shareout(review, score=score),
    }
    withheld = None
    try:
        pages["customer"] = customer(review, roster or Roster())
    except LeakError as exc:
        withheld = str(exc)
    words = [
        review.summary or "",
        *(f.text for f in review.factors),
        *(x.text for x in review.learnings),
        *(a.text for a in review.actions),
        *(e.text for e in review.timeline),
    ]
    return Entry(
        slug=review.id,
        title=review.title,
        kind=review.kind.value,
        date=_date_of(review),
        services=tuple(review.services),
        tags=tuple(review.tags),
        score=score,
        text=" ".join(words),
        pages=pages,
        withheld=withheld,
    )


def _date_of(review: Review) -> str:
    """When it happened, as best known: the review date, the start, the first event."""
    if review.review_date:
        return review.review_date.isoformat()
    started = review.key_timestamps.started or (review.timeline[0].at if review.timeline else None)
    if started:
        return started.date().isoformat()
    return review.id[:10] if review.id[:4].isdigit() else ""
