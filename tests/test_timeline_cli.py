"""`hotwash timeline import/show` end to end, on the real evidence samples and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hotwash.core.parse import parse_pack

from .conftest import EXAMPLES, SHARED

EVIDENCE = SHARED / "evidence"


def hotwash(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotwash", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    out = hotwash("new", "incident", "--title", "Checkout errors", "--date", "2026-03-16",
                  "-o", "p.md", cwd=tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return tmp_path / "p.md"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_example_evidence_with_a_roster(pack: Path) -> None:
    ev = EXAMPLES / "evidence"
    out = hotwash(
        "timeline", "import", str(ev / "alerts.json"), str(ev / "notes.txt"),
        "--date", "2026-03-15", "--tz", "Europe/Berlin", "--roster", str(ev / "roster.yaml"),
        "--into", "p.md", cwd=pack.parent,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "8 event(s) added" in out.stdout
    text = pack.read_text()
    for name in ("Hugo Grant", "Ama Owusu", "hgrant:"):
        assert name not in text
    review = parse_pack(text)
    keys = review.key_timestamps
    assert keys.detected == utc("2026-03-15 09:29:41")  # the alert, in UTC already
    assert keys.acknowledged == utc("2026-03-15 09:31")  # 10:31 Berlin (UTC+1 in March)
    assert keys.mitigated == utc("2026-03-15 09:52")
    assert keys.resolved == utc("2026-03-15 11:05")
    rows = {e.at: e for e in review.timeline}
    assert rows[utc("2026-03-15 09:36")].text.startswith("paging @hgrant")
    assert rows[utc("2026-03-15 09:52")].actor == "@hgrant"
    assert "time zone assumed" in (rows[utc("2026-03-15 09:52")].source or "")
    assert "incident commander" in rows[utc("2026-03-15 10:20")].text

    shown = hotwash("timeline", "show", "p.md", cwd=pack.parent)
    assert shown.returncode == 0, shown.stderr
    assert "time to acknowledge  1 min" in shown.stdout  # 09:29:41 to 09:31:00
    assert "mitigated" in shown.stdout and "communicated" in shown.stdout

    again = hotwash(
        "timeline", "import", str(ev / "notes.txt"), "--date", "2026-03-15",
        "--tz", "Europe/Berlin", "--roster", str(ev / "roster.yaml"), "--into", "p.md",
        cwd=pack.parent,
    )  # fmt: skip
    assert again.returncode == 0 and "0 event(s) added, 7 already there" in again.stdout


def test_pagerduty_sample_fills_detected_and_resolved(pack: Path) -> None:
    src = EVIDENCE / "pagerduty" / "sample_incidents.json"
    out = hotwash("timeline", "import", str(src), "--into", "p.md", cwd=pack.parent)
    assert out.returncode == 0, out.stderr
    review = parse_pack(pack.read_bytes())
    assert review.key_timestamps.detected == utc("2017-04-07 03:41:08")
    assert review.key_timestamps.resolved == utc("2017-04-07 03:57:56")
    assert len(review.timeline) == 4
    data = json.loads(src.read_text())
    incidents = data["incidents"] if isinstance(data, dict) else data
    names = {
        inc["last_status_change_by"]["summary"]
        for inc in incidents
        if inc["last_status_change_by"]["type"] == "user_reference"
    }
    text = pack.read_text()
    assert names and not any(n in text for n in names), "people get pseudonyms by default"


def test_slack_export_one_channel_anonymized(pack: Path, tmp_path: Path) -> None:
    export = EVIDENCE / "slack-export-hfaran"
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in export.rglob("*.json"):
            z.write(f, f"export/{f.relative_to(export).as_posix()}")
    out = hotwash(
        "timeline", "import", str(zipped), "--channel", "traveling-sailor", "--into", "p.md",
        cwd=pack.parent,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    review = parse_pack(pack.read_bytes())
    assert {e.source for e in review.timeline} == {"slack #traveling-sailor"}
    days = sorted(p.stem for p in (export / "traveling-sailor").glob("*.json"))
    assert review.timeline[0].at.date().isoformat() >= days[0]
    assert review.timeline[-1].at.date().isoformat() <= days[-1]
    text = pack.read_text()
    for user in json.loads((export / "users.json").read_text()):
        assert user["id"] not in text
        for key in ("real_name", "name"):
            value = (user.get(key) or user.get("profile", {}).get(key) or "").strip()
            if len(value) > 3:
                assert value not in text, value


def test_alertmanager_and_csv_samples(pack: Path) -> None:
    am = EVIDENCE / "alertmanager" / "alertmanager-webhook-3-alerts-v4.json"
    csv = EVIDENCE / "csv-timeline" / "timesketch-sigma_events.csv"
    out = hotwash("timeline", "import", str(am), str(csv), "--into", "p.md", cwd=pack.parent)
    assert out.returncode == 0, out.stderr
    review = parse_pack(pack.read_bytes())
    assert review.key_timestamps.detected is not None
    assert review.key_timestamps.detected.date().isoformat() == "2020-10-11"
    assert sum(1 for e in review.timeline if (e.source or "").startswith("csv")) == 4
    assert "date-far" not in out.stdout
    assert "more than 3 months" in out.stdout, "2015 and 2020 evidence in one timeline is odd"


@pytest.mark.parametrize(
    ("files", "args", "expect"),
    [
        ({"bad.json": b'{"alerts": [{"startsAt": '}, (), "bad.json"),
        ({"empty.json": b""}, ("--as", "pagerduty"), "empty.json"),
        ({"notes.txt": b"14:22 restarted the primary\n"}, ("--date", "2026-03-15"), "--tz"),
        ({"n.txt": b"14:22 x\n"}, ("--as", "nope"), "unknown evidence kind"),
    ],
)
def test_bad_input_is_located_and_writes_nothing(
    pack: Path, files: dict[str, bytes], args: tuple[str, ...], expect: str
) -> None:
    for name, data in files.items():
        (pack.parent / name).write_bytes(data)
    before = pack.read_bytes()
    out = hotwash("timeline", "import", *files, *args, "--into", "p.md", cwd=pack.parent)
    assert out.returncode == 2, out.stdout + out.stderr
    assert expect in out.stderr
    assert pack.read_bytes() == before
    assert sorted(p.name for p in pack.parent.iterdir() if p.name.startswith(".")) == []


def test_a_zip_with_a_path_traversal_member_is_refused(pack: Path) -> None:
    evil = pack.parent / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("channels.json", "[]")
        z.writestr("../../outside.json", "[]")
    before = pack.read_bytes()
    out = hotwash("timeline", "import", "evil.zip", "--into", "p.md", cwd=pack.parent)
    assert out.returncode == 2
    assert "outside the archive" in out.stderr
    assert pack.read_bytes() == before
    assert not (pack.parent.parent / "outside.json").exists()


def test_an_unknown_slack_channel_lists_the_known_ones(pack: Path) -> None:
    out = hotwash(
        "timeline", "import", str(EVIDENCE / "slack-export-hfaran"), "--channel", "nope",
        "--into", "p.md", cwd=pack.parent,
    )  # fmt: skip
    assert out.returncode == 2
    assert "traveling-sailor" in out.stderr


def test_square_brackets_and_a_folder_for_a_zone_are_handled(pack: Path) -> None:
    notes = pack.parent / "notes.txt"
    notes.write_text("14:22 [/var/log] filled up [bold]\n14:30 rolled back [/]\n")
    bad_zone = hotwash("timeline", "import", "notes.txt", "--date", "2026-03-15",
                       "--tz", "Europe", "--into", "p.md", cwd=pack.parent)  # fmt: skip
    assert bad_zone.returncode == 2 and "Traceback" not in bad_zone.stderr
    assert "time zone" in bad_zone.stderr
    out = hotwash("timeline", "import", "notes.txt", "--date", "2026-03-15", "--tz", "UTC",
                  "--into", "p.md", cwd=pack.parent)  # fmt: skip
    assert out.returncode == 0, out.stderr
    shown = hotwash("timeline", "show", "p.md", cwd=pack.parent)
    assert shown.returncode == 0, shown.stderr
    assert "[/var/log]" in shown.stdout


def test_a_second_import_never_reuses_a_pseudonym(pack: Path) -> None:
    (pack.parent / "a.txt").write_text("09:00 jpark: restarted the primary\n")
    (pack.parent / "b.txt").write_text("10:00 klee: failed over the replica\n")
    for notes in ("a.txt", "b.txt"):
        out = hotwash("timeline", "import", notes, "--date", "2026-03-15", "--tz", "UTC",
                      "--into", "p.md", cwd=pack.parent)  # fmt: skip
        assert out.returncode == 0, out.stderr
    review = parse_pack(pack.read_bytes())
    actors = [e.actor for e in review.timeline]
    assert len(actors) == 2 and len(set(actors)) == 2, actors
    text = pack.read_text()
    assert "jpark" not in text and "klee" not in text
    assert set(actors) == {"@person-1", "@person-2"}
