"""Render docxtpl templates in a bounded Jinja2 sandbox.

A unit's DOCX template is user input, so it is rendered in Jinja2's
SandboxedEnvironment (nothing whose name starts with '_' is reachable, so no
way to Python's internals), with limits on what it may compute (``range``,
text built by an operator, rendered output), and in a child process with a
time and memory limit: whatever a template does, it can neither run code nor
hang or exhaust the machine, and the caller gets one message naming the file.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from sopdoc import workers
from sopdoc.errors import SopdocError, display_path

MAX_RANGE_ITEMS = 100_000       # items all range() calls of one render may yield together
MAX_TEXT = 1_000_000            # characters (or items) one operator may build
MAX_OUTPUT = 64 * 1024 * 1024   # characters of rendered XML per document part
SECONDS = 30
CHECK_SECONDS = 10              # trying a template without an SOP is quick unless it loops
MEMORY = 1024 * 1024 * 1024     # bytes a render may use beyond what sopdoc already holds

NOT_DOCX = "bukan dokumen Word (DOCX) yang utuh"


class TemplateLimit(Exception):
    """A template asked for more computation than sopdoc allows."""


class TemplateError(SopdocError):
    """A template could not be rendered; the message names the file and the reason."""


class _Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, undefined: type[Undefined] = Undefined):
        super().__init__(autoescape=True, undefined=undefined)
        self.budget = MAX_RANGE_ITEMS
        # Only what a template needs; lipsum() would print unbounded text.
        self.globals = {"range": self._range, "dict": dict, "namespace": Namespace}
        self.concat = self._bounded_concat

    def _range(self, *args: int) -> range:
        items = range(*args)
        self.budget -= len(items)
        if self.budget < 0:
            raise TemplateLimit(f"perulangan range() melebihi {MAX_RANGE_ITEMS} butir")
        return items

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _check_operands(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
            raise TemplateLimit(f"teks atau daftar yang dibentuk melebihi {MAX_TEXT} karakter")
        return result

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        raise SecurityError(f"bagian dalam Python '{attribute}' tidak boleh dipakai")

    @staticmethod
    def _bounded_concat(parts) -> str:
        pieces, size = [], 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"hasilnya melebihi {MAX_OUTPUT // 1024 // 1024} MB")
            pieces.append(part)
        return "".join(pieces)


def _check_operands(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing it, a result of an operator that would be too large."""
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_TEXT:
                raise TemplateLimit(f"teks atau daftar yang dibentuk melebihi {MAX_TEXT} karakter")
    elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        if len(left) + len(right) > MAX_TEXT:
            raise TemplateLimit(f"teks atau daftar yang dibentuk melebihi {MAX_TEXT} karakter")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        if right * math.log2(abs(left) + 2) > 64 * 1024:
            raise TemplateLimit("bilangan yang dihitung terlalu besar")


class _Anything(ChainableUndefined):
    """Stands in for every value when a template is tried without an SOP: callable, iterable, empty."""

    def __call__(self, *args: Any, **kwargs: Any) -> _Anything:
        return self


def render(path: Path, context: Callable[[DocxTemplate], dict]) -> bytes:
    """Return the DOCX bytes of template *path* rendered with context(template)."""

    def work() -> bytes:
        template = _open(path)
        template.render(context(template), jinja_env=_Sandbox())
        buffer = io.BytesIO()
        template.save(buffer)
        return buffer.getvalue()

    try:
        return workers.run_isolated(work, SECONDS, MEMORY)
    except workers.Isolated as exc:
        raise TemplateError(f"template {display_path(path)}: {_reason(exc, SECONDS)}") from None


def check(path: Path) -> str | None:
    """Return why template *path* cannot be used (broken, or unsafe when tried), or None."""

    def work() -> None:
        template = _open(path)
        try:
            template.render({}, jinja_env=_Sandbox(undefined=_Anything))
        except (TemplateSyntaxError, SecurityError, TemplateLimit, workers.TimeUp, MemoryError):
            raise
        except Exception:
            pass  # a value the real SOP provides may be needed; the real render is bounded too

    try:
        workers.run_isolated(work, CHECK_SECONDS, MEMORY)
    except workers.Isolated as exc:
        return _reason(exc, CHECK_SECONDS)
    return None


class _NotDocx(Exception):
    pass


def _open(path: Path) -> DocxTemplate:
    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except Exception:
        raise _NotDocx(_what_is(path)) from None
    return template


_SIGNATURES = ((b"PK", "arsip DOCX yang rusak atau terpotong"), (b"\x89PNG", "gambar PNG"),
               (b"\xff\xd8", "gambar JPEG"), (b"%PDF", "berkas PDF"),
               (b"\xd0\xcf\x11\xe0", "dokumen Word lama (.doc)"), (b"{\\rtf", "dokumen RTF"))


def _what_is(path: Path) -> str:
    """Return, in the user's words, what the file at *path* holds instead of a DOCX."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    kind = next((name for signature, name in _SIGNATURES if head.startswith(signature)), None)
    if kind:
        return f"isinya {kind}"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "isinya bukan DOCX"
    return "isinya teks biasa"


def _reason(exc: workers.Isolated, seconds: float) -> str:
    """Return, in the user's words, why rendering a template failed."""
    if exc.kind == "_NotDocx":
        return f"{NOT_DOCX} ({exc.detail}); buka berkasnya di Word lalu simpan ulang sebagai .docx"
    if exc.kind == "TemplateSyntaxError":
        return f"tanda {{{{ ... }}}} atau {{% ... %}} tidak sah ({exc.detail}); perbaiki di Word"
    if exc.kind == "SecurityError":
        return f"memuat perintah yang tidak diizinkan ({exc.detail}); template hanya boleh mencetak isian SOP"
    if exc.kind == "TemplateLimit":
        return f"terlalu banyak yang dihitung: {exc.detail}; sederhanakan perulangan di template"
    if exc.kind in ("timeout", "TimeUp"):
        return f"tidak selesai dalam {seconds} detik; sederhanakan perulangan di template"
    if exc.kind == "UndefinedError":
        return f"memakai isian yang tidak dikenal ({exc.detail}); lihat isian yang tersedia di templates/identitas.docx"
    if exc.kind == "MemoryError":
        return f"memakai lebih dari {MEMORY // 1024 // 1024} MB memori; sederhanakan template"
    return f"tidak dapat dipakai ({exc.kind}: {exc.detail})"
