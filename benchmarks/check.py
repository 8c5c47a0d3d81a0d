"""The quality gate as a whole process: ``hotwash check`` against ``proselint``.

Writes a corpus of 2,000 Markdown post-mortems of 1-4 KiB (deterministic seed) to a
temporary folder: about 75% in the formats teams write by hand (Google SRE, PagerDuty,
Atlassian, GitLab-style handbook pages, short wiki notes, numbered templates; timelines
as tables or timed bullets, action items as tables, checkboxes or numbered lists), the
rest hotwash packs from ``corpus.py`` trimmed to 4 KiB (packs that cannot be trimmed
that far are skipped, not counted). About a third of the documents carry blame-shaped
wording ("should have", "failed to" with a person and with a system as subject, "human
error", "careless", "obviously", "why did you", "!!!").

Then times, as whole processes and interleaved round by round (the order alternates
every round), after one untimed warm-up run of each that also checks both read every
file:

    hotwash check --format json --profile standard DIR     (stdout to /dev/null)
    proselint check DIR                                     (one process, stdout to /dev/null)

and reports best and median wall seconds and the peak RSS of each run's process tree
(``os.wait4`` rusage, in MiB: the largest resident set of the process or any child it
reaped). Exit status 1 from either tool is expected (they find things). Last, a cProfile
of one in-process pass of ``Gate().check`` over the same files.

Goals: proselint / hotwash (medians) >= 24x; hotwash peak RSS < 100 MB. A measurement,
so it always exits 0 and prints the verdict.

    python benchmarks/check.py [--n 2000] [--rounds 5] [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # benchmarks/corpus.py, found through the line above

MIN_BYTES = 1024
MAX_BYTES = 4096
PACK_SHARE = 0.25
BLAME_SHARE = 1 / 3
GOAL_RATIO = 24.0
GOAL_RSS_MB = 100.0

# --------------------------------------------------------------------------- vocabulary

SERVICES = (
    "checkout-api",
    "payments",
    "auth",
    "search",
    "billing-worker",
    "cdn",
    "orders-db",
    "session-store",
    "kafka",
    "notifications",
    "inventory",
    "api-gateway",
    "ledger",
    "feature-flags",
    "image-proxy",
    "web-frontend",
    "mobile-bff",
    "reporting",
    "webhooks",
    "scheduler",
)
DEPENDENCIES = (
    "Redis",
    "Postgres primary",
    "the Elasticsearch cluster",
    "S3",
    "the internal DNS",
    "the load balancer",
    "the message queue",
    "the identity provider",
    "Memcached",
    "the read replicas",
    "the NAT gateway",
    "the service mesh",
)
CHANGES = (
    "config change",
    "database migration",
    "feature flag rollout",
    "library upgrade",
    "certificate rotation",
    "autoscaling policy change",
    "DNS record change",
    "kernel update",
    "cache eviction policy change",
    "Terraform apply",
    "Helm chart bump",
    "connection pool resize",
)
SYMPTOMS = (
    "elevated 5xx errors",
    "p99 latency above 4 s",
    "a growing consumer lag",
    "CPU saturation",
    "connection pool exhaustion",
    "replication lag",
    "a full disk",
    "request timeouts",
    "OOM-killed pods",
    "stale reads",
    "failed logins",
    "duplicate emails",
)
NAMES = (
    "Ana",
    "Bo",
    "Chen",
    "Dara",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Jun",
    "Kofi",
    "Lena",
    "Mo",
    "Noor",
    "Priya",
    "Sam",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zoe",
)
TEAMS = ("Platform", "Payments", "Identity", "Search", "Core API", "Data", "Edge", "Mobile")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1")
TICKET_KEYS = ("INC", "OPS", "PLAT", "SRE", "PAY", "CORE", "INFRA")
GUARDS = (
    "add a canary stage for {svc} deploys",
    "alert on {dep} saturation, not only on errors",
    "add a pre-deploy check that diffs the rendered config",
    "write a runbook entry for failing over {dep}",
    "load-test {svc} at twice the peak traffic",
    "add a one-click rollback to the deploy pipeline",
    "set a timeout budget on calls from {svc} to {dep}",
    "add a circuit breaker around {dep}",
    "soak changes to {svc} in staging for 24 hours",
    "build an SLO dashboard for {svc}",
    "lint Terraform plans for destructive changes",
    "page the owning team directly instead of the shared channel",
    "add retries with jitter to the {svc} client",
    "cap the connection pool per pod",
    "document the manual failover for {dep}",
    "review the alert thresholds for {svc}",
    "add synthetic checks from two regions",
    "update the status page template",
)
WENT_WELL = (
    "The on-call engineer was paged within {n} minutes of the first errors.",
    "Rollback took under five minutes once we decided to do it.",
    "The incident channel stayed focused and the commander kept a running log.",
    "Dashboards for {svc} showed the problem clearly.",
    "Support had a holding message out to customers quickly.",
    "We had a tested runbook for draining traffic from {region}.",
    "Feature flags let us turn off the new path without a deploy.",
    "People from {team} joined quickly when asked.",
)
WENT_WRONG = (
    "The alert fired on error rate only, so slow requests went unnoticed for {mins} minutes.",
    "It took a while to find who owned {dep}.",
    "The runbook described the old deployment process.",
    "Two people worked on the same hypothesis without knowing it.",
    "The status page was updated {n} times with conflicting information.",
    "Our staging environment does not have production-like traffic.",
    "Logs for {svc} were sampled at 1%, which hid the failing requests.",
    "The deploy pipeline has no automatic rollback on elevated errors.",
)
LUCKY = (
    "The incident happened outside the peak shopping window.",
    "An engineer who had worked on {dep} happened to be online.",
    "The bad config only reached {pct}% of hosts before the rollout paused.",
    "No payment data was lost because writes were idempotent.",
)
LESSONS = (
    "Alerts should describe user impact, not only resource usage.",
    "A change that cannot be rolled back quickly needs a canary.",
    "Ownership of shared dependencies must be written down somewhere people look.",
    "Retries without backoff turn a small outage into a large one.",
    "Staging that does not look like production gives false confidence.",
    "Status page updates work better with one named owner.",
    "Load tests need realistic payload sizes, not just request counts.",
    "The quickest mitigation was a flag, so every risky path should have one.",
)

# Sentences with blame-shaped wording; {who} is a person, the rest are systems or shouting.
BLAME = (
    "{who} should have checked the dashboard before merging.",
    "We should have caught this in staging.",
    "{who} failed to follow the runbook during the failover.",
    "The on-call engineer failed to escalate in time.",
    "The health check failed to detect the stale connections.",
    "The deploy job failed to roll back because the previous image was deleted.",
    "Root cause: human error during the manual failover.",
    "This was a careless mistake in the config file.",
    "Obviously the timeout was set too low.",
    "Why did you push this on a Friday afternoon?",
    "This must never happen again!!!",
    "{who} forgot to update the runbook after the migration.",
    "Someone should have noticed the alert earlier.",
    "The cron job failed to start after the node was replaced.",
    "{who} was careless with the production credentials.",
    "It was obviously a bad idea to skip the canary.",
)

# --------------------------------------------------------------------------- one incident


@dataclass
class Incident:
    """The facts of one made-up incident, drawn once and rendered in one of the styles."""

    rng: random.Random
    svc: str
    dep: str
    change: str
    symptom: str
    team: str
    region: str
    start: datetime
    mins: int
    pct: int
    sev: int
    people: list[str]
    key: str
    timeline: list[tuple[datetime, str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    well: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    lucky: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    whys: list[str] = field(default_factory=list)
    blame: list[str] = field(default_factory=list)

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            svc=self.svc,
            dep=self.dep,
            change=self.change,
            symptom=self.symptom,
            team=self.team,
            region=self.region,
            mins=self.mins,
            pct=self.pct,
            n=r.randint(2, 9),
            who=r.choice(self.people),
        )

    def who(self) -> str:
        name = self.rng.choice(self.people)
        return f"@{name.lower()}" if self.rng.random() < 0.3 else name

    def ticket(self) -> str:
        return f"{self.key}-{self.rng.randint(100, 9999)}"


_EVENTS = (
    ("{who} starts the {change} on {svc}.", 0),
    ("Rollout reaches {region}; first errors in the {svc} logs.", 2),
    ("Alert fires: {symptom} on {svc}.", 5),
    ("{who} acknowledges the page and opens #inc-{svc}.", 7),
    ("Customer reports of failures reach support.", 9),
    ("{who} declares a SEV{sev} and takes incident command.", 11),
    ("Dashboards show {dep} saturated; retries from {svc} suspected.", 14),
    ("Status page updated: investigating degraded {svc}.", 16),
    ("{who} pages the {team} team for {dep}.", 19),
    ("Hypothesis: the {change} raised the number of connections per pod.", 23),
    ("Decision to roll back the {change}.", 27),
    ("Rollback complete in {region}; error rate falling.", 33),
    ("Traffic shifted back to {region}.", 38),
    ("Error rate back to baseline.", 45),
    ("Status page: monitoring.", 50),
    ("Incident resolved; follow-up review scheduled.", 60),
)


def draw_incident(rng: random.Random, blamey: bool) -> Incident:
    start = datetime(2023, 1, 2, 0, 0) + timedelta(
        days=rng.randint(0, 700), minutes=rng.randint(0, 24 * 60 - 1)
    )
    inc = Incident(
        rng=rng,
        svc=rng.choice(SERVICES),
        dep=rng.choice(DEPENDENCIES),
        change=rng.choice(CHANGES),
        symptom=rng.choice(SYMPTOMS),
        team=rng.choice(TEAMS),
        region=rng.choice(REGIONS),
        start=start,
        mins=rng.choice((9, 14, 22, 31, 47, 58, 76, 112, 164)),
        pct=rng.choice((1, 3, 5, 8, 12, 20, 35, 60)),
        sev=rng.choice((1, 2, 2, 3, 3, 3)),
        people=rng.sample(NAMES, rng.randint(2, 5)),
        key=rng.choice(TICKET_KEYS),
    )
    # Timeline: a subsequence of the story, always with the first and the last event.
    n = min(len(_EVENTS), 3 + int(rng.expovariate(1 / 4)))
    picked = sorted({0, len(_EVENTS) - 1} | set(rng.sample(range(1, len(_EVENTS) - 1), n - 2)))
    scale = inc.mins / 60
    for i in picked:
        text, at = _EVENTS[i]
        who = inc.who()
        when = start + timedelta(minutes=round(at * scale + rng.random() * 2))
        inc.timeline.append(
            (
                when,
                text.format(
                    who=who,
                    change=inc.change,
                    svc=inc.svc,
                    region=inc.region,
                    symptom=inc.symptom,
                    sev=inc.sev,
                    dep=inc.dep,
                    team=inc.team,
                ),
                who,
            )
        )
    for guard in rng.sample(GUARDS, rng.randint(1, 6)):
        what = inc.fill(guard)
        inc.actions.append(
            {
                "action": what[0].upper() + what[1:],
                "owner": inc.who(),
                "priority": rng.choice(("P1", "P2", "P2", "P3")),
                "ticket": inc.ticket(),
                "due": (start + timedelta(days=rng.randint(7, 60))).strftime("%Y-%m-%d"),
                "type": rng.choice(("prevent", "mitigate", "detect", "process")),
                "status": rng.choice(("open", "open", "in progress", "done")),
            }
        )
    inc.well = [inc.fill(s) for s in rng.sample(WENT_WELL, rng.randint(1, 4))]
    inc.wrong = [inc.fill(s) for s in rng.sample(WENT_WRONG, rng.randint(1, 4))]
    inc.lucky = [inc.fill(s) for s in rng.sample(LUCKY, rng.randint(0, 2))]
    inc.lessons = [inc.fill(s) for s in rng.sample(LESSONS, rng.randint(1, 4))]
    inc.whys = [
        f"Why did {inc.svc} fail? Because calls to {inc.dep} timed out.",
        f"Why did they time out? Because the {inc.change} raised the load on {inc.dep}.",
        "Why was the load not caught? Because staging runs at a tenth of production traffic.",
        f"Why was it not rolled back sooner? Because the alert fired on {inc.symptom} "
        f"only after {inc.mins // 3 + 2} minutes.",
        "Why is there no automatic rollback? Because the pipeline predates the SLOs.",
    ][: rng.randint(3, 5)]
    if blamey:
        inc.blame = [inc.fill(s) for s in rng.sample(BLAME, rng.randint(1, 4))]
    return inc


# --------------------------------------------------------------------------- prose pieces


def summary(inc: Incident) -> list[str]:
    r = inc.rng
    s = [
        f"On {inc.start:%Y-%m-%d} at {inc.start:%H:%M} UTC a {inc.change} to {inc.svc} "
        f"caused {inc.symptom} for {inc.mins} minutes.",
        f"About {inc.pct}% of requests in {inc.region} failed or timed out.",
        f"{inc.svc} depends on {inc.dep}, which ran out of capacity once the change went out.",
        "We rolled the change back and traffic recovered without data loss.",
        f"The {inc.team} team owns the follow-up work below.",
    ]
    return s[: r.randint(2, 5)]


def impact(inc: Incident) -> list[str]:
    return [
        f"{inc.pct}% of requests to {inc.svc} failed for {inc.mins} minutes.",
        f"Roughly {inc.pct * 137} customers saw errors at checkout or login.",
        f"{inc.rng.randint(3, 60)} support tickets were opened.",
        "No data was lost; some jobs were delayed and retried later.",
    ][: inc.rng.randint(2, 4)]


def root_cause(inc: Incident) -> str:
    return (
        f"The {inc.change} increased the number of connections each {inc.svc} pod opens "
        f"to {inc.dep}. Under normal traffic this was fine, but at the daily peak the pool "
        f"limit on {inc.dep} was reached and new requests queued until they timed out. "
        f"Clients retried without backoff, which kept {inc.dep} saturated after the "
        "original burst had passed."
    )


def sprinkle(inc: Incident, parts: dict[str, list[str]]) -> None:
    """Put each blame sentence into one of the prose or bullet lists, at random."""
    keys = sorted(parts)
    for sentence in inc.blame:
        lst = parts[inc.rng.choice(keys)]
        lst.insert(inc.rng.randint(0, len(lst)), sentence)


# --------------------------------------------------------------------------- renderers


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: list[str], mark: str = "-") -> str:
    return "\n".join(f"{mark} {i}" for i in items)


def timeline_block(inc: Incident, extra: list[str]) -> str:
    r = inc.rng
    rows = [(t, text, who) for t, text, who in inc.timeline]
    style = r.randrange(6)
    for sentence in extra:  # blame sentences that landed in the timeline
        t, _, who = rows[r.randrange(len(rows))]
        rows.append((t, sentence, who))
    rows.sort(key=lambda x: x[0])
    if style == 0:
        return md_table(["Time (UTC)", "Event"], [[f"{t:%H:%M}", e] for t, e, _ in rows])
    if style == 1:
        return md_table(
            ["Time", "Who", "What happened"], [[f"{t:%Y-%m-%d %H:%M}", w, e] for t, e, w in rows]
        )
    if style == 2:
        return f"All times UTC, {inc.start:%Y-%m-%d}.\n\n" + bullets(
            [f"{t:%H:%M} — {e}" for t, e, _ in rows]
        )
    if style == 3:
        return bullets([f"**{t:%H:%M}** {e}" for t, e, _ in rows])
    if style == 4:
        return bullets([f"{t:%Y-%m-%d %H:%M} UTC: {e}" for t, e, _ in rows], "*")
    return md_table(
        ["Timestamp", "Event", "Source"],
        [
            [f"{t:%Y-%m-%dT%H:%MZ}", e, r.choice(("PagerDuty", "Slack", "Grafana", "deploy log"))]
            for t, e, _ in rows
        ],
    )


def actions_block(inc: Incident) -> str:
    r = inc.rng
    a = inc.actions
    style = r.randrange(5)
    if style == 0:
        return md_table(
            ["Action", "Owner", "Priority", "Ticket"],
            [[x["action"], x["owner"], x["priority"], x["ticket"]] for x in a],
        )
    if style == 1:
        return md_table(
            ["Action Item", "Type", "Owner", "Bug"],
            [[x["action"], x["type"], x["owner"], x["ticket"]] for x in a],
        )
    if style == 2:
        return bullets(
            [
                f"[{'x' if x['status'] == 'done' else ' '}] {x['action']} — {x['owner']} "
                f"({x['ticket']})"
                for x in a
            ]
        )
    if style == 3:
        return "\n".join(
            f"{i}. {x['action']} (owner: {x['owner']}, due {x['due']})" for i, x in enumerate(a, 1)
        )
    return md_table(
        ["#", "Action", "Owner", "Due date", "Status"],
        [[str(i), x["action"], x["owner"], x["due"], x["status"]] for i, x in enumerate(a, 1)],
    )


def title(inc: Incident) -> str:
    return inc.rng.choice(
        (
            f"{inc.svc} outage on {inc.start:%Y-%m-%d}",
            f"Elevated errors on {inc.svc}",
            f"{inc.symptom[0].upper() + inc.symptom[1:]} in {inc.svc} after {inc.change}",
            f"SEV{inc.sev}: {inc.svc} degraded in {inc.region}",
            f"{inc.dep} saturation took down {inc.svc}",
        )
    )


def style_sre(inc: Incident, parts: dict[str, list[str]]) -> str:
    """Google SRE book layout: bold labels on top, action items, lessons, timeline last."""
    authors = ", ".join(f"{p.lower()}@" for p in inc.people[:2])
    out = [
        f"# Postmortem: {title(inc)} ({inc.start:%Y-%m-%d})",
        f"**Date:** {inc.start:%Y-%m-%d}",
        f"**Authors:** {authors}",
        "**Status:** Complete, action items in progress",
        f"**Summary:** {' '.join(parts['summary'])}",
        f"**Impact:** {' '.join(parts['impact'])}",
        f"**Root Causes:** {root_cause(inc)}",
        f"**Trigger:** {inc.change} to {inc.svc}.",
        f"**Resolution:** Rolled back the {inc.change}; restarted {inc.svc} pods in {inc.region}.",
        f"**Detection:** Alert on {inc.symptom}.",
        "## Action Items",
        actions_block(inc),
        "## Lessons Learned",
        "### What went well",
        bullets(parts["well"]),
        "### What went wrong",
        bullets(parts["wrong"]),
    ]
    if inc.lucky:
        out += ["### Where we got lucky", bullets(inc.lucky)]
    out += ["## Timeline", timeline_block(inc, parts["timeline"])]
    return "\n\n".join(out) + "\n"


def style_pagerduty(inc: Incident, parts: dict[str, list[str]]) -> str:
    out = [
        f"# {title(inc)}",
        f"| | |\n|---|---|\n| Severity | SEV-{inc.sev} |\n| Incident commander | "
        f"{inc.people[0]} |\n| Scribe | {inc.people[-1]} |\n| Duration | {inc.mins} minutes |",
        "## Overview",
        " ".join(parts["summary"]),
        "## What Happened",
        f"A {inc.change} reached {inc.svc} in {inc.region}. " + " ".join(parts["impact"][:1]),
        "## Resolution",
        f"We rolled back the {inc.change} and drained traffic from {inc.region}.",
        "## Root Cause",
        root_cause(inc),
        "## Impact",
        bullets(parts["impact"]),
        "## Responders",
        bullets(inc.people),
        "## Timeline",
        timeline_block(inc, parts["timeline"]),
        "## How'd We Do?",
        "### What went well",
        bullets(parts["well"]),
        "### What didn't go so well",
        bullets(parts["wrong"]),
        "## Action Items",
        actions_block(inc),
    ]
    return "\n\n".join(out) + "\n"


def style_atlassian(inc: Incident, parts: dict[str, list[str]]) -> str:
    out = [
        f"# Incident postmortem: {title(inc)}",
        "## Incident summary",
        " ".join(parts["summary"]),
        "## Leadup",
        f"Earlier that day the {inc.team} team merged a {inc.change} for {inc.svc}.",
        "## Fault",
        f"{inc.svc} opened more connections to {inc.dep} than it could accept.",
        "## Impact",
        " ".join(parts["impact"]),
        "## Detection",
        f"An alert on {inc.symptom} paged the on-call engineer.",
        "## Response",
        f"{inc.people[0]} took command and paged {inc.team} for {inc.dep}.",
        "## Recovery",
        f"Rollback of the {inc.change}; error rates were at baseline after {inc.mins} minutes.",
        "## Timeline",
        timeline_block(inc, parts["timeline"]),
        "## Five whys",
        "\n".join(f"{i}. {w}" for i, w in enumerate(inc.whys, 1)),
        "## Blameless root cause",
        root_cause(inc),
        "## Lessons learned",
        bullets(parts["lessons"]),
        "## Corrective actions",
        actions_block(inc),
    ]
    return "\n\n".join(out) + "\n"


def style_handbook(inc: Incident, parts: dict[str, list[str]]) -> str:
    """GitLab-handbook-like page: metadata bullets, metrics table, RCA with five whys."""
    out = [
        f"# {title(inc)}",
        "## Summary",
        bullets(
            [
                f"Service(s) affected: {inc.svc}, {inc.dep}",
                f"Team attribution: {inc.team}",
                f"Time to detection: {inc.mins // 4 + 1} minutes",
                f"Minutes downtime: {inc.mins}",
            ]
        ),
        " ".join(parts["summary"]),
        "## Impact & Metrics",
        md_table(
            ["Question", "Answer"],
            [
                ["What was the impact", parts["impact"][0]],
                ["Who was impacted", f"Customers in {inc.region}"],
                ["How did this impact customers", "Requests failed or timed out"],
                ["How many attempts made to access", f"about {inc.pct * 1000}"],
            ],
        ),
        "## Detection & Response",
        bullets(
            [
                f"How was the incident detected? Alert on {inc.symptom}.",
                "Did alarming work as expected? Partly; it fired late.",
                f"How long did it take from the start to detection? {inc.mins // 4 + 1} minutes.",
            ]
        ),
        "## Timeline",
        timeline_block(inc, parts["timeline"]),
        "## Root Cause Analysis",
        "\n".join(f"{i}. {w}" for i, w in enumerate(inc.whys, 1)),
        "## What went well",
        bullets(parts["well"]),
        "## What can be improved",
        bullets(parts["wrong"]),
        "## Corrective actions",
        actions_block(inc),
    ]
    return "\n\n".join(out) + "\n"


def style_short(inc: Incident, parts: dict[str, list[str]]) -> str:
    """A short wiki note, sometimes with emoji headings."""
    emoji = inc.rng.random() < 0.5
    h = (lambda e, t: f"## {e} {t}") if emoji else (lambda e, t: f"### {t}")
    out = [
        f"# {inc.start:%Y-%m-%d} {inc.svc} incident",
        f"**TL;DR:** {parts['summary'][0]}",
        h("🔥", "What happened"),
        " ".join(parts["summary"][1:] or parts["summary"]),
        h("🔍", "Why"),
        root_cause(inc),
        h("📉", "Impact"),
        bullets(parts["impact"]),
        h("🕒", "Timeline"),
        timeline_block(inc, parts["timeline"]),
        h("✅", "Follow-ups"),
        actions_block(inc),
        h("💡", "Lessons"),
        bullets(parts["lessons"]),
    ]
    return "\n\n".join(out) + "\n"


def style_numbered(inc: Incident, parts: dict[str, list[str]]) -> str:
    """A company template with numbered headings, some with trailing colons."""
    colon = ":" if inc.rng.random() < 0.4 else ""
    out = [
        f"# Post-Incident Review — {title(inc)}",
        f"*Severity {inc.sev} · {inc.team} · {inc.start:%d %B %Y}*",
        f"## 1. Executive summary{colon}",
        " ".join(parts["summary"]),
        f"## 2. Customer impact{colon}",
        bullets(parts["impact"]),
        f"## 3. Timeline (UTC){colon}",
        timeline_block(inc, parts["timeline"]),
        f"## 4. Root cause{colon}",
        root_cause(inc),
        f"## 5. What went well{colon}",
        bullets(parts["well"]),
        f"## 6. What didn't go well{colon}",
        bullets(parts["wrong"]),
        f"## 7. Action items{colon}",
        actions_block(inc),
        f"## 8. Lessons learned{colon}",
        bullets(parts["lessons"]),
    ]
    return "\n\n".join(out) + "\n"


STYLES = {
    "sre": style_sre,
    "pagerduty": style_pagerduty,
    "atlassian": style_atlassian,
    "handbook": style_handbook,
    "short": style_short,
    "numbered": style_numbered,
}

# Lists that may be trimmed to fit, with the fewest items each may keep.
_FLOORS = {"timeline": 3, "actions": 1, "well": 1, "wrong": 1, "lessons": 1, "whys": 3, "lucky": 0}


def render(inc: Incident, style: str) -> str:
    """One document; the Random is re-seeded so re-rendering a trimmed incident is stable."""
    state = inc.rng.getstate()
    parts = {
        "summary": summary(inc),
        "impact": impact(inc),
        "well": list(inc.well),
        "wrong": list(inc.wrong),
        "lessons": list(inc.lessons),
        "timeline": [],
    }
    sprinkle(inc, parts)
    text = STYLES[style](inc, parts)
    inc.rng.setstate(state)
    return text


def foreign_doc(rng: random.Random, blamey: bool) -> tuple[str, str]:
    """A hand-written-style post-mortem of MIN_BYTES..MAX_BYTES; returns (style, text)."""
    rng = random.Random(rng.getrandbits(64))  # its own stream, so re-rendering is stable
    inc = draw_incident(rng, blamey)
    style = rng.choice(sorted(STYLES))
    text = render(inc, style)
    while len(text.encode()) > MAX_BYTES:
        lists = {k: getattr(inc, k) for k in _FLOORS}
        spare = {k: len(v) - _FLOORS[k] for k, v in lists.items() if len(v) > _FLOORS[k]}
        if not spare:
            break
        lists[max(spare, key=spare.__getitem__)].pop()
        text = render(inc, style)
    if len(text.encode()) < MIN_BYTES:  # pad with every lesson
        inc.lessons = [inc.fill(s) for s in LESSONS]
        text = render(inc, style)
    return style, text


def pack_doc(seed: int) -> str | None:
    """A hotwash pack from corpus.py trimmed to MAX_BYTES, or None if it cannot be."""
    try:
        return corpus.generate(1, seed, max_bytes=MAX_BYTES)[0]
    except ValueError:
        return None


def build(n: int, seed: int) -> list[tuple[str, str, bool]]:
    """``n`` (kind, text, blamey) triples: ~PACK_SHARE packs, the rest foreign styles."""
    rng = random.Random(seed)
    n_packs = round(n * PACK_SHARE)
    packs: list[str] = []
    attempt = 0
    tried = 0
    while len(packs) < n_packs and tried < n_packs * 20:
        text = pack_doc(seed * 1_000_003 + attempt)
        attempt += 1
        tried += 1
        if text is not None and len(text.encode()) >= MIN_BYTES:
            packs.append(text)
    docs: list[tuple[str, str, bool]] = []
    blame_set = corpus.BLAME_PHRASES
    for text in packs:
        low = text.lower()
        docs.append(("hotwash pack", text, any(p in low for p in blame_set)))
    build.pack_attempts = attempt  # type: ignore[attr-defined]
    # Blame-shaped wording in BLAME_SHARE of all files: the packs bring their own share
    # (corpus.py plants it; trimming drops some), the foreign files make up the rest.
    n_foreign = n - len(docs)
    want = max(0, min(n_foreign, round(n * BLAME_SHARE) - sum(b for _, _, b in docs)))
    blamey_at = set(rng.sample(range(n_foreign), want))
    for i in range(n_foreign):
        style, text = foreign_doc(rng, i in blamey_at)
        docs.append((style, text, i in blamey_at))
    rng.shuffle(docs)
    return docs


def write_corpus(folder: Path, docs: list[tuple[str, str, bool]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (kind, text, _) in enumerate(docs):
        path = folder / f"pm-{i:04d}-{kind.replace(' ', '-')}.md"
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- timing


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int


def run_once(cmd: list[str], stdout: int | io.IOBase = subprocess.DEVNULL) -> Run:
    """Wall time and peak RSS of one whole process tree.

    The peak comes from GNU time (``/usr/bin/time -f %M``), whose own footprint is tiny:
    reading ``os.wait4`` here instead would count the memory of this benchmark process,
    which the child shares between fork and exec (and this process holds the corpus).
    """
    timer = shutil.which("time") or "/usr/bin/time"
    t0 = time.perf_counter()
    proc = subprocess.Popen([timer, "-f", "%M", *cmd], stdout=stdout, stderr=subprocess.PIPE)
    _, err_bytes = proc.communicate()
    took = time.perf_counter() - t0
    err = err_bytes.decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    peak_kib = int(err.strip().splitlines()[-1])
    return Run(took, peak_kib / 1024, proc.returncode)


def find_script(name: str) -> str | None:
    here = os.path.dirname(sys.executable)  # this virtualenv's first: .venv or .venv-compiled
    return shutil.which(name, path=here) or shutil.which(name)


def ensure_proselint() -> str:
    script = find_script("proselint")
    if script is None:
        print("proselint missing: pip install proselint", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "proselint"], check=True)
        script = find_script("proselint")
    if script is None:
        raise SystemExit("proselint did not install a console script")
    return script


def compile_package() -> str:
    """Write hotwash's bytecode now, as pip does for an installed package (and did for
    proselint's). An editable install, or a shell with PYTHONDONTWRITEBYTECODE set, would
    otherwise compile changed modules from source in every timed run."""
    import compileall

    import hotwash

    folder = Path(hotwash.__file__).parent
    ok = compileall.compile_dir(folder, quiet=1)
    return f"compiled {folder} ({'ok' if ok else 'with errors'})"


def tool_version(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (out.stdout + out.stderr).strip().splitlines()[0] if (out.stdout + out.stderr) else "?"


# --------------------------------------------------------------------------- profile


def profile_gate(paths: list[Path]) -> None:
    from hotwash.core.gate import Gate

    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    gate = Gate(profile="standard")
    for path, text in texts[:50]:  # warm caches (rules, phrase matcher, synonyms)
        gate.check(text, path=path)
    t0 = time.perf_counter()
    for path, text in texts:
        gate.check(text, path=path)
    plain = time.perf_counter() - t0
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for path, text in texts:
        gate.check(text, path=path)
    prof.disable()
    profiled = time.perf_counter() - t0
    print(
        f"in-process Gate().check over {len(texts)} files: {plain:.2f} s plain, "
        f"{profiled:.2f} s under cProfile"
    )
    for key, top in (("cumulative", 15), ("tottime", 10)):
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        text = buf.getvalue()
        start = text.find("   ncalls")
        print(f"\n-- top {top} by {key} --")
        print(text[start:].rstrip())


# --------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", metavar="DIR", help="write the corpus here and keep it")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")

    hotwash = find_script("hotwash")
    if hotwash is None:
        print("no hotwash console script found: activate the virtualenv", file=sys.stderr)
        return 0
    proselint = ensure_proselint()
    compiled = compile_package()

    t0 = time.perf_counter()
    docs = build(args.n, args.seed)
    took = time.perf_counter() - t0
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hotwash-check-"))
    if args.keep and folder.exists():
        shutil.rmtree(folder)
    try:
        paths = write_corpus(folder, docs)
        sizes = sorted(len(t.encode()) for _, t, _ in docs)
        kinds: dict[str, int] = {}
        for k, _, _ in docs:
            kinds[k] = kinds.get(k, 0) + 1
        blamey = sum(b for _, _, b in docs)
        packs = kinds.get("hotwash pack", 0)
        print(
            f"corpus:     {len(docs)} files in {folder} ({sum(sizes) / 2**20:.1f} MiB), "
            f"built in {took:.1f} s, seed {args.seed}"
        )
        print(
            f"sizes:      min {sizes[0]:,}  p10 {sizes[len(sizes) // 10]:,}  "
            f"median {int(statistics.median(sizes)):,}  p90 {sizes[len(sizes) * 9 // 10]:,}  "
            f"max {sizes[-1]:,} bytes"
        )
        print("styles:     " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        print(
            f"packs:      {packs} of {build.pack_attempts} corpus.py packs "  # type: ignore[attr-defined]
            f"could be trimmed to {MAX_BYTES} bytes"
        )
        print(f"blame:      {blamey} files ({blamey / len(docs):.0%}) carry blame-shaped wording")
        assert sizes[0] >= MIN_BYTES and sizes[-1] <= MAX_BYTES, "sizes outside 1-4 KiB"

        commands = {
            "hotwash": [hotwash, "check", "--format", "json", "--profile", "standard", str(folder)],
            "proselint": [proselint, "check", str(folder)],
        }
        print(
            f"\nhotwash:    {' '.join(commands['hotwash'])}  "
            f"({tool_version([hotwash, '--version'])})"
        )
        print(f"bytecode:   {compiled}")
        print(
            f"proselint:  {' '.join(commands['proselint'])}  "
            f"({tool_version([proselint, 'version'])}; one process, it walks the folder)"
        )

        # Warm-up: one untimed run each, output kept to check every file was read.
        out_h = folder.parent / f"{folder.name}-hotwash.json"
        with open(out_h, "wb") as fh:
            run_once(commands["hotwash"], fh)
        report = json.loads(out_h.read_text(encoding="utf-8"))
        files = report["files"]
        native = sum(f["format"] == "hotwash" for f in files)
        failed = sum(not f["passed"] for f in files)
        lang = sum(any(x["rule"].startswith("HW-L") for x in f["findings"]) for f in files)
        print(
            f"warm-up:    hotwash read {len(files)} files ({native} as packs), "
            f"{failed} failed the gate, {lang} with language findings"
        )
        out_p = folder.parent / f"{folder.name}-proselint.json"
        with open(out_p, "wb") as fh:
            run_once([proselint, "check", "--output-format", "json", str(folder)], fh)
        result = json.loads(out_p.read_text(encoding="utf-8"))["result"]
        flagged = sum(bool(v.get("diagnostics")) for v in result.values())
        print(f"            proselint read {len(result)} files, {flagged} with diagnostics")
        out_h.unlink()
        out_p.unlink()

        names = list(commands)
        runs: dict[str, list[Run]] = {n: [] for n in names}
        for r in range(args.rounds):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                run = run_once(commands[name])
                runs[name].append(run)
                print(
                    f"round {r + 1}:    {name:<10} {run.seconds:7.2f} s  "
                    f"{run.rss_mb:6.1f} MiB  exit {run.code}",
                    flush=True,
                )

        print()
        print(f"{'tool':<10} {'best s':>8} {'median s':>9} {'peak RSS MiB':>13} {'files/s':>8}")
        for name in names:
            secs = [x.seconds for x in runs[name]]
            rss = max(x.rss_mb for x in runs[name])
            med = statistics.median(secs)
            print(f"{name:<10} {min(secs):>8.2f} {med:>9.2f} {rss:>13.1f} {len(paths) / med:>8.0f}")
        h_med = statistics.median(x.seconds for x in runs["hotwash"])
        p_med = statistics.median(x.seconds for x in runs["proselint"])
        h_best = min(x.seconds for x in runs["hotwash"])
        p_best = min(x.seconds for x in runs["proselint"])
        h_rss = max(x.rss_mb for x in runs["hotwash"])
        ratio = p_med / h_med
        print()
        print(
            f"proselint / hotwash: {ratio:.1f}x (median), {p_best / h_best:.1f}x (best)"
            f"   goal: >= {GOAL_RATIO:.0f}x  -> {'met' if ratio >= GOAL_RATIO else 'NOT met'}"
        )
        print(
            f"hotwash peak RSS:    {h_rss:.1f} MiB   goal: < {GOAL_RSS_MB:.0f} MB (read as MiB)"
            f"  -> {'met' if h_rss < GOAL_RSS_MB else 'NOT met'}"
        )
        met = ratio >= GOAL_RATIO and h_rss < GOAL_RSS_MB
        print(f"GOAL {'MET' if met else 'NOT MET'}")

        if not args.no_profile:
            print()
            profile_gate(paths)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
