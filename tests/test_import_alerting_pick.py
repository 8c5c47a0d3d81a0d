"""Telling the JSON evidence kinds apart: ``pick`` sends each sample to its own importer."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotwash.archives import open_archive
from hotwash.core.errors import PackError
from hotwash.core.evidence import DictArchive, ImportOptions
from hotwash.core.importers import alertmanager, github, grafana, opsgenie, pagerduty, pick

from .alerting_support import EVIDENCE, FIXTURES

MINE = (pagerduty, opsgenie, alertmanager, grafana, github)
BY_NAME = {m.NAME: m for m in MINE}
PLACES = {
    "pagerduty": [EVIDENCE / "pagerduty", FIXTURES / "pagerduty"],
    "alertmanager": [EVIDENCE / "alertmanager"],
    "opsgenie": [FIXTURES / "opsgenie"],
    "grafana": [FIXTURES / "grafana"],
    "github": [FIXTURES / "github"],
}


def samples() -> list[tuple[str, Path]]:
    out = []
    for kind, folders in PLACES.items():
        for folder in folders:
            assert folder.is_dir(), f"{folder} is part of the test evidence"
            out.append((kind, folder))
            files = sorted(p for p in folder.iterdir() if p.suffix in (".json", ".jsonl"))
            assert files, folder
            out.extend((kind, p) for p in files)
    return out


SAMPLES = samples()


@pytest.mark.parametrize(("kind", "path"), SAMPLES, ids=[f"{k}-{p.name}" for k, p in SAMPLES])
def test_pick_sends_each_sample_to_its_importer(kind: str, path: Path) -> None:
    archive = open_archive(path)
    assert pick(archive) is BY_NAME[kind]
    # and no other JSON importer claims it
    assert [m.NAME for m in MINE if m.sniff(archive)] == [kind]


def test_every_sample_file_was_counted() -> None:
    # 4 PagerDuty + 1 log-entry fixture, 3 Alertmanager, 4 Opsgenie, 2 Grafana, 2 GitHub
    files = [p for _, p in SAMPLES if p.is_file()]
    assert len(files) == 16


@pytest.mark.parametrize(
    "path",
    [EVIDENCE / "slack-export-hfaran", EVIDENCE / "csv-timeline"],
    ids=["slack", "csv"],
)
def test_other_evidence_is_not_claimed(path: Path) -> None:
    archive = open_archive(path)
    assert [m.NAME for m in MINE if m.sniff(archive)] == []


class Broken:
    """An archive whose member cannot be read."""

    label = "broken.zip"

    def __init__(self, problem: Exception) -> None:
        self.problem = problem

    def names(self) -> list[str]:
        return ["alerts.json"]

    def read(self, name: str) -> bytes:
        raise self.problem


@pytest.mark.parametrize(
    "archive",
    [
        Broken(PackError("cannot read zip member", path="broken.zip/alerts.json")),
        Broken(KeyError("alerts.json")),
        Broken(MemoryError()),
        DictArchive("empty", {}),
        DictArchive("x", {"a.json": b"", "b.json": b"[]"}),
        DictArchive("x", {"notes.txt": b"14:00 paged", "more.txt": b"{}"}),
        DictArchive("x", {"deep.json": b"[" * 5000 + b"]" * 5000}),
    ],
    ids=["pack-error", "key-error", "memory", "no-members", "empty-first", "no-json", "deep"],
)
def test_sniff_never_raises(archive: object) -> None:
    for module in MINE:
        assert module.sniff(archive) is False


def test_reading_a_folder_without_json_says_what_was_expected() -> None:
    archive = DictArchive("notes", {"a.txt": b"x", "b.md": b"y"})
    for module in MINE:
        with pytest.raises(PackError) as info:
            list(module.read(archive, ImportOptions()))
        assert info.value.path == "notes"
        assert "no .json" in info.value.message
