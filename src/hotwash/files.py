"""File I/O for packs: read with located errors, write atomically (never half-written)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .core.errors import HotwashError, PackError
from .core.model import Review


def read_bytes(path: Path) -> bytes:
    """A file's bytes. Read with plain system calls: no file object is built, which is
    half the cost of reading a small file (a check reads thousands)."""
    chunks = []
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise PackError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise PackError("is a folder, not a pack file", path=str(path)) from None
    except OSError as exc:
        raise PackError(f"cannot read: {exc.strerror}", path=str(path)) from None
    return b"".join(chunks)


def read_text(path: Path) -> str:
    """A file's text, decoded as the pack parser decodes it (errors name file and line)."""
    from .core.parse import decode_text

    try:
        return decode_text(read_bytes(path))
    except PackError as exc:
        raise exc.located(str(path)) from None


def read_yaml(source: Path | str, what: str, *, plain_dates: bool = False) -> Any:
    """A YAML (or JSON) file the person gave, parsed; ``-`` reads standard input. A broken
    file is a PackError naming it and the line. ``plain_dates`` keeps dates as text, for
    the model to read."""
    import sys

    import yaml

    from .core.data import without_timestamps

    where = "<stdin>" if source == "-" else str(source)
    raw = sys.stdin.buffer.read() if source == "-" else read_bytes(Path(source))
    loader = without_timestamps(yaml.SafeLoader) if plain_dates else yaml.SafeLoader
    try:
        return yaml.load(raw, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PackError(f"broken {what}: {exc}", path=where, line=line) from None


def read_pack(path: Path) -> Review:
    from .core.parse import parse_pack

    return parse_pack(read_bytes(path), path=str(path))


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    Readers see the old file or the new one, never a mix; on any error the old
    file is untouched and the temporary file is removed.
    """
    if not overwrite and path.exists():
        raise PackError("already exists; choose another name or pass --force", path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PackError(f"folder {folder} does not exist", path=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


def expand_paths(args: tuple[str, ...] | list[str]) -> list[Path]:
    """Files, folders (every Markdown file below, sorted) and globs, without duplicates."""
    import glob

    from .core.errors import UsageError

    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if any(ch in arg for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(arg, recursive=True))
            if not matches:
                raise UsageError(f"{arg}: no file matches this pattern")
            found += [m for m in matches if m.is_file()]
        elif path.is_dir():
            # Sorted as paths sort (part by part), on the strings: sorting Path objects
            # costs 16 ms for 2,000 files.
            below = sorted(_markdown_below(str(path)), key=_path_order)
            found += [path / rel for rel in below]
        else:
            found.append(path)
    if not found:
        raise UsageError(f"no Markdown files in {', '.join(args)}")
    if len(args) == 1 and not any(ch in args[0] for ch in "*?["):
        return found  # one folder or file names each file once
    seen: set[Path] = set()
    unique = []
    for p in found:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def _path_order(rel: str) -> list[str]:
    return os.path.normcase(rel).split(os.sep)


def _markdown_below(folder: str, prefix: str = "") -> Iterator[str]:
    """Relative paths of the Markdown files below ``folder``, skipping hidden files and
    folders and not following folder links (what ``rglob`` with those filters gives)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir and not entry.is_symlink():
            yield from _markdown_below(entry.path, prefix + entry.name + os.sep)
        elif os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES:
            try:
                if entry.is_file():
                    yield prefix + entry.name
            except OSError:
                continue


def _check_one(gate: Any, path: Path) -> Any:
    """Read and check one file; a problem with the file comes back as its PackError."""
    try:
        text = read_text(path)
        return gate.check(text, path=str(path))
    except PackError as exc:
        return exc


def _checked(gate: Any, paths: list[Path], finish: Any) -> Iterator[tuple[Path, Any]]:
    for path in paths:
        result = _check_one(gate, path)
        if isinstance(result, Exception):
            yield path, result
        else:
            yield path, finish(result) if finish is not None else result


def check_files(
    gate: Any, paths: list[Path], *, jobs: int, finish: Any = None
) -> Iterator[tuple[Path, Any]]:
    """(path, result) for each path, in order: a PackError, or the Report passed through
    ``finish`` (which runs where the check ran, so workers can write their own output).

    With ``jobs`` > 1 and enough files, the list is cut into ``jobs`` runs of files in a
    row. This process checks the first run and yields as it goes; each forked worker
    checks one of the others and writes its results to an unnamed temporary file, read
    back in order once this process is done. Nothing is imported twice and nothing
    crosses between processes file by file."""
    import gc

    # Checking allocates many short-lived objects and makes almost no cycles (none on the
    # benchmark corpus): the collector runs less often for the batch (about 2% faster).
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield from _check_all(gate, paths, jobs=jobs, finish=finish)
    finally:
        gc.set_threshold(*threshold)
        if not frozen:
            gc.unfreeze()  # what _check_all froze for its workers goes back to the collector


def _check_all(
    gate: Any, paths: list[Path], *, jobs: int, finish: Any
) -> Iterator[tuple[Path, Any]]:
    if jobs <= 1 or len(paths) < 32 or not hasattr(os, "fork"):
        yield from _checked(gate, paths, finish)
        return
    import gc

    prepare = getattr(gate, "prepare", None)
    if prepare is not None:
        prepare()  # loaded once here, not once per worker
    # Objects made so far (imports, compiled data) are shared with the workers: keep the
    # collector from walking them there (each walk would copy the pages it touches).
    gc.freeze()
    size = -(-len(paths) // jobs)
    runs = [paths[i : i + size] for i in range(0, len(paths), size)]
    workers: list[tuple[int, Any, list[Path]]] = []
    try:
        for run in runs[1:]:
            out = tempfile.TemporaryFile()  # noqa: SIM115 (closed once read, or in finally)
            workers.append((_fork_worker(gate, run, finish, out), out, run))
        yield from _checked(gate, runs[0], finish)
        while workers:
            pid, out, run = workers[0]
            _, status = os.waitpid(pid, 0)
            workers.pop(0)
            with out:
                if status != 0:
                    code = os.waitstatus_to_exitcode(status)
                    how = f"signal {-code}" if code < 0 else f"exit status {code}"
                    raise HotwashError(
                        f"a worker process stopped before checking its {len(run)} files "
                        f"({how}); run again with --jobs 1 to check them here"
                    )
                yield from _results(out, run)
    finally:
        for pid, out, _ in workers:  # only on an error or an early stop
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass  # reaped already: Ctrl-C came just as waitpid returned
            out.close()


def _fork_worker(gate: Any, run: list[Path], finish: Any, out: Any) -> int:
    """Fork a worker that checks ``run`` into ``out``; the parent gets its pid."""
    import pickle

    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        with open(out.fileno(), "wb", closefd=False, buffering=1 << 16) as sink:
            for n, (_, result) in enumerate(_checked(gate, run, finish)):
                if finish is None and not isinstance(result, Exception):
                    result = result.slim()  # the review stays here: the report has the rest
                # The parent has the paths: each result goes with its place in the run.
                pickle.dump((n, result), sink, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except KeyboardInterrupt:
        status = 130  # Ctrl-C reaches the whole group: the parent says what stopped
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice


def _results(out: Any, run: list[Path]) -> Iterator[tuple[Path, Any]]:
    import pickle

    out.seek(0)
    with open(out.fileno(), "rb", closefd=False, buffering=1 << 16) as source:
        while True:
            try:
                n, result = pickle.load(source)
                yield run[n], result
            except EOFError:
                return


def write_tree(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path -> text) as ``folder``, replacing it whole: the new
    tree is built beside it and swapped in, so readers never see half a site."""
    import shutil

    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=parent))
            os.replace(folder, old / "site")
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
