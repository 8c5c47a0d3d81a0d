"""Patterns for what must not travel: e-mail addresses, IP addresses, phone numbers, secrets.

One set, shared by the customer version (``publish``: redaction and the leak check) and by
the anonymization of imported evidence (``anonymize``). The patterns find candidates; the
anonymizer adds the checks a bare pattern cannot make (an IPv4 octet is at most 255, a phone
number has 8 to 15 digits, a random-looking token has high entropy). Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9][\w.-]*[\w]")

IPV4 = re.compile(r"\d(?<!\w\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?:/\d{1,2})?\b")
"""Four dotted numbers. (Each pattern here starts with the character it needs and checks what
comes before it afterwards, which lets the regex engine skip ahead to candidates.)"""
IPV6 = re.compile(
    r"(?<![\w:])(?=[0-9a-f:]*\d)"
    r"(?:(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}"  # written out (at least four groups)
    r"|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)"
    r"(?![\w:]|\.\d)",  # compressed with '::' (fe80::1, ::1, 2001:db8::7)
    re.I,
)
"""IPv6 candidates; a time such as 14:22:05 has too few groups and no '::'."""

PHONE = re.compile(
    r"\+(?<![\w+]\+)\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,6}(?![\w:/]|[.-]\d)"
    r"|(?:\((?<![\w.+/:#-]\()\d{3}\)[ .-]?\d{3}[ .-]\d{4}"  # (555) 123-4567
    r"|\d(?<![\w.+/:#-]\d)"
    r"(?:\d{2}[.-]\d{3}[.-]\d{4}"  # 555-123-4567, 555.123.4567
    r"|(?<=0)\d{1,4}(?:[ /-]\d{2,8}){1,4}"  # 020 7946 0958, 030/1234567, 01 23 45 67 89
    r"|(?<=0)[1-9]\d{8,10}))"  # 07700900123
    r"(?![\w:/]|[.-]\d)"
)
"""Phone number candidates: international (+country code) and common national layouts.
Times (14:22:05), dates (2026-03-15, 15.03.2026) and versions never fit these shapes; the
digit count is checked by the caller."""

SECRET_SHAPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("akia", "asia"), r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),  # AWS access key id
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_\w{40,}",  # GitHub
    ),
    (("xox", "xapp-"), r"\bxox[abposr]-[A-Za-z0-9-]{10,}|\bxapp-[A-Za-z0-9-]{10,}"),  # Slack
    (("glpat-",), r"\bglpat-[\w-]{20,}"),  # GitLab
    (("k_live_", "k_test_"), r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"),  # Stripe
    (("aiza",), r"\bAIza[\w-]{35}"),  # Google API key
    (("npm_",), r"\bnpm_[A-Za-z0-9]{36}\b"),
    (("eyj",), r"\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}"),  # JSON web token
    (
        ("hooks.slack.com", "/api/webhooks/", "webhook.office.com"),  # incoming webhooks
        r"https://hooks\.slack\.com/(?:services|workflows)/[\w/-]+"
        r"|https://(?:discord(?:app)?\.com/api/webhooks|[\w.-]*webhook\.office\.com)/[\w/@.-]+",
    ),
    (
        ("private key",),
        r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\S]*?-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|(?:\s*[A-Za-z0-9+/=]{16,})*)",
    ),
)
"""Secrets recognisable by their shape alone, each with the words (lower case) that every
match contains, so a caller can skip the patterns whose words are absent."""

SECRET_TOKEN = "|".join(pattern for _, pattern in SECRET_SHAPES)

LONG_HEX = r"\b[0-9a-f]{32,}\b"
SECRET_ASSIGNMENT = r"(?i:\b(?:password|passwd|secret|token|api[_-]?key)\s*[:=]\s*\S+)"
SECRET = re.compile(f"{SECRET_TOKEN}|{LONG_HEX}|{SECRET_ASSIGNMENT}")
"""Every secret shape at once, replaced whole (the customer version)."""

SECRET_KEYWORD = (
    r"(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|credentials?|signature|sig)"
)
SECRET_VALUE = re.compile(
    r"\b[Bb]earer[ \t]+(?P<bearer>[A-Za-z0-9._~+/=-]{12,})"
    r"|(?<=://)[^\s/:@]+:(?P<userinfo>[^\s/@]+)(?=@)"  # https://user:password@host
    r"|(?i:(?<![A-Za-z0-9])" + SECRET_KEYWORD + r"(?:[_-][A-Za-z0-9]+)*"  # DB_PASSWORD
    r"[\"']?[ \t]*(?P<sep>[:=])[ \t]*[\"']?(?P<value>[^\s\"',;&<>|]{4,}))"
)
"""A secret behind its name (``password=...``, ``"token": "..."``, ``Bearer ...``, the password
in a URL): only the value is replaced, so the sentence keeps saying what it was."""


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(text)
    if not n:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())
