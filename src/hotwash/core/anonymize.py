"""Anonymization of imported evidence: people become handles or roles, details become marks.

A roster names the people. Each entry maps everything that identifies one person (full names,
chat user ids, logins, e-mail addresses) to one handle (``@sam``) or role (``incident
commander``). The ``Anonymizer`` rewrites each ``Event`` before anything is written:

- the actor: a rostered person becomes their handle or role; any other person becomes a
  pseudonym (``@person-1``, ``@person-2`` ... in order of first appearance, the same person
  keeping the same one for the whole import); bots and services keep their names;
- the text, the link, the source and the place: rostered names, ids, logins and
  ``@mentions`` become handles or roles; unknown chat user ids become pseudonyms; e-mail
  addresses become ``[email]``, phone numbers ``[phone]``, IP addresses ``[ip]`` and secrets
  ``[secret]``.

A 40-character hexadecimal string is kept: it is a commit (a reference a reader follows), not
a secret; so are hexadecimal strings named as a digest, hash, trace or request id, UUIDs, and
long tokens inside a URL (a link is a reference too). Inside a URL only secrets recognisable by
their shape or their name (``?token=...``, ``user:password@``) are removed.

Names, ids and logins are found whole-word, case-insensitively, longest first, with one
Aho-Corasick automaton that also holds the words that make each secret pattern worth running,
so a text with nothing in it costs one pass and a few substring checks.

The mapping stays inside the ``Anonymizer``: nothing it returns names who is behind a handle
or a pseudonym. ``Redactions`` counts what was replaced, for the command to report. Pure.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from .errors import PackError
from .evidence import Event
from .model import dotted
from .redact import (
    EMAIL,
    IPV4,
    IPV6,
    PHONE,
    SECRET_SHAPES,
    SECRET_VALUE,
    entropy,
)

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
IP_MARK = "[ip]"
SECRET_MARK = "[secret]"
AMBIGUOUS_MARK = "[name]"

# --------------------------------------------------------------------------- roster

FIELDS = ("names", "ids", "logins", "emails")
_HANDLE = re.compile(r"@[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?")
_ROLE = re.compile(r"[A-Za-z][A-Za-z0-9 ()/'&-]{0,59}")
_ROSTER_SHAPE = (
    "a roster is a mapping with 'people' (each full name mapped to a handle, or each handle "
    "or role mapped to the person's names, ids, logins and emails) and optionally 'teams'"
)


@dataclass(frozen=True, slots=True)
class Person:
    """One person and everything that identifies them.

    ``label`` is the handle (``@sam``) or role (``on-call engineer``) they appear as; None
    gives them a pseudonym instead (people known from a source, such as a chat export's user
    list, that the roster does not name)."""

    label: str | None
    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    logins: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PeopleRoster:
    """A roster file, read.

    Two shapes of entry under ``people``, mixed freely::

        people:
          Sam Rivera: "@sam"            # short: a full name and its handle (or role)
          "@jo":                        # long: a handle (or role) and what names the person
            names: [Jo Park, Joanna Park]
            ids: [U024BE7LH]
            logins: [jpark]
            emails: [jo.park@example.com]
          incident commander:
            ids: [U0ABCDE12]
        teams: [Payments Core]

    The short shape is the one ``hotwash publish`` has always read.
    """

    people: tuple[Person, ...] = ()
    teams: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, *, path: str | None = None) -> PeopleRoster:
        """A roster from parsed YAML; PackError naming the field for any other shape."""
        return _read_roster(data, path)

    def names(self) -> dict[str, str]:
        """Each full name and its handle or role (what the customer version needs)."""
        return {name: p.label for p in self.people if p.label for name in p.names}


def _fail(message: str, path: str | None, *loc: str | int) -> PackError:
    return PackError(message, path=path, field=dotted(loc) if loc else None)


def _read_roster(data: Any, path: str | None) -> PeopleRoster:
    if data is None:
        return PeopleRoster()
    if not isinstance(data, dict):
        raise _fail(f"{_ROSTER_SHAPE}; found {_kind(data)}", path)
    for key in data:
        if key not in ("people", "teams"):
            raise _fail(f"unknown key; {_ROSTER_SHAPE}", path, str(key))
    raw_people = data.get("people")
    if raw_people is None:
        raw_people = {}
    if not isinstance(raw_people, dict):
        raise _fail(
            f"expected a mapping (Full Name: '@handle', or '@handle': with names, ids, logins "
            f"and emails); found {_kind(raw_people)}",
            path,
            "people",
        )
    people: list[Person] = []
    seen: dict[str, tuple[str, str]] = {}
    for key, value in raw_people.items():
        if not isinstance(key, str) or not key.strip():
            raise _fail(
                "each entry starts with a full name, a handle or a role (text)",
                path,
                "people",
                str(key),
            )
        key = " ".join(key.split())
        person = _read_person(key, value, path)
        lists = (person.names, person.ids, person.logins, person.emails)
        for kind, items in zip(FIELDS, lists, strict=True):
            for i, item in enumerate(items):
                loc: tuple[str | int, ...] = ("people", key)
                if isinstance(value, dict):
                    loc += (kind, i)
                other = seen.get(_fold(item))
                if other is not None and other[0] != person.label:
                    raise _fail(
                        f"'{item}' is already listed for '{other[0]}' ({other[1]}); "
                        f"one identifier can name only one person",
                        path,
                        *loc,
                    )
                seen[_fold(item)] = (str(person.label), dotted(loc))
        people.append(person)
    return PeopleRoster(tuple(people), _read_teams(data.get("teams"), path))


def _read_person(key: str, value: Any, path: str | None) -> Person:
    if isinstance(value, str):
        if key.startswith("@") and not value.strip().startswith("@"):
            raise _fail(
                "a short entry maps a full name to a handle (Sam Rivera: '@sam'); this one "
                "maps a handle to something else: swap them, or list the names under the handle",
                path,
                "people",
                key,
            )
        if len(key) < 2 or "@" in key:
            raise _fail("expected a person's full name before the ':'", path, "people", key)
        label = _label(value, path, "people", key)
        if _fold(label) == _fold(key):
            raise _fail(
                "the handle or role is the person's own name; give a handle such as '@sam' "
                "or a role such as 'on-call engineer'",
                path,
                "people",
                key,
            )
        return Person(label, names=(key,))
    if isinstance(value, dict):
        label = _label(key, path, "people", key, subject="the entry's key")
        lists: dict[str, tuple[str, ...]] = {}
        for field_name, items in value.items():
            if field_name not in FIELDS:
                raise _fail(
                    f"unknown key; a person lists {', '.join(FIELDS)}",
                    path,
                    "people",
                    key,
                    str(field_name),
                )
            lists[field_name] = _read_items(items, field_name, path, key)
        person = Person(label, **lists)
        if not any(lists.values()):
            raise _fail(
                f"lists nothing that names the person; give at least one of {', '.join(FIELDS)}",
                path,
                "people",
                key,
            )
        if any(_fold(n) == _fold(label) for n in person.names):
            raise _fail("the handle or role is also one of the person's names", path, "people", key)
        return person
    raise _fail(
        f"expected a handle such as '@sam' (short form) or a mapping with {', '.join(FIELDS)} "
        f"(long form); found {_kind(value)}",
        path,
        "people",
        key,
    )


def _label(value: str, path: str | None, *loc: str, subject: str = "the value") -> str:
    text = " ".join(value.split())
    if text.startswith("@"):
        if not _HANDLE.fullmatch(text):
            raise _fail(
                f"{subject} '{text}' is not a handle: '@' then letters, digits, '.', '_' or '-'",
                path,
                *loc,
            )
        return text
    if not _ROLE.fullmatch(text):
        raise _fail(
            f"{subject} '{text}' is neither a handle ('@sam') nor a role of a few words "
            f"('on-call engineer', at most 60 characters)",
            path,
            *loc,
        )
    return text


def _read_items(items: Any, field_name: str, path: str | None, key: str) -> tuple[str, ...]:
    if items is None:
        return ()
    listed = [items] if isinstance(items, str) else items
    if not isinstance(listed, list):
        raise _fail(
            f"expected text or a list of texts; found {_kind(items)}",
            path,
            "people",
            key,
            field_name,
        )
    out: list[str] = []
    for i, item in enumerate(listed):
        loc = ("people", key, field_name, i)
        if not isinstance(item, str) or not item.strip():
            raise _fail(f"expected text; found {_kind(item)}", path, *loc)
        text = " ".join(item.split())
        if field_name == "logins":
            text = text.removeprefix("@")
        if field_name == "emails" and not EMAIL.fullmatch(text):
            raise _fail(f"'{text}' is not an e-mail address", path, *loc)
        if field_name in ("ids", "logins") and (" " in text or "@" in text):
            raise _fail(f"'{text}' has a space or '@'; {field_name} are single words", path, *loc)
        if field_name == "names" and "@" in text:
            raise _fail(
                f"'{text}' has an '@': list logins under 'logins' and addresses under 'emails'",
                path,
                *loc,
            )
        if len(text) < 2:
            raise _fail(f"'{text}' is too short to find safely", path, *loc)
        out.append(text)
    return tuple(out)


def _read_teams(raw: Any, path: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(f"expected a list of team names; found {_kind(raw)}", path, "teams")
    for i, team in enumerate(raw):
        if not isinstance(team, str) or not team.strip():
            raise _fail(f"expected a team name; found {_kind(team)}", path, "teams", i)
    return tuple(" ".join(t.split()) for t in raw)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fold(text: str) -> str:
    """Lower case with one character per character, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in text)


