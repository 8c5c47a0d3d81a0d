"""The blameless-language linter: blame-shaped phrases in any Markdown prose.

All phrases of data/phrases.yaml go into one Aho-Corasick automaton (simple patterns such
as ``careless(?:ly|ness)?`` are spelled out into literals first), run once over lower-cased
text; each hit is mapped back to its rule. The few true patterns (a @handle as cause, "!!")
run only when the character they need is in the text. Code, quoted text,
HTML comments and block quotes are not prose and are masked out first. Phrases that are
only blame-shaped with a person as subject ("failed to") are checked against the words
before them, so "the check failed to run" passes and "@sam failed to check" does not.

Suppress one hit with an HTML comment on the same line or the line before it:
``<!-- hotwash: allow counterfactual because we quote the customer's ticket -->``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

from .data import read_data

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    title: str
    severity: Severity
    person_subject: bool
    negatable: bool
    suggestion: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """The word lists that decide context (data/phrases.yaml, ``context``)."""

    person_words: frozenset[str]
    negations: frozenset[str]
    clause_breaks: frozenset[str]
    system_words: frozenset[str]
    adverbs: frozenset[str]
    determiners: frozenset[str]
    outcome_verbs: frozenset[str]


@dataclass(frozen=True, init=False)
class Hit:
    """One blame-shaped phrase: where it is (1-based line, 0-based column) and its rule."""

    group: Group
    phrase: str
    line: int
    column: int
    start: int
    end: int

    def __init__(
        self, group: Group, phrase: str, line: int, column: int, start: int, end: int
    ) -> None:
        # Written out so that mypyc compiles it (see checks.Finding).
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "phrase", phrase)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


@dataclass(frozen=True)
class Suppressed:
    line: int
    names: tuple[str, ...]
    reason: str


_LITERAL: Final = re.compile(r"^[a-z0-9 '’-]+$")

_TOKEN: Final = re.compile(r"@?[\w'’-]+|[.;:!?|()\[\]]")
_SENTENCE_END: Final = frozenset(".;:!?|()[]")
_SUPPRESS: Final = re.compile(
    r"<!--\s*hotwash:\s*allow\s+(?P<names>[\w, -]+?)(?:\s+(?:because|reason:?)\s+"
    r"(?P<reason>.*?))?\s*-->",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Linter:
    groups: tuple[Group, ...]
    words: Words
    literal: dict[str, Group]
    patterned: tuple[tuple[re.Pattern[str], Group, str, str, str], ...]
    """(regex, group, trigger, lead, must): ``lead`` is the literal every match starts
    with, ``must`` a literal every match holds ("" when there is none)."""
    automaton: Any
    phrases: tuple[str, ...] = ()
    """The literal phrases, in the automaton's order (its matches give their index)."""

    @property
    def pattern_count(self) -> int:
        return sum(len(g.phrases) for g in self.groups)

    def hits(self, text: str) -> tuple[list[Hit], list[Suppressed]]:
        """Blame-shaped phrases in Markdown ``text`` (suppressed ones left out)."""
        masked, suppressions = mask(text)
        lowered = masked.lower()
        found: list[Hit] = []
        for start, end, phrase, group in self._matches(lowered):
            if group.person_subject and (
                not _person_before(self.words, masked, start)
                or _have_as_verb(self.words, lowered, end, phrase)
            ):
                continue
            if group.negatable and _negated_before(self.words, lowered, start):
                continue
            line, column = _position(text, start)
            found.append(Hit(group, text[start:end], line, column, start, end))
        allowed = {(s.line, n) for s in suppressions if s.reason for n in s.names}
        kept = [
            h
            for h in found
            if not any(
                (ln, key) in allowed
                for ln in (h.line, h.line - 1)
                for key in (h.group.name, h.group.id.lower(), "all")
            )
        ]
        return kept, suppressions

    def _matches(self, lowered: str) -> list[tuple[int, int, str, Group]]:
        """Whole-word phrase hits, leftmost and longest first, never overlapping."""
        raw: list[tuple[int, int, str, Group]] = []
        size = len(lowered)
        automaton = self.automaton
        found = (
            automaton.find_matches_as_indexes(lowered, overlapping=True)
            if automaton is not None
            else []
        )
        for index, start, end in found:
            phrase = self.phrases[index]
            if start > 0 and _word_char(lowered[start - 1]):
                continue
            if end < size and _word_char(lowered[end]):
                continue
            raw.append((start, end, phrase, self.literal[phrase]))
        windows: dict[str, list[tuple[int, int]]] = {}
        find = lowered.find
        for rx, group, trigger, lead, must in self.patterned:
            if trigger not in windows:
                windows[trigger] = _windows(lowered, trigger) if trigger else [(0, size)]
            for lo, hi in windows[trigger]:  # only around the character the pattern needs
                # A match lies inside the window, so it holds ``must`` there and starts
                # where ``lead`` does: same matches, less scanning.
                if must and find(must, lo, hi) == -1:
                    continue
                if lead:
                    raw += [(a, b, lowered[a:b], group) for a, b in _at(rx, lowered, lead, lo, hi)]
                else:
                    raw += [(*m.span(), m.group(0), group) for m in rx.finditer(lowered, lo, hi)]
        raw.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
        kept: list[tuple[int, int, str, Group]] = []
        reach = -1
        for hit in raw:
            if hit[0] >= reach:
                kept.append(hit)
                reach = hit[1]
        return kept


