"""The pack round-trips: parse(render(review)) == review, for generated reviews and examples."""

from __future__ import annotations

from hypothesis import given

from hotwash.core.model import Review
from hotwash.core.parse import parse_pack
from hotwash.core.reference import guidance
from hotwash.core.render import render_pack

from .strategies import reviews


@given(reviews())
def test_generated_reviews_round_trip(review: Review) -> None:
    text = render_pack(review)
    assert parse_pack(text) == review


@given(reviews())
def test_render_is_idempotent_with_guidance(review: Review) -> None:
    text = render_pack(review, guidance=guidance(review.kind.value))
    again = parse_pack(text)
    assert again == review
    assert render_pack(again, guidance=guidance(again.kind.value)) == text
