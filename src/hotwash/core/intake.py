"""Intake: from a short request to a draft pack, a few questions at a time.

The question bank (``data/questions.yaml``) says, for each question, which kinds of review
ask it, how much it matters (priority 1 first), which workflow step it serves and which
field of the review it fills. This module picks the next questions still unanswered, turns a
free-text (or structured) answer into that field's value, refuses answers that carry
personal data or secrets, and labels what stays unanswered as an assumption or an unknown in
the pack, so a gap is never a silent blank. Pure: the adapter asks and saves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from . import redact
from .errors import HotwashError, PackError
from .model import Kind, Review, dotted, id_sort_key
from .reference import Question, questions, workflow

ROUND = 5
"""Never more than this many questions at a time."""


class AnswerRefused(HotwashError):
    """An answer that cannot be used, with the reason and what to give instead."""

    def __init__(self, question: str, reason: str) -> None:
        super().__init__(f"{question}: {reason}")
        self.question = question
        self.reason = reason


# --------------------------------------------------------------------------- the bank


def bank(kind: Kind | str) -> list[Question]:
    """The questions a review of ``kind`` asks, most important first."""
    name = Kind(kind).value
    asked = [q for q in questions() if name in q.kinds]
    return sorted(asked, key=lambda q: (q.priority, q.step))


def by_id(kind: Kind | str) -> dict[str, Question]:
    return {q.id: q for q in bank(kind)}


def _get(review: Review, path: str) -> Any:
    value: Any = review
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


def is_answered(review: Review, q: Question) -> bool:
    """Whether the field a question fills already holds something."""
    if q.id == "q-why-sense":
        return any(f.why_it_made_sense for f in review.factors)
    if q.field == "evidence":
        return any(p.startswith(_EVIDENCE) for p in review.brief.pre_reads) or any(
            e.source for e in review.timeline
        )
    if q.id == "q-retro-last-actions":
        return any(a.status.value != "open" for a in review.actions) or bool(review.actions)
    value = _get(review, q.field)
    if q.field == "title":  # every review has a title; the retro's period is asked separately
        return q.id != "q-retro-period" or bool(re.search(r"\d", review.title))
    return value not in (None, [], "")


def next_questions(
    review: Review, *, asked: Iterable[str] = (), limit: int = ROUND
) -> list[Question]:
    """The next questions worth asking: unanswered, not asked already in this session,
    most important first. The incident's stability question always comes first."""
    done = set(asked)
    out = [q for q in bank(review.kind) if q.id not in done and not is_answered(review, q)]
    return out[: max(1, min(limit, ROUND))]


# --------------------------------------------------------------------------- refusing data

_RANDOM = re.compile(r"\b(?=[\w+/-]*\d)(?=[\w+/-]*[a-z])(?=[\w+/-]*[A-Z])[A-Za-z0-9+/_-]{24,}")
"""Random-looking tokens: long, with digits and letters of both cases."""
_TOKEN = re.compile(f"{redact.SECRET_TOKEN}|{redact.SECRET_ASSIGNMENT}")


def personal_data(text: str) -> str | None:
    """Why an answer must not be stored (an e-mail address, a phone number, a secret), or
    None when it is fine."""
    if _TOKEN.search(text) or any(
        redact.entropy(m.group(0)) >= 4.5 for m in _RANDOM.finditer(text)
    ):
        return (
            "this looks like a secret or token; never paste credentials into a review. "
            "Describe it instead (for example 'the deploy key for the billing job')"
        )
    if redact.EMAIL.search(text):
        return (
            "this contains an e-mail address; name people by @handle or by role "
            "(for example @sam or 'the on-call engineer')"
        )
    if any(sum(c.isdigit() for c in m.group(0)) >= 7 for m in redact.PHONE.finditer(text)):
        return (
            "this contains a phone number; reviews name people by @handle or role, "
            "never by contact details"
        )
    return None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


# --------------------------------------------------------------------------- answers

_EVIDENCE = "Evidence: "
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_HANDLE_IN = re.compile(r"(?<![\w@])@[A-Za-z0-9](?:[\w.-]*\w)?")
_PRIORITY = re.compile(r"\b(P[0-2])\b", re.I)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_DUE = re.compile(r"\b(?:due|by)\s+(\d{4}-\d{2}-\d{2})\b", re.I)
_TIMED = re.compile(
    r"^(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:UTC|Z)?\s*[-—–:,]?\s*(.+)$",
    re.I,
)