# --------------------------------------------------------------------------- anonymizer


@dataclass(slots=True)
class Redactions:
    """How many things of each kind were replaced: counts only, never what or by whom."""

    people: int = 0
    """Names, user ids, logins and e-mail addresses of rostered people -> handle or role."""
    pseudonyms: int = 0
    """Mentions of people the roster does not name -> a pseudonym."""
    unknown_people: int = 0
    """Distinct people given a pseudonym."""
    emails: int = 0
    phones: int = 0
    ips: int = 0
    secrets: int = 0

    @property
    def total(self) -> int:
        return self.people + self.pseudonyms + self.emails + self.phones + self.ips + self.secrets

    def lines(self) -> list[str]:
        """One phrase per kind that occurred, for a person to read."""
        removed = [
            _many(n, one, many)
            for n, one, many in (
                (self.emails, "e-mail address", "e-mail addresses"),
                (self.phones, "phone number", "phone numbers"),
                (self.ips, "IP address", "IP addresses"),
                (self.secrets, "secret", "secrets"),
            )
            if n
        ]
        out = []
        if self.people:
            named = _many(self.people, "name, id or login", "names, ids or logins")
            out.append(f"{named} of rostered people replaced by handle or role")
        if self.pseudonyms:
            out.append(
                f"{_many(self.unknown_people, 'person', 'people')} not in the roster given a "
                f"pseudonym ({_many(self.pseudonyms, 'mention', 'mentions')})"
            )
        if removed:
            out.append("removed " + ", ".join(removed))
        return out

    def summary(self) -> str:
        """Everything in one line; says so when nothing needed replacing."""
        return "; ".join(self.lines()) or "nothing needed replacing"