def _windows(text: str, trigger: str, before: int = 40, after: int = 60) -> list[tuple[int, int]]:
    """Merged spans of ``text`` around each occurrence of ``trigger``."""
    spans: list[tuple[int, int]] = []
    # Most texts lack the trigger's first character, and finding one character (memchr)
    # costs a fraction of finding two.
    i = text.find(trigger) if trigger[0] in text else -1
    while i != -1:
        lo, hi = max(0, i - before), min(len(text), i + len(trigger) + after)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
        i = text.find(trigger, i + 1)
    return spans


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_@"


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line of ``offset`` and its 0-based column (hits are few: counting
    newlines for each, in C, costs less than a table of line starts for every text)."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset) - 1


def _clause_before(w: Words, text: str, start: int, limit: int = 4) -> list[str]:
    """Up to ``limit`` words before ``start`` in the same clause, nearest last."""
    window = text[max(0, start - 80) : start]
    tokens: list[str] = _TOKEN.findall(window)
    out: list[str] = []
    for tok in reversed(tokens):
        if tok in _SENTENCE_END or tok.lower() in w.clause_breaks:
            break
        out.append(tok)
        if len(out) == limit:
            break
    out.reverse()
    return out


def _person_before(w: Words, text: str, start: int) -> bool:
    """Whether the subject right before ``start`` (adverbs skipped) is a person."""
    words = _clause_before(w, text, start)
    while words and words[-1].lower() in w.adverbs:
        words.pop()
    if not words:
        return False
    word = words[-1]
    low = word.lower().strip("'’")
    if word.startswith("@") or low in w.person_words:
        return True
    if low.endswith(("'s", "’s")) and low[:-2] in w.person_words:
        return True
    # A first name right before the phrase ("Sam failed to"); not a plural ("Pods").
    return (
        word[:1].isupper()
        and word[1:].islower()
        and word.isalpha()
        and low not in w.system_words
        and not (low.endswith("s") and not low.endswith("ss"))
    )


def _have_as_verb(w: Words, lowered: str, end: int, phrase: str) -> bool:
    """'should have a talk': 'have' owns a noun here, so this is no counterfactual."""
    if not phrase.endswith(("have", "'ve", "’ve")):
        return False
    m = _NEXT_WORD.match(lowered, end)
    return m is not None and (m.group(1) in w.determiners or m.group(1) in w.outcome_verbs)


_NEXT_WORD: Final = re.compile(r"\s+([\w'’]+)")


def _negated_before(w: Words, lowered: str, start: int) -> bool:
    words = [x.lower() for x in _clause_before(w, lowered, start, limit=3)]
    return any(x in w.negations or x.endswith("n't") for x in words)


# --------------------------------------------------------------------------- masking

