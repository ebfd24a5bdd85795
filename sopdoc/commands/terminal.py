"""Print what the stages report: messages on stderr, progress as a bar on a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import Progress as Bar

from sopdoc import report
from sopdoc.errors import Problem


class _Lines(report.Progress):
    """One line per item, for a log file or a pipe."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0

    def step(self, what: str) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {self.label}: {what}")


class _Bar(report.Progress):
    def __init__(self, label: str, total: int):
        self.label = label
        self.bar = Bar(transient=True)
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def step(self, what: str) -> None:
        self.bar.update(self.task, advance=1, description=f"{self.label}: {what}")

    def close(self) -> None:
        self.bar.stop()


class Terminal(report.Reporter):
    """Print everything a run reports."""

    def problems(self, problems: list[Problem]) -> None:
        for line in report.problem_lines(problems):
            click.echo(line, err=True)

    def note(self, text: str) -> None:
        click.echo(text)

    def warning(self, text: str) -> None:
        click.echo(f"Peringatan: {text}", err=True)

    def failure(self, source: Path | str, message: str) -> None:
        click.echo(report.failure_line(source, message), err=True)

    def layout(self, source: Path, problems: list[str]) -> None:
        for line in report.layout_lines(source, problems):
            click.echo(line, err=True)

    def progress(self, label: str, total: int) -> report.Progress:
        if sys.stdout.isatty() and total:
            return _Bar(label, total)
        return _Lines(label, total)
