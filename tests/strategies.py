"""Hypothesis strategies that generate whole reviews, as a person might write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from hotwash.core.model import (
    ActionStatus,
    Category,
    Cluster,
    DecisionType,
    EntryKind,
    FactorType,
    ImpactArea,
    Kind,
    Level,
    Priority,
    Purpose,
    RetroFormat,
    Review,
    Status,
    TriggerAction,
)

# Words with the punctuation people type: inline Markdown, pipes, colons, digits.
WORD = st.one_of(
    st.sampled_from(
        [
            "db",
            "pool",
            "alert",
            "p99",
            "TLS",
            "rollback",
            "cache",
            "deploy",
            "eu-west-1",
            "v2.3.1",
            "50%",
            "a|b",
            "`code`",
            "*em*",
            "**bold**",
            "x_y",
            "[ref]",
            "(note)",
            "@sam",
            "n/a",
            "it's",
            '"quoted"',
            "1.5x",
            "12:30",
            "~2",
            "#42",
            "&",
            "<3",
            "-",
            "+",
            "1.",
            "=",
            "café",
            "日本",
            "🙂",
            "->",
            "a:b",
            "=>",
            "10ms",
            "\\d",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=10),
)


@st.composite
def lines(draw: Any, max_words: int = 8) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=max_words))
    return " ".join(words)


@st.composite
def prose(draw: Any) -> str:
    paragraphs = draw(st.lists(lines(max_words=20), min_size=1, max_size=3))
    return "\n\n".join(paragraphs)


HANDLE = st.from_regex(r"@[a-z](?:[a-z0-9._-]{0,9}[a-z0-9_])?", fullmatch=True)
DAY = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
INSTANT = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)
URL = st.from_regex(r"https://[a-z]{1,8}\.example\.com/[a-z0-9/_-]{0,20}", fullmatch=True)


def maybe(strategy: Any) -> Any:
    return st.none() | strategy


def values(enum: Any) -> Any:
    return st.sampled_from([e.value for e in enum])


@st.composite
def reviews(draw: Any) -> Review:
    n_factors = draw(st.integers(0, 5))
    factor_ids = [f"F{i}" for i in range(1, n_factors + 1)]
    n_learn = draw(st.integers(0, 4))
    learning_ids = [f"L{i}" for i in range(1, n_learn + 1)]
    ids = st.lists(st.sampled_from(factor_ids), unique=True) if factor_ids else st.just([])
    data: dict[str, Any] = {
        "id": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        "kind": draw(values(Kind)),
        "title": draw(lines()),
        "status": draw(values(Status)),
        "review_date": draw(maybe(DAY)),
        "stabilized": draw(maybe(st.booleans())),
        "location": draw(maybe(URL)),
        "services": draw(st.lists(lines(2), max_size=2)),
        "tags": draw(st.lists(lines(1), max_size=3)),
        "purposes": draw(st.lists(values(Purpose), unique=True, max_size=3)),
        "retro_format": draw(maybe(values(RetroFormat))),
        "brief": {
            "goal": draw(maybe(prose())),
            "roles": {
                "facilitator": draw(maybe(HANDLE)),
                "scribe": draw(maybe(HANDLE)),
                "decision_owner": draw(maybe(HANDLE)),
            },
            "attendees": draw(st.lists(lines(3), max_size=4)),
            "audience": draw(st.lists(lines(), max_size=3)),
            "constraints": draw(st.lists(lines(), max_size=3)),
            "ground_rules": draw(st.lists(lines(), max_size=3)),
            "pre_reads": draw(st.lists(lines(), max_size=3)),
            "agenda": draw(
                st.lists(
                    st.fixed_dictionaries({"minutes": st.integers(1, 120), "item": lines()}),
                    max_size=4,
                )
            ),
        },
        "summary": draw(maybe(prose())),
        "key_timestamps": draw(
            st.fixed_dictionaries(
                {
                    k: maybe(INSTANT)
                    for k in ("started", "detected", "acknowledged", "mitigated", "resolved")
                }
            )
        ),
        "okr": {
            "objective": draw(maybe(lines())),
            "period": draw(maybe(lines(2))),
            "grade": draw(maybe(st.floats(0, 1))),
        },
        "key_results": [
            {
                "id": f"KR{i}",
                "text": draw(lines()),
                "target": draw(maybe(lines(2))),
                "result": draw(maybe(lines(2))),
                "grade": draw(maybe(st.floats(0, 1))),
            }
            for i in range(1, draw(st.integers(0, 3)) + 1)
        ],
        "retro_board": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"column": lines(1), "text": lines(), "votes": maybe(st.integers(0, 30))}
                ),
                max_size=4,
            )
        ),
        "timeline": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "at": INSTANT,
                        "kind": values(EntryKind),
                        "actor": maybe(HANDLE | lines(2)),
                        "text": lines(),
                        "source": maybe(lines(2)),
                        "link": maybe(URL),
                    }
                ),
                max_size=6,
            )
        ),
        "impact": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "area": maybe(values(ImpactArea)),
                        "measure": lines(3),
                        "value": maybe(
                            st.decimals(
                                allow_nan=False,
                                allow_infinity=False,
                                places=2,
                                min_value=Decimal("-1e9"),
                                max_value=Decimal("1e9"),
                            )
                        ),
                        "approx": st.booleans(),
                        "unit": maybe(lines(1)),
                        "how_we_know": maybe(lines()),
                    }
                ),
                max_size=4,
            )
        ),
        "factors": [
            {
                "id": fid,
                "cluster": draw(maybe(values(Cluster))),
                "type": draw(maybe(values(FactorType))),
                "text": draw(lines()),
                "why_it_made_sense": draw(maybe(lines())),
                "evidence": draw(maybe(lines())),
            }
            for fid in factor_ids
        ],
        "failure_modes": [
            {
                "id": f"R{i}",
                "text": draw(lines()),
                "likelihood": draw(maybe(values(Level))),
                "impact": draw(maybe(values(Level))),
            }
            for i in range(1, draw(st.integers(0, 3)) + 1)
        ],
        "whys": [
            {"factor": fid, "steps": draw(st.lists(lines(), min_size=1, max_size=5))}
            for fid in draw(ids)
        ],
        "hypotheses": [
            {
                "id": f"H{i}",
                "text": draw(lines()),
                "confidence": draw(maybe(values(Level))),
                "factors": draw(ids),
            }
            for i in range(1, draw(st.integers(0, 3)) + 1)
        ],
        "went_well": draw(st.lists(lines(), max_size=3)),
        "went_badly": draw(st.lists(lines(), max_size=3)),
        "lucky": draw(st.lists(lines(), max_size=2)),
        "learnings": [
            {"id": lid, "text": draw(lines()), "evidence": draw(maybe(lines()))}
            for lid in learning_ids
        ],
        "decisions": [
            {
                "id": f"D{i}",
                "text": draw(lines()),
                "type": draw(maybe(values(DecisionType))),
                "learning": draw(maybe(st.sampled_from(learning_ids))) if learning_ids else None,
                "rationale": draw(maybe(lines())),
                "tradeoffs": draw(maybe(lines())),
            }
            for i in range(1, draw(st.integers(0, 3)) + 1)
        ],
        "actions": [
            {
                "id": f"A{i}",
                "text": draw(lines()),
                "owner": draw(maybe(HANDLE)),
                "priority": draw(maybe(values(Priority))),
                "due": draw(maybe(DAY)),
                "success_signal": draw(maybe(lines())),
                "follow_up": draw(maybe(DAY.map(lambda d: d + timedelta(days=7)))),
                "category": draw(maybe(values(Category))),
                "ticket": draw(maybe(lines(1))),
                "status": draw(values(ActionStatus)),
                "factors": draw(ids),
            }
            for i in range(1, draw(st.integers(0, 5)) + 1)
        ],
        "parked": draw(st.lists(lines(), max_size=3)),
        "kill_criteria": [
            {
                "id": f"K{i}",
                "signal": draw(lines()),
                "metric": draw(maybe(lines(3))),
                "threshold": draw(maybe(lines(2))),
                "window": draw(maybe(lines(2))),
                "action": draw(maybe(values(TriggerAction))),
                "commitment": draw(maybe(lines())),
                "owner": draw(maybe(HANDLE)),
            }
            for i in range(1, draw(st.integers(0, 4)) + 1)
        ],
        "shareout": draw(st.lists(lines(), max_size=3)),
        "customer_summary": draw(maybe(prose())),
        "channels": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "audience": lines(2),
                        "channel": lines(2),
                        "when": maybe(lines(2)),
                        "owner": maybe(HANDLE),
                    }
                ),
                max_size=3,
            )
        ),
        "recurring_review": {
            "cadence": draw(maybe(lines(2))),
            "owner": draw(maybe(HANDLE)),
            "inputs": draw(maybe(lines())),
            "audience": draw(maybe(lines(2))),
            "next_date": draw(maybe(DAY)),
        },
        "risks": draw(st.lists(lines(), max_size=3)),
        "open_questions": draw(st.lists(lines(), max_size=3)),
        "next_steps": draw(st.lists(lines(), max_size=3)),
        "assumptions": draw(st.lists(lines(), max_size=3)),
        "unknowns": draw(st.lists(lines(), max_size=3)),
    }
    return Review.model_validate(data)


def pieced(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    """Texts glued from ``pieces``: the edges a scanner must treat exactly as a regex does."""
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)
