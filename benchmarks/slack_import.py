"""The Slack export importer against orjson alone on the same day files.

Writes a Slack workspace export (deterministic seed) to a temporary folder: users.json,
channels.json and 20 channel folders of ``YYYY-MM-DD.json`` day files holding 1,000,000
messages over about two years. Messages are ops chatter with ``<@U..>`` mentions, links
with and without labels, channel references, ``<!here>``, ``&gt;`` quotes and code; a share
are bot alerts whose words sit in attachments (empty ``text``), thread replies, edited
messages, file shares, channel joins (which the importer drops) and, as in exports made
since 2019, ``blocks`` and ``user_profile`` on most human messages.

Then times, interleaved round by round (the order alternates every round), after one
untimed warm-up pass of each that also warms the page cache:

    raw:      for path in day files: orjson.loads(path.read_bytes())        (list made once)
    hotwash:  for _ in slack.read(open_archive(folder), ImportOptions()): pass

and reports best and median seconds, messages per second and the ratio hotwash/raw of the
medians. Peak memory of the import is measured in a fresh subprocess that imports hotwash,
consumes every event and reports its own ``ru_maxrss``. Last, optionally, a cProfile of one
importer pass.

Goals: hotwash / raw (medians) <= 3x; import peak RSS < 300 MB. A measurement, so it
always exits 0 and prints the verdict.

    python benchmarks/slack_import.py [--messages 1000000] [--rounds 3] [--seed 0]
                                      [--keep DIR] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

GOAL_RATIO = 3.0
GOAL_RSS_MB = 300.0
CHANNELS = (
    "incidents",
    "inc-checkout-latency",
    "inc-payments-outage",
    "inc-login-errors",
    "ops",
    "oncall",
    "alerts-prod",
    "alerts-staging",
    "deploys",
    "platform",
    "sre",
    "database",
    "networking",
    "security",
    "support-escalations",
    "status-page",
    "release-train",
    "k8s",
    "observability",
    "general",
)
ALERT_CHANNELS = {"alerts-prod", "alerts-staging", "deploys", "observability"}
LOGINS = (
    "ana",
    "bo",
    "chen",
    "dara",
    "eli",
    "fatima",
    "goran",
    "hana",
    "ivan",
    "jun",
    "kofi",
    "lena",
    "mo",
    "noor",
    "priya",
    "sam",
    "tomas",
    "uma",
    "viktor",
    "wen",
    "yusuf",
    "zoe",
)
SERVICES = (
    "checkout-api",
    "payments",
    "auth",
    "search",
    "billing-worker",
    "orders-db",
    "session-store",
    "kafka",
    "api-gateway",
    "ledger",
)
SAYINGS = (
    "{u} can you take a look at {svc}? error rate is climbing",
    "looking now",
    "rolling back {svc} to the previous build",
    "dashboard: <https://grafana.example.com/d/{n}/{svc}|{svc} overview>",
    "p99 on {svc} is back under 300ms",
    "{here} {svc} is degraded, incident channel is {ch}",
    "&gt; connection pool exhausted\nthat matches what we saw last week",
    "runbook says to fail over, see <https://wiki.example.com/runbooks/{svc}>",
    "ack, paging {u}",
    "can someone from {ch} confirm the deploy finished?",
    "the migration is at 64%, ETA 20 minutes",
    "```kubectl -n {svc} rollout undo deploy/{svc}```",
    "status page updated",
    "I think the retries are amplifying it &amp; the queue keeps growing",
    "thanks {u}, that fixed it",
    "opened <https://tracker.example.com/browse/OPS-{n}|OPS-{n}> for the follow-up",
    "CPU is flat, memory is climbing on two pods",
    "who owns {svc} this week?",
    "restarting the consumers one at a time",
    "lag is down to {n} messages",
)
ALERTS = (
    ("[FIRING:1] HighErrorRate {svc}", "error ratio above 5% for 5 minutes"),
    ("[RESOLVED] HighErrorRate {svc}", "error ratio back under 1%"),
    ("Deploy {svc} #{n} succeeded", "build {n} rolled out to production"),
    ("[FIRING:2] PodCrashLooping {svc}", "2 pods restarting in namespace {svc}"),
    ("Synthetic check failed: {svc}", "3 of 5 regions report timeouts"),
)


def _uid(i: int) -> str:
    return f"U{1000 + i:07d}"


def _cid(i: int) -> str:
    return f"C{5000 + i:07d}"


class Writer:
    """Builds one channel's messages in time order and writes one file per day."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.files = 0
        self.bytes = 0
        self.kinds: dict[str, int] = {}

    def text(self) -> str:
        r = self.rng
        return r.choice(SAYINGS).format(
            u=f"<@{_uid(r.randrange(len(LOGINS)))}>",
            svc=r.choice(SERVICES),
            n=r.randint(10, 9999),
            here=r.choice(("<!here>", "<!channel>", "<!subteam^S0123ABC|@sre-oncall>")),
            ch=f"<#{_cid(r.randrange(len(CHANNELS)))}|{r.choice(CHANNELS)}>",
        )

    def human(self, ts: str, user: int, text: str, modern: bool) -> dict[str, object]:
        m: dict[str, object] = {"type": "message", "text": text, "user": _uid(user), "ts": ts}
        if modern:
            r = self.rng
            m["client_msg_id"] = f"{r.getrandbits(128):032x}"
            m["team"] = "T0000HOTW"
            m["user_team"] = "T0000HOTW"
            m["source_team"] = "T0000HOTW"
            m["user_profile"] = {
                "avatar_hash": f"{r.getrandbits(48):012x}",
                "image_72": f"https://avatars.example.com/{user}_72.png",
                "first_name": LOGINS[user].title(),
                "real_name": f"{LOGINS[user].title()} Example",
                "display_name": LOGINS[user],
                "team": "T0000HOTW",
                "name": LOGINS[user],
                "is_restricted": False,
                "is_ultra_restricted": False,
            }
            m["blocks"] = [
                {
                    "type": "rich_text",
                    "block_id": f"{r.getrandbits(20):05x}",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "text", "text": text}],
                        }
                    ],
                }
            ]
        return m

    def message(self, ts: str, channel: str, last_parent: list[str]) -> dict[str, object]:
        r = self.rng
        roll = r.random()
        alerts = channel in ALERT_CHANNELS
        if roll < (0.55 if alerts else 0.08):
            title, body = r.choice(ALERTS)
            svc, n = r.choice(SERVICES), r.randint(100, 9999)
            self.kinds["bot alert"] = self.kinds.get("bot alert", 0) + 1
            return {
                "type": "message",
                "subtype": "bot_message",
                "text": "",
                "username": "alertmanager" if "FIRING" in title else "deploy-bot",
                "bot_id": "B0ALERTS1",
                "ts": ts,
                "attachments": [
                    {
                        "fallback": title.format(svc=svc, n=n),
                        "title": title.format(svc=svc, n=n),
                        "title_link": f"https://alerts.example.com/#/alerts?receiver={svc}",
                        "text": body.format(svc=svc, n=n),
                        "color": "d63232",
                        "mrkdwn_in": ["text"],
                        "id": 1,
                    }
                ],
            }
        user = r.randrange(len(LOGINS))
        if roll > 0.995:
            self.kinds["join"] = self.kinds.get("join", 0) + 1
            return {
                "type": "message",
                "subtype": "channel_join",
                "user": _uid(user),
                "text": f"<@{_uid(user)}> has joined the channel",
                "ts": ts,
            }
        m = self.human(ts, user, self.text(), modern=r.random() < 0.7)
        if last_parent and r.random() < 0.15:
            m["thread_ts"] = last_parent[0]
            m["parent_user_id"] = _uid(0)
            self.kinds["thread reply"] = self.kinds.get("thread reply", 0) + 1
        else:
            if r.random() < 0.1:
                last_parent[:] = [ts]
                m["thread_ts"] = ts
                m["reply_count"] = 2
                m["reply_users_count"] = 2
                m["latest_reply"] = ts
            self.kinds["human"] = self.kinds.get("human", 0) + 1
        if r.random() < 0.04:
            m["edited"] = {"user": m["user"], "ts": ts}
        if r.random() < 0.01:
            m["files"] = [{"id": "F01", "name": "heap.txt", "title": "heap dump excerpt"}]
        if r.random() < 0.05:
            m["reactions"] = [{"name": "eyes", "users": [_uid(1)], "count": 1}]
        return m

    def channel(self, name: str, count: int, start: datetime, span_s: float) -> None:
        r = self.rng
        folder = self.folder / name
        folder.mkdir()
        gap = span_s / max(count, 1)
        t = start.timestamp() + r.random() * gap
        day: list[dict[str, object]] = []
        day_name = ""
        parent: list[str] = []
        for _ in range(count):
            # bursts: incidents pack many messages into a few minutes
            t += r.expovariate(1 / gap) * (0.05 if r.random() < 0.3 else 1.4)
            ts = f"{t:.6f}"
            this_day = datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d")
            if this_day != day_name:
                self.flush(folder, day_name, day)
                day, day_name, parent = [], this_day, []
            day.append(self.message(ts, name, parent))
        self.flush(folder, day_name, day)

    def flush(self, folder: Path, day_name: str, day: list[dict[str, object]]) -> None:
        if day:
            data = orjson.dumps(day, option=orjson.OPT_INDENT_2)
            (folder / f"{day_name}.json").write_bytes(data)
            self.files += 1
            self.bytes += len(data)