# What is not prose, each with a character it cannot do without: a pattern runs only when
# its character is in the text, and a literal first character lets the regex engine skip
# ahead, so masking costs little on plain prose.
_NOT_PROSE: Final[tuple[tuple[str, re.Pattern[str], str], ...]] = (
    # (needed, pattern, where it is tried): "line" at the start of a line that has the
    # needed text after 0-3 spaces, "at" where the needed text starts, "scan" everywhere
    # (these patterns open with a literal, which the regex engine skips to by itself).
    ("```", re.compile(r"^( {0,3})(`{3,})[^\n]*\n.*?^ {0,3}\2[ \t]*$", re.M | re.S), "line"),
    ("~~~", re.compile(r"^( {0,3})(~{3,})[^\n]*\n.*?^ {0,3}\2[ \t]*$", re.M | re.S), "line"),
    ("<!--", re.compile(r"<!--.*?-->", re.S), "scan"),
    ("`", re.compile(r"(`+)[^`].*?\1", re.S), "at"),
    (">", re.compile(r"^ {0,3}>[^\n]*$", re.M), "scan"),
    ('"', re.compile(r'"[^"\n]{1,400}"'), "scan"),
    ("“", re.compile(r"“[^”\n]{1,400}”"), "scan"),
    ("‘", re.compile(r"‘[^’\n]{1,400}’"), "scan"),
    ("](", re.compile(r"\]\([^)\s]*\)"), "scan"),
    ("://", re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>|https?://\S+"), "scan"),
)
_FRONT_MATTER: Final = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)[ \t]*$", re.M | re.S)


def _spans(rx: re.Pattern[str], text: str, needed: str, where: str) -> list[tuple[int, int]]:
    """``[m.span() for m in rx.finditer(text)]``, with the regex tried only where it can
    match (``where``, as in _NOT_PROSE): far cheaper for patterns that open with a group."""
    if where == "scan":
        return [m.span() for m in rx.finditer(text)]
    if where == "at":
        return _at(rx, text, needed, 0, len(text))
    out: list[tuple[int, int]] = []
    find, match = text.find, rx.match
    pos, i = 0, text.find(needed)
    while i != -1:
        at = text.rfind("\n", 0, i) + 1  # the start of the line, where the match must be
        if i - at > 3 or text[at:i].strip(" "):
            i = find(needed, i + 1)
            continue
        m = match(text, at) if at >= pos else None
        if m is not None:
            out.append(m.span())
            pos = m.end()
            i = find(needed, max(pos, i + 1))
        else:
            i = find(needed, i + 1)
    return out


