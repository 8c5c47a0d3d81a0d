"""Publishing: the shareout, the customer version, and the leak suite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given

from hotwash.core.model import Review
from hotwash.core.parse import parse_pack
from hotwash.core.publish import LeakError, Roster, customer, publish, shareout, top_actions
from hotwash.core.render import render_pack

from .conftest import EXAMPLES
from .strategies import reviews
from .test_cli import hotwash

EXAMPLE = EXAMPLES / "payments-api-outage.md"
ROSTER = Roster(
    people={"Dana Whitfield": "@dwhit", "Ravi Kohli": "@rkohli"},
    teams=("Payments Core", "Team Falcon"),
)


def example() -> Review:
    return parse_pack(EXAMPLE.read_text())


def test_shareout_fits_on_one_page_with_three_bullets_and_top_actions() -> None:
    review = example()
    text = shareout(review, score="12/12")
    tldr = text.split("## TL;DR", 1)[1].split("##", 1)[0]
    assert len(re.findall(r"^- ", tldr, re.M)) == 3
    rows = [
        ln
        for ln in text.split("## Top actions", 1)[1].split("##", 1)[0].splitlines()
        if ln.startswith("| ") and not ln.startswith(("| Action", "| ---"))
    ]
    assert len(rows) == 3
    assert [a.id for a in top_actions(review)] == ["A1", "A2", "A4"] or rows[0].count("P0")
    assert review.location and review.location in text
    assert len(text.splitlines()) <= 60


def test_shareout_falls_back_to_the_summary() -> None:
    review = example()
    review.shareout.clear()
    text = shareout(review)
    assert "- On 2026-03-10 from 14:04 to 14:49 UTC" in text


def test_internal_is_the_pack() -> None:
    review = example()
    assert publish(review, "internal") == render_pack(review)


def planted() -> Review:
    """A review with every kind of internal detail planted in the parts customers see."""
    review = example()
    review.title = "Payments outage on db-01.payments.internal"
    review.customer_summary = (
        "Dana Whitfield from Payments Core saw errors at 10.2.3.4 and told @rkohli, "
        "dana@corp.example.com, via https://grafana.internal.example.com/d/1. "
        "The Team Falcon on-call opened PAY-2141 and rotated token=ghp_" + "a" * 36 + ". "
        "The payments team restarted api-7 on payments.svc.cluster.local.\n\n"
        "2026-03-10T14:05:01Z ERROR pool exhausted: timeout after 30000ms\n\n"
        "Customers saw declined payments for 45 minutes. payments-deploy and "
        "postgres-payments were involved."
    )
    review.actions[3].status = type(review.actions[3].status)("done")
    review.actions[3].text = "Alert @tsai and ops-team@corp.example.com on 5xx > 20% (OPS-77)"
    return review


PLANTED = [
    "Dana",
    "Whitfield",
    "Payments Core",
    "Team Falcon",
    "@rkohli",
    "@tsai",
    "dana@",
    "ops-team@",
    "10.2.3.4",
    "grafana.internal",
    "PAY-2141",
    "OPS-77",
    "ghp_",
    "db-01",
    "payments.svc",
    "ERROR pool",
    "pool exhausted",
    "api-7",
    "payments team",
    "https://",
]


def test_customer_version_carries_none_of_the_planted_details() -> None:
    text = customer(planted(), ROSTER)
    for secret in PLANTED:
        assert secret.lower() not in text.lower(), secret
    assert "Customers saw declined payments for 45 minutes." in text
    assert "We are sorry." in text
    assert "From 14:04 to 14:49 UTC on 10 March 2026 (45 minutes)." in text


def test_customer_version_prefers_the_customer_summary() -> None:
    review = example()
    assert review.customer_summary
    assert review.customer_summary.split(".")[0] in customer(review, Roster())
    assert "values file" not in customer(review, Roster())  # internal detail of the summary
    review.customer_summary = None
    assert "values file" in customer(review, Roster())


def test_customer_version_leaves_out_hypotheses_owners_and_open_weaknesses() -> None:
    review = example()
    text = customer(review, Roster())
    for h in review.hypotheses:
        assert h.text not in text
    for a in review.actions:
        if a.status.value == "open":
            assert a.text not in text
    assert "further change(s)" in text


def test_a_leak_the_redaction_cannot_remove_stops_the_export() -> None:
    review = example()
    review.customer_summary = "Whitfield noticed the errors first. Customers saw declines."
    with pytest.raises(LeakError) as info:
        customer(review, ROSTER)
    assert "person's name 'Whitfield'" in str(info.value)
    assert info.value.leaks[0].line >= 1


def test_publish_cli_writes_atomically_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "customer.md"
    ok = hotwash("publish", str(EXAMPLE), "-a", "customer", "-o", str(out))
    assert ok.returncode == 0, ok.stderr
    assert out.read_text().startswith("# Payments API outage")
    pack = tmp_path / "p.md"
    pack.write_text(
        EXAMPLE.read_text().replace(
            "rejected 45% of payment attempts", "rejected 45% of attempts per @kim"
        )
    )
    roster = tmp_path / "roster.yaml"
    roster.write_text("people:\n  Kim Lee: '@kim'\nteams: [Payments Core]\n")
    bad_out = tmp_path / "bad.md"
    shareout_ok = hotwash("publish", str(pack), "-a", "shareout")
    assert shareout_ok.returncode == 0 and "## TL;DR" in shareout_ok.stdout
    redacted = hotwash(
        "publish", str(pack), "-a", "customer", "--roster", str(roster), "-o", str(bad_out)
    )
    assert redacted.returncode == 0, redacted.stderr
    assert "@kim" not in bad_out.read_text()


def test_publish_cli_reports_a_leak_with_exit_2(tmp_path: Path) -> None:
    pack = tmp_path / "p.md"
    text = EXAMPLE.read_text()
    start = text.index("### Customer summary\n\n") + len("### Customer summary\n\n")
    pack.write_text(text[:start] + "Kohli restarted the pool. " + text[start:])
    roster = tmp_path / "roster.yaml"
    roster.write_text("people:\n  Ravi Kohli: '@rkohli'\n")
    out = tmp_path / "c.md"
    result = hotwash(
        "publish", str(pack), "-a", "customer", "--roster", str(roster), "-o", str(out)
    )
    assert result.returncode == 2
    assert "person's name 'Kohli'" in result.stderr
    assert not out.exists()


def test_publish_a_foreign_document(tmp_path: Path) -> None:
    from .test_foreign import GOOGLE_STYLE

    doc = tmp_path / "old.md"
    doc.write_text(GOOGLE_STYLE)
    result = hotwash("publish", str(doc), "-a", "shareout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Shakespeare Sonnet++ Postmortem")
    customer_out = hotwash("publish", str(doc), "-a", "customer")
    assert customer_out.returncode == 0, customer_out.stderr
    assert "@jennifer" not in customer_out.stdout


@given(reviews())
def test_every_review_publishes_or_names_its_leak(review: Review) -> None:
    for audience in ("shareout", "customer"):
        try:
            text = publish(review, audience, roster=ROSTER)
        except LeakError as exc:
            assert exc.leaks
        else:
            assert text.startswith("# ")


def test_a_long_form_roster_hides_ids_and_logins_and_lets_roles_through() -> None:
    from hotwash.core.publish import find_leaks, redact

    roster = Roster.from_data(
        {
            "people": {
                "@sam": {"names": ["Sam Rivera"], "logins": ["srivera"], "ids": ["U024BE7LH"]},
                "incident commander": {"names": ["Ama Owusu"]},
            }
        }
    )
    review = example()
    text = "Thanks to srivera (U024BE7LH); the incident commander posted updates."
    kinds = {leak.kind for leak in find_leaks(text, roster, review)}
    assert kinds == {"person's id or login"}, "a role is not a leak; ids and logins are"
    cleaned = redact(text, roster, review)
    assert "srivera" not in cleaned and "U024BE7LH" not in cleaned
    assert find_leaks(cleaned, roster, review) == []
