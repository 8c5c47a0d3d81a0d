"""Read a hotwash pack (Markdown with YAML front matter) back into a Review.

Pure: text in, Review out, or a PackError naming the line and field. Hand edits
are welcome: rows and subsections may come in any order, rows may lose their id
(a new one is given), and headings are matched without their numbers.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Final

from pydantic import ValidationError

from .data import without_timestamps
from .errors import PackError
from .layout import Column, Layout, Section, Subsection, load_layout
from .markdown import Block, read_blocks, split_row
from .model import ID_LISTS, Review, dotted, id_sort_key
from .text import unescape_cell, unescape_item

Loc = tuple[str | int, ...]

_NUMBER_PREFIX: Final = re.compile(r"^\s*\d+[.)]?\s+")
_LINK_CELL: Final = re.compile(r"^\[(?P<label>.*)\]\((?:<(?P<angle>[^>]*)>|(?P<url>[^\s()]*))\)$")
_AUTOLINK: Final = re.compile(r"^<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)>$")
_WHY_HEADING: Final = re.compile(r"^(?P<id>[A-Z]+[0-9]+)\b")


@cache
def _key(heading: str) -> str:
    return re.sub(r"\s+", " ", _NUMBER_PREFIX.sub("", heading)).strip().casefold()


def parse_pack(text: str | bytes, *, path: str | None = None) -> Review:
    """Parse one pack; raise PackError (with ``path``) on anything that is not a valid review."""
    return parse_located(text, path=path)[0]


def parse_located(text: str | bytes, *, path: str | None = None) -> tuple[Review, SourceMap]:
    """Parse one pack and keep where each part of it stands (for findings with lines)."""
    try:
        parser = _Parser(decode_text(text), load_layout())
        review = parser.parse()
    except PackError as exc:
        raise exc.located(path) from None
    return review, SourceMap(parser.where)


class SourceMap:
    """Field locations (``("actions", 2, "owner")``) to 1-based lines of the document."""

    def __init__(self, where: dict[Loc, int] | None = None) -> None:
        self.where: dict[Loc, int] = where if where is not None else {}

    def line(self, loc: Loc) -> int | None:
        return line_in(self.where, loc)


def line_in(where: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest parent that has one."""
    found = where.get(loc) if loc else None  # the whole of it first, without a slice
    if found is not None:
        return found
    for n in range(len(loc) - 1, 0, -1):
        found = where.get(loc[:n])
        if found is not None:
            return found
    return None


def decode_text(text: str | bytes) -> str:
    """Bytes as UTF-8 text (a located PackError if they are not), BOM and CR line ends gone."""
    if isinstance(text, bytes):
        data = text
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PackError(
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8",
                line=line,
            ) from None
    text = text.removeprefix("\ufeff")
    if "\r" not in text:  # the usual case: no pass over the text for either replace
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- front matter