def _many(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_DIGIT = re.compile(r"\d")
_RUN = re.compile(r"[A-Za-z0-9+/_=-]{20,}")
_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")
_NOT_SPACE = re.compile(r"\S*")
_USER_ID_GATE = re.compile(r"[UW][A-Z0-9]{8}")
_IPV6_GATE = re.compile(r"[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]")
_PHONE_GATE = re.compile(r"\+\d|\d(?:[ ()/-]{0,2}\d){7}|\d{3}\.\d{3}\.\d{4}")
_IPV4_GATE = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d")
_REFERENCE = re.compile(
    r"(?i)\b(?:sha(?:1|224|256|384|512)?|md5|digest|commit|checksum|hash|etag|trace|span"
    r"|request|correlation|build|run|job|incident|dedup|fingerprint)(?:[ _-]?(?:ids?|keys?))?"
    r"\W{0,5}\Z"
)
_UUID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.I)
_SEGMENTS = re.compile(r"[-_/+.]")
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_SLACK_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
_USER_ID = re.compile(r"(?<![\w@])@?([UW](?=[A-Z0-9]*\d)[A-Z0-9]{8,})(?![A-Za-z0-9])")
_MENTION = re.compile(r"(?<![\w@.\[\]])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)")
_SPECIAL_MENTIONS = frozenset({"here", "channel", "everyone", "all"})
_PSEUDONYM = re.compile(r"person-\d+")
_NAME_WORDS = re.compile(r"[^\W\d_][\w'.-]*(?: [^\W\d_][\w'.-]*)+")
_SERVICE = re.compile(
    r"(?i)(?:^|[\s_.-])bots?$|\[bot\]|^(?:bot|bots)[\s_.-]|"
    r"\b(?:app|ci|cd|alerts?|alerting|monitor(?:ing)?|webhooks?|integrations?|system|"
    r"service|daemon|cron|scheduler|automation|pipeline|deploy(?:er|s|ments?)?|grafana|"
    r"prometheus|alertmanager|pagerduty|opsgenie|datadog|sentry|jenkins|github|gitlab|"
    r"travis|circleci|argo(?:cd)?|kubernetes|k8s|u?slackbot|slack|dependabot|renovate|"
    r"statuspage|zapier|jira|nagios|zabbix|splunk|honeycomb|new ?relic|incident\.io)\b"
)
"""What a system calls itself: these actors keep their names (they are not people)."""

