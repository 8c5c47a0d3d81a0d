"""The texts behind ``hotwash guide``: each topic as Markdown, built from the data files."""

from __future__ import annotations

from . import reference
from .errors import UsageError

GENERATED = {
    "workflow": "The seven steps of a review, from intake to a finished pack.",
    "questions": "The intake question bank, by kind and priority.",
    "checklists": "Checklists for before, during, the document and follow-through.",
    "rubric": "The quality rubric: six dimensions scored 0-2, and what the total means.",
    "rules": "Every rule of `hotwash check`: what it looks for, and how to fix a finding.",
    "moments": "Key moments in imported evidence, the rules that spot them, and the durations.",
}


def topic_list() -> list[tuple[str, str]]:
    """(topic id, one-line summary) for every topic, written ones first."""
    written = [(k, t.summary) for k, t in reference.topics().items()]
    return written + list(GENERATED.items())


def topic_markdown(name: str) -> str:
    topics = reference.topics()
    if name in topics:
        t = topics[name]
        return f"# {t.title}\n\n{t.body.strip()}\n"
    if name == "workflow":
        return _workflow()
    if name == "questions":
        return _questions()
    if name == "checklists":
        return _checklists()
    if name == "rubric":
        return _rubric()
    if name == "rules":
        return rules_markdown()
    if name == "moments":
        return _moments()
    known = ", ".join(k for k, _ in topic_list())
    raise UsageError(f"no guide topic '{name}' (topics: {known})")


def index_markdown() -> str:
    rows = "\n".join(f"| `{k}` | {s} |" for k, s in topic_list())
    return (
        "# hotwash guide\n\nRun `hotwash guide TOPIC` for one of these:\n\n"
        f"| Topic | What it covers |\n| --- | --- |\n{rows}\n"
    )


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def _workflow() -> str:
    parts = ["# The seven steps\n"]
    for s in reference.workflow():
        parts.append(
            f"## {s.number}. {s.title}\n\n{s.goal.strip()}\n\n"
            f"**Inputs**\n\n{_bullets(s.inputs)}\n\n**Do**\n\n{_bullets(s.actions)}\n\n"
            f"**Produces**\n\n{_bullets(s.outputs)}\n\n**Done when**\n\n{_bullets(s.checks)}\n"
        )
    return "\n".join(parts)


def _questions() -> str:
    parts = ["# Intake questions\n", "Asked at most five at a time, most important first.\n"]
    for kind in ("incident", "project", "okr", "premortem", "retro"):
        qs = sorted(
            (q for q in reference.questions() if kind in q.kinds),
            key=lambda q: (q.priority, q.step, q.id),
        )
        parts.append(f"## {kind}\n")
        parts.append(
            "\n".join(
                f"{i}. {q.text} *(step {q.step}; {q.why.strip()})*" for i, q in enumerate(qs, 1)
            )
            + "\n"
        )
    return "\n".join(parts)


def _checklists() -> str:
    parts = ["# Checklists\n"]
    for c in reference.checklists().values():
        items = "\n".join(f"- [ ] {i.text.strip()}" for i in c.items)
        parts.append(f"## {c.title}\n\n*{c.when.strip()}*\n\n{items}\n")
    return "\n".join(parts)


def _rubric() -> str:
    r = reference.rubric()
    parts = ["# Rubric\n"]
    for d in r.dimensions:
        levels = "\n".join(f"- **{n}**: {t.strip()}" for n, t in sorted(d.levels.items()))
        parts.append(f"## {d.title}\n\n{d.question.strip()}\n\n{levels}\n")
    bands = "\n".join(f"- **{b.min}-{b.max}: {b.label}**. {b.meaning.strip()}" for b in r.bands)
    parts.append(f"## What the total means\n\n{bands}\n")
    return "\n".join(parts)


def rules_markdown() -> str:
    """The rule reference (also committed as docs/rules.md, kept equal by a test)."""
    from .checks import PROFILE_TIERS, load_rules
    from .language import load_linter

    profiles = {
        tier: [p for p, tiers in PROFILE_TIERS.items() if tier in tiers]
        for tier in ("core", "standard", "strict")
    }
    parts = [
        "# Rules of `hotwash check`\n",
        "Each finding names its rule. Checklist rules read the review's structure; "
        "language rules read its prose. A finding costs its rubric dimension the weight "
        "shown (each dimension starts at 2). Profiles choose the rules: "
        + "; ".join(f"**{t}** rules run in {', '.join(ps)}" for t, ps in profiles.items())
        + ". In lenient, checklist errors count as warnings, except HW150 (no actions); "
        "language errors stay errors, so old documents fail first on blame.\n",
        "## Checklist rules\n",
        "| ID | Name | Severity | Weight | Dimension | Checklist item | Kinds | Profiles |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rules = sorted(load_rules().values(), key=lambda r: r.id)
    for r in rules:
        parts.append(
            f"| {r.id} | {r.name} | {r.severity} | {r.weight} | {r.dimension or '-'} | "
            f"{r.checklist or '-'} | {', '.join(r.kinds) or 'all'} | "
            f"{', '.join(profiles[r.tier])} |"
        )
    parts.append("")
    for r in rules:
        message = r.message.replace("{", "*").replace("}", "*")
        parts.append(f"### {r.id} {r.name}\n\nFinds: {message}\n\nFix: {r.hint}\n")
    parts.append("## Language rules\n")
    parts.append(
        "All phrases are matched as whole words in prose; code, quotes, block quotes and "
        "HTML comments are skipped. Suppress one hit with "
        "`<!-- hotwash: allow NAME because REASON -->` on its line or the line before; "
        "a suppression without a reason does not apply (HW003).\n"
    )
    for g in load_linter().groups:
        when = (
            " Only when a person, a pronoun, a role or a @handle is the subject."
            if g.person_subject
            else ""
        )
        sample = ", ".join(f"`{p}`" for p in g.phrases[:8])
        parts.append(
            f"### {g.id} {g.name} ({g.severity})\n\n{g.title}: {len(g.phrases)} phrases, "
            f"such as {sample}.{when}\n\nFix: {g.suggestion}\n"
        )
    return "\n".join(parts)


def _moments() -> str:
    """The key-moment rules and metric definitions, with the override file's shape."""
    from .moments import default_rules, metrics

    parts = [
        "# Key moments and durations\n",
        "`hotwash timeline import` marks each imported event with at most one key moment. "
        "A source that states the moment (a PagerDuty acknowledgement) wins; otherwise the "
        "moments below are tried in order, and the first with a phrase in the event's text "
        "(whole words, any case) and no veto phrase is taken. To change them, write a YAML "
        "file with a `moments:` mapping of the same shape as below (`means`, `phrases`, "
        "`unless`) and pass it with `--moments FILE`; the moments it names replace these.\n",
    ]
    for rule in default_rules().values():
        parts.append(f"## {rule.moment}\n\n{rule.means}\n")
        parts.append("Phrases: " + ", ".join(f"`{p}`" for p in rule.phrases) + "\n")
        if rule.unless:
            parts.append("Unless: " + ", ".join(f"`{p}`" for p in rule.unless) + "\n")
    parts.append("## Durations\n")
    for m in metrics():
        parts.append(f"- **{m.name}** ({m.start} to {m.end}): {m.definition}")
    return "\n".join(parts) + "\n"
