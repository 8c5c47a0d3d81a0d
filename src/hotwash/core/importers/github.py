"""GitHub issue timelines, saved from the REST API as JSON files.

A timeline (``GET /repos/{owner}/{repo}/issues/{number}/timeline``) is a JSON array of
events, each with ``event`` (``commented``, ``labeled``, ``closed``, ``reopened``,
``assigned``, ``referenced``, ``cross-referenced``, ``committed``, ``renamed``,
``reviewed`` ...), a time (``created_at``; ``committer.date`` or ``author.date`` for a
commit; ``submitted_at`` for a review), an actor (``actor.login`` or ``user.login``) and
often ``html_url``. The issue events list (``.../issues/{number}/events``) and the comments
list (``.../issues/{number}/comments``, elements without ``event``) read the same way.

The issue itself (``GET /repos/{owner}/{repo}/issues/{number}``) may sit beside them as
its own file: it gives the opening and, when no timeline says so already, the closing.

GitHub states no key moments: every event leaves ``moment`` empty and the classifier
decides from the text. Subscriptions and mentions are left out; they say nothing about the
incident.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..evidence import Archive, Event, ImportOptions, Zone
from . import require_members
from ._jsondoc import (
    JSON,
    Reader,
    first_document,
    key,
    one_line,
    parse,
    safely,
)

NAME = "github"
WHAT = (
    "a GitHub issue timeline (a JSON array of events with event, created_at and actor) or "
    "an issue (an object with number, title and created_at)"
)
SKIPPED = frozenset({"subscribed", "unsubscribed", "mentioned"})


def is_issue(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "number" in doc
        and "title" in doc
        and "created_at" in doc
        and ("user" in doc or "html_url" in doc)
    )


def is_timeline_item(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    if isinstance(item.get("event"), str):
        return any(k in item for k in ("actor", "created_at", "node_id", "sha", "user"))
    return "body" in item and "user" in item and "created_at" in item


def _looks_like(doc: Any) -> bool:
    if isinstance(doc, list):
        return bool(doc) and is_timeline_item(doc[0])
    return is_issue(doc)


def sniff(archive: Archive) -> bool:
    return safely(_looks_like, first_document(archive, JSON))


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    closings: set[datetime] = set()
    issues: list[tuple[Reader, dict[str, Any]]] = []
    for member in require_members(archive, JSON, WHAT):
        doc = parse(archive.read(member), member, WHAT)
        r = Reader(member, options)
        if isinstance(doc, dict):
            if not is_issue(doc):
                r.fail(f"expected {WHAT}", "")
            issues.append((r, doc))
            continue
        for path, item in r.each(r.arr(doc, ""), ""):
            for event in _timeline(r, item, path):
                if event.text.startswith("Issue closed"):
                    closings.add(event.at)
                if options.keeps(event.at):
                    yield event
    # Issues last, so that a closing the timeline already gave is not given twice.
    for r, issue in issues:
        for event in _issue(r, issue, closings):
            if options.keeps(event.at):
                yield event


def _login(r: Reader, parent: dict[str, Any], name: str, path: str) -> tuple[str | None, bool]:
    """The ``login`` of a user object, and whether it is a bot."""
    user = r.opt_obj(parent, name, path)
    if user is None:
        return None, False
    login = r.opt_text(user, "login", key(path, name))
    kind = r.opt_text(user, "type", key(path, name))
    return login, kind == "Bot" or (login or "").endswith("[bot]")


def _sha(value: str | None) -> str:
    return (value or "")[:7]


def _timeline(r: Reader, item: dict[str, Any], path: str) -> Iterator[Event]:
    kind = r.opt_text(item, "event", path)
    if kind is None:
        # Elements of the comments list have no ``event``; anything else must say its kind.
        if "body" not in item or "user" not in item:
            r.fail(
                "missing; expected the kind of event, such as commented or closed",
                key(path, "event"),
            )
        kind = "commented"
    if kind in SKIPPED:
        return
    if kind == "line-commented":
        for here, comment in r.each(r.opt_list(item, "comments", path), key(path, "comments")):
            yield from _timeline(r, {**comment, "event": "commented"}, here)
        return
    at, zone = _when(r, item, path, kind)
    actor, bot = _login(r, item, "actor", path)
    if actor is None:
        actor, bot = _login(r, item, "user", path)
    link = r.opt_text(item, "html_url", path)
    text = _describe(r, item, path, kind)
    if kind == "committed":
        author = r.opt_obj(item, "author", path)
        actor = actor or (
            None if author is None else r.opt_text(author, "name", key(path, "author"))
        )
    elif kind == "cross-referenced":
        source = r.opt_obj(item, "source", path)
        issue = None if source is None else r.opt_obj(source, "issue", key(path, "source"))
        if issue is not None:
            link = link or r.opt_text(issue, "html_url", key(path, "source.issue"))
    yield Event(
        at=at,
        text=text,
        source=NAME,
        actor=actor,
        link=link or r.where(path),
        where=r.where(path),
        zone=zone,
        bot=bot,
    )


def _when(r: Reader, item: dict[str, Any], path: str, kind: str) -> tuple[datetime, Zone]:
    if kind == "committed" and item.get("created_at") is None:
        for name in ("committer", "author"):
            person = r.opt_obj(item, name, path)
            if person is not None and person.get("date") is not None:
                return r.time(person, "date", key(path, name))
        r.fail("missing; a commit needs committer.date or author.date", key(path, "committer.date"))
    if kind == "reviewed" and item.get("created_at") is None:
        return r.time(item, "submitted_at", path)
    return r.time(item, "created_at", path)


def _describe(r: Reader, item: dict[str, Any], path: str, kind: str) -> str:
    def sub(name: str, field: str) -> str | None:
        obj = r.opt_obj(item, name, path)
        return None if obj is None else r.opt_text(obj, field, key(path, name))

    body = r.opt_text(item, "body", path)
    if kind == "commented":
        return body.strip() if body else "Commented"
    if kind in ("labeled", "unlabeled"):
        verb = "added" if kind == "labeled" else "removed"
        return f"Label {verb}: {sub('label', 'name') or '(unnamed)'}"
    if kind in ("assigned", "unassigned"):
        who = sub("assignee", "login")
        verb = "Assigned to" if kind == "assigned" else "Unassigned from"
        return f"{verb} @{who}" if who else f"{verb} someone"
    if kind == "closed":
        commit = _sha(r.opt_text(item, "commit_id", path))
        reason = r.opt_text(item, "state_reason", path)
        text = "Issue closed"
        if reason:
            text += f" as {reason.replace('_', ' ')}"
        return text + (f" by commit {commit}" if commit else "")
    if kind == "reopened":
        return "Issue reopened"
    if kind == "referenced":
        commit = _sha(r.opt_text(item, "commit_id", path))
        return f"Referenced in commit {commit}" if commit else "Referenced in a commit"
    if kind == "cross-referenced":
        source = r.opt_obj(item, "source", path)
        issue = None if source is None else r.opt_obj(source, "issue", key(path, "source"))
        if issue is None:
            return "Mentioned from another issue"
        here = key(path, "source.issue")
        number = r.opt_text(issue, "number", here)
        title = r.opt_text(issue, "title", here)
        return " ".join(
            p for p in ("Mentioned in", f"#{number}" if number else "an issue", title) if p
        )
    if kind == "committed":
        sha = _sha(r.opt_text(item, "sha", path))
        message = r.opt_text(item, "message", path)
        headline = message.splitlines()[0] if message else ""
        return " ".join(p for p in (f"Commit {sha}:" if sha else "Commit:", headline) if p)
    if kind == "renamed":
        rename = r.opt_obj(item, "rename", path) or {}
        before = r.opt_text(rename, "from", key(path, "rename"))
        after = r.opt_text(rename, "to", key(path, "rename"))
        return f"Title changed from '{before or ''}' to '{after or ''}'"
    if kind == "reviewed":
        state = (r.opt_text(item, "state", path) or "submitted").lower().replace("_", " ")
        return f"Review {state}" + (f": {body.strip()}" if body else "")
    if kind in ("milestoned", "demilestoned"):
        verb = "Added to" if kind == "milestoned" else "Removed from"
        return f"{verb} milestone {sub('milestone', 'title') or ''}".rstrip()
    words = kind.replace("_", " ").replace("-", " ").strip() or "event"
    return one_line(words[0].upper() + words[1:])


def _issue(r: Reader, issue: dict[str, Any], closings: set[datetime]) -> Iterator[Event]:
    number = r.opt_text(issue, "number", "")
    title = r.opt_text(issue, "title", "")
    label = f"Issue #{number}" if number else "Issue"
    about = f": {one_line(title)}" if title else ""
    link = r.opt_text(issue, "html_url", "")
    actor, bot = _login(r, issue, "user", "")
    at, zone = r.time(issue, "created_at", "")
    yield Event(
        at=at,
        text=f"{label} opened{about}",
        source=NAME,
        actor=actor,
        link=link or r.where("created_at"),
        where=r.where("created_at"),
        zone=zone,
        bot=bot,
    )
    closed = r.opt_time(issue, "closed_at", "")
    if closed is None or closed[0] in closings:
        return
    closer, closer_bot = _login(r, issue, "closed_by", "")
    yield Event(
        at=closed[0],
        text=f"{label} closed{about}",
        source=NAME,
        actor=closer,
        link=link or r.where("closed_at"),
        where=r.where("closed_at"),
        zone=closed[1],
        bot=closer_bot,
    )