_SHAPE_PATTERNS = tuple(re.compile(pattern) for _, pattern in SECRET_SHAPES)
_KEYWORD = 1 << len(SECRET_SHAPES)
_URL = _KEYWORD << 1
_SHAPES = _KEYWORD - 1
_TRIGGERS: dict[str, int] = {"://": _URL}
for _bit, (_words, _) in enumerate(SECRET_SHAPES):
    for _word in _words:
        _TRIGGERS[_word] = _TRIGGERS.get(_word, 0) | 1 << _bit
for _word in (
    "bearer", "passw", "passphrase", "pwd", "secret", "token", "apikey", "api_key", "api-key",
    "access_key", "access-key", "accesskey", "private_key", "private-key", "privatekey",
    "credential", "sig",
):  # fmt: skip
    _TRIGGERS[_word] = _TRIGGERS.get(_word, 0) | _KEYWORD
"""Words whose presence (in any case) means a secret pattern is worth running; they go into
the same automaton as the names, so one pass over the text finds both."""

_AMBIGUOUS = -1
_SAME_LIMIT = 4096


_LOCATOR = re.compile(r"(.*?[^\d.])((?:[\[/:#]\d+(?:\.\d+)?\]?)+)", re.S)
"""A locator's stem and its numeric ending: ``[12]``, ``:34``, ``/1458972992.000011``."""


