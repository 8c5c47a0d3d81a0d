"""Guards for intake: when the review method must not run.

Two guards read the title, goal, summary and intake answers a person gives ``hotwash new``
and ``hotwash intake``, and the same fields of a pack:

- ``active-incident``: the incident is still going on. Refused with a proposal to meet
  3-5 business days after the service is stable. Only reviews of kind ``incident`` (or of
  unknown kind) are checked: an ongoing *project* is no reason to wait. A fresh skeleton
  with no times and no answer yet is not refused; intake asks first whether it is stable.
- ``person-framing``: the request is about a person's fault, blame or performance. Refused
  with an offer of the systems review and a pointer to the management process. Checked for
  every kind.

The patterns and every text a person reads are in ``data/guards.yaml``; whether a word names
a person reuses the word lists of the blameless-language linter (``data/phrases.yaml``).
Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from .data import read_data
from .errors import UsageError
from .language import load_linter, mask
from .model import Kind, Review
from .reference import questions

GuardName = Literal["active-incident", "person-framing"]
ACTIVE_INCIDENT: GuardName = "active-incident"
PERSON_FRAMING: GuardName = "person-framing"

STABLE_FIELDS = frozenset({"stabilized", "q-incident-stable"})
"""Keys of ``check_request`` whose text answers "is the incident over?"."""


@dataclass(frozen=True)
class Refusal:
    """Why the review must not start now, and what to do instead."""

    guard: str
    """``active-incident`` or ``person-framing``."""
    reason: str
    way_forward: str
    matched: str
    """The text that tripped the guard."""
    field: str
    """Which input: ``title``, ``brief.goal``, ``summary``, a question id, ``stabilized``."""

    @property
    def message(self) -> str:
        """Reason and way forward, as one text for a terminal."""
        return f"{self.reason}\n\n{self.way_forward}"


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class _Pattern:
    id: str
    rx: re.Pattern[str]
    negated: bool
    subject_check: bool
    past_after: bool
    not_after: frozenset[str]
    quoted: bool


@dataclass(frozen=True)
class _Guards:
    active: tuple[_Pattern, ...]
    person: tuple[_Pattern, ...]
    person_words: frozenset[str]
    collective: frozenset[str]
    not_names: frozenset[str]
    function_words: frozenset[str]
    determiners: frozenset[str]
    negations: frozenset[str]
    conditionals: frozenset[str]
    past: frozenset[str]
    clause_breaks: frozenset[str]
    not_incident_subjects: frozenset[str]
    past_after: tuple[re.Pattern[str], ...]
    past_verbs: re.Pattern[str]
    unclear: tuple[re.Pattern[str], ...]
    answer_no: tuple[re.Pattern[str], ...]
    answer_yes: tuple[re.Pattern[str], ...]
    texts: Mapping[str, Any]


# One word that may name a person, after an optional determiner and modifier.
_WHO = (
    r"(?:(?:the|a|an|our|that|this|one of (?:the|our)) )?"
    r"(?:(?:new|junior|senior|same|other|on-call|oncall|incident|lead|primary|secondary) "
    # ... unless the modifier is the person: "the on-call to admit", "the lead who"
    r"(?!(?:to|who|is|was|and|or|has|had|did|should|must|will|would|can|could|be|got|gets|"
    r"kept|keeps|forgot|for|that|of|on|in|at)\b))?"
    r"(?P<who>@[\w.-]*\w|[^\W\d_][\w-]*)"
)
# A short noun phrase that must hold such a word somewhere.
_NP = r"(?P<np>[\w@'’.-]+(?: [\w@'’.-]+){0,4}?)"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_TOKEN = re.compile(r"@?[\w'’-]+|[.,;:!?|()\[\]—–]")
_PUNCT = frozenset(".,;:!?|()[]—–")
_CLAUSE_END = re.compile(r"[.,;:!?|()\[\]—–]")
_SKIP_BEFORE = frozenset({"still", "currently", "now", "also", "again", "really", "yet"})
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _compile(raw: str, vocab: Mapping[str, str]) -> re.Pattern[str]:
    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "who":
            return _WHO
        if name == "np":
            return _NP
        return vocab[name] if name in vocab else m.group(0)

    body = _PLACEHOLDER.sub(fill, " ".join(raw.split()))
    # Whole words only; a contraction may start a pattern ("it's down", "we're seeing").
    return re.compile(r"(?:(?<![\w@-])|(?=['’]))(?:" + body + r")(?![\w@]|-\w)", re.IGNORECASE)


def _patterns(raw: list[dict[str, Any]], vocab: Mapping[str, str]) -> tuple[_Pattern, ...]:
    return tuple(
        _Pattern(
            id=str(p["id"]),
            rx=_compile(str(p["rx"]), vocab),
            negated=bool(p.get("negated", False)),
            subject_check=p.get("subject") == "check",
            past_after=bool(p.get("past_after", False)),
            not_after=_words(p.get("not_after", [])),
            quoted=bool(p.get("quoted", False)),
        )
        for p in raw
    )


def _words(raw: list[Any]) -> frozenset[str]:
    return frozenset(str(x).lower() for x in raw)


def _rx(raw: str) -> re.Pattern[str]:
    return re.compile(" ".join(raw.split()), re.IGNORECASE)


@cache
def _guards() -> _Guards:
    raw = read_data("guards")
    ctx = load_linter().words
    words = raw["words"]
    vocab = {k: " ".join(str(v).split()) for k, v in raw["vocab"].items()}
    answers = raw["active_incident"]["answers"]
    return _Guards(
        active=_patterns(raw["active_incident"]["patterns"], vocab),
        person=_patterns(raw["person_framing"]["patterns"], vocab),
        person_words=(ctx.person_words | _words(words["people"])) - _words(words["collective"]),
        collective=_words(words["collective"]),
        not_names=ctx.system_words | _words(words["not_names"]),
        function_words=_words(words["function_words"]),
        determiners=_words(words["determiners"]),
        negations=_words(words["negations"]),
        conditionals=_words(words["conditionals"]),
        past=_words(words["past"]),
        clause_breaks=_words(words["clause_breaks"]),
        not_incident_subjects=_words(words["not_incident_subjects"]),
        past_after=tuple(_rx(str(x)) for x in words["past_after"]),
        past_verbs=_rx(str(words["past_verbs"])),
        unclear=tuple(
            re.compile(r"(?<!\w)" + re.escape(str(x).lower()) + r"(?!\w)")
            for x in answers["unclear"]
        ),
        answer_no=tuple(_rx(str(x)) for x in answers["no"]),
        answer_yes=tuple(_rx(str(x)) for x in answers["yes"]),
        texts={
            "active": raw["active_incident"]["refusal"],
            "person": raw["person_framing"]["refusal"],
            "where": raw["where"],
        },
    )


# --------------------------------------------------------------------------- context


def _fold(text: str) -> str:
    return " ".join(text.split())


def _before(g: _Guards, text: str, start: int, limit: int) -> list[str]:
    """Up to ``limit`` lower-cased words before ``start`` in its clause, nearest first."""
    out: list[str] = []
    for tok in reversed(_TOKEN.findall(text[max(0, start - 120) : start])):
        low = tok.lower()
        if tok in _PUNCT or low in g.clause_breaks:
            break
        out.append(low)
        if len(out) == limit:
            break
    return out


def _after(g: _Guards, text: str, end: int) -> str:
    """The rest of the clause after ``end``."""
    rest = text[end : end + 160]
    m = _CLAUSE_END.search(rest)
    if m:
        rest = rest[: m.start()]
    for i, tok in enumerate(rest.split(" ")):
        if tok.lower() in g.clause_breaks:
            return " ".join(rest.split(" ")[:i])
    return rest


# A clock time or a date that is not "since 09:40": the clause is a timeline entry.
_STAMP = re.compile(
    r"(?<!since )(?<!from )(?<!as of )(?<!until )(?<!till )"
    r"\b(?:\d{1,2}:\d\d|\d{4}-\d\d-\d\d)\b"
)


def _lead(g: _Guards, text: str, start: int) -> tuple[str, bool]:
    """The text of the clause before ``start`` (table pipes do not end it), and whether it
    opens with a condition ("when the primary is down")."""
    window = text[max(0, start - 160) : start]
    window = window[max(window.rfind(c) for c in ".;!?") + 1 :]
    words = window.lower().split(" ")
    conditional = False
    for i in range(len(words) - 1, -1, -1):
        word = words[i].strip(",:()|*-")
        if word in g.conditionals or " ".join(words[i : i + 2]) in g.conditionals:
            conditional = True
            break
        if word in g.clause_breaks:
            window = " ".join(words[i + 1 :])
            break
    return window, conditional


def _negated(g: _Guards, words: list[str]) -> bool:
    return any(w in g.negations or w.endswith(("n't", "n’t")) for w in words)


def _plain(word: str) -> str:
    word = word.strip(".'’")
    if word.lower().endswith(("'s", "’s")):
        word = word[:-2]
    return word


def _noun_like(g: _Guards, word: str) -> bool:
    """A word that, right before a role word, makes it a thing ("package manager")."""
    low = _plain(word).lower()
    if not low or low in g.determiners or low in g.function_words or low in g.person_words:
        return False
    if word.startswith("@"):
        return False
    if low in g.not_names:
        return True
    return low.isalpha() and low.endswith("s") and not low.endswith("ss") and len(low) > 3


def _is_person(g: _Guards, word: str, prev: str | None) -> bool:
    """Whether ``word`` names one person: a @handle, a first name, a pronoun or a role."""
    possessive = word.lower().endswith(("'s", "’s"))
    word = _plain(word)
    if word.startswith("@"):
        return len(word) > 1
    low = word.lower()
    if not low or low in g.collective:
        return False
    if low in g.person_words:
        return prev is None or not _noun_like(g, prev)
    if low in g.not_names or not (word.isalpha() and len(word) > 1):
        return False
    if not (word[0].isupper() and word[1:].islower()):
        return False
    # "Pods", "Deploys": a plural is a thing; "Chris", "Lucas", "Jess" may be people.
    # ... but "Ines's" is one person: a plural thing takes no "'s".
    return possessive or not (low.endswith("s") and not low.endswith(("ss", "is", "us", "as")))


def _person_in(g: _Guards, m: re.Match[str]) -> bool:
    groups = m.groupdict()
    text = m.string
    if groups.get("who") is not None:
        prev = _before(g, text, m.start("who"), 1)
        tail = text[m.end("who") : m.end("who") + 2]
        word = groups["who"] + (tail if tail.lower() in ("'s", "’s") else "")
        return _is_person(g, word, prev[0] if prev else None)
    if groups.get("np") is not None:
        tokens = groups["np"].split(" ")
        return any(_is_person(g, tok, tokens[i - 1] if i else None) for i, tok in enumerate(tokens))
    return True


def _accept(g: _Guards, pattern: _Pattern, m: re.Match[str], *, active: bool) -> bool:
    text = m.string
    if not _person_in(g, m):
        return False
    before = _before(g, text, m.start(), 3)
    if not pattern.negated and _negated(g, before):
        return False
    if before and before[0] in pattern.not_after:
        return False
    if active:
        if any(w in g.past for w in before[:2]):
            return False
        lead, conditional = _lead(g, text, m.start())
        if conditional or _STAMP.search(lead):
            return False
        after = _after(g, text, m.end())
        if any(rx.search(after) for rx in g.past_after):
            return False
        if pattern.past_after and g.past_verbs.search(after):
            return False
    if pattern.subject_check:
        subject = next((w for w in before if w not in _SKIP_BEFORE), None)
        if subject is not None and _plain(subject).lower() in g.not_incident_subjects:
            return False
    return True


def _first_hit(patterns: tuple[_Pattern, ...], text: str, *, active: bool) -> str | None:
    """The leftmost accepted hit of ``patterns`` in (folded) ``text``."""
    g = _guards()
    best: tuple[int, str] | None = None
    for pattern in patterns:
        if not text:
            break
        for m in pattern.rx.finditer(text):
            if best is not None and m.start() >= best[0]:
                break
            if _accept(g, pattern, m, active=active):
                best = (m.start(), m.group(0))
                break
    return best[1] if best else None


_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
# A span in single quotes that the linter's mask leaves alone: it opens after a space or
# a bracket (so "Sam's" and "users'" are not quotes) and closes before a non-word.
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(\[:]))['‘](?=\S)[^'‘’\n]{1,160}?(?<=\S)['’](?!\w)")


def _prose(text: str) -> str:
    """``text`` with quotations, code and comments blanked, white space folded. A text that
    is one quotation as a whole is the request itself, so its outer quotes go first."""
    text = text.strip()
    if len(text) > 1 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1]
    masked = mask(text)[0]
    masked = _SINGLE_QUOTED.sub(lambda m: " " * len(m.group(0)), masked)
    return _fold(masked)


def ongoing_phrase(text: str) -> str | None:
    """The phrase of ``text`` that says an incident is still going on, if any. Quoted text
    (a log line, a customer's words) does not count, except a quoted status such as
    'status: "investigating"'."""
    patterns = _guards().active
    found = _first_hit(patterns, _prose(text), active=True)
    if found is None:
        quoted = tuple(p for p in patterns if p.quoted)
        found = _first_hit(quoted, _fold(text), active=True)
    return found


def person_phrase(text: str) -> str | None:
    """The phrase of ``text`` that frames a review around a person, if any."""
    return _first_hit(_guards().person, _prose(text), active=False)


def pattern_hits(text: str, guard: str) -> list[tuple[str, str]]:
    """Every accepted hit of one guard's patterns in ``text``, as (pattern id, matched
    text): for explaining a refusal and for measuring the patterns."""
    g = _guards()
    if guard == ACTIVE_INCIDENT:
        patterns, folded, active = g.active, _prose(text), True
    elif guard == PERSON_FRAMING:
        patterns, folded, active = g.person, _prose(text), False
    else:
        raise UsageError(f"unknown guard {guard!r}: expected {ACTIVE_INCIDENT} or {PERSON_FRAMING}")
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        sources = [folded] if not pattern.quoted else [folded, _fold(text)]
        for source in sources:
            hit = next(
                (m for m in pattern.rx.finditer(source) if _accept(g, pattern, m, active=active)),
                None,
            )
            if hit is not None:
                found.append((pattern.id, hit.group(0)))
                break
    return found


# --------------------------------------------------------------------------- answers


def stable_answer(text: str) -> bool | None:
    """A free-text answer to q-incident-stable read as yes (True), no (False) or unclear
    (None): "yes", "stable since 10:04", "no errors since the rollback" are yes; "no",
    "not yet", "still degraded in EU", "mostly" are no; "not sure" and "" are unclear."""
    folded = _fold(text)
    if not folded:
        return None
    if ongoing_phrase(folded) is not None:
        return False
    g = _guards()
    low = folded.lower()
    if low.strip("?!. ") == "" or any(rx.search(low) for rx in g.unclear):
        return None
    if any(rx.search(low) for rx in g.answer_no):
        return False
    if any(rx.search(low) for rx in g.answer_yes):
        return True
    return None


# --------------------------------------------------------------------------- meeting


def _business_days_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def meeting_window(stabilized: date) -> tuple[date, date]:
    """The first and last day to hold the review: 3 to 5 business days (Monday to Friday)
    after the day the service became stable."""
    return _business_days_after(stabilized, 3), _business_days_after(stabilized, 5)


def _day(d: date) -> str:
    return f"{_DAY_NAMES[d.weekday()]} {d.isoformat()}"


def proposed_meeting(stabilized: date | None = None, *, today: date | None = None) -> str:
    """When to hold the review, in words: a window of dates when the stabilization day is
    known, a window counted from ``today`` as an example, or the rule itself."""
    texts = _guards().texts["active"]
    if stabilized is not None:
        first, last = meeting_window(stabilized)
        return _fill(texts["window_known"], first=_day(first), last=_day(last), since=stabilized)
    if today is not None:
        first, last = meeting_window(today)
        return _fill(texts["window_today"], first=_day(first), last=_day(last), today=today)
    return _fill(texts["window_unknown"])


# --------------------------------------------------------------------------- refusals


def _fill(template: str, **values: object) -> str:
    text = " ".join(str(template).split())
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def _where(field: str) -> str:
    where: Mapping[str, str] = _guards().texts["where"]
    return where.get(field) or _fill(where["default"], field=field)


def _clip(text: str, size: int = 120) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _active(cause: str, matched: str, field: str, today: date | None) -> Refusal:
    texts = _guards().texts["active"]
    return Refusal(
        guard=ACTIVE_INCIDENT,
        reason=_fill(texts["reasons"][cause], where=_where(field), matched=_clip(matched)),
        way_forward=_fill(texts["way_forward"], window=proposed_meeting(today=today)),
        matched=matched,
        field=field,
    )


def _person(matched: str, field: str) -> Refusal:
    texts = _guards().texts["person"]
    return Refusal(
        guard=PERSON_FRAMING,
        reason=_fill(texts["reason"], where=_where(field), matched=_clip(matched)),
        way_forward=_fill(texts["way_forward"]),
        matched=matched,
        field=field,
    )


def _kind(kind: str | Kind | None) -> Kind | None:
    if kind is None or isinstance(kind, Kind):
        return kind
    try:
        return Kind(" ".join(str(kind).split()).lower())
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise UsageError(f"unknown kind {kind!r}: expected one of {known}") from None


def _is_stable_field(field: str) -> bool:
    if field in STABLE_FIELDS:
        return True
    if not field.startswith("q-"):
        return False
    return any(q.id == field and q.field == "stabilized" for q in questions())


def refusals(
    texts: Mapping[str, str],
    *,
    kind: str | Kind | None = None,
    today: date | None = None,
) -> list[Refusal]:
    """Every guard that trips on ``texts`` (field name or question id -> text), active
    incident first, at most one per field and guard. ``kind`` None means not yet known:
    the active-incident guard runs then too. An answer to q-incident-stable that says yes
    outweighs present-tense wording elsewhere; one that says no is refused."""
    k = _kind(kind)
    active_applies = k is None or k is Kind.INCIDENT
    items = [(str(f), t) for f, t in texts.items() if isinstance(t, str) and t.strip()]
    out: list[Refusal] = []
    stable_said = False
    if active_applies:
        for field, text in items:
            if _is_stable_field(field):
                answer = stable_answer(text)
                if answer is False:
                    out.append(_active("answer", _fold(text), field, today))
                stable_said = stable_said or answer is True
        if not stable_said:
            for field, text in items:
                if _is_stable_field(field):
                    continue
                phrase = ongoing_phrase(text)
                if phrase is not None:
                    out.append(_active("text", phrase, field, today))
    for field, text in items:
        phrase = person_phrase(text)
        if phrase is not None:
            out.append(_person(phrase, field))
    return out


def check_request(
    texts: Mapping[str, str],
    *,
    kind: str | Kind | None = None,
    today: date | None = None,
) -> Refusal | None:
    """The first refusal for a request to start a review, or None when the method may run.

    ``texts`` maps a field name (``title``, ``goal``/``brief.goal``, ``summary``,
    ``purpose``) or an intake question id (``q-incident-stable``, ``q-goal``...) to what
    the person wrote. ``today`` lets the refusal show an example meeting window."""
    found = refusals(texts, kind=kind, today=today)
    return found[0] if found else None


def check_review(review: Review, *, today: date | None = None) -> Refusal | None:
    """The first refusal for running the method on ``review``, or None.

    Incidents: ``stabilized: no`` is refused; so is a start time with no mitigated or
    resolved time while ``stabilized`` is unanswered (a fresh skeleton has no times and is
    not refused), and present-tense "still down" wording in the title, goal or summary
    unless the pack says ``stabilized: yes``. The person-framing guard reads the title,
    goal and summary of every kind."""
    texts = {"title": review.title, "brief.goal": review.brief.goal or ""}
    texts["summary"] = review.summary or ""
    if review.kind is Kind.INCIDENT:
        if review.stabilized is False:
            return _active("not-stable", "stabilized: no", "stabilized", today)
        ts = review.key_timestamps
        if (
            review.stabilized is None
            and ts.started is not None
            and ts.mitigated is None
            and ts.resolved is None
        ):
            started = f"{ts.started:%Y-%m-%d %H:%M} UTC"
            return _active("open-timeline", started, "key_timestamps", today)
        if review.stabilized is not True:
            for field, text in texts.items():
                phrase = ongoing_phrase(text) if text else None
                if phrase is not None:
                    return _active("text", phrase, field, today)
    for field, text in texts.items():
        phrase = person_phrase(text) if text else None
        if phrase is not None:
            return _person(phrase, field)
    return None
