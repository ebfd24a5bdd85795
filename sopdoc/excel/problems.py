"""Problems found in a workbook, each named by its file, sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sopdoc.errors import ERROR, WARNING, display_path


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong (or doubtful) in a workbook: ``FILE.xlsx [Sheet]!D14 key: message``."""

    file: Path
    sheet: str | None
    cell: str | None
    key: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.sheet is not None:
            where += f" [{self.sheet}]"
            if self.cell:
                where += f"!{self.cell}"
        where += f" {self.key}:" if self.key else ":"
        label = "" if self.severity == ERROR else " (peringatan)"
        return f"{where} {self.message}{label}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def warning(file: Path, sheet: str | None, cell: str | None, key: str, message: str) -> CellProblem:
    return CellProblem(file, sheet, cell, key, message, WARNING)