class Anonymizer:
    """Turns people into handles, roles or pseudonyms and removes contact details and secrets.

    ``strict`` replaces more at the price of some false hits: each rostered person's first
    name on its own (``[name]`` where two people share one) and every ``@mention`` the
    roster does not know (except ``@here``, ``@channel``, ``@everyone``).
    ``directory`` lists people a source knows (a chat export's user list) that the roster may
    not name; their names and ids become pseudonyms wherever they appear.
    """

    def __init__(
        self,
        roster: PeopleRoster | None = None,
        *,
        strict: bool = False,
        directory: Iterable[Person] = (),
        first_pseudonym: int = 1,
    ) -> None:
        self.strict = strict
        self.first_pseudonym = first_pseudonym
        """The number of the first ``@person-N`` handed out: above any already in the pack
        being imported into, so two people never share one (the mapping is not kept)."""
        self.redactions = Redactions()
        self._labels: list[str | None] = []
        self._lookup: dict[str, int] = {}
        self._words: dict[str, int] = {}
        self._logins: dict[str, int] = {}
        self._pseudonyms: dict[int, str] = {}
        self._same: set[str] = set()
        self._actors: dict[str, int] = {}
        self._systems: set[tuple[str, bool]] = set()
        self._automaton: Any = None
        self._payload: list[tuple[int | None, int]] = []
        self._dirty = True
        roster = roster or PeopleRoster()
        for person in (*roster.people, *directory):
            self._add(person)
        self._handles = {_fold(x.label) for x in roster.people if x.label}
        if strict:
            self._add_first_names(roster)

    @classmethod
    def from_data(cls, data: Any, *, where: str = "", strict: bool = False) -> Anonymizer:
        """An anonymizer from a parsed roster file (None: no roster, everyone a pseudonym);
        ``where`` names the file in errors."""
        return cls(PeopleRoster.from_data(data, path=where or None), strict=strict)

    def stream(self, events: Iterable[Event]) -> Iterator[Event]:
        """The events, anonymized one at a time."""
        return anonymize(events, self)

    def summary(self) -> str:
        """What was replaced so far, counted, in one line (never what or by whom)."""
        return self.redactions.summary()

    def __repr__(self) -> str:  # never the mapping
        return f"Anonymizer(people={len(self._labels)}, strict={self.strict})"

    # ------------------------------------------------------------------ building

    def _add(self, person: Person) -> None:
        index = len(self._labels)
        self._labels.append(person.label)
        for word in (*person.names, *person.ids, *person.logins):
            key = _fold(word)
            if key not in self._lookup:
                self._lookup[key] = index
                self._words[key] = index
        for email in person.emails:
            self._lookup.setdefault(_fold(email), index)
        self._dirty = True

    def _add_first_names(self, roster: PeopleRoster) -> None:
        owners: dict[str, set[int]] = {}
        for person in roster.people:
            index = self._lookup.get(_fold(person.names[0])) if person.names else None
            for name in person.names:
                parts = name.split()
                if len(parts) > 1 and len(parts[0]) >= 3 and index is not None:
                    owners.setdefault(_fold(parts[0]), set()).add(index)
        for first, indexes in owners.items():
            if first not in self._words:
                self._words[first] = indexes.pop() if len(indexes) == 1 else _AMBIGUOUS
        self._dirty = True

    def _build(self) -> None:
        keys = [key for key in self._words.keys() | _TRIGGERS.keys() if key]
        self._automaton = ahocorasick_rs.AhoCorasick(keys) if keys else None
        self._payload = [(self._words.get(key), _TRIGGERS.get(key, 0)) for key in keys]
        self._dirty = False

    def _learn(self, key: str, kind: str) -> int:
        """An unknown person, from now on given the same pseudonym wherever they appear:
        under the same id (``kind`` id), the same address (email), a name of two or more
        words anywhere in a text (name) or an ``@login`` (login)."""
        index = len(self._labels)
        self._labels.append(None)
        self._lookup[key] = index
        if kind == "name":
            self._words[key] = index
            self._dirty = True
            self._same.clear()
        elif kind == "login":
            self._logins[key] = index
        return index

    def _name_of(self, index: int) -> str:
        if index == _AMBIGUOUS:
            self.redactions.people += 1
            return AMBIGUOUS_MARK
        label = self._labels[index]
        if label is not None:
            self.redactions.people += 1
            return label
        self.redactions.pseudonyms += 1
        pseudonym = self._pseudonyms.get(index)
        if pseudonym is None:
            pseudonym = f"@person-{self.first_pseudonym + len(self._pseudonyms)}"
            self._pseudonyms[index] = pseudonym
            self.redactions.unknown_people += 1
        return pseudonym

    # ------------------------------------------------------------------ events

    def apply(self, event: Event) -> Event:
        """A copy of the event with its actor and every text field anonymized."""
        return Event(
            at=event.at,
            text=self.text(event.text),
            source=self._repeated(event.source),
            actor=self.actor(event.actor, bot=event.bot),
            link=self._locator(event.link) if event.link else event.link,
            where=self._locator(event.where),
            zone=event.zone,
            moment=event.moment,
            bot=event.bot,
        )

    def _locator(self, text: str) -> str:
        """A place or link that ends in a number of its own (``notes.txt:12``,
        ``day.json[3]``, ``slack:incident/1458972992.000011``): the part before the number
        repeats from event to event and is remembered; the number (digits with at most one
        dot, so never an IP address) is kept as it is."""
        m = _LOCATOR.fullmatch(text)
        if m is None or text.count(":") >= 2:
            return self.text(text)  # the number could end an IPv6 address
        stem = m.group(1)
        out = self._repeated(stem)
        return text if out is stem else out + text[len(stem) :]

    def _repeated(self, text: str) -> str:
        """A field that repeats from event to event (the source, the place): remembered when
        it needs no change."""
        if text in self._same:
            return text
        out = self.text(text)
        if out is text:
            if len(self._same) >= _SAME_LIMIT:
                self._same.clear()
            self._same.add(text)
        return out

    def actor(self, actor: str | None, *, bot: bool = False) -> str | None:
        """Who acted: a handle, a role or a pseudonym for a person; a system keeps its name."""
        if actor is None:
            return None
        known = self._actors.get(actor)
        if known is not None:
            return self._name_of(known)
        if (actor, bot) in self._systems:
            return actor
        if not actor.strip():
            return actor
        bare = " ".join(actor.split())
        if _fold(bare) in self._handles:
            return actor  # already a handle or role from the roster
        slack = _SLACK_MENTION.fullmatch(bare)
        key = _fold(slack.group(1) if slack else bare.removeprefix("@"))
        index = self._lookup.get(key)
        if index is not None:
            self._actors[actor] = index
            return self._name_of(index)
        email = EMAIL.fullmatch(bare) is not None
        if bot or (not email and _SERVICE.search(bare)):
            kept = self.text(actor)
            if kept is actor and len(self._systems) < _SAME_LIMIT:
                self._systems.add((actor, bot))
            return kept
        if slack is not None or _USER_ID.fullmatch(bare):
            kind = "id"
        elif email:
            kind = "email"
        else:
            before = self.redactions.people + self.redactions.pseudonyms
            replaced = self.text(bare)
            if self.redactions.people + self.redactions.pseudonyms > before:
                return replaced  # "Sam Rivera (IC)" -> "@sam (IC)"
            kind = "name" if _NAME_WORDS.fullmatch(bare) else "login"
        index = self._learn(key, kind)
        self._actors[actor] = index
        return self._name_of(index)

    def text(self, text: str) -> str:
        """A text with people replaced and contact details and secrets removed; the very same
        object when nothing changed."""
        if not text:
            return text
        if self._dirty:
            self._build()
        flags, hits = self._scan(text)
        digits = _DIGIT.search(text) is not None
        out = text
        if flags & _SHAPES:
            for bit, pattern in enumerate(_SHAPE_PATTERNS):
                if flags >> bit & 1:
                    out = pattern.sub(self._secret, out)
        if flags & _KEYWORD or (flags & _URL and out.count("@") > out.count("<@")):
            out = SECRET_VALUE.sub(self._secret_value, out)
        if digits:
            out = self._runs(out, urls=bool(flags & _URL))
        if "@" in out:
            if out.count("@") > out.count("<@"):
                out = EMAIL.sub(self._email, out)
            if "<@" in out:
                out = _SLACK_MENTION.sub(self._slack_mention, out)
        if out is not text and out != text:
            hits = self._scan(out)[1]  # the places moved
        if hits:
            out = self._replace(out, hits)
        if digits:
            if ("U" in out or "W" in out) and _USER_ID_GATE.search(out):
                out = _USER_ID.sub(self._user_id, out)
            if out.count(":") >= 2 and ("::" in out or _IPV6_GATE.search(out)):
                out = IPV6.sub(self._ipv6, out)
            if out.count(".") >= 3 and _IPV4_GATE.search(out):
                out = IPV4.sub(self._ipv4, out)
            if _PHONE_GATE.search(out):
                out = PHONE.sub(self._phone, out)
        if "@" in out and (self.strict or self._logins):
            out = _MENTION.sub(self._mention, out)
        return text if out == text else out

    # ------------------------------------------------------------------ people

    def _scan(self, text: str) -> tuple[int, list[tuple[int, int, int]]]:
        """One pass of the automaton: which secret patterns to run, and the whole-word
        occurrences of names, ids and logins (start, stop, person)."""
        low = _fold(text)
        n = len(low)
        flags = 0
        hits: list[tuple[int, int, int]] = []
        automaton, payload = self._automaton, self._payload
        found = (
            automaton.find_matches_as_indexes(low, overlapping=True)
            if automaton is not None
            else []
        )
        for key, start, stop in found:
            index, flag = payload[key]
            flags |= flag
            if index is None:
                continue
            if (start > 0 and low[start - 1].isalnum()) or (stop < n and low[stop].isalnum()):
                continue  # inside a word; '_', '-' and '.' separate (hfaran_problem)
            hits.append((start, stop, index))
        return flags, hits

    def _replace(self, text: str, hits: list[tuple[int, int, int]]) -> str:
        """The longest leftmost occurrences replaced; an '@' before one goes with it."""
        hits.sort(key=lambda h: (h[0], -h[1]))
        out: list[str] = []
        pos = 0
        for start, stop, index in hits:
            if start < pos:
                continue
            if start > pos and text[start - 1] == "@":
                start -= 1
            out.append(text[pos:start])
            out.append(self._name_of(index))
            pos = stop
        out.append(text[pos:])
        return "".join(out)

    def _known_or_new(self, ident: str) -> int:
        key = _fold(ident)
        index = self._lookup.get(key)
        return self._learn(key, "id") if index is None else index

    def _slack_mention(self, m: re.Match[str]) -> str:
        return self._name_of(self._known_or_new(m.group(1)))

    def _user_id(self, m: re.Match[str]) -> str:
        return self._name_of(self._known_or_new(m.group(1)))

    def _mention(self, m: re.Match[str]) -> str:
        key = _fold(m.group(1))
        if "@" + key in self._handles or _PSEUDONYM.fullmatch(key):
            return m.group(0)  # already a handle
        index = self._logins.get(key)
        if index is not None:
            return self._name_of(index)
        if not self.strict or key in _SPECIAL_MENTIONS:
            return m.group(0)
        return self._name_of(self._learn(key, "login"))

    # ------------------------------------------------------------------ details

    def _email(self, m: re.Match[str]) -> str:
        index = self._lookup.get(_fold(m.group(0)))
        if index is not None:
            return self._name_of(index)
        self.redactions.emails += 1
        return EMAIL_MARK

    def _secret(self, m: re.Match[str]) -> str:
        self.redactions.secrets += 1
        return SECRET_MARK

    def _secret_value(self, m: re.Match[str]) -> str:
        group = next(g for g in ("bearer", "userinfo", "value") if m.group(g) is not None)
        value = m.group(group)
        if value == SECRET_MARK or (
            group == "value" and m.group("sep") == ":" and not _looks_secret(value)
        ):
            return m.group(0)
        self.redactions.secrets += 1
        start, stop = m.start(group) - m.start(), m.end(group) - m.start()
        whole = m.group(0)
        return whole[:start] + SECRET_MARK + whole[stop:]

    def _runs(self, text: str, *, urls: bool) -> str:
        """Long runs of token characters outside URLs: hexadecimal keys and random-looking
        tokens become ``[secret]``."""
        spans = _url_spans(text) if urls else []
        pieces: list[str] = []
        pos = 0
        for m in _RUN.finditer(text):
            start, stop = m.span()
            if any(a <= start < b for a, b in spans):
                continue  # a link is a reference
            offset = start
            parts = m.group(0).split("=")
            changed = False
            for i, part in enumerate(parts):
                if len(part) >= 20:
                    parts[i] = self._judge(text, offset, part)
                    changed = changed or parts[i] is not part
                offset += len(part) + 1
            if changed:
                pieces += [text[pos:start], "=".join(parts)]
                pos = stop
        if not pieces:
            return text
        pieces.append(text[pos:])
        return "".join(pieces)

    def _judge(self, text: str, offset: int, part: str) -> str:
        hexed = _HEX.sub(lambda m: self._hex(m, text, offset), part)
        if hexed != part:
            return hexed
        if not _random_looking(part) or _REFERENCE.search(text[max(0, offset - 24) : offset]):
            return part
        self.redactions.secrets += 1
        return SECRET_MARK

    def _hex(self, m: re.Match[str], text: str, offset: int) -> str:
        value = m.group(0)
        start = offset + m.start()
        if (
            len(value) == 40  # a commit
            or entropy(value) < 3.0
            or _REFERENCE.search(text[max(0, start - 24) : start])
        ):
            return value
        self.redactions.secrets += 1
        return SECRET_MARK

    def _ipv4(self, m: re.Match[str]) -> str:
        value = m.group(0)
        s, start, stop = m.string, m.start(), m.end()
        if any(int(part) > 255 for part in value.split("/")[0].split(".")):
            return value
        if stop + 1 < len(s) and s[stop] == "." and s[stop + 1].isdigit():
            return value  # 1.3.6.1.4.1: a longer dotted number
        if start > 1 and s[start - 1] == "." and s[start - 2].isdigit():
            return value
        self.redactions.ips += 1
        return IP_MARK

    def _ipv6(self, m: re.Match[str]) -> str:
        try:
            ipaddress.IPv6Address(m.group(0))
        except ValueError:
            return m.group(0)  # 10:15:30:45 and other colon-separated numbers
        self.redactions.ips += 1
        return IP_MARK

    def _phone(self, m: re.Match[str]) -> str:
        value = m.group(0)
        digits = sum(c.isdigit() for c in value)
        if value.startswith("+"):
            ok = 8 <= digits <= 15
        elif value.startswith("0"):
            ok = 10 <= digits <= 12
        else:
            ok = digits == 10
        if not ok:
            return value
        self.redactions.phones += 1
        return PHONE_MARK


