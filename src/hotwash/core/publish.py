"""One record, three audiences: the internal pack, the one-page shareout, the customer version.

The customer version is built from the parts of a review that are fit for customers (the
summary, the incident window, customer impact, what has changed), then redacted (handles,
people and teams from a roster, e-mail addresses, IPs, hostnames, URLs, ticket keys,
secrets, log lines), and last checked for leaks over the final text with wider detectors.
A leak stops the export with the reason; nothing half-safe is returned. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Literal

from .checks import sentences
from .data import read_data
from .errors import HotwashError
from .model import ActionStatus, ImpactArea, Kind, Priority, Review
from .redact import EMAIL as _EMAIL
from .redact import HANDLE as _HANDLE
from .redact import IPV4 as _IPV4
from .redact import IPV6 as _IPV6
from .redact import SECRET as _SECRET
from .text import format_value

Audience = Literal["internal", "shareout", "customer"]
AUDIENCES: tuple[str, ...] = ("internal", "shareout", "customer")


class LeakError(HotwashError):
    """The customer version would still show something internal."""

    def __init__(self, leaks: list[Leak]) -> None:
        self.leaks = leaks
        listed = "; ".join(f"line {x.line}: {x.kind} '{x.text}'" for x in leaks[:10])
        more = f" (and {len(leaks) - 10} more)" if len(leaks) > 10 else ""
        super().__init__(
            f"the customer version still shows internal details, so it was not written: "
            f"{listed}{more}. Reword these parts of the review, or add the names to the roster."
        )


@dataclass(frozen=True)
class Leak:
    kind: str
    text: str
    line: int


@dataclass(frozen=True)
class Roster:
    """People and teams that must never reach a customer: name -> handle, and team names."""

    people: dict[str, str] = field(default_factory=dict)
    teams: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    """Everything else that identifies a rostered person: chat ids, logins, e-mail addresses."""

    @classmethod
    def from_data(cls, data: Any, *, path: str | None = None) -> Roster:
        """The roster file's names and teams; either shape of entry (see
        ``anonymize.PeopleRoster``), a PackError naming the field for anything else."""
        from .anonymize import PeopleRoster

        roster = PeopleRoster.from_data(data, path=path)
        identifiers = tuple(
            dict.fromkeys(x for p in roster.people for x in (*p.ids, *p.logins, *p.emails))
        )
        return cls(roster.names(), roster.teams, identifiers)


@cache
def _texts() -> dict[str, dict[str, str]]:
    raw: dict[str, dict[str, str]] = read_data("publish")
    return {
        part: {k: " ".join(str(v).split()) for k, v in texts.items()} for part, texts in raw.items()
    }


def _template(name: str) -> Any:
    from .render import environment

    return environment().get_template(name)


def publish(
    review: Review, audience: str, *, roster: Roster | None = None, score: str | None = None
) -> str:
    """The review as Markdown for ``audience``; LeakError if the customer version leaks."""
    if audience == "internal":
        from .render import render_pack

        return render_pack(review)
    if audience == "shareout":
        return shareout(review, score=score)
    if audience == "customer":
        return customer(review, roster or Roster())
    raise HotwashError(f"unknown audience '{audience}' (internal, shareout, customer)")


# --------------------------------------------------------------------------- shareout

_PRIORITY_ORDER = {Priority.P0: 0, Priority.P1: 1, Priority.P2: 2}


def top_actions(review: Review, n: int = 3) -> list[Any]:
    """The actions that matter most: open ones first, by priority, then by due date."""
    live = [a for a in review.actions if a.status is not ActionStatus.NOT_DOING]
    return sorted(
        live,
        key=lambda a: (
            a.status in (ActionStatus.DONE, ActionStatus.VERIFIED),
            _PRIORITY_ORDER.get(a.priority, 3) if a.priority else 3,
            a.due.isoformat() if a.due else "9999",
        ),
    )[:n]


def shareout(review: Review, *, score: str | None = None) -> str:
    t = _texts()["shareout"]
    tldr = list(review.shareout[:3]) or list(sentences(review.summary or "")[:3]) or [review.title]
    actions = [
        {
            "text": a.text.replace("|", "\\|"),
            "owner": a.owner or "-",
            "priority": format_value(a.priority) or "-",
            "due": format_value(a.due) or "-",
        }
        for a in top_actions(review)
    ]
    decisions = [d.text for d in review.decisions]
    more = t["more"].format(location=review.location) if review.location else t["more_unknown"]
    text = _template("shareout.md.j2").render(
        t=t,
        title=review.title,
        kind=review.kind.value,
        status=review.status.value,
        review_date=format_value(review.review_date),
        score=score,
        tldr=tldr,
        actions=actions,
        decisions=decisions,
        more=more,
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --------------------------------------------------------------------------- customer


def _window(review: Review) -> str:
    t = _texts()["customer"]
    k = review.key_timestamps
    start: datetime | None = k.started or (review.timeline[0].at if review.timeline else None)
    end = k.resolved or k.mitigated
    if start is None:
        return t["no_impact_numbers"]
    day = f"{start.day} {start:%B %Y}"
    if end is None or end < start:
        return t["window_open"].format(start=f"{start:%H:%M}", day=day)
    minutes = int((end - start).total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    duration = (
        (f"{hours} h {mins} min" if hours else f"{mins} minutes") if minutes else "under a minute"
    )
    return t["window"].format(
        start=f"{start:%H:%M}", end=f"{end:%H:%M}", day=day, duration=duration
    )


def customer(review: Review, roster: Roster) -> str:
    t = _texts()["customer"]
    what = review.customer_summary or review.summary or review.title
    impact = [
        f"{x.measure}: {'about ' if x.approx else ''}{_number(x.value)} {x.unit or ''}".strip()
        for x in review.impact
        if x.area in (ImpactArea.CUSTOMERS, None) and x.value is not None
    ]
    done = [
        a.text for a in review.actions if a.status in (ActionStatus.DONE, ActionStatus.VERIFIED)
    ]
    open_actions = [a for a in review.actions if a.status is ActionStatus.OPEN]
    dues = sorted(a.due for a in open_actions if a.due)
    if not open_actions:
        ongoing = ""
    elif dues:
        ongoing = t["ongoing_work"].format(
            count=len(open_actions), due=f"{dues[-1].day} {dues[-1]:%B %Y}"
        )
    else:
        ongoing = t["ongoing_undated"].format(count=len(open_actions))
    apology = t["apology"] if review.kind is Kind.INCIDENT and (impact or review.summary) else ""
    text = _template("customer.md.j2").render(
        t=t,
        title=review.title,
        what=_plain_prose(what),
        when=_window(review),
        impact=impact,
        done=done,
        ongoing=ongoing,
        apology=apology,
    )
    text = redact(re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", roster, review)
    leaks = find_leaks(text, roster, review)
    if leaks:
        raise LeakError(leaks)
    return text


def _number(value: Any) -> str:
    """2400 -> 2,400 for readers; decimals kept as written."""
    text = format_value(value)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}" if digits.isdigit() else digits
    return sign + grouped + (f".{frac}" if frac else "")


def _plain_prose(text: str) -> str:
    """Prose without code, quotes of logs or raw lines: what a customer can read."""
    text = re.sub(r"```.*?```|~~~.*?~~~", "", text, flags=re.S)
    lines = [ln for ln in text.splitlines() if not _LOG_LINE.search(ln) and not ln.startswith(">")]
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------- redaction

_URL = re.compile(r"\b(?:https?|ftp|ssh)://\S+|<[a-z]+://[^>]*>")
_HOST = re.compile(
    r"\b(?:[a-z0-9-]+\.)+(?:internal|local|corp|lan|intra|svc|cluster|prod|stg|dev|"
    r"com|net|org|io|cloud|aws|gcp)\b(?::\d+)?"  # lower case only: ".NET" is no host
)
_HOSTNAME = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+[a-z]?\b")  # db-01, web-3a
_TICKET = re.compile(r"\b(?!(?:UTF|SHA|ISO|RFC|CVE|TLS|HTTP|IPV|MD|AES)-)[A-Z][A-Z0-9]{1,9}-\d+\b")
_LOG_LINE = re.compile(
    r"^\s*\[?\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\]?.*\b(?:ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL|"
    r"TRACE)\b|\b(?:ERROR|WARN|FATAL)\s*[:\]]|Traceback \(most recent call last\)|"
    r"^\s*at [\w.$]+\(.*:\d+\)"
)
_TEAM = re.compile(
    r"\b(?:the\s+)?[A-Za-z][\w-]*\s+(?:team|squad|guild|tribe|on-?call(?: rotation)?)\b", re.I
)


def _names(roster: Roster, review: Review) -> list[str]:
    names = list(roster.people) + list(roster.teams) + list(roster.identifiers)
    return sorted({n for n in names if n.strip()}, key=len, reverse=True)


def _internal_services(review: Review) -> list[str]:
    """Service identifiers (``payments-api``, ``ledger_db``): internal names, not products."""
    return sorted((s for s in review.services if re.search(r"[-_./]", s)), key=len, reverse=True)


def redact(text: str, roster: Roster, review: Review) -> str:
    """Remove what customers must not see; keep the sentence readable."""
    for name in _names(roster, review):
        text = re.sub(rf"\b{re.escape(name)}\b", "our team", text, flags=re.I)
    for service in _internal_services(review):
        text = re.sub(rf"(?<![\w-]){re.escape(service)}(?![\w-])", "our service", text, flags=re.I)
    text = _SECRET.sub("[removed]", text)
    text = _EMAIL.sub("our team", text)
    text = _URL.sub("", text)
    text = _IPV6.sub("an internal address", text)
    text = _IPV4.sub("an internal address", text)
    text = _HOST.sub("an internal system", text)
    text = _HOSTNAME.sub("an internal system", text)
    text = _HANDLE.sub("our team", text)
    text = _TICKET.sub("", text)
    text = _TEAM.sub("our team", text)
    text = "\n".join(ln for ln in text.splitlines() if not _LOG_LINE.search(ln))
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    text = re.sub(r"[ \t]+([,.;:])", r"\1", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.rstrip("\n") + "\n"


def find_leaks(text: str, roster: Roster, review: Review) -> list[Leak]:
    """Everything internal still in ``text``: wider than the redaction, on purpose."""
    detectors: list[tuple[str, re.Pattern[str]]] = [
        ("handle", _HANDLE),
        ("e-mail address", _EMAIL),
        ("URL", _URL),
        ("IP address", _IPV4),
        ("IP address", _IPV6),
        ("hostname", _HOST),
        ("hostname", _HOSTNAME),
        ("ticket key", _TICKET),
        ("secret", _SECRET),
        ("log line", _LOG_LINE),
    ]
    words: list[tuple[str, str]] = []
    for name in roster.people:
        words += [("person's name", part) for part in name.split() if len(part) > 2]
    for label in roster.people.values():
        if label.startswith("@"):  # a role ("incident commander") is fine to show
            words.append(("handle", label.lstrip("@")))
    words += [("team name", team) for team in roster.teams]
    words += [("person's id or login", ident) for ident in roster.identifiers if len(ident) > 2]
    handles = {h for a in review.actions if a.owner for h in [a.owner]}
    handles |= {
        r
        for r in (
            review.brief.roles.facilitator,
            review.brief.roles.scribe,
            review.brief.roles.decision_owner,
        )
        if r
    }
    words += [("handle", h.lstrip("@")) for h in handles if len(h) > 3]
    words += [("ticket key", a.ticket) for a in review.actions if a.ticket]
    words += [("internal service name", svc) for svc in _internal_services(review)]
    words += [("hypothesis", e.text) for e in review.timeline if e.kind.value == "hypothesis"]
    words += [("hypothesis", h.text) for h in review.hypotheses]
    leaks: list[Leak] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, rx in detectors:
            leaks += [Leak(kind, m.group(0), number) for m in rx.finditer(line)]
        for kind, word in words:
            if re.search(rf"(?<![\w@-]){re.escape(word)}(?![\w-])", line, re.I):
                leaks.append(Leak(kind, word, number))
    return leaks
