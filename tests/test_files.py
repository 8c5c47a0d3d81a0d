"""files.check_files: the same results in the same order, whatever the number of jobs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from hotwash.core.errors import HotwashError, PackError
from hotwash.core.gate import Gate
from hotwash.core.report import json_piece
from hotwash.files import check_files

from .conftest import EXAMPLES


def _corpus(tmp_path: Path, n: int = 45) -> list[Path]:
    """Examples, foreign notes and one broken pack, n files in all, in a fixed order."""
    sources = sorted(EXAMPLES.glob("*.md"))
    paths = []
    for i in range(n):
        path = tmp_path / f"doc-{i:03d}.md"
        if i == 37:
            path.write_text("---\nhotwash: 1\nkind: incident\n---\n\n# x\n", encoding="utf-8")
        elif i % 3 == 0:
            path.write_text(
                f"# Outage {i}\n\n## Timeline\n\n- 2026-03-0{i % 9 + 1} 10:0{i % 10} UTC"
                " the check failed to run\n\n## Action items\n\n- add an alert\n",
                encoding="utf-8",
            )
        else:
            path.write_bytes(sources[i % len(sources)].read_bytes())
        paths.append(path)
    return paths


def _comparable(result: Any) -> Any:
    if isinstance(result, Exception):
        return (type(result).__name__, str(result))
    return result.text if hasattr(result, "text") else result.slim()


@pytest.mark.parametrize("jobs", [2, 3, 4])
def test_workers_give_the_same_results_in_the_same_order(tmp_path: Path, jobs: int) -> None:
    paths = _corpus(tmp_path)
    gate = Gate(profile="standard")
    for finish in (None, json_piece):
        alone = [(p, _comparable(r)) for p, r in check_files(gate, paths, jobs=1, finish=finish)]
        split = [(p, _comparable(r)) for p, r in check_files(gate, paths, jobs=jobs, finish=finish)]
        assert [p for p, _ in split] == paths
        assert split == alone
    broken = dict(check_files(gate, paths, jobs=jobs))[paths[37]]
    assert isinstance(broken, PackError)  # checked in a worker, come back as the error


class _DyingGate:
    """A gate whose check ends the process it runs in when it meets ``doc-040``."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def check(self, text: str, *, path: str) -> Any:
        if path.endswith("doc-040.md") and os.getpid() != self.parent:
            os._exit(7)
        return Gate().check(text, path=path)


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_worker_that_dies_is_an_error_not_missing_results(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    seen = []
    with pytest.raises(
        HotwashError, match=r"stopped before checking its 22 files \(exit status 7\).*--jobs 1"
    ):
        for path, _ in check_files(_DyingGate(), paths, jobs=2, finish=json_piece):
            seen.append(path)
    assert seen == paths[:23]  # this process's run came through; nothing after it
    assert _no_children_left()


def test_stopping_early_reaps_the_workers(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    results = check_files(Gate(), paths, jobs=3, finish=json_piece)
    assert next(results)[0] == paths[0]
    results.close()
    assert _no_children_left()


def test_collector_settings_are_restored_after_a_batch(tmp_path: Path) -> None:
    import gc

    before = (gc.get_threshold(), gc.get_freeze_count())
    results = list(check_files(Gate(), _corpus(tmp_path), jobs=2, finish=json_piece))
    assert len(results) == 45
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _group_alive(pgid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    alive.append(int(entry.name))
            except ProcessLookupError:
                continue
    return alive


@contextmanager
def _check_with_a_worker(tmp_path: Path) -> Iterator[tuple[Any, int]]:
    """``hotwash check`` on 400 files in its own process group, held while its worker
    reads the last one: a named pipe the test opens for writing and never writes to. (A
    worker that had finished before the signal came would make the test prove nothing.)"""
    import subprocess
    import sys
    import time

    sources = sorted(EXAMPLES.glob("*.md"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(399):
        (docs / f"doc-{i:04d}.md").write_bytes(sources[i % len(sources)].read_bytes())
    pipe = tmp_path / "held.md"
    os.mkfifo(pipe)
    command = [sys.executable, "-m", "hotwash", "check", "--format", "json", "--jobs", "2"]
    proc = subprocess.Popen(
        [*command, str(docs), str(pipe)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    deadline = time.monotonic() + 60
    writer = None
    while writer is None:  # opening without waiting succeeds once the worker has it open
        assert proc.poll() is None and time.monotonic() < deadline, "the pipe was not read"
        try:
            writer = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader yet
            time.sleep(0.01)
    try:
        workers = _children(proc.pid)
        assert len(workers) == 1
        yield proc, workers[0]
    finally:
        os.close(writer)
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()


def test_ctrl_c_stops_every_process_quietly(tmp_path: Path) -> None:
    import signal

    with _check_with_a_worker(tmp_path) as (proc, _):
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err, err
    assert _group_alive(proc.pid) == []


def test_an_interrupted_worker_is_reported_without_a_traceback(tmp_path: Path) -> None:
    import signal

    with _check_with_a_worker(tmp_path) as (proc, worker):
        os.kill(worker, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "stopped before checking its 200 files (exit status 130)" in err
    assert "--jobs 1" in err and "Traceback" not in err, err


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("# x\n")


def test_a_folder_is_listed_in_path_order(tmp_path: Path) -> None:
    from hotwash.files import expand_paths

    # Paths compare part by part: the folder 'a' (and all below it) comes before 'a-b.md',
    # though '-' sorts before '/' in a plain string comparison.
    names = ["a-b.md", "a/b.md", "a/z/c.md", "a.md", "B.md", "a0.md", "b/.hidden.md"]
    _tree(tmp_path, [*names, ".git/x.md", "notes.txt", "c/readme.MARKDOWN"])
    found = expand_paths([str(tmp_path)])
    expected = sorted(tmp_path / n for n in [*names, "c/readme.MARKDOWN"] if ".hidden" not in n)
    assert found == expected
    assert [p.relative_to(tmp_path).as_posix() for p in found][:3] == ["B.md", "a/b.md", "a/z/c.md"]


def test_each_file_is_listed_once_across_arguments_and_globs(tmp_path: Path) -> None:
    from hotwash.files import expand_paths

    _tree(tmp_path, ["one.md", "sub/two.md", "sub/deeper/three.md"])
    every = sorted(tmp_path.rglob("*.md"))
    assert expand_paths([str(tmp_path), str(tmp_path / "sub")]) == every
    assert expand_paths([str(tmp_path / "**" / "**" / "*.md")]) == every
    assert expand_paths([str(tmp_path / "one.md"), str(tmp_path)]) == every[:1] + [
        p for p in every if p.name != "one.md"
    ]