def _looks_secret(value: str) -> bool:
    """After ``token:`` in prose a plain word is prose ('the token: expired'); a value with a
    digit or a symbol, or a long one, is a secret."""
    return len(value) >= 12 or not value.isalpha()


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs are: from the scheme before each '://' to the next white space."""
    spans: list[tuple[int, int]] = []
    i = text.find("://")
    while i != -1:
        start = i
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "+.-"):
            start -= 1
        stop = _NOT_SPACE.match(text, i).end()  # type: ignore[union-attr]
        spans.append((start, stop))
        i = text.find("://", stop)
    return spans


def _random_looking(token: str) -> bool:
    """Whether a token of 20+ characters looks random, the way detect-secrets decides: Shannon
    entropy over the token's alphabet, against a limit that grows with the length (a short
    random string cannot reach the fixed 4.5 bits a long one does). Words joined by '-', '_',
    '/' or '.' (paths, pod names, metric names), UUIDs and plain hexadecimal ids are not."""
    core = token.rstrip("=")
    n = len(core)
    if n < 20 or max(len(part) for part in _SEGMENTS.split(core)) < 16:
        return False
    if _UUID.fullmatch(core) or all(c in _HEXDIGITS for c in core):
        return False  # hexadecimal: long ones are judged as such, short ones are ids
    digits = sum(c.isdigit() for c in core)
    if digits < (1 if n >= 30 else 2) or n - digits < 4:
        return False
    alphabet = 36 if core.islower() or core.isupper() else 64
    return entropy(core) >= 0.8 * math.log2(min(n, alphabet))


def anonymize(events: Iterable[Event], anonymizer: Anonymizer) -> Iterator[Event]:
    """The events, anonymized one at a time (nothing is held back)."""
    for event in events:
        yield anonymizer.apply(event)
