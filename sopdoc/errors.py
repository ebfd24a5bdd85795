"""Problems found in user input, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import click

ERROR = "galat"
WARNING = "peringatan"


def format_key_path(path: tuple) -> str:
    """Return a key path as users read it: ``kegiatan[3].pelaksana`` (rows counted from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def shown(text: str) -> str:
    """Return *text* with each character that prints as nothing or moves the text around it (a control, a
    direction control such as U+202E, a zero-width space, a line separator) written as its code: '<U+202E>'."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _UNSEEN else ch for ch in text)


_UNSEEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def display_path(path: Path) -> str:
    """Return *path* as the user named it: relative when they named it relative (``../sop/a.yaml`` stays so),
    relative to the working directory when it lies below it, else whole; a character that would hide or
    reorder its name is shown by its code (:func:`shown`)."""
    if not os.path.isabs(path):
        return shown(os.path.normpath(path))
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return shown(str(path))
    return shown(str(path) if relative == ".." or relative.startswith("../") else relative)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a definition file."""

    file: Path
    line: int | None
    key: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line:
            where += f":{self.line}"
        key = f" {shown(self.key)}:" if self.key else ""
        label = "" if self.severity == ERROR else " (peringatan)"
        return f"{where}{key} {self.message}{label}"


class SopdocError(click.ClickException):
    """An error the user can fix; shown as one line, exit code 1."""

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class ToolMissing(SopdocError):
    """A system program sopdoc needs (graphviz, LibreOffice) is not installed."""
