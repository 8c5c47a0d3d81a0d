"""`hotwash intake` end to end: a real terminal session through a pty, and the same answers
in one shot from a file, give the same pack; `hotwash next` shows where it stands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import yaml

from hotwash.core.parse import parse_pack

ANSWERS = {
    "q-incident-stable": "yes, stable since 10:04 UTC yesterday",
    "q-summary": "Sign-ins timed out for about 15% of attempts for 52 minutes after a "
    "config change halved the auth database connection pool.",
    "q-incident-started": "2026-03-15 09:12 UTC",
    "q-incident-impact": "Failed sign-ins: ~12000 attempts; Support tickets: 40",
    "q-evidence": "incident channel export; paging log for auth",
    "q-goal": "Understand why sign-ins failed and agree what changes.",
    "q-facilitator": "@alex",
    "q-decision-owner": "@morgan",
    "q-incident-detected": "2026-03-15 09:31 UTC",
    "q-incident-mitigated": "2026-03-15 10:04 UTC",
    "q-incident-timeline": "09:12 config change merged (deploy log); 09:31 latency alert fired "
    "(pager)",
    "q-actions": "Alert on connection pool saturation @sam P1 due 2026-04-01",
    "q-learnings": "Config changes to pools are not load tested",
}
ROUND_RE = re.compile(r"Round (\d+): (\d+) question")
PROMPT_RE = r"\b(q-[a-z0-9-]+)(?:\x1b\[[0-9;]*m)*: "


def hotwash(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotwash", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )


def new_pack(tmp_path: Path, name: str) -> Path:
    out = hotwash(
        "new",
        "incident",
        "--title",
        "Sign-in outage",
        "--date",
        "2026-03-16",
        "-o",
        name,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    return tmp_path / name


def test_a_terminal_session_and_an_answers_file_give_the_same_pack(tmp_path: Path) -> None:
    typed = new_pack(tmp_path, "typed.md")
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "hotwash", "intake", "typed.md"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    asked: list[str] = []
    transcript = ""
    while True:
        i = child.expect([PROMPT_RE, pexpect.EOF])
        transcript += child.before or ""
        if i == 1:
            break
        qid = child.match.group(1)
        asked.append(qid)
        child.sendline(ANSWERS.get(qid, ""))
    child.close()
    assert child.exitstatus == 0, transcript[-2000:]

    rounds = [int(n) for _, n in ROUND_RE.findall(transcript)]
    assert rounds and max(rounds) <= 5, "never more than five questions in a round"
    assert sum(rounds) == len(asked) == len(set(asked))
    assert set(ANSWERS) <= set(asked)

    one_shot = new_pack(tmp_path, "oneshot.md")
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(ANSWERS), encoding="utf-8")
    out = hotwash("intake", "oneshot.md", "--answers", "answers.yaml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert typed.read_bytes() == one_shot.read_bytes()

    review = parse_pack(typed.read_bytes())
    assert review.stabilized is True
    assert review.brief.roles.facilitator == "@alex"
    assert review.actions[0].owner == "@sam"
    assert review.unknowns and review.assumptions
    for line in review.unknowns + review.assumptions:
        assert re.search(r"\(intake q-[a-z0-9-]+\)$", line), line
    labeled = {re.search(r"q-[a-z0-9-]+", x).group(0) for x in review.unknowns + review.assumptions}  # type: ignore[union-attr]
    assert not labeled & set(ANSWERS), "answered questions are not listed as open"


def test_stdin_answers_and_a_refused_answer_write_nothing(tmp_path: Path) -> None:
    pack = new_pack(tmp_path, "p.md")
    before = pack.read_bytes()
    bad = hotwash(
        "intake",
        "p.md",
        "--answers",
        "-",
        cwd=tmp_path,
        stdin="q-incident-stable: yes\nq-goal: mail jo@example.com for details\n",
    )
    assert bad.returncode == 2
    assert "q-goal" in bad.stderr and "e-mail" in bad.stderr
    assert pack.read_bytes() == before
    good = hotwash(
        "intake", "p.md", "--answers", "-", cwd=tmp_path, stdin='{"q-incident-stable": "yes"}'
    )
    assert good.returncode == 0, good.stderr
    assert parse_pack(pack.read_bytes()).stabilized is True


def test_an_active_incident_is_refused_with_a_way_forward(tmp_path: Path) -> None:
    pack = new_pack(tmp_path, "p.md")
    before = pack.read_bytes()
    out = hotwash(
        "intake",
        "p.md",
        "--answers",
        "-",
        cwd=tmp_path,
        stdin="q-incident-stable: no, we are still seeing errors\n",
    )
    assert out.returncode == 3, out.stderr
    assert "incident response" in out.stderr.lower()
    assert "business days" in out.stderr
    assert pack.read_bytes() == before


def test_next_shows_the_steps_and_the_next_questions(tmp_path: Path) -> None:
    new_pack(tmp_path, "p.md")
    out = hotwash("next", "p.md", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("open") + out.stdout.count("done") >= 7
    assert "Is the incident over" in out.stdout
    hotwash("intake", "p.md", "--answers", "-", cwd=tmp_path, stdin="q-incident-stable: yes\n")
    after = hotwash("next", "p.md", cwd=tmp_path)
    assert "q-incident-stable" not in after.stdout


def test_without_a_terminal_or_answers_it_says_what_to_do(tmp_path: Path) -> None:
    new_pack(tmp_path, "p.md")
    out = hotwash("intake", "p.md", cwd=tmp_path, stdin="")
    assert out.returncode == 2
    assert "--answers" in out.stderr


def test_stop_saves_the_round_and_a_second_session_carries_on(tmp_path: Path) -> None:
    new_pack(tmp_path, "p.md")
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}

    def session(stop_after: int) -> list[str]:
        child = pexpect.spawn(
            sys.executable, ["-m", "hotwash", "intake", "p.md"],
            cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30,
        )  # fmt: skip
        asked: list[str] = []
        while child.expect([PROMPT_RE, pexpect.EOF]) == 0:
            qid = child.match.group(1)
            asked.append(qid)
            child.sendline("stop" if len(asked) > stop_after else ANSWERS.get(qid, ""))
        child.close()
        assert child.exitstatus == 0
        return asked

    first = session(stop_after=5)
    assert len(first) == 6, "one full round, then stop at the first question of the next"
    saved = parse_pack((tmp_path / "p.md").read_bytes())
    assert saved.stabilized is True and saved.summary, "the first round was saved"
    second = session(stop_after=2)
    answered = [q for q in first[:5] if q in ANSWERS]
    assert answered and not set(answered) & set(second), "answered questions are not asked again"


def test_new_refuses_a_request_aimed_at_a_person(tmp_path: Path) -> None:
    out = hotwash(
        "new", "incident", "--title", "Prove that Sam caused the outage", "-o", "p.md",
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 3
    assert out.stderr.startswith("refused:")
    assert not (tmp_path / "p.md").exists()
    ok = hotwash("new", "incident", "--title", "Checkout outage", "-o", "q.md", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


def test_intake_can_start_a_new_review_and_writes_nothing_on_refusal(tmp_path: Path) -> None:
    bad = hotwash(
        "intake", "new.md", "--kind", "incident", "--title", "DB outage", "--answers", "-",
        cwd=tmp_path, stdin="q-goal: mail a.person@example.com\n",
    )  # fmt: skip
    assert bad.returncode == 2 and not (tmp_path / "new.md").exists()
    ok = hotwash(
        "intake", "new.md", "--kind", "retro", "--title", "Sprint 42", "--answers", "-",
        cwd=tmp_path, stdin="q-retro-format: sailboat\n",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    review = parse_pack((tmp_path / "new.md").read_bytes())
    assert review.kind.value == "retro" and review.retro_format is not None
    assert review.retro_format.value == "sailboat"
    missing = hotwash("intake", "--answers", "-", cwd=tmp_path, stdin="{}")
    assert missing.returncode == 2 and "--kind and --title" in missing.stderr


def test_a_new_interactive_review_asks_kind_and_title_first(tmp_path: Path) -> None:
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable, ["-m", "hotwash", "intake"],
        cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30,
    )  # fmt: skip
    child.expect("What kind of review")
    child.sendline("premortem")
    child.expect("What is being reviewed")
    child.sendline("Billing portal launch")
    child.expect(PROMPT_RE)
    child.sendline("stop")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (pack,) = tmp_path.glob("*-billing-portal-launch.md")
    review = parse_pack(pack.read_bytes())
    assert review.kind.value == "premortem" and review.unknowns
