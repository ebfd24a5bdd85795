"""Problems found in user input, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
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


# The absolute folders the user named for this run (as named and as resolved), deepest first.
_named_folders: list[str] = []


def name_folders(folders: Iterable[Path], keep: bool = True) -> None:
    """Remember the absolute folders among *folders* the user named, so that paths below them are shown
    relative to them; without *keep*, forget those of an earlier run first."""
    if not keep:
        _named_folders.clear()
    for folder in folders:
        if os.path.isabs(folder) and not os.path.isfile(folder):
            _named_folders.extend({os.path.normpath(folder), os.path.realpath(folder)})
    _named_folders.sort(key=len, reverse=True)


def display_path(path: Path) -> str:
    """Return *path* as the user named it: relative when they named it relative (``../sop/a.yaml`` stays so),
    relative to the absolute folder they named when it lies below one (``/data/sop`` named: ``kab-x/a.yaml``),
    relative to the working directory when it lies below it, else whole; a character that would hide or
    reorder its name is shown by its code (:func:`shown`)."""
    if not os.path.isabs(path):
        return shown(os.path.normpath(path))
    for folder in _named_folders:
        relative = _below(path, folder)
        if relative not in (None, "."):     # the folder itself is shown as named
            return shown(relative)
    return shown(_below(path, os.getcwd()) or str(path))


def _below(path: Path, folder: str) -> str | None:
    """Return *path* relative to *folder* when it lies in it, else None."""
    try:
        relative = os.path.relpath(path, folder)
    except ValueError:      # another drive on Windows
        return None
    return None if relative == ".." or relative.startswith(".." + os.sep) else relative


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