def generate(folder: Path, messages: int, seed: int) -> Writer:
    rng = random.Random(seed)
    users = [
        {
            "id": _uid(i),
            "team_id": "T0000HOTW",
            "name": login,
            "deleted": False,
            "real_name": f"{login.title()} Example",
            "tz": "Europe/Berlin",
            "profile": {"display_name": login, "real_name": f"{login.title()} Example"},
            "is_bot": False,
        }
        for i, login in enumerate(LOGINS)
    ]
    (folder / "users.json").write_bytes(orjson.dumps(users, option=orjson.OPT_INDENT_2))
    channels = [
        {"id": _cid(i), "name": name, "created": 1672531200, "members": [u["id"] for u in users]}
        for i, name in enumerate(CHANNELS)
    ]
    (folder / "channels.json").write_bytes(orjson.dumps(channels, option=orjson.OPT_INDENT_2))
    weights = [rng.uniform(0.3, 2.0) for _ in CHANNELS]
    total = sum(weights)
    counts = [int(messages * w / total) for w in weights]
    counts[0] += messages - sum(counts)
    writer = Writer(folder, rng)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = timedelta(days=700).total_seconds()
    for name, count in zip(CHANNELS, counts, strict=True):
        writer.channel(name, count, start, span)
    return writer


IMPORT_SCRIPT = """
import resource, sys, time
from pathlib import Path
from hotwash.archives import open_archive
from hotwash.core.evidence import ImportOptions
from hotwash.core.importers import slack
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
n = 0
for _ in slack.read(open_archive(Path(sys.argv[1])), ImportOptions()):
    n += 1
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, base, peak, took)
"""


