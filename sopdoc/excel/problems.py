"""Problems found in a workbook, each named by its file, sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sopdoc.errors import ERROR, WARNING, display_path, shown
from sopdoc.excel import labels


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong (or doubtful) in a workbook: ``FILE.xlsx [Sheet]!D14 Label: message``.

    *key* is the key path of the definition data; the line names it as the workbook does
    (*words*, else labels.in_words of the key alone): ``Kegiatan 3, Lanjut ke``.
    """

    file: Path
    sheet: str | None
    cell: str | None
    key: str
    message: str
    severity: str = ERROR
    words: str = ""

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.sheet is not None:
            where += f" [{self.sheet}]"
            if self.cell:
                where += f"!{self.cell}"
        where += f" {shown(self.words or labels.in_words(self.key))}:" if self.key else ":"
        label = "" if self.severity == ERROR else " (peringatan)"
        return f"{where} {self.message}{label}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def warning(file: Path, sheet: str | None, cell: str | None, key: str, message: str) -> CellProblem:
    return CellProblem(file, sheet, cell, key, message, WARNING)
