"""files.check_files: the same results in the same order, whatever the number of jobs."""

from __future__ import annotations

import os
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
    with pytest.raises(HotwashError, match=r"stopped before checking its 22 files.*--jobs 1"):
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
