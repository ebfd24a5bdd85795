"""Builders for the hostile and broken inputs of the reliability review (tests/test_security.py and friends)."""

from __future__ import annotations

import shutil
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from sopdoc.cli import main

GOOD = FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml"
OTHER = FIXTURES / "render" / "kasus-f4" / "lompat-tiga-baris.yaml"
IDENTITY = ROOT / "templates" / "identitas.docx"
SOPDOC = [sys.executable, "-m", "sopdoc"]


def unit(root: Path, name: str, extra: str = "", sops: tuple[Path, ...] = (GOOD,)) -> Path:
    """Return a new unit folder *root*/*name* with a unit.yaml (plus *extra* lines) and copies of *sops*."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "unit.yaml").write_text(f"pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas {name}\n{extra}",
                                      encoding="utf-8")
    for sop in sops:
        shutil.copy(sop, folder)
    return folder


def template_with(target: Path, tag: str) -> Path:
    """Write at *target* sopdoc's identity template with its '{{ nomor }}' replaced by *tag*."""
    with zipfile.ZipFile(IDENTITY) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert "{{ nomor }}" in xml
                data = xml.replace("{{ nomor }}", tag, 1).encode("utf-8")
            copy.writestr(item, data)
    return target


def invoke(*args: str):
    """Run the sopdoc command line in this process; return click's result."""
    return CliRunner().invoke(main, [str(a) for a in args])


def document_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml").decode("utf-8")


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


@contextmanager
def files_opened():
    """Yield the list of every path Python opens inside the block (an audit hook sees each open)."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None