@cache
def _yaml_loader() -> type[Any]:
    """Safe YAML without implicit dates, so the model validates every date itself."""
    import yaml

    loader: type[Any] = without_timestamps(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loader


def split_front_matter(text: str) -> tuple[str, int, str, int]:
    """(yaml text, its first line, body, the body's first line)."""
    # Line by line to the closing line only: the body is one slice, never split and joined.
    end = text.find("\n")
    if (text if end < 0 else text[:end]).rstrip() != "---":
        raise PackError("expected YAML front matter: the file must start with a line '---'", line=1)
    start = pos = end + 1  # where line 1 (the YAML's first) and line i start
    i = 1
    while end >= 0:
        end = text.find("\n", pos)
        if (text[pos:] if end < 0 else text[pos:end]).rstrip() in ("---", "..."):
            body = "" if end < 0 else text[end + 1 :]
            return text[start : max(start, pos - 1)], 2, body, i + 2
        pos = end + 1
        i += 1
    raise PackError("the YAML front matter is not closed by a line '---'", line=1)


def _load_yaml(text: str, first_line: int) -> Any:
    import yaml

    simple = _read_simple_yaml(text)
    if simple is not None:
        return simple
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        raise PackError(f"broken YAML front matter: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise PackError(f"broken YAML front matter: {exc}", line=first_line) from None


# Front matter as hotwash writes it: one "key: value" a line, each value a plain or a
# single-quoted scalar or a flow list of plain scalars, in printable ASCII. Such text is
# read as PyYAML reads it, by the loader's own implicit resolvers; anything else goes to
# PyYAML (this saves most of the time a pack's front matter takes).
_PLAIN_IN_FLOW: Final = r"[A-Za-z0-9_.(/](?:[A-Za-z0-9 _.()/'+@-]*[A-Za-z0-9_.()/'+@-])?"
_SIMPLE_LINE: Final = re.compile(
    r"(?P<key>[a-z_]+): (?:"
    r"(?P<plain>[A-Za-z0-9_.(/](?:[A-Za-z0-9 _.,()/'+@-]*[A-Za-z0-9_.,()/'+@-])?)"
    r"|'(?P<quoted>(?:[ -&(-~]|'')*)'"
    rf"|\[(?P<flow>(?:{_PLAIN_IN_FLOW}(?:, {_PLAIN_IN_FLOW})*)?)\])"
)
_DECIMAL: Final = re.compile(r"[1-9][0-9]*|0")
_NOT_SIMPLE: Final = object()


def _read_simple_yaml(text: str) -> dict[str, Any] | None:
    """What ``yaml.load`` gives for ``text`` when it is in the simple form above, else None."""
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None or not _plain_key(m.group("key")):
            return None
        plain, quoted, flow = m.group("plain", "quoted", "flow")
        if plain is not None:
            value = _plain_scalar(plain)
        elif quoted is not None:
            value = quoted.replace("''", "'")
        else:
            value = [_plain_scalar(item) for item in flow.split(", ")] if flow else []
            if _NOT_SIMPLE in value:
                return None
        if value is _NOT_SIMPLE:
            return None
        data[m["key"]] = value
    return data


_PLAIN_KEYS: dict[str, bool] = {}


def _plain_key(key: str) -> bool:
    """Whether ``key`` loads as the string it is (packs repeat their keys: each is tried once)."""
    known = _PLAIN_KEYS.get(key)
    if known is None:
        if len(_PLAIN_KEYS) > 10_000:
            _PLAIN_KEYS.clear()
        known = _PLAIN_KEYS[key] = _plain_scalar(key) == key
    return known


def _plain_scalar(text: str) -> Any:
    """A plain scalar as the front-matter loader constructs it: a string, None, a bool or
    a decimal int; _NOT_SIMPLE for any other type."""
    resolvers = _yaml_loader().yaml_implicit_resolvers
    tag = _first_tag(resolvers.get(text[0], ()), text)
    if tag is None:
        tag = _first_tag(resolvers.get(None, ()), text)
    if tag is None:
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        import yaml

        return yaml.constructor.SafeConstructor.bool_values[text.lower()]
    if tag == "tag:yaml.org,2002:int" and _DECIMAL.fullmatch(text):
        return int(text)
    return _NOT_SIMPLE


def _first_tag(resolvers: Any, text: str) -> str | None:
    """The tag of the first of ``resolvers`` (tag, regex) whose regex matches ``text``."""
    for tag, rx in resolvers:
        if rx.match(text):
            return str(tag)
    return None


def _yaml_line(text: str, first_line: int, loc: Loc) -> int | None:
    """The line of the YAML node at ``loc`` (or of its nearest parent)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=_yaml_loader())
    except yaml.YAMLError:
        return None
    best = node.start_mark.line if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    best, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            best = node.start_mark.line
        else:
            break
    return None if best is None else first_line + best


# --------------------------------------------------------------------------- the body


_MAPS_OF: dict[int, tuple[Layout, tuple[dict[str, Section], dict[str, Subsection]]]] = {}


def _heading_maps(layout: Layout) -> tuple[dict[str, Section], dict[str, Subsection]]:
    """The maps for ``layout``, found by identity: hashing a whole layout (as ``cache``
    would) costs more than parsing a small pack's front matter."""
    held = _MAPS_OF.get(id(layout))
    if held is not None and held[0] is layout:
        return held[1]
    maps = _build_heading_maps(layout)
    _MAPS_OF[id(layout)] = (layout, maps)
    return maps


@cache
def _build_heading_maps(layout: Layout) -> tuple[dict[str, Section], dict[str, Subsection]]:
    sections = {_key(s.heading): s for s in layout.sections}
    subs = {_key(sub.heading): sub for _, sub in layout.subsections()}
    return sections, subs


class _Parser:
    def __init__(self, text: str, layout: Layout) -> None:
        self.text = text
        self.layout = layout
        self.data: dict[str, Any] = {}
        self.where: dict[Loc, int] = {}
        self.sections, self.subs = _heading_maps(layout)

    def parse(self) -> Review:
        fm_text, fm_line, body, body_line = split_front_matter(self.text)
        front = _load_yaml(fm_text, fm_line)
        if front is None:
            front = {}
        if not isinstance(front, dict):
            raise PackError(
                "the YAML front matter must be a mapping of keys to values", line=fm_line
            )
        for key in front:
            if key not in self.layout.front_matter:
                line = _yaml_line(fm_text, fm_line, (str(key),))
                known = ", ".join(self.layout.front_matter)
                raise PackError(
                    f"unknown front matter key (known: {known})", line=line, field=str(key)
                )
        self.data.update(front)
        self._read_body(read_blocks(body, first_line=body_line))
        self._fill_missing_ids()
        try:
            return Review.model_validate(self.data)
        except ValidationError as exc:
            raise self._located(exc, fm_text, fm_line) from None

    def _read_body(self, blocks: list[Block]) -> None:
        seen: dict[str, int] = {}
        sub: Subsection | None = None
        in_section = False
        content: list[Block] = []
        for block in blocks:
            if block.is_comment:
                continue
            if block.kind == "heading" and block.level <= 3:
                if sub is not None:
                    self._read_subsection(sub, content)
                sub, content = None, []
                if block.level == 1:
                    continue  # the title: front matter holds the truth
                if block.level == 2:
                    if _key(block.text) not in self.sections:
                        known = "; ".join(s.title for s in self.layout.sections)
                        raise PackError(
                            f"unknown section '{block.text}' (expected one of: {known})",
                            line=block.line,
                        )
                    in_section = True
                    continue
                found = self.subs.get(_key(block.text))
                if found is None:
                    known = ", ".join(s.heading for _, s in self.layout.subsections())
                    raise PackError(
                        f"unknown subsection '{block.text}' (expected one of: {known})",
                        line=block.line,
                    )
                if found.id in seen:
                    raise PackError(
                        f"subsection '{found.heading}' appears twice "
                        f"(first at line {seen[found.id]})",
                        line=block.line,
                    )
                seen[found.id] = block.line
                sub = found
                continue
            if sub is None:
                where = "a subsection ('### ...')" if in_section else "a section ('## ...')"
                raise PackError(f"text outside {where}: move it under one", line=block.line)
            content.append(block)
        if sub is not None:
            self._read_subsection(sub, content)

    # ----------------------------------------------------------------- shapes

    def _read_subsection(self, sub: Subsection, blocks: list[Block]) -> None:
        if sub.shape == "prose":
            if blocks:
                self._put(sub.path, "\n\n".join([b.raw.strip() for b in blocks]), blocks[0].line)
        elif sub.shape == "bullets":
            self._read_bullets(sub, blocks)
        elif sub.shape == "table":
            self._read_table(sub, blocks)
        elif sub.shape == "fields":
            self._read_fields(sub, blocks)
        else:
            self._read_whys(sub, blocks)

    def _read_bullets(self, sub: Subsection, blocks: list[Block]) -> None:
        items: list[str] = []
        for block in blocks:
            if block.kind != "list":
                raise PackError(
                    f"'{sub.heading}' holds a bulleted list ('- ...'); found a {block.kind}",
                    line=block.line,
                )
            for item in block.items:
                if item.nested:
                    raise PackError(
                        f"nested lists are not kept in '{sub.heading}': one item per bullet",
                        line=item.line,
                    )
                self.where[(*sub.path, len(items))] = item.line
                items.append(unescape_item(item.raw))
        if items:
            self._put(sub.path, items, blocks[0].line)

    def _one_table(self, sub: Subsection, blocks: list[Block]) -> Block | None:
        table: Block | None = None
        for block in blocks:
            if block.kind == "code" and sub.mermaid and block.info == "mermaid":
                continue  # drawn from the table; never read back
            if block.kind == "paragraph" and block.raw.lstrip().startswith("|"):
                raise PackError(
                    f"'{sub.heading}' holds a table, but this one is broken: its header row "
                    "and its '| --- |' row must have the same number of cells",
                    line=block.line,
                )
            if block.kind != "table":
                raise PackError(
                    f"'{sub.heading}' holds one table; found a {block.kind} "
                    "(put notes in 'Open questions' or 'Assumptions')",
                    line=block.line,
                )
            if table is not None:
                raise PackError(f"'{sub.heading}' holds one table; found a second", line=block.line)
            table = block
        return table

    def _cells(self, raw: str, width: int, line: int, sub: Subsection) -> list[str]:
        cells = [unescape_cell(c) for c in split_row(raw)]
        if len(cells) != width:
            raise PackError(
                f"a row of '{sub.heading}' has {len(cells)} cells; the header has {width}",
                line=line,
            )
        return cells

    def _read_table(self, sub: Subsection, blocks: list[Block]) -> None:
        table = self._one_table(sub, blocks)
        if table is None:
            return
        columns = _columns(sub, table.rows[0].raw, table.line)
        path = sub.path
        rows: list[dict[str, Any]] = []
        self.where[path] = table.line
        for i, row in enumerate(table.rows[1:]):
            cells = self._cells(row.raw, len(columns), row.line, sub)
            record: dict[str, Any] = {}
            for k in range(len(cells)):  # as many as columns: _cells checks
                _read_cell(columns[k], cells[k], record)
            self.where[(*path, i)] = row.line
            rows.append(record)
        self._put(path, rows, table.line)

    def _read_fields(self, sub: Subsection, blocks: list[Block]) -> None:
        table = self._one_table(sub, blocks)
        if table is None:
            return
        labels = {r.label.casefold(): r.field for r in sub.rows}
        record: dict[str, Any] = {}
        for row in table.rows[1:]:
            label, value = self._cells(row.raw, 2, row.line, sub)
            name = labels.get(label.casefold())
            if name is None:
                expected = ", ".join(r.label for r in sub.rows)
                raise PackError(
                    f"unknown row '{label}' in '{sub.heading}' (expected: {expected})",
                    line=row.line,
                )
            self.where[(*sub.path, name)] = row.line
            if value:
                record[name] = value
        self._put(sub.path, record, table.line)

    def _read_whys(self, sub: Subsection, blocks: list[Block]) -> None:
        chains: list[dict[str, Any]] = []
        for block in blocks:
            if block.kind == "heading" and block.level == 4:
                m = _WHY_HEADING.match(block.text)
                if m is None:
                    raise PackError(
                        "a five-whys heading starts with the factor id, like '#### F1'",
                        line=block.line,
                    )
                self.where[(*sub.path, len(chains))] = block.line
                chains.append({"factor": m.group("id"), "steps": []})
            elif block.kind == "list" and chains:
                chains[-1]["steps"].extend([unescape_item(item.raw) for item in block.items])
            else:
                raise PackError(
                    "'Five whys' holds '#### F1' headings, each followed by a numbered list",
                    line=block.line,
                )
        if chains:
            self._put(sub.path, chains, blocks[0].line)

    # ----------------------------------------------------------------- helpers

    def _put(self, path: tuple[str, ...], value: Any, line: int) -> None:
        target = self.data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        self.where.setdefault(path, line)

    def _fill_missing_ids(self) -> None:
        for name, prefix in ID_LISTS.items():
            rows = self.data.get(name)
            if not isinstance(rows, list) or all(r.get("id") for r in rows):
                continue
            taken = [r["id"] for r in rows if r.get("id")]
            top = max((id_sort_key(t)[1] for t in taken if t.startswith(prefix)), default=0)
            for row in rows:
                if not row.get("id"):
                    top += 1
                    row["id"] = f"{prefix}{top}"

    def _located(self, exc: ValidationError, fm_text: str, fm_line: int) -> PackError:
        err = exc.errors(include_url=False)[0]
        loc: Loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        if not loc and "loc" in ctx:
            loc = tuple(ctx["loc"])
        message = err["msg"]
        if err["type"] == "reference":
            message = str(ctx.get("message", message))
        elif err["type"] == "missing":
            message = "this value is required"
        line = None
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.where:
                line = self.where[loc[:n]]
                break
        if line is None and loc and loc[0] in self.layout.front_matter:
            line = _yaml_line(fm_text, fm_line, loc)
        field = dotted(loc) or None
        if "input" in err and err["type"] not in ("missing", "reference"):
            value = err["input"]
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                message += f" (got {value!r})"
        return PackError(message, line=line, field=field)


_COLUMNS_OF: dict[tuple[int, str], tuple[Subsection, tuple[Column, ...]]] = {}


def _columns(sub: Subsection, header: str, line: int) -> tuple[Column, ...]:
    """The column of each cell of the header row ``header`` of a table in ``sub``. Packs
    repeat their header rows, so each is read once (``sub`` found by identity, as in
    _heading_maps)."""
    held = _COLUMNS_OF.get((id(sub), header))
    if held is not None and held[0] is sub:
        return held[1]
    by_header = {c.header.casefold(): c for c in sub.columns}
    columns: list[Column] = []
    for name in [unescape_cell(c) for c in split_row(header)]:
        col = by_header.get(name.casefold())
        if col is None:
            expected = ", ".join(c.header for c in sub.columns)
            raise PackError(
                f"unknown column '{name}' in '{sub.heading}' (expected: {expected})",
                line=line,
            )
        columns.append(col)
    if len(_COLUMNS_OF) > 10_000:
        _COLUMNS_OF.clear()
    _COLUMNS_OF[(id(sub), header)] = (sub, tuple(columns))
    return tuple(columns)


def _read_cell(col: Column, cell: str, record: dict[str, Any]) -> None:
    if not cell:
        return
    if col.cell == "link" and col.link_field:
        m = _LINK_CELL.match(cell)
        if m:
            label = m.group("label").strip()
            if label:
                record[col.field] = label
            record[col.link_field] = m.group("angle") or m.group("url")
            return
        m = _AUTOLINK.match(cell)
        if m:
            record[col.link_field] = m.group("url")
            return
    if col.cell == "approx" and col.flag_field and cell.startswith("~"):
        record[col.flag_field] = True
        cell = cell[1:].strip()
    record[col.field] = cell
