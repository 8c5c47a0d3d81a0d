"""The project's own error types. Only these may escape the library."""

from __future__ import annotations


class HotwashError(Exception):
    """Base of every error hotwash raises on purpose."""


class PackError(HotwashError):
    """A pack (or other input file) that cannot be read as a review.

    Carries where the problem is (file, line, field) and what was expected.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def located(self, path: str | None) -> PackError:
        """The same error, naming the file it came from."""
        return PackError(self.message, path=path, line=self.line, field=self.field)

    def __str__(self) -> str:
        where = self.path or "<pack>"
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class UsageError(HotwashError):
    """A command was called in a way that cannot work (bad option, missing file)."""


class Refused(HotwashError):
    """The method must not run on this request (an active incident, a person as the target).

    Carries the reason and the way forward; the CLI prints both and exits with status 3.
    """

    def __init__(self, reason: str, way_forward: str) -> None:
        super().__init__(f"{reason}\n{way_forward}")
        self.reason = reason
        self.way_forward = way_forward
