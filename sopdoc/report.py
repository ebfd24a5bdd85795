"""What a run tells its user, shared by the stages (which report) and the commands (which print).

A stage never prints: it calls the :class:`Reporter` it was given. The
command layer passes one that writes to the terminal
(:mod:`sopdoc.commands.terminal`); the default says nothing, for tests and
for callers that only want the result.
"""

from __future__ import annotations

from pathlib import Path

from sopdoc.errors import Problem, display_path


def problem_lines(problems: list[Problem]) -> list[str]:
    """Return every problem as a line, file by file, line by line."""
    return [str(p) for p in sorted(problems, key=lambda p: (str(p.file), p.line or 0))]


def layout_lines(source: Path, problems: list[str]) -> list[str]:
    """Return a line for each place where a page breaks a drawing rule (the document is still written)."""
    return [f"{display_path(source)}: tata letak kurang rapi, {problem}" for problem in problems]


def failure_line(source: Path | str, message: str) -> str:
    """Return the line that says one item failed and why."""
    where = display_path(source) if isinstance(source, Path) else source
    return f"{where}: {message}"


def unexpected(exc: BaseException) -> str:
    """Return the message for a failure sopdoc did not foresee (a bug): what happened, and what to do."""
    return (f"galat tak terduga saat membuat dokumen ({exception_text(exc)}); dokumen lain tetap dibuat. "
            "Laporkan berkas definisi ini kepada pengelola sopdoc")


def exception_text(exc: BaseException) -> str:
    """Return an exception as its maintainer reads it: its class and its text."""
    return f"{type(exc).__name__}: {exc}"


class Progress:
    """Counts the items of one phase as they are done."""

    def step(self, what: str) -> None:
        """Record that *what* is done."""

    def close(self) -> None:
        """End the phase."""


class Reporter:
    """Receives what the stages have to say; this one says nothing."""

    def problems(self, problems: list[Problem]) -> None:
        """Report the problems found in definitions."""

    def note(self, text: str) -> None:
        """Report what the run is doing now."""

    def warning(self, text: str) -> None:
        """Report something the user should know; the run goes on."""

    def failure(self, source: Path | str, message: str) -> None:
        """Report that one item failed; the run goes on and counts it."""

    def layout(self, source: Path, problems: list[str]) -> None:
        """Report where a page breaks a drawing rule."""

    def progress(self, label: str, total: int) -> Progress:
        """Return the progress of a phase of *total* items."""
        return Progress()