def _at(rx: re.Pattern[str], text: str, lead: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """``[m.span() for m in rx.finditer(text, lo, hi)]`` for a pattern whose every match
    starts with ``lead``: the regex is tried only where ``lead`` occurs."""
    out: list[tuple[int, int]] = []
    find, match = text.find, rx.match
    i = find(lead, lo, hi)
    while i != -1:
        m = match(text, i, hi)
        if m is not None:
            out.append(m.span())
            i = find(lead, max(m.end(), i + 1), hi)
        else:
            i = find(lead, i + 1, hi)
    return out


def _blank(part: str) -> str:
    if "\n" not in part:
        return " " * len(part)
    return "\n".join(" " * len(line) for line in part.split("\n"))


def mask(text: str) -> tuple[str, list[Suppressed]]:
    """``text`` with everything that is not prose turned to spaces (lines kept)."""
    suppressions: list[Suppressed] = []
    if "hotwash" in text:
        for m in _SUPPRESS.finditer(text):
            names = tuple(n.strip().lower() for n in re.split(r"[ ,]+", m.group("names")) if n)
            suppressions.append(
                Suppressed(_position(text, m.start())[0], names, (m.group("reason") or "").strip())
            )
    spans: list[tuple[int, int]] = []
    if text.startswith("---"):
        spans += [m.span() for m in _FRONT_MATTER.finditer(text)]
    for needed, rx, where in _NOT_PROSE:
        if needed[0] in text and needed in text:  # one character is found far faster
            spans += _spans(rx, text, needed, where)
    if not spans:
        return text, suppressions
    spans.sort()
    out: list[str] = []
    last = 0
    for start, end in spans:
        if end <= last:
            continue
        start = max(start, last)
        out.append(text[last:start])
        out.append(_blank(text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out), suppressions


# --------------------------------------------------------------------------- building


@cache
def load_linter() -> Linter:

    raw = read_data("phrases")
    groups = tuple(
        Group(
            id=g["id"],
            name=g["name"],
            title=g["title"],
            severity=g["severity"],
            person_subject=g.get("subject") == "person",
            negatable=bool(g.get("negatable", False)),
            suggestion=" ".join(g["suggestion"].split()),
            phrases=tuple(str(p) for p in g["phrases"]),
        )
        for g in raw["groups"]
    )
    ctx = raw["context"]
    words = Words(**{k: frozenset(str(x) for x in ctx[k]) for k in Words.__dataclass_fields__})
    return build_linter(groups, words)


def build_linter(groups: tuple[Group, ...], words: Words) -> Linter:
    """Literal phrases (and simple patterns spelled out) go into one Aho-Corasick automaton;
    the few true patterns run only when the character they need is in the text."""
    import ahocorasick_rs

    literal: dict[str, Group] = {}
    patterned: list[tuple[re.Pattern[str], Group, str, str, str]] = []
    for group in groups:
        for phrase in group.phrases:
            spelled = expand(phrase)
            if spelled is not None:
                for word in spelled:
                    literal.setdefault(word, group)
                continue
            bounded = phrase[:1].isalnum() or phrase[:1] in "@("
            rx = re.compile(r"(?<![\w@])(?:" + phrase + r")(?!\w)" if bounded else phrase)
            trigger = "@" if "@" in phrase else ("!!" if "!" in phrase else "")
            if "?!" in phrase.replace("\\", ""):
                trigger = "?!"
            lead, must = _literals(phrase)
            patterned.append((rx, group, trigger, lead, must))
    phrases = tuple(literal)
    # A DFA scans in half the time of the default NFA (the corpus: 19 vs 39 ms) and
    # takes about 2 ms to build, once per process.
    dfa = ahocorasick_rs.Implementation.DFA
    automaton = ahocorasick_rs.AhoCorasick(phrases, implementation=dfa) if phrases else None
    return Linter(groups, words, literal, tuple(patterned), automaton, phrases)


def _literals(phrase: str) -> tuple[str, str]:
    """The literal text every match of ``phrase`` starts with, and the longest literal
    run every match holds, read from the top level of the parsed pattern ("" if none)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(phrase)
    except Exception:  # an unusual pattern: no shortcut, same results
        return "", ""
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return "", ""
    items = list(parsed)
    runs: list[str] = []
    run: list[str] = []
    lead: str | None = None
    for op, arg in items:
        if op is _parser.LITERAL:
            run.append(chr(arg))
            continue
        if lead is None:
            lead = "".join(run)
        runs.append("".join(run))
        run = []
    runs.append("".join(run))
    if lead is None:
        lead = runs[-1]
    return lead, max(runs, key=len)


_GROUP: Final = re.compile(r"\(\?:([^()]*)\)(\??)|\[([^\]]+)\]|([a-z])\?")


def expand(pattern: str) -> list[str] | None:
    """Every string a simple pattern matches: literals, (?:a|b) groups (optionally with
    ?), [xy] classes and optional letters (s?); None when it needs a real regular
    expression."""
    if _LITERAL.match(pattern):
        return [pattern]
    m = _GROUP.search(pattern)
    if m is None:
        return None
    head, tail = pattern[: m.start()], pattern[m.end() :]
    if not _LITERAL.match(head or "a"):
        return None
    if m.group(4) is not None:  # one optional letter: "engineers?"
        options = [m.group(4), ""]
    elif m.group(3) is not None:
        options = list(m.group(3))
    else:
        options = m.group(1).split("|") + ([""] if m.group(2) else [])
    rests = expand(tail) if tail else [""]
    if rests is None or any(o and not _LITERAL.match(o) for o in options):
        return None
    return [re.sub(r" +", " ", head + o + r) for o in options for r in rests]