def raw_pass(paths: list[Path]) -> int:
    n = 0
    loads = orjson.loads
    for path in paths:
        n += len(loads(path.read_bytes()))
    return n


def hotwash_pass(folder: Path) -> int:
    from hotwash.archives import open_archive
    from hotwash.core.evidence import ImportOptions
    from hotwash.core.importers import slack

    n = 0
    for _ in slack.read(open_archive(folder), ImportOptions()):
        n += 1
    return n


def anonymized_pass(folder: Path) -> int:
    """What `hotwash timeline import` does before merging: import, then anonymize each event
    (no roster; everyone in users.json gets a pseudonym; contact details and secrets are
    redacted)."""
    from hotwash.archives import open_archive
    from hotwash.core.anonymize import Anonymizer
    from hotwash.core.evidence import ImportOptions
    from hotwash.core.importers import slack

    archive = open_archive(folder)
    anonymizer = Anonymizer(directory=slack.people(archive))
    n = 0
    for _ in anonymizer.stream(slack.read(archive, ImportOptions())):
        n += 1
    return n


def timed(fn: object, *args: object) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of this process) of one pass."""
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - t, time.process_time() - c


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--keep",
        metavar="DIR",
        help="write the export here and keep it; a later run with the same --messages and "
        "--seed reuses it",
    )
    ap.add_argument("--profile", action="store_true", help="cProfile one importer pass")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hotwash-slack-"))
    stamp = folder.parent / f"{folder.name}.json"  # what a kept export holds, beside it
    wanted = {"messages": args.messages, "seed": args.seed, "version": 1}
    try:
        t0 = time.perf_counter()
        kept = orjson.loads(stamp.read_bytes()) if args.keep and stamp.exists() else {}
        if kept.get("args") == wanted and folder.is_dir():
            writer = Writer(folder, random.Random(0))
            writer.files, writer.bytes, writer.kinds = kept["files"], kept["bytes"], kept["kinds"]
            print(f"reusing:    the export kept in {folder}")
        else:
            if folder.exists() and args.keep:
                shutil.rmtree(folder)
            folder.mkdir(parents=True, exist_ok=True)
            writer = generate(folder, args.messages, args.seed)
            if args.keep:
                info = {"args": wanted, "files": writer.files, "bytes": writer.bytes}
                stamp.write_bytes(orjson.dumps({**info, "kinds": writer.kinds}))
        took = time.perf_counter() - t0
        paths = sorted(folder.glob("*/*.json"))
        print(
            f"export:     {args.messages:,} messages in {writer.files:,} day files, "
            f"{len(CHANNELS)} channels, {writer.bytes / 2**20:.0f} MiB "
            f"({writer.bytes / max(args.messages, 1):.0f} bytes/message), "
            f"built in {took:.1f} s, seed {args.seed}, in {folder}"
        )
        print("kinds:      " + ", ".join(f"{k} {v:,}" for k, v in sorted(writer.kinds.items())))

        # Warm-up: one untimed pass of each; also checks both saw the messages.
        seen = raw_pass(paths)
        events = hotwash_pass(folder)
        dropped = writer.kinds.get("join", 0)
        print(f"warm-up:    raw read {seen:,} messages; hotwash yielded {events:,} events")
        assert seen == args.messages, "raw pass did not see every message"
        assert events == args.messages - dropped, "hotwash dropped more than the joins"

        runs: dict[str, list[tuple[float, float]]] = {"raw": [], "hotwash": []}
        for r in range(args.rounds):
            order = ["raw", "hotwash"] if r % 2 == 0 else ["hotwash", "raw"]
            for name in order:
                if name == "raw":
                    secs, cpu = timed(raw_pass, paths)
                else:
                    secs, cpu = timed(hotwash_pass, folder)
                runs[name].append((secs, cpu))
                print(f"round {r + 1}:    {name:<8} {secs:7.2f} s  (CPU {cpu:.2f} s)", flush=True)

        print()
        print(f"{'pass':<8} {'best s':>8} {'median s':>9} {'median CPU s':>13} {'messages/s':>12}")
        med: dict[str, float] = {}
        cpu_med: dict[str, float] = {}
        for name, pairs in runs.items():
            med[name] = statistics.median(p[0] for p in pairs)
            cpu_med[name] = statistics.median(p[1] for p in pairs)
            print(
                f"{name:<8} {min(p[0] for p in pairs):>8.2f} {med[name]:>9.2f} "
                f"{cpu_med[name]:>13.2f} {args.messages / med[name]:>12,.0f}"
            )
        ratio = med["hotwash"] / med["raw"]
        best = min(p[0] for p in runs["hotwash"]) / min(p[0] for p in runs["raw"])
        cpu_ratio = cpu_med["hotwash"] / cpu_med["raw"]

        out = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(folder)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        n, base_kib, peak_kib, alone = int(out[0]), int(out[1]), int(out[2]), float(out[3])
        peak_mb = peak_kib / 1024
        print()
        print(
            f"hotwash / raw:   {ratio:.2f}x (median), {best:.2f}x (best), {cpu_ratio:.2f}x (CPU)"
            f"   goal: <= {GOAL_RATIO:.0f}x  -> {'met' if ratio <= GOAL_RATIO else 'NOT met'}"
            f" (median wall), {'met' if cpu_ratio <= GOAL_RATIO else 'NOT met'} (median CPU)"
        )
        print(
            f"import peak RSS: {peak_mb:.1f} MiB in a fresh process ({base_kib / 1024:.1f} MiB "
            f"after imports; {n:,} events in {alone:.2f} s)   goal: < {GOAL_RSS_MB:.0f} MB "
            f"(read as MiB)  -> {'met' if peak_mb < GOAL_RSS_MB else 'NOT met'}"
        )
        met = ratio <= GOAL_RATIO and peak_mb < GOAL_RSS_MB
        print(f"GOAL {'MET' if met else 'NOT MET'}")
        secs, cpu = timed(anonymized_pass, folder)
        print(
            f"for information, import + anonymization (one pass): {secs:.2f} s (CPU {cpu:.2f} s), "
            f"{secs / med['raw']:.2f}x raw, {(secs - med['hotwash']) / args.messages * 1e6:.1f} "
            "µs per message for the anonymizer"
        )

        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            hotwash_pass(folder)
            prof.disable()
            buf = io.StringIO()
            stats = pstats.Stats(prof, stream=buf)
            stats.sort_stats("cumulative").print_stats(15)
            stats.sort_stats("tottime").print_stats(10)
            print(buf.getvalue())
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
