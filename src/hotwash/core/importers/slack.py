"""Slack workspace export (the "Export data" zip, or the folder it unzips to) -> Events.

An export holds ``users.json`` and ``channels.json`` (plus ``groups.json`` and ``mpims.json``
for private channels and group messages in some exports) and one folder per channel with
one JSON array of messages per day: ``<channel>/YYYY-MM-DD.json``. All of it may sit under
one top-level folder inside the zip.

The small files are read first, then the day files one at a time, so memory holds one day
of one channel. Slack's markup is turned into plain text: ``<@U123>`` becomes ``@login``
(the user's ``name`` from ``users.json``; anonymization into handles happens later),
``<#C123|ops>`` becomes ``#ops``, ``<https://x|label>`` becomes ``label (https://x)``,
``<!here>`` becomes ``@here`` and ``&lt; &gt; &amp;`` are unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any

import orjson

from ..anonymize import Person
from ..errors import PackError, UsageError
from ..evidence import Archive, Event, ImportOptions

NAME = "slack"

_META = ("channels.json", "groups.json", "mpims.json")
"""Files that list conversations by ``id`` and ``name`` (folders are named after ``name``)."""

_DAY = re.compile(r"([^/]+)/(\d{4}-\d{2}-\d{2})\.json")
_CACHE = 20_000
_BROADCAST = frozenset(("here", "channel", "everyone"))
_ATTACHMENT_KEYS = ("pretext", "title", "text", "fallback")
_CHANGES = frozenset(("message_changed", "message_deleted"))

_SKIP = frozenset(
    (
        "channel_join",
        "channel_leave",
        "group_join",
        "group_leave",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "channel_purpose",
        "group_purpose",
        "channel_name",
        "group_name",
        "channel_archive",
        "channel_unarchive",
        "group_archive",
        "group_unarchive",
        "joiner_notification",
        "tombstone",
        "sh_room_created",
        "reminder_add",
        "pinned_item",
        "unpinned_item",
    )
)
"""Subtypes that record channel housekeeping rather than anything that happened.
Topic changes (``channel_topic``) are kept: teams often set the topic when an incident starts."""

_DAY_MARGIN = timedelta(days=2)
"""How far a day file's name may be from the times inside it (the export names days in the
workspace's zone); files further than this outside the window are not read at all."""

_BLOCK_DEPTH = 12
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_INDEXED = 4096
_INDEX = tuple(f"[{i}]" for i in range(_INDEXED))
"""``[0]`` ... ``[4095]``, made once: an event's ``where`` is its member plus one of these."""
_NO_BOT = (None, "", False)
_REPLY = "(thread reply) "
_EDITED = " (edited)"


# --------------------------------------------------------------------------- layout


def _layout(names: list[str]) -> tuple[str, dict[str, list[tuple[str, str]]], bool]:
    """The export's folder prefix, each channel's day files ``(date, member)`` in date order,
    and whether any metadata file (channels.json, users.json ...) was found.

    The prefix is the folder holding ``channels.json`` or ``users.json``; without either, the
    folder above the first day file's channel folder.
    """
    prefixes: list[str] = []
    for name in names:
        folder, _, base = name.rpartition("/")
        if base in _META or base == "users.json":
            prefixes.append(folder + "/" if folder else "")
    meta = bool(prefixes)
    if not prefixes:
        for name in names:
            rest, _, base = name.rpartition("/")
            folder, _, channel = rest.rpartition("/")
            if channel and _DAY.fullmatch(f"{channel}/{base}"):
                prefixes.append(folder + "/" if folder else "")
                break
    candidates = sorted(set(prefixes), key=len)
    for candidate in candidates:
        found = _days(names, candidate)
        if found:
            return candidate, found, meta
    return (candidates[0] if candidates else ""), {}, meta


def _days(names: list[str], prefix: str) -> dict[str, list[tuple[str, str]]]:
    """Each channel folder right under ``prefix`` and its day files, both in order."""
    channels: dict[str, list[tuple[str, str]]] = {}
    cut = len(prefix)
    for name in names:
        if name.startswith(prefix):
            found = _DAY.fullmatch(name, cut)
            if found is not None:
                channels.setdefault(found.group(1), []).append((found.group(2), name))
    for days in channels.values():
        days.sort()
    return dict(sorted(channels.items()))


def sniff(archive: Archive) -> bool:
    """A Slack export: ``channels.json`` or ``users.json`` beside ``<channel>/<date>.json``."""
    _, channels, meta = _layout(archive.names())
    return meta and bool(channels)


