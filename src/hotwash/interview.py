"""The terminal side of intake: ask a round of questions, save, ask the next round.

The choices (which questions, what an answer means, what is refused) are all in
``hotwash.core.intake``; this module only prompts, prints and saves. It works in any terminal
and under a pseudo-terminal, since it reads lines with Rich's prompt (plain ``input``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.markup import escape

from .core import intake
from .core.model import Review

STOP_WORDS = {"stop", "quit", "exit", ":q"}


class Stopped(Exception):
    """The person typed stop, or the input ended."""


class Interview:
    """Rounds of at most five questions over one review, saved after every round."""

    def __init__(
        self,
        review: Review,
        *,
        console: Any,
        save: Callable[[Review], None],
        guard: Callable[[Review], None],
        ask: Callable[[str], str] | None = None,
    ) -> None:
        self.review = review
        self.console = console
        self.save = save
        self.guard = guard
        self._ask = ask or self._prompt
        self.asked: list[str] = []
        self.rounds = 0
        self.answered = 0

    def _prompt(self, label: str) -> str:
        from rich.prompt import Prompt

        try:
            return Prompt.ask(label, console=self.console, default="", show_default=False)
        except EOFError:
            raise Stopped from None

    def run(self) -> Review:
        """Ask until every question of the review's kind was asked once, or the person stops;
        what stays unanswered is labeled in the pack before the last save."""
        c = self.console
        c.print(
            f"[bold]Intake for {escape(self.review.title)}[/] ({self.review.kind.value}). "
            "Press Enter to skip a question, type [bold]stop[/] to finish now. "
            "Answers are saved after every round."
        )
        try:
            while batch := intake.next_questions(self.review, asked=self.asked):
                self.rounds += 1
                c.print(f"\n[bold]Round {self.rounds}[/]: {len(batch)} question(s)")
                for n, q in enumerate(batch, 1):
                    self.asked.append(q.id)
                    self._one(n, q)
                    self.guard(self.review)
                self.save(intake.label_unanswered(self.review, self._pending(batch)))
        except Stopped:
            c.print("\nStopping here; what is still open is listed in the pack.")
        self.review = intake.finish(self.review)
        self.save(self.review)
        return self.review

    def _pending(self, batch: list[Any]) -> list[Any]:
        return [q for q in batch if not intake.is_answered(self.review, q)]

    def _one(self, n: int, q: Any) -> None:
        c = self.console
        c.print(f"\n[bold]{n}. {escape(q.text)}[/]")
        c.print(f"   [dim]Why: {escape(q.why)}[/]")
        c.print(f"   [dim]For example: {escape(' '.join(q.example.split()))}[/]")
        while True:
            answer = self._ask(f"   {q.id}")
            if answer.strip().lower() in STOP_WORDS:
                raise Stopped
            try:
                self.review = intake.apply_answer(self.review, q.id, answer)
            except intake.AnswerRefused as exc:
                reason = escape(exc.reason)
                c.print(f"   [yellow]Not saved:[/] {reason}. Try again, or press Enter to skip.")
                continue
            if answer.strip():
                self.answered += 1
            return
