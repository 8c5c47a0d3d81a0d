"""The blameless-language linter: blame-shaped phrases in any Markdown prose.

All phrases of data/phrases.yaml are compiled into one matcher (a trie-shaped regular
expression for the literal phrases, plus one alternation for the few patterned ones),
run once over lower-cased text; each hit is mapped back to its rule. Code, quoted text,
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
from importlib import resources
from typing import Any, Literal

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


@dataclass(frozen=True)
class Hit:
    """One blame-shaped phrase: where it is (1-based line, 0-based column) and its rule."""

    group: Group
    phrase: str
    line: int
    column: int
    start: int
    end: int


@dataclass(frozen=True)
class Suppressed:
    line: int
    names: tuple[str, ...]
    reason: str


_LITERAL = re.compile(r"^[a-z0-9 '’-]+$")

_TOKEN = re.compile(r"@?[\w'’-]+|[.;:!?|()\[\]]")
_SENTENCE_END = frozenset(".;:!?|()[]")
_SUPPRESS = re.compile(
    r"<!--\s*hotwash:\s*allow\s+(?P<names>[\w, -]+?)(?:\s+(?:because|reason:?)\s+"
    r"(?P<reason>.*?))?\s*-->",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Linter:
    groups: tuple[Group, ...]
    words: Words
    matcher: re.Pattern[str]
    literal: dict[str, Group]
    patterned: tuple[tuple[re.Pattern[str], Group], ...]

    @property
    def pattern_count(self) -> int:
        return sum(len(g.phrases) for g in self.groups)

    def hits(self, text: str) -> tuple[list[Hit], list[Suppressed]]:
        """Blame-shaped phrases in Markdown ``text`` (suppressed ones left out)."""
        masked, suppressions = mask(text)
        lowered = masked.lower()
        line_starts = _line_starts(text)
        found: list[Hit] = []
        for m in self.matcher.finditer(lowered):
            phrase = m.group(0)
            group = self.literal.get(phrase) or self._patterned_group(phrase)
            if group is None:
                continue
            if group.person_subject and (
                not _person_before(self.words, masked, m.start())
                or _have_as_verb(self.words, lowered, m.end(), phrase)
            ):
                continue
            if group.negatable and _negated_before(self.words, lowered, m.start()):
                continue
            line = _line_of(line_starts, m.start())
            found.append(
                Hit(
                    group,
                    text[m.start() : m.end()],
                    line,
                    m.start() - line_starts[line - 1],
                    m.start(),
                    m.end(),
                )
            )
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

    def _patterned_group(self, phrase: str) -> Group | None:
        for rx, group in self.patterned:
            if rx.fullmatch(phrase):
                return group
        return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _clause_before(w: Words, text: str, start: int, limit: int = 4) -> list[str]:
    """Up to ``limit`` words before ``start`` in the same clause, nearest last."""
    window = text[max(0, start - 80) : start]
    tokens = _TOKEN.findall(window)
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


_NEXT_WORD = re.compile(r"\s+([\w'’]+)")


def _negated_before(w: Words, lowered: str, start: int) -> bool:
    words = [x.lower() for x in _clause_before(w, lowered, start, limit=3)]
    return any(x in w.negations or x.endswith("n't") for x in words)


# --------------------------------------------------------------------------- masking

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|‘[^’\n]{1,400}’")
_BLOCKQUOTE = re.compile(r"^ {0,3}>.*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE)
_URL = re.compile(r"\]\([^)\s]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>|https?://\S+")


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def mask(text: str) -> tuple[str, list[Suppressed]]:
    """``text`` with everything that is not prose turned to spaces (lines kept)."""
    suppressions: list[Suppressed] = []
    starts: list[int] | None = None
    for m in _SUPPRESS.finditer(text):
        starts = starts or _line_starts(text)
        names = tuple(n.strip().lower() for n in re.split(r"[ ,]+", m.group("names")) if n)
        suppressions.append(
            Suppressed(_line_of(starts, m.start()), names, (m.group("reason") or "").strip())
        )
    for rx in (_FRONT_MATTER, _FENCE, _COMMENT, _CODE_SPAN, _BLOCKQUOTE, _QUOTED, _URL):
        text = rx.sub(_blank, text)
    return text, suppressions


# --------------------------------------------------------------------------- building


def _trie_regex(words: list[str]) -> str:
    """One regular expression matching exactly these literal words, shaped as a trie."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


@cache
def load_linter() -> Linter:
    import yaml

    text = resources.files("hotwash").joinpath("data/phrases.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
    literal: dict[str, Group] = {}
    patterned: list[tuple[re.Pattern[str], Group]] = []
    for group in groups:
        for phrase in group.phrases:
            if _LITERAL.match(phrase):
                literal.setdefault(phrase, group)
            else:
                patterned.append((re.compile(phrase), group))
    alternatives = [_trie_regex(sorted(literal))] if literal else []
    alternatives += [
        rx.pattern for rx, _ in patterned if rx.pattern[:1].isalnum() or rx.pattern[:1] in "@("
    ]
    marks = [rx.pattern for rx, _ in patterned if rx.pattern not in alternatives]
    # Words and phrases match whole words only; punctuation marks ("!!") match anywhere.
    matcher = re.compile(
        r"(?<![\w@])(?:" + "|".join(alternatives) + r")(?!\w)" + "".join("|" + m for m in marks)
    )
    return Linter(groups, words, matcher, literal, tuple(patterned))