def lines_of(value: Any) -> list[str]:
    """A list answer: one item per line (bullets allowed) or per ';' on a single line."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = text.splitlines() if "\n" in text.strip() else text.split(";")
    return [_BULLET.sub("", p).strip() for p in parts if _BULLET.sub("", p).strip()]


def _next_id(rows: Sequence[Any], prefix: str) -> int:
    nums = [id_sort_key(r.id)[1] for r in rows]
    return max(nums, default=0) + 1


def _instant(text: str, field: str) -> datetime:
    raw = str(text).strip()
    cleaned = re.sub(r"\s*(?:UTC|Z)$", "", raw, flags=re.I)
    try:
        value = datetime.fromisoformat(cleaned.replace(" ", "T", 1))
    except ValueError:
        raise AnswerRefused(
            field, f"'{raw}' is not a time; write it like 2026-03-15 14:22 UTC"
        ) from None
    if value.tzinfo is None:
        if raw.upper().endswith(("UTC", "Z")):
            return value.replace(tzinfo=UTC)
        raise AnswerRefused(
            field,
            f"'{raw}' has no time zone; write it in UTC (2026-03-15 14:22 UTC) "
            "or with an offset (2026-03-15 15:22+01:00)",
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise AnswerRefused(field, f"'{raw}' is outside the range of dates hotwash keeps") from None


def _date(text: Any, field: str) -> date:
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    m = _DATE.search(str(text))
    if m is None:
        raise AnswerRefused(field, f"'{text}' is not a date; write it like 2026-03-20")
    try:
        return date.fromisoformat(m.group(1))
    except ValueError as exc:
        raise AnswerRefused(field, f"'{m.group(1)}' is not a real date ({exc})") from None


def _handle(text: Any, field: str) -> str:
    found = _HANDLE_IN.findall(str(text))
    if len(found) != 1:
        raise AnswerRefused(
            field, "name exactly one person by @handle (for example @sam); never a team"
        )
    return str(found[0])


def _stable(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    from .guards import stable_answer

    verdict = stable_answer(str(text))
    if verdict is None:
        raise AnswerRefused(
            "q-incident-stable",
            "answer yes (the service is stable and nobody is still mitigating) or no",
        )
    return verdict


def _timeline(review: Review, value: Any, field: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    day = review.key_timestamps.started or review.key_timestamps.detected
    for line in lines_of(value):
        m = _TIMED.match(line)
        if m is None:
            raise AnswerRefused(
                field, f"'{line}' does not start with a UTC time like 14:22 or 2026-03-15 14:22"
            )
        on = m.group(1) or (day.date().isoformat() if day else None)
        if on is None:
            raise AnswerRefused(
                field,
                f"'{line}' has a time but no date; give the date (2026-03-15 14:22) or "
                "answer when the incident started first",
            )
        text = m.group(3).strip()
        source = None
        sm = re.search(r"\s*\(([^()]+)\)\s*$", text)
        if sm:
            source, text = sm.group(1).strip(), text[: sm.start()].strip()
        actor = _HANDLE_IN.match(text)
        rows.append(
            {
                "at": _instant(f"{on} {m.group(2)} UTC", field),
                "text": text,
                "source": source,
                "actor": actor.group(0) if actor else None,
            }
        )
    return rows


def _action(text: str, ident: str) -> dict[str, Any]:
    """An action from one line: 'text @owner P1 due 2026-04-01'; the owner, priority and due
    date are taken out of the text when they come at its end."""
    row: dict[str, Any] = {"id": ident}
    tail = re.search(
        r"(?:[\s,;—–-]+(?:owner\s+)?(@[A-Za-z0-9][\w.-]*|P[0-2]|(?:due|by)\s+\d{4}-\d{2}-\d{2}))+\s*$",
        text,
        re.I,
    )
    rest = text[: tail.start()] if tail else text
    tokens = tail.group(0) if tail else ""
    owner = _HANDLE_IN.search(tokens)
    if owner:
        row["owner"] = owner.group(0)
    prio = _PRIORITY.search(tokens)
    if prio:
        row["priority"] = prio.group(1).upper()
    due = _DUE.search(tokens)
    if due:
        row["due"] = due.group(1)
    row["text"] = rest.strip(" ,;—–-") or text
    return row


def _rows(review: Review, name: str, prefix: str, value: Any, make: Any) -> list[Any]:
    """Existing rows of a list with an id, plus one new row per line of the answer."""
    current = [r.model_dump(mode="python") for r in getattr(review, name)]
    n = _next_id(getattr(review, name), prefix)
    for i, item in enumerate(value if isinstance(value, list) else lines_of(value)):
        ident = f"{prefix}{n + i}"
        if isinstance(item, Mapping):
            current.append({"id": ident, **dict(item)})
        elif item is not None and str(item).strip():
            current.append(make(str(item).strip(), ident))
    return current


def _value_for(review: Review, q: Question, value: Any) -> tuple[str, Any]:
    """The model path and the new value an answer gives."""
    f = q.field
    simple_rows = {
        "key_results": "KR",
        "failure_modes": "R",
        "factors": "F",
        "hypotheses": "H",
        "learnings": "L",
        "decisions": "D",
    }
    if f == "stabilized":
        return f, _stable(value)
    if f == "evidence":
        return "brief.pre_reads", [*review.brief.pre_reads] + [
            f"{_EVIDENCE}{x}" for x in lines_of(value)
        ]
    if f.startswith("key_timestamps."):
        return f, value if isinstance(value, datetime) else _instant(str(value), q.id)
    if f in ("review_date", "recurring_review.next_date"):
        return f, _date(value, q.id)
    if f.endswith((".facilitator", ".scribe", ".decision_owner")) or f == "recurring_review.owner":
        return f, _handle(value, q.id)
    if f == "purposes":
        return f, [
            p.lower()
            for p in lines_of(value if isinstance(value, list) else str(value).replace(",", ";"))
        ]
    if f == "okr.grade":
        try:
            return f, float(str(value).strip().rstrip("%")) / (100 if "%" in str(value) else 1)
        except ValueError:
            raise AnswerRefused(
                q.id, f"'{value}' is not a grade; give a number from 0.0 to 1.0"
            ) from None
    if f == "timeline":
        if _is_records(value):
            return f, [*(e.model_dump(mode="python") for e in review.timeline), *value]
        return f, [
            *(e.model_dump(mode="python") for e in review.timeline),
            *_timeline(review, value, q.id),
        ]
    if f == "impact":
        return f, [*(x.model_dump(mode="python") for x in review.impact), *_impacts(value)]
    if q.id == "q-why-sense":
        return "factors", _why_sense(review, value)
    if f == "whys":
        return f, _whys(review, value)
    if f == "retro_board":
        return f, [
            *(x.model_dump(mode="python") for x in review.retro_board),
            *_board(review, value),
        ]
    if f == "actions":
        return f, _rows(review, "actions", "A", value, lambda t, i: _action(t, i))
    if f == "kill_criteria":
        return f, _rows(review, "kill_criteria", "K", value, lambda t, i: {"id": i, "signal": t})
    if f == "channels":
        return f, [*(c.model_dump(mode="python") for c in review.channels), *_channels(value)]
    if f in simple_rows:
        return f, _rows(review, f, simple_rows[f], value, lambda t, i: {"id": i, "text": t})
    current = _get(review, f)
    if isinstance(current, list):
        return f, [*current, *lines_of(value)]
    return f, value if not isinstance(value, str) else value.strip()


def _is_records(value: Any) -> bool:
    """Whether a structured answer is a list of rows (mappings); a list mixing rows with
    other values is refused, since it is neither rows nor lines."""
    if not isinstance(value, list) or not value or not isinstance(value[0], Mapping):
        return False
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise AnswerRefused(
                "answer",
                f"item {i + 1} is not a row like the first one; give every item as a "
                "mapping of field to value, or every item as one line of text",
            )
    return True


def _impacts(value: Any) -> list[dict[str, Any]]:
    if _is_records(value):
        return [dict(v) for v in value]
    out = []
    for line in lines_of(value):
        m = re.match(r"^(.+?):\s*(~|about\s+)?([\d][\d,.]*)\s*(.*)$", line, re.I)
        if m:
            out.append(
                {
                    "measure": m.group(1),
                    "approx": bool(m.group(2)),
                    "value": m.group(3),
                    "unit": m.group(4) or None,
                }
            )
        else:
            out.append({"measure": line})
    return out


def _why_sense(review: Review, value: Any) -> list[dict[str, Any]]:
    factors = [f.model_dump(mode="python") for f in review.factors]
    if not factors:
        raise AnswerRefused("q-why-sense", "name the contributing factors first")
    for line in lines_of(value):
        m = re.match(r"^(F\d+)\s*[:—–-]\s*(.+)$", line)
        target = next((f for f in factors if m and f["id"] == m.group(1)), None)
        if target is None:
            target = next((f for f in factors if not f.get("why_it_made_sense")), factors[0])
        target["why_it_made_sense"] = m.group(2) if m else line
    return factors


def _whys(review: Review, value: Any) -> list[dict[str, Any]]:
    chains = [c.model_dump(mode="python") for c in review.whys]
    if _is_records(value):
        return [*chains, *value]
    if not review.factors:
        raise AnswerRefused("q-whys", "name the contributing factors first")
    covered = {c["factor"] for c in chains}
    factor = next((f.id for f in review.factors if f.id not in covered), review.factors[0].id)
    steps = lines_of(value)
    m = re.match(r"^(F\d+)\s*[:—–-]\s*(.*)$", steps[0]) if steps else None
    if m and any(f.id == m.group(1) for f in review.factors):
        factor = m.group(1)
        steps = [m.group(2), *steps[1:]] if m.group(2) else steps[1:]
    return [*chains, {"factor": factor, "steps": steps}]


def _board(review: Review, value: Any) -> list[dict[str, Any]]:
    if _is_records(value):
        return [dict(v) for v in value]
    out = []
    for line in lines_of(value):
        column, sep, text = line.partition(":")
        if not sep or not text.strip():
            raise AnswerRefused(
                "q-retro-board", f"'{line}' needs a column first, like 'Start: pair on reviews'"
            )
        out.append({"column": column.strip(), "text": text.strip()})
    return out


def _channels(value: Any) -> list[dict[str, Any]]:
    if _is_records(value):
        return [dict(v) for v in value]
    out = []
    for line in lines_of(value):
        audience, sep, channel = line.partition(":")
        out.append(
            {"audience": audience.strip(), "channel": channel.strip() if sep else "to decide"}
        )
    return out


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _tag(qid: str) -> str:
    return f"(intake {qid})"


def apply_answer(review: Review, qid: str, value: Any) -> Review:
    """The review with one answer applied. An empty answer changes nothing.

    Raises ``AnswerRefused`` for personal data, secrets or an answer that does not fit the
    field, with the reason; the review passed in is never changed.
    """
    questions_ = by_id(review.kind)
    q = questions_.get(qid)
    if q is None:
        known = ", ".join(questions_)
        raise AnswerRefused(
            qid, f"not a question for a {review.kind.value} review (known: {known})"
        )
    if value is None or (isinstance(value, str) and not value.strip()):
        return review
    for text in _strings(value):
        reason = personal_data(text)
        if reason:
            raise AnswerRefused(qid, reason)
    try:
        path, new = _value_for(review, q, value)
    except AnswerRefused as exc:
        if exc.question == qid:
            raise
        raise AnswerRefused(qid, exc.reason) from None
    data = review.model_dump(mode="python")
    _set(data, path, new)
    tag = _tag(qid)
    data["unknowns"] = [u for u in data["unknowns"] if not u.endswith(tag)]
    data["assumptions"] = [a for a in data["assumptions"] if not a.endswith(tag)]
    try:
        return Review.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = dotted(tuple(err["loc"])) if err["loc"] else path
        raise AnswerRefused(qid, f"{where}: {err['msg']}") from None


def label_unanswered(review: Review, pending: Iterable[Question]) -> Review:
    """Each question still unanswered becomes a labeled line: an assumption where the bank
    gives one to fall back on, an unknown otherwise. Lines already there are not repeated."""
    unknowns = list(review.unknowns)
    assumptions = list(review.assumptions)
    for q in pending:
        if is_answered(review, q):
            continue
        tag = _tag(q.id)
        if any(x.endswith(tag) for x in (*unknowns, *assumptions)):
            continue
        if q.assume:
            assumptions.append(f"Assumed until someone confirms: {q.assume} {tag}")
        else:
            unknowns.append(f"Not answered yet: {q.text} {tag}")
    return review.model_copy(update={"unknowns": unknowns, "assumptions": assumptions})


def finish(review: Review) -> Review:
    """The review at the end of intake: every question of its kind still unanswered is
    listed as an assumption or an unknown."""
    return label_unanswered(review, bank(review.kind))


def apply_all(review: Review, answers: Mapping[str, Any]) -> Review:
    """Answers from a file, in the bank's order, then ``finish``. The first refused answer
    stops everything (nothing is written) and says which question and why."""
    order = {q.id: i for i, q in enumerate(bank(review.kind))}
    unknown = [k for k in answers if k not in order]
    if unknown:
        raise PackError(
            f"not a question for a {review.kind.value} review; known: {', '.join(order)}",
            field=unknown[0],
        )
    for qid in sorted(answers, key=order.__getitem__):
        review = apply_answer(review, qid, answers[qid])
    return finish(review)


# --------------------------------------------------------------------------- where it stands


@dataclass(frozen=True)
class StepState:
    number: int
    title: str
    missing: list[Question]

    @property
    def done(self) -> bool:
        return not self.missing


def progress(review: Review) -> list[StepState]:
    """Each of the seven workflow steps: done, or the questions still open for it."""
    asked = bank(review.kind)
    return [
        StepState(
            step.number,
            step.title,
            [q for q in asked if q.step == step.number and not is_answered(review, q)],
        )
        for step in workflow()
    ]