# --------------------------------------------------------------------------- small files


def _array(data: bytes, where: str, what: str) -> list[Any]:
    """One member's bytes as a JSON array; ``what`` says what the array should hold."""
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    if not data or data.isspace():
        raise PackError(f"the file is empty; expected a JSON array of {what}", path=where)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise PackError(
            f"not valid JSON ({exc.msg}); expected a JSON array of {what}",
            path=where,
            line=exc.lineno,
        ) from None
    if type(value) is not list:
        raise PackError(f"expected a JSON array of {what}, found {_kind(value)}", path=where)
    return value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _records(
    archive: Archive, member: str, keys: tuple[str, ...], what: str
) -> list[dict[str, str]]:
    """A metadata file: an array of objects whose ``keys`` are strings when present."""
    where = f"{archive.label}/{member}"
    items = _array(archive.read(member), where, what)
    out: list[dict[str, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise PackError(f"expected an object, found {_kind(item)}", path=where, field=f"[{i}]")
        row: dict[str, str] = {}
        for key in keys:
            value = item.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise PackError(
                    f"expected a string, found {_kind(value)}", path=where, field=f"[{i}].{key}"
                )
            row[key] = value
        out.append(row)
    return out


# --------------------------------------------------------------------------- markup


def _unescape(text: str) -> str:
    """Slack's three HTML entities; ``&amp;`` last so ``&amp;lt;`` stays ``&lt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _markup(users: dict[str, str], channel_ids: dict[str, str]) -> Callable[[str], str]:
    """A function turning Slack's markup in one text into plain text.

    Slack escapes ``<``, ``>`` and ``&`` in what people type, so every ``<...>`` is markup.
    Converted pieces are remembered (mentions and links repeat), up to a bound."""
    cache: dict[str, str] = {}

    def piece(inner: str) -> str:
        target, _, label = inner.partition("|")
        if "&" in label:
            label = _unescape(label)
        head = target[:1]
        if head == "@":
            uid = target[1:]
            return "@" + (users.get(uid) or label.lstrip("@") or uid)
        if head == "#":
            cid = target[1:]
            return "#" + (label or channel_ids.get(cid) or cid)
        if head == "!":
            word = target[1:].partition("^")[0]
            if word in _BROADCAST:
                return "@" + word
            return label or "@" + word
        if not target:
            return f"<{inner}>"
        if "&" in target:
            target = _unescape(target)
        if not label or label == target:
            return target
        if target.partition(":")[2] == label:
            return label  # mailto:a@b.c|a@b.c, tel:123|123
        return f"{label} ({target})"

    def convert(inner: str) -> str:
        done = cache.get(inner)
        if done is None:
            done = piece(inner)
            if len(cache) >= _CACHE:
                cache.clear()
            cache[inner] = done
        return done

    def plain(text: str) -> str:
        if "<" not in text:
            return _unescape(text) if "&" in text else text
        head, _, rest = text.partition("<")
        inner, closed, tail = rest.partition(">")
        if closed and "<" not in rest and "&" not in text:  # the usual: one mention or link
            return head + convert(inner) + tail
        parts = text.split("<")
        head = parts[0]
        out = [_unescape(head) if "&" in head else head]
        for k in range(1, len(parts)):
            inner, closed, rest = parts[k].partition(">")
            if not closed:
                out.append("<" + (_unescape(inner) if "&" in inner else inner))
                continue
            out.append(convert(inner))
            if rest:
                out.append(_unescape(rest) if "&" in rest else rest)
        return "".join(out)

    return plain


def _attachments(
    value: object, plain: Callable[[str], str], where: str, prefix: str, i: int
) -> str:
    """What bot alerts say in their attachments: pretext, title and text, else the fallback.
    ``prefix`` and ``i`` place the message for errors (``[12].attachments[0].title``)."""
    if type(value) is not list:
        raise _bad_type(value, "an array", where, _field(prefix, i, "attachments"))
    out = ""
    for j, item in enumerate(value):
        if type(item) is not dict:
            raise _bad_type(item, "an object", where, _field(prefix, i, f"attachments[{j}]"))
        words = ""
        for key in _ATTACHMENT_KEYS:
            piece = item.get(key)
            if not piece:  # absent, null or empty
                continue
            if type(piece) is not str:
                field = _field(prefix, i, f"attachments[{j}].{key}")
                raise _bad_type(piece, "a string", where, field)
            if key == "fallback" and words:
                break
            if "<" in piece or "&" in piece:
                piece = plain(piece)
            piece = piece.strip()
            if piece:
                words = f"{words} {piece}" if words else piece
        if words:
            out = f"{out}\n{words}" if out else words
    return out


def _blocks(value: object, plain: Callable[[str], str]) -> str:
    """The words in Block Kit blocks: rich text runs, mentions, links and mrkdwn sections.
    Shapes that are not understood are passed over, not reported."""
    lines: list[str] = []

    def walk(node: object, run: list[str], depth: int) -> None:
        if depth > _BLOCK_DEPTH:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, run, depth + 1)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        text = node.get("text")
        if kind == "text" and isinstance(text, str):
            run.append(text)
        elif kind in ("mrkdwn", "plain_text") and isinstance(text, str):
            run.append(plain(text))
        elif kind == "user" and isinstance(node.get("user_id"), str):
            run.append(plain(f"<@{node['user_id']}>"))
        elif kind == "channel" and isinstance(node.get("channel_id"), str):
            run.append(plain(f"<#{node['channel_id']}>"))
        elif kind == "broadcast" and isinstance(node.get("range"), str):
            run.append("@" + node["range"])
        elif kind == "emoji" and isinstance(node.get("name"), str):
            run.append(f":{node['name']}:")
        elif kind == "link" and isinstance(node.get("url"), str):
            url = node["url"]
            run.append(f"{text} ({url})" if isinstance(text, str) and text else url)
        else:
            if isinstance(text, dict):
                walk(text, run, depth + 1)
            for key in ("fields", "elements"):
                if key in node:
                    walk(node[key], run, depth + 1)

    if isinstance(value, list):
        for block in value:
            run: list[str] = []
            walk(block, run, 0)
            line = "".join(run).strip()
            if line:
                lines.append(line)
    return "\n".join(lines)


def _file_titles(message: dict[str, Any], text: str) -> str:
    """The text with the titles of attached files that it does not already name."""
    files = message.get("files")
    one = message.get("file")
    items = files if isinstance(files, list) else []
    if isinstance(one, dict):
        items = [*items, one]
    titles: list[str] = []
    for item in items:
        if isinstance(item, dict):
            title = item.get("title") or item.get("name")
            if isinstance(title, str) and title.strip() and title.strip() not in text:
                titles.append(title.strip())
    if not titles:
        return text
    note = "; ".join(f"file: {t}" for t in titles)
    return f"{text} ({note})" if text else f"({note})"


# --------------------------------------------------------------------------- messages


def _field(prefix: str, i: int, key: str = "") -> str:
    """``[12].ts`` for a message of the day file; ``[12].message.ts`` inside an edit."""
    base = prefix or f"[{i}]"
    return f"{base}.{key}" if key else base


_BOT_NAME = re.compile(r"/services/([A-Z0-9]+)\|([^<>|]{1,60})>")


def _actor(m: dict[str, Any]) -> str | None:
    """Who wrote a message that has no ``user``: the bot's name or id, or a commenter."""
    name = m.get("username")
    if type(name) is str and name:
        return name
    for name in (
        _get(m.get("bot_profile"), "name"),
        m.get("bot_id"),
        _get(m.get("comment"), "user"),
    ):
        if type(name) is str and name:  # a bot's display name or id; a file comment's author
            return name
    return None


def _get(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


class _Day:
    """Turns the messages of one channel's day files into Events."""

    __slots__ = ("bots", "channel", "link_head", "plain", "since", "source", "until")

    def __init__(
        self,
        channel: str,
        plain: Callable[[str], str],
        since: datetime | None,
        until: datetime | None,
        bots: dict[str, str],
    ) -> None:
        self.channel = channel
        self.source = f"slack #{channel}"
        self.link_head = f"slack:{channel}/"
        self.plain = plain
        self.since = since
        self.until = until
        self.bots = bots
        """Bot ids named by the "added an integration" messages seen so far, in any
        channel: old exports give a bot's messages no name, only its id."""

    def learn_bot(self, m: dict[str, Any]) -> None:
        bot, text = m.get("bot_id"), m.get("text")
        if type(bot) is str and type(text) is str:
            found = _BOT_NAME.search(text)
            if found and found.group(1) == bot:
                self.bots[bot] = found.group(2)

    def events(self, data: bytes, member: str, label: str) -> list[Event]:
        """The events of one day file, in time order."""
        where = f"{label}/{member}"
        messages = _array(data, where, "messages")
        out: list[Event] = []
        if self.convert(messages, 0, "", where, member, out):
            out.sort(key=_at)
        return out

    def convert(
        self,
        messages: list[Any],
        start: int,
        prefix: str,
        where: str,
        member: str,
        out: list[Event],
    ) -> bool:
        """Append the events of ``messages`` to ``out``; whether they left time order.

        This is the hot loop of the import: one pass, dictionary look-ups only for keys
        most messages carry, markup handled only when the text holds ``<`` or ``&``."""
        since, until, source, plain = self.since, self.until, self.source, self.plain
        link_head = self.link_head
        window = since is not None or until is not None
        fromtimestamp = datetime.fromtimestamp
        last = _EARLIEST
        unordered = False
        for i, m in enumerate(messages, start):
            if type(m) is not dict:
                raise PackError(
                    f"expected a message object, found {_kind(m)}",
                    path=where,
                    field=_field(prefix, i),
                )
            ts = m.get("ts")
            if type(ts) is not str:
                if type(ts) is not float and type(ts) is not int:
                    raise _bad_ts(ts, where, _field(prefix, i, "ts"))
                ts = repr(ts)  # written by a tool other than Slack
            try:
                at = fromtimestamp(float(ts), UTC)
            except (ValueError, OverflowError, OSError):
                raise _bad_ts(ts, where, _field(prefix, i, "ts")) from None
            if window and (
                (since is not None and at < since) or (until is not None and at > until)
            ):
                continue
            subtype = m.get("subtype")
            if subtype is not None:
                if type(subtype) is not str:
                    raise _bad_type(subtype, "a string", where, _field(prefix, i, "subtype"))
                if subtype in _SKIP:
                    if subtype == "bot_add":
                        self.learn_bot(m)
                    continue
                if subtype in _CHANGES:
                    self.change(m, subtype, i, where, member, out)
                    unordered = True
                    continue
            text = m.get("text")
            if type(text) is not str:
                if text is not None:
                    raise _bad_type(text, "a string", where, _field(prefix, i, "text"))
                text = ""
            if "<" in text or "&" in text:
                text = plain(text)
            if not text or text.isspace():  # bot alerts: the words are in attachments
                attachments = m.get("attachments")
                text = (
                    ""
                    if attachments is None
                    else _attachments(attachments, plain, where, prefix, i)
                )
                if not text and "blocks" in m:
                    text = _blocks(m["blocks"], plain)
            if "files" in m or (subtype is not None and "file" in m):  # "file": before 2019
                text = _file_titles(m, text)
            if not text:
                continue
            actor = m.get("user")
            if type(actor) is not str:
                if actor is not None:
                    raise _bad_type(actor, "a user id string", where, _field(prefix, i, "user"))
                actor = _actor(m)
                if actor is not None and actor in self.bots:
                    actor = self.bots[actor]
            if "thread_ts" in m and m["thread_ts"] != ts:
                text = _REPLY + text
            if "edited" in m:
                text += _EDITED
            if at < last:
                unordered = True
            last = at
            out.append(
                Event(
                    at,
                    text,
                    source,
                    actor,
                    link_head + ts,
                    member + _INDEX[i] if i < _INDEXED else f"{member}[{i}]",
                    "given",
                    None,
                    subtype == "bot_message" or m.get("bot_id") not in _NO_BOT,
                )
            )
        return unordered

    def change(
        self,
        m: dict[str, Any],
        subtype: str,
        i: int,
        where: str,
        member: str,
        out: list[Event],
    ) -> None:
        """An edit or a deletion recorded as its own message: the edited message takes the
        new text (replacing the original if this day holds it); a deleted one is dropped."""
        if subtype == "message_deleted":
            gone = m.get("deleted_ts")
            if isinstance(gone, str):
                out[:] = [e for e in out if e.link != self.link_head + gone]
            return
        inner = m.get("message")
        if not isinstance(inner, dict):
            raise _bad_type(inner, "the edited message as an object", where, f"[{i}].message")
        edited = {**inner, "edited": True}
        if not isinstance(inner.get("ts"), str):
            edited["ts"] = m["ts"]
        kind = inner.get("subtype")
        if isinstance(kind, str) and (kind in _SKIP or kind in _CHANGES):
            return
        found: list[Event] = []
        self.convert([edited], i, f"[{i}].message", where, member, found)
        for event in found:
            for k, e in enumerate(out):
                if e.link == event.link:
                    out[k] = event
                    break
            else:
                out.append(event)


def _at(event: Event) -> datetime:
    return event.at


def _bad_type(value: object, expected: str, where: str, field: str) -> PackError:
    return PackError(f"expected {expected}, found {_kind(value)}", path=where, field=field)


def _bad_ts(ts: object, where: str, field: str) -> PackError:
    shown = repr(ts) if isinstance(ts, str) else _kind(ts)
    return PackError(
        f"expected the message time as a string of epoch seconds such as "
        f"'1700000000.000100', found {shown[:60]}",
        path=where,
        field=field,
    )


# --------------------------------------------------------------------------- read


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _day_name(edge: datetime | None, margin: timedelta) -> str | None:
    """The day-file name (``YYYY-MM-DD``) a window edge reaches with the margin; None when
    there is no edge or it lies at the end of the calendar."""
    if edge is None:
        return None
    try:
        return (edge + margin).date().isoformat()
    except OverflowError:
        return None


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    """Every message of the export as an Event, channel by channel (in name order), each
    channel's messages in time order. Housekeeping messages (joins, leaves, integrations
    added) and messages with nothing to say are left out."""
    names = archive.names()
    prefix, days, meta = _layout(names)
    if not meta and not days:
        raise PackError(
            "not a Slack export: found no channels.json, users.json or "
            "<channel>/YYYY-MM-DD.json files",
            path=archive.label,
        )
    present = set(names)
    users: dict[str, str] = {}
    if prefix + "users.json" in present:
        for row in _records(archive, prefix + "users.json", ("id", "name"), "user objects"):
            if "id" in row and "name" in row:
                users[row["id"]] = row["name"]
    channel_ids: dict[str, str] = {}
    known = set(days)
    for meta_name in _META:
        if prefix + meta_name in present:
            for row in _records(
                archive, prefix + meta_name, ("id", "name"), "conversation objects"
            ):
                if "name" in row:
                    known.add(row["name"])
                    if "id" in row:
                        channel_ids[row["id"]] = row["name"]
    wanted = {c.lstrip("#") for c in options.channels}
    unknown = sorted(wanted - known)
    if unknown:
        raise UsageError(
            f"{archive.label}: no Slack channel named {', '.join(unknown)}; "
            f"this export has {', '.join(sorted(known)) or 'no channels'}"
        )
    since, until = _utc(options.since), _utc(options.until)
    first = _day_name(since, -_DAY_MARGIN)
    last = _day_name(until, _DAY_MARGIN)
    plain = _markup(users, channel_ids)
    # chain hands the events of each file on without a Python frame per event
    return chain.from_iterable(_files(archive, days, wanted, plain, since, until, first, last))


def _files(
    archive: Archive,
    days: dict[str, list[tuple[str, str]]],
    wanted: set[str],
    plain: Callable[[str], str],
    since: datetime | None,
    until: datetime | None,
    first: str | None,
    last: str | None,
) -> Iterator[list[Event]]:
    """The events of each day file to read, one file at a time."""
    label = archive.label
    bots: dict[str, str] = {}  # shared: an integration added in one channel posts in others
    for channel, files in days.items():
        if wanted and channel not in wanted:
            continue
        day = _Day(channel, plain, since, until, bots)
        for date, member in files:
            if (first is not None and date < first) or (last is not None and date > last):
                continue
            yield day.events(archive.read(member), member, label)


def people(archive: Archive) -> list[Person]:
    """Everyone in the export's ``users.json`` (bots left out), with their names, id, login
    and e-mail address, so the anonymizer can give each one pseudonym for all of them even
    when the roster does not name them. An export without ``users.json`` gives nobody."""
    names = archive.names()
    prefix, _, _ = _layout(names)
    if prefix + "users.json" not in set(names):
        return []
    where = f"{archive.label}/{prefix}users.json"
    out: list[Person] = []
    for row in _array(archive.read(prefix + "users.json"), where, "user objects"):
        if not isinstance(row, dict) or row.get("is_bot") is True:
            continue
        if not isinstance(row.get("id"), str):
            continue
        raw = row.get("profile")
        profile: dict[str, Any] = raw if isinstance(raw, dict) else {}
        full = [
            row.get("real_name"),
            profile.get("real_name"),
            " ".join(str(profile.get(k) or "") for k in ("first_name", "last_name")).strip(),
            profile.get("display_name"),
        ]
        login = row.get("name")
        email = profile.get("email")
        out.append(
            Person(
                None,
                names=tuple(dict.fromkeys(n for n in full if isinstance(n, str) and n.strip())),
                ids=(row["id"],),
                logins=(login,) if isinstance(login, str) and login else (),
                emails=(email,) if isinstance(email, str) and "@" in email else (),
            )
        )
    return out
