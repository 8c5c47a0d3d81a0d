"""A synthetic corpus of hotwash packs for the benchmarks.

Each pack is a random but plausible ``Review`` (incident, project, OKR, retro or
pre-mortem) rendered to Markdown with ``hotwash.core.render.render_pack``. The same
seed always gives the same packs, byte for byte.

Prose and bullets sometimes carry blame-shaped wording ("should have", "failed
to", "human error", ...) so that a linter benchmark can reuse the corpus; the
phrases planted are listed in ``BLAME_PHRASES``.

Size: the brief asked for packs of 1-4 KiB, but the rendered skeleton alone
(every heading and empty table of the layout) is already 2.3-2.6 KiB, and the
smallest pack with the content asked for (3 timeline rows with their Mermaid
diagram, a factor, an action, a learning, two sentences of summary) is about
4-4.3 KiB. So by default the content ranges win and sizes fall where they do;
``main`` reports how many packs land in ``MIN_BYTES``..``MAX_BYTES``. Pass
``max_bytes`` to cap the size: rows are then dropped from the longest list
(never below its floor) until the pack fits.

    python benchmarks/corpus.py            # 2,000 packs: size distribution and checks
    python benchmarks/corpus.py 500 7      # n and seed
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

MIN_BYTES = 1024
MAX_BYTES = 4096

BLAME_PHRASES = (
    "should have",
    "failed to",
    "human error",
    "forgot to",
    "careless",
    "did not bother to",
)

# --------------------------------------------------------------------------- vocabulary

SERVICES = (
    "checkout-api",
    "payments-gateway",
    "auth-service",
    "search-indexer",
    "billing-worker",
    "cdn-edge",
    "orders-db",
    "session-cache",
    "event-bus",
    "notify-service",
    "inventory-sync",
    "api-gateway",
    "ledger",
    "feature-flags",
    "image-resizer",
)
HANDLES = (
    "@ana",
    "@bo",
    "@chen",
    "@dara",
    "@eli",
    "@fatima",
    "@goran",
    "@hana",
    "@ivan",
    "@jun",
    "@kofi",
    "@lena",
    "@mo",
    "@noor",
    "@priya",
    "@sam",
)
SYSTEM_ACTORS = ("PagerDuty", "deploy bot", "Grafana", "status page", "support")
SYMPTOMS = (
    "5xx rate",
    "p99 latency",
    "queue depth",
    "error budget burn",
    "CPU saturation",
    "pool exhaustion",
    "replication lag",
    "disk usage",
    "timeout rate",
    "OOM kills",
)
CHANGES = (
    "config push",
    "schema migration",
    "flag rollout",
    "dependency upgrade",
    "cert rotation",
    "autoscaling change",
    "DNS change",
    "kernel patch",
    "cache flush",
)
GUARDS = (
    "a canary stage",
    "a rate limit",
    "a circuit breaker",
    "an alert on saturation",
    "a pre-deploy check",
    "a runbook entry",
    "a load test",
    "a rollback button",
    "a staging soak",
    "an SLO dashboard",
    "a config linter",
    "a timeout budget",
)
SOURCES = (
    ("Grafana", "https://grafana.example.com/d/"),
    ("PagerDuty", "https://pd.example.com/incidents/"),
    ("Slack", "https://chat.example.com/archives/"),
    ("CI run", "https://ci.example.com/runs/"),
)
PROJECTS = (
    "billing v2",
    "search relaunch",
    "mobile checkout",
    "data warehouse move",
    "SSO rollout",
    "region expansion",
    "pricing page",
    "on-call rotation",
)
TAGS = ("sev1", "sev2", "sev3", "customer-facing", "internal", "data", "latency", "q3", "q4")
CLUSTERS = ("people", "process", "product", "tech", "comms", "environment")
FACTOR_TYPES = ("trigger", "contributing condition", "detection gap", "response gap")
CATEGORIES = ("prevent", "detect", "mitigate", "communicate", "document")
DECISION_TYPES = ("fix", "guardrail", "instrumentation", "runbook", "training", "experiment")
PURPOSES = ("learning", "prevention", "recovery", "quality", "alignment")

KIND_WEIGHTS = (("incident", 50), ("project", 15), ("retro", 15), ("okr", 10), ("premortem", 10))

# --------------------------------------------------------------------------- text pieces


class _Words:
    """Draws fill-ins from the vocabulary; one per pack, around one Random."""

    def __init__(self, rng: random.Random, blame_rate: float) -> None:
        self.rng = rng
        self.blame_rate = blame_rate
        self.service = rng.choice(SERVICES)
        self.change = rng.choice(CHANGES)
        self.symptom = rng.choice(SYMPTOMS)
        self.project = rng.choice(PROJECTS)
        self.people = rng.sample(HANDLES, rng.randint(3, 6))

    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(seq)

    def person(self) -> str:
        return self.rng.choice(self.people)

    def blamey(self) -> bool:
        return self.rng.random() < self.blame_rate

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            svc=self.service,
            other=r.choice(SERVICES),
            change=self.change,
            symptom=self.symptom,
            sym2=r.choice(SYMPTOMS),
            guard=r.choice(GUARDS),
            who=self.person(),
            project=self.project,
            pct=r.choice((2, 4, 8, 12, 18, 25, 40)),
            mins=r.choice((7, 12, 19, 26, 34, 48, 63, 95)),
            n=r.randint(2, 9),
        )


SUMMARY = {
    "incident": (
        "A {change} to {svc} raised the {symptom} for about {mins} minutes.",
        "Roughly {pct}% of requests to {svc} failed while the change was live.",
        "The alert fired {n} minutes after the first errors; its threshold assumed peak traffic.",
        "{who} rolled the change back and traffic recovered without data loss.",
        "Calls from {other} retried hard and doubled the load on {svc}.",
        "Support heard from customers before the status page was updated.",
        "The runbook for {svc} described the old deployment path.",
    ),
    "project": (
        "The {project} project shipped {n} weeks later than planned.",
        "Scope grew twice after the design review, each time for a good reason at the time.",
        "The team depended on {svc}, whose owners were busy with their own launch.",
        "Early load tests missed the {symptom} that showed up in production.",
        "Weekly demos kept stakeholders close and caught two misunderstandings early.",
    ),
    "okr": (
        "We graded the {project} objective at the end of the quarter.",
        "Two of the key results moved; the third stalled on a dependency on {svc}.",
        "The targets were set before we knew how noisy the {symptom} metric was.",
        "Mid-quarter check-ins were skipped {n} times during the launch crunch.",
    ),
    "retro": (
        "The team looked back on the last {n} sprints of the {project} work.",
        "On-call load was high, with {n} pages a week from {svc}.",
        "Pairing on the {change} went well and spread knowledge of {svc}.",
        "Planning meetings ran long and often ended without owners.",
    ),
    "premortem": (
        "We imagined that the {project} launch has failed six months from now.",
        "The likeliest story is that {svc} could not take launch-day traffic.",
        "A second story is that support was not ready for the new flows.",
        "We agreed on triggers that would make us pause before it is too late.",
    ),
}

BLAME_SENTENCES = (
    "{who} should have checked the canary dashboard before promoting the {change}.",
    "The on-call engineer failed to escalate when the {symptom} kept rising.",
    "This was human error during a manual step on {svc}.",
    "Someone forgot to update the runbook after the last migration.",
    "It was a careless mistake in the {change}.",
    "The deployer did not bother to read the warning in the pipeline.",
)

TIMELINE_START = (
    "{change} to {svc} started",
    "{change} rolled out to {svc} in one region",
)
TIMELINE_MIDDLE = (
    "{symptom} on {svc} rose to {pct}%",
    "alert fired for {svc} {symptom}",
    "{who} acknowledged the page",
    "incident channel opened",
    "{who} joined as incident lead",
    "{other} began retrying failed calls",
    "status page updated",
    "support reported failed checkouts",
    "{sym2} seen on {other}",
    "traffic shifted away from {svc}",
    "suspected the {change}; checked the diff",
    "scaled {svc} out by {n} nodes",
    "customers told on status page",
)
TIMELINE_END = (
    "rolled back the {change}",
    "{symptom} back under threshold",
    "declared resolved",
)
TIMELINE_BLAME = (
    "{who} failed to notice the alert",
    "human error in the manual rollback",
    "{who} should have paged the owner",
)

FACTOR_TEXT = (
    "{svc} was missing {guard}",
    "the {change} skipped review on a Friday",
    "alert on {symptom} tuned for peak traffic",
    "runbook for {svc} out of date",
    "retries from {other} had no backoff",
    "ownership of {svc} unclear after the reorg",
    "load test did not cover {sym2}",
)
WHY_IT_MADE_SENSE = (
    "the same change had worked many times",
    "the pipeline was green",
    "peak-time alerts had been noisy",
    "the team was short-staffed that week",
    "docs said it was safe",
)
ACTION_TEXT = (
    "Add {guard} to {svc}",
    "Page the owner of {svc} on {symptom}",
    "Rewrite the runbook for {svc}",
    "Add backoff to {other} retries",
    "Run a game day on the {change}",
    "Put {svc} behind {guard}",
)
SUCCESS = (
    "next bad push stops at canary",
    "alert fires within 5 minutes",
    "game day passes",
    "no retry storm in load test",
)
LEARNING_TEXT = (
    "our alerts on {svc} assume peak traffic",
    "rollback of the {change} takes {mins} minutes",
    "nobody owned {svc} end to end",
    "{other} amplifies failures in {svc}",
    "small demos catch scope drift early",
)
WENT_WELL = (
    "rollback was quick once started",
    "the incident channel stayed calm and focused",
    "{who} kept the status page current",
    "dashboards for {svc} pointed at the cause",
    "handover between shifts was clear",
)
WENT_BADLY = (
    "detection took {mins} minutes",
    "two people made changes at once",
    "the runbook pointed at a retired host",
    "{other} owners were hard to reach",
)
WENT_BADLY_BLAME = (
    "{who} should have waited for the canary",
    "the reviewer failed to spot the typo",
    "human error in the config file",
)
LUCKY = (
    "the error hit at low traffic",
    "{who} happened to be online",
    "no data was written during the window",
)
QUESTIONS = (
    "who owns {svc} after the reorg?",
    "should the {change} need two approvals?",
    "can {other} shed load on its own?",
)
NEXT_STEPS = (
    "share the review with the {svc} owners",
    "check action progress in two weeks",
    "add this case to the on-call training",
)
RISKS = (
    "the same {change} is planned for {other}",
    "alert fatigue may hide the next one",
)

# --------------------------------------------------------------------------- the review


def _weighted_kind(rng: random.Random) -> str:
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    return rng.choices(kinds, weights=weights)[0]


def _small_count(rng: random.Random, low: int, high: int) -> int:
    """A count in [low, high], skewed towards the low end (most reviews are short)."""
    return low + int((high - low + 1) * rng.random() ** 1.6)


def _draft(rng: random.Random, index: int) -> dict[str, Any]:
    """All the parts of one review, as plain data, before it is fitted to size."""
    kind = _weighted_kind(rng)
    w = _Words(rng, blame_rate=rng.choice((0.0, 0.0, 0.15, 0.35)))
    day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 660))
    start = datetime(day.year, day.month, day.day, rng.randint(0, 22), rng.randint(0, 59))

    pool = SUMMARY[kind]
    picked = sorted(rng.sample(range(len(pool)), rng.randint(2, min(5, len(pool)))))
    summary = [w.fill(pool[i]) for i in picked]  # in story order
    if w.blamey() or w.blamey():
        summary.insert(rng.randint(1, len(summary)), w.fill(rng.choice(BLAME_SENTENCES)))
    # Longer summaries are sometimes split into two paragraphs after this sentence.
    para_break = rng.randint(2, len(summary) - 1) if len(summary) > 3 and rng.random() < 0.4 else 0

    n_rows = _small_count(rng, 3, 20)
    at = start
    times = []
    timeline = []
    for i in range(n_rows):
        if i == 0:
            text = w.fill(rng.choice(TIMELINE_START))
        elif i == n_rows - 1:
            text = w.fill(rng.choice(TIMELINE_END))
        elif w.blamey() and rng.random() < 0.3:
            text = w.fill(rng.choice(TIMELINE_BLAME))
        else:
            text = w.fill(rng.choice(TIMELINE_MIDDLE))
        row: dict[str, Any] = {"at": at.strftime("%Y-%m-%d %H:%M"), "text": text}
        if rng.random() < 0.12:
            row["kind"] = "hypothesis"
        if rng.random() < 0.7:
            row["actor"] = w.person() if rng.random() < 0.7 else rng.choice(SYSTEM_ACTORS)
        if rng.random() < 0.25:
            label, base = rng.choice(SOURCES)
            row["source"] = label
            row["link"] = f"{base}{rng.randint(1000, 9999)}"
        timeline.append(row)
        times.append(at)
        at += timedelta(minutes=rng.choice((1, 2, 3, 4, 6, 9, 14, 22, 40)))

    factors = []
    for i in range(1, _small_count(rng, 1, 5) + 1):
        f: dict[str, Any] = {
            "id": f"F{i}",
            "cluster": rng.choice(CLUSTERS),
            "type": "trigger" if i == 1 else rng.choice(FACTOR_TYPES[1:]),
            "text": w.fill(rng.choice(FACTOR_TEXT)),
        }
        if rng.random() < 0.5:
            f["why_it_made_sense"] = rng.choice(WHY_IT_MADE_SENSE)
        if rng.random() < 0.2:
            f["evidence"] = f"timeline {rng.randint(1, 12)}:{rng.randint(10, 59)}"
        factors.append(f)

    actions = []
    for i in range(1, _small_count(rng, 1, 5) + 1):
        a: dict[str, Any] = {
            "id": f"A{i}",
            "text": w.fill(rng.choice(ACTION_TEXT)),
            "owner": w.person(),
            "priority": rng.choice(("P0", "P1", "P1", "P2")),
            "due": (day + timedelta(days=rng.randint(7, 60))).isoformat(),
            "category": rng.choice(CATEGORIES),
            "status": rng.choice(("open", "open", "done", "verified")),
            "factors": [f"F{rng.randint(1, len(factors))}"],
        }
        if rng.random() < 0.4:
            a["success_signal"] = rng.choice(SUCCESS)
        if rng.random() < 0.3:
            a["ticket"] = f"OPS-{rng.randint(100, 9999)}"
        actions.append(a)

    learnings = []
    for i in range(1, _small_count(rng, 1, 4) + 1):
        learning: dict[str, Any] = {"id": f"L{i}", "text": w.fill(rng.choice(LEARNING_TEXT))}
        if rng.random() < 0.3:
            learning["evidence"] = rng.choice(("timeline", "dashboards", "survey", "chat log"))
        learnings.append(learning)

    def bullets(pool: tuple[str, ...], high: int) -> list[str]:
        return [w.fill(t) for t in rng.sample(pool, rng.randint(0, min(high, len(pool))))]

    went_badly = bullets(WENT_BADLY, 3)
    if w.blamey():
        went_badly.append(w.fill(rng.choice(WENT_BADLY_BLAME)))

    draft: dict[str, Any] = {
        "kind": kind,
        "title": _title(kind, w, day),
        "index": index,
        "day": day,
        "start": start,
        "people": w.people,
        "service": w.service,
        "summary": summary,
        "para_break": para_break,
        "timeline": timeline,
        "factors": factors,
        "actions": actions,
        "learnings": learnings,
        "went_well": bullets(WENT_WELL, 3),
        "went_badly": went_badly,
        "lucky": bullets(LUCKY, 2) if kind == "incident" else [],
        "open_questions": bullets(QUESTIONS, 2),
        "next_steps": bullets(NEXT_STEPS, 2),
        "risks": bullets(RISKS, 1),
        "status": rng.choice(("draft", "in review", "final", "final")),
        "tags": rng.sample(TAGS, rng.randint(0, 2)),
        "purposes": rng.sample(PURPOSES, rng.randint(0, 2)),
        "extra": _kind_extras(kind, rng, w, times),
    }
    return draft


def _title(kind: str, w: _Words, day: date) -> str:
    if kind == "incident":
        return f"{w.service} {w.symptom} after {w.change} on {day.isoformat()}"
    if kind == "project":
        return f"{w.project} project review"
    if kind == "okr":
        return f"{w.project} OKR review, Q{(day.month - 1) // 3 + 1} {day.year}"
    if kind == "retro":
        return f"{w.project} team retro, {day.isoformat()}"
    return f"Pre-mortem: {w.project} launch"


def _kind_extras(kind: str, rng: random.Random, w: _Words, times: list[datetime]) -> dict[str, Any]:
    if kind == "incident":
        stamps = {"started": times[0], "detected": times[1], "mitigated": times[-1]}
        if rng.random() < 0.5:
            stamps["resolved"] = times[-1] + timedelta(minutes=rng.randint(5, 90))
        extra: dict[str, Any] = {
            "stabilized": True,
            "key_timestamps": {k: v.strftime("%Y-%m-%d %H:%M") for k, v in stamps.items()},
        }
        if rng.random() < 0.5:
            extra["impact"] = [
                {
                    "area": "customers",
                    "measure": "failed requests",
                    "value": str(rng.randint(100, 90000)),
                    "approx": rng.random() < 0.5,
                    "unit": "requests",
                }
            ]
        return extra
    if kind == "okr":
        return {
            "okr": {"objective": f"make {w.service} boring to run", "grade": 0.6},
            "key_results": [
                {"id": "KR1", "text": f"cut {w.symptom} pages by half", "grade": 0.7},
                {"id": "KR2", "text": "error budget met in 3 of 3 months", "grade": 0.5},
            ],
        }
    if kind == "retro":
        cols = ("start", "stop", "continue")
        return {
            "retro_format": "start stop continue",
            "retro_board": [
                {
                    "column": rng.choice(cols),
                    "text": w.fill(rng.choice(WENT_BADLY + WENT_WELL)),
                    "votes": rng.randint(0, 6),
                }
                for _ in range(rng.randint(1, 3))
            ],
        }
    if kind == "premortem":
        return {
            "failure_modes": [
                {
                    "id": "R1",
                    "text": f"{w.service} falls over on launch day",
                    "likelihood": "medium",
                    "impact": "high",
                },
            ],
            "kill_criteria": [
                {
                    "id": "K1",
                    "signal": f"{w.symptom} above target for a week",
                    "action": "pause",
                    "owner": w.person(),
                },
            ],
        }
    return {}


# Lists that may be shortened to fit the size cap, with the length each keeps at least.
_FLOORS = {
    "timeline": 3,
    "summary": 2,
    "factors": 1,
    "actions": 1,
    "learnings": 1,
    "went_well": 0,
    "went_badly": 0,
    "lucky": 0,
    "open_questions": 0,
    "next_steps": 0,
    "risks": 0,
}


def _review_data(d: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    part = {name: d[name][: counts[name]] for name in _FLOORS}
    if counts["timeline"] < len(d["timeline"]):  # keep the story's last row
        part["timeline"] = d["timeline"][: counts["timeline"] - 1] + d["timeline"][-1:]
    cut = d["para_break"] if 0 < d["para_break"] < len(part["summary"]) else len(part["summary"])
    summary = " ".join(part["summary"][:cut])
    if cut < len(part["summary"]):
        summary += "\n\n" + " ".join(part["summary"][cut:])
    kept = {f["id"] for f in part["factors"]}
    actions = [
        {**a, "factors": [ref for ref in a["factors"] if ref in kept]} for a in part["actions"]
    ]
    data: dict[str, Any] = {
        "id": f"{d['kind']}-{d['index']:05d}",
        "kind": d["kind"],
        "title": d["title"],
        "status": d["status"],
        "review_date": (d["day"] + timedelta(days=3)).isoformat(),
        "services": [d["service"]],
        "tags": d["tags"],
        "purposes": d["purposes"],
        "brief": {"roles": {"facilitator": d["people"][0], "scribe": d["people"][1]}},
        "summary": summary,
        "timeline": part["timeline"],
        "factors": part["factors"],
        "actions": actions,
        "learnings": part["learnings"],
        **{
            name: part[name]
            for name in _FLOORS
            if name not in ("timeline", "summary", "factors", "actions", "learnings")
        },
        **d["extra"],
    }
    return data


def _fit(d: dict[str, Any], max_bytes: int | None) -> tuple[Any, str]:
    """The review and its pack, dropping rows from the longest lists until it fits."""
    from hotwash.core.model import Review
    from hotwash.core.render import render_pack

    counts = {name: len(d[name]) for name in _FLOORS}
    while True:
        review = Review.model_validate(_review_data(d, counts))
        text = render_pack(review)
        if max_bytes is None or len(text.encode("utf-8")) <= max_bytes:
            return review, text
        spare = {n: c - _FLOORS[n] for n, c in counts.items() if c > _FLOORS[n]}
        if not spare:
            raise ValueError(f"pack {d['index']} cannot fit in {max_bytes} bytes")
        counts[max(spare, key=spare.__getitem__)] -= 1


# --------------------------------------------------------------------------- public API


def generate_reviews(n: int, seed: int = 0, *, max_bytes: int | None = None) -> list[Any]:
    """``n`` (Review, pack text) pairs; the same seed gives the same pairs."""
    rng = random.Random(seed)
    return [_fit(_draft(rng, i), max_bytes) for i in range(n)]


def generate(n: int, seed: int = 0, *, max_bytes: int | None = None) -> list[str]:
    """``n`` packs as Markdown text; with ``max_bytes``, none longer (in UTF-8) than that."""
    return [text for _, text in generate_reviews(n, seed, max_bytes=max_bytes)]


def write(
    directory: str | Path, n: int, seed: int = 0, *, max_bytes: int | None = None
) -> list[Path]:
    """Write ``n`` packs as ``<id>.md`` files under ``directory``; return the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for review, text in generate_reviews(n, seed, max_bytes=max_bytes):
        path = out / f"{review.id}.md"
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def size_report(texts: list[str]) -> str:
    """Percentiles and a histogram (512-byte buckets) of the packs' UTF-8 sizes."""
    sizes = sorted(len(t.encode("utf-8")) for t in texts)
    n = len(sizes)

    def q(p: float) -> int:
        return sizes[min(n - 1, int(p * n))]

    lines = [
        f"packs: {n}, {sum(sizes) / 1024:.0f} KiB in all; bytes: min {sizes[0]}, p10 {q(0.10)}, "
        f"median {q(0.50)}, p90 {q(0.90)}, max {sizes[-1]}",
    ]
    buckets = Counter(s // 512 for s in sizes)
    for b in range(min(buckets), max(buckets) + 1):
        bar = "#" * round(60 * buckets[b] / n)
        lines.append(f"  {b * 512:>6}-{b * 512 + 511:<6} {buckets[b]:>6}  {bar}")
    return "\n".join(lines)


def skeleton_sizes() -> dict[str, int]:
    """Bytes of the pack of an empty review of each kind (title and one-line summary)."""
    from hotwash.core.model import Review
    from hotwash.core.render import render_pack

    return {
        kind: len(render_pack(Review(id="x", kind=kind, title="T", summary="S.")).encode())
        for kind, _ in KIND_WEIGHTS
    }


def main(argv: list[str]) -> int:
    import argparse
    import time

    from hotwash.core.parse import parse_pack

    ap = argparse.ArgumentParser(description="Generate the benchmark corpus and check it.")
    ap.add_argument("n", nargs="?", type=int, default=2000)
    ap.add_argument("seed", nargs="?", type=int, default=0)
    ap.add_argument("--max-bytes", type=int, default=None, help="cap each pack at this size")
    ap.add_argument("--write", metavar="DIR", help="also write the packs as files under DIR")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    pairs = generate_reviews(args.n, args.seed, max_bytes=args.max_bytes)
    took = time.perf_counter() - t0
    texts = [t for _, t in pairs]
    print(f"generated {args.n} packs (seed {args.seed}) in {took:.1f} s")
    print(size_report(texts))

    sizes = [len(t.encode("utf-8")) for t in texts]
    inside = sum(MIN_BYTES <= s <= MAX_BYTES for s in sizes)
    verdict = "met" if inside == len(sizes) else "NOT met"
    print(
        f"brief's size range {MIN_BYTES}-{MAX_BYTES} bytes: {verdict} "
        f"({inside} of {len(sizes)} packs inside)"
    )
    skel = skeleton_sizes()
    print(
        "  empty-review pack per kind (the floor): "
        + ", ".join(f"{k} {v}" for k, v in skel.items())
        + " bytes"
    )

    kinds = Counter(r.kind.value for r, _ in pairs)
    print("kinds:", ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    for name in ("timeline", "factors", "actions", "learnings"):
        c = Counter(len(getattr(r, name)) for r, _ in pairs)
        print(f"{name} rows:", " ".join(f"{k}:{c[k]}" for k in sorted(c)))
    blamey = sum(any(p in t.lower() for p in BLAME_PHRASES) for t in texts)
    print(f"packs with a blame-shaped phrase: {blamey} ({100 * blamey / args.n:.0f}%)")

    again = generate(min(args.n, 50), args.seed, max_bytes=args.max_bytes)
    same = again == texts[: len(again)]
    print("same seed, same packs:", "OK" if same else "FAILED")
    bad = sum(parse_pack(t) != r for r, t in pairs)
    print("parse_pack(pack) == review:", "OK" if not bad else f"{bad} MISMATCHES")
    if args.write:
        paths = write(args.write, args.n, args.seed, max_bytes=args.max_bytes)
        print(f"wrote {len(paths)} files under {args.write}")
    return 0 if same and not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
