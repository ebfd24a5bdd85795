"""Append a revision to an SOP file, changing nothing else in it.

The file is edited as text at positions the YAML composer reports, so every
comment, quote, blank line and line ending outside the new lines stays as the
user wrote it. The result is validated before it replaces the file.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import shutil
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sopdoc.definition import reader
from sopdoc.definition.model import Sop, Tanggal
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import write_atomic

BOM = "\ufeff"
_AFTER = ("tanggal_efektif", "tanggal_pembuatan", "nomor", "nama")


def revise(path: Path, tanggal: datetime.date, catatan: str) -> Sop:
    """Add a revision dated *tanggal* to the SOP at *path*; return the revised SOP."""
    before = _read_valid(path)
    new = Tanggal(tanggal.year, tanggal.month, tanggal.day)
    previous, what = (before.tanggal_revisi, "revisi terakhir") if before.revisi else \
        (before.tanggal_pembuatan, "tanggal pembuatan")
    if previous and new.key < previous.key:
        raise SopdocError(f"{display_path(path)}: tanggal revisi {new} lebih awal dari {what} ({previous}); "
                          "revisi ditulis berurutan, yang terbaru paling bawah. Berkas tidak diubah.")
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    revised = with_revision(text, tanggal, catatan)
    bom = BOM if raw.startswith(BOM.encode("utf-8")) else ""
    staging = path.with_name(f".{path.name}.revisi.yaml")
    try:
        staging.write_text(bom + revised, encoding="utf-8", newline="")
        result = reader.read([staging])
        if result.errors or not result.sops:
            details = "; ".join(p.message for p in result.errors)
            raise SopdocError(f"{display_path(path)}: hasil revisi tidak sah ({details}). Berkas tidak diubah.")
        shutil.copy2(path, backup_path(path))
        write_atomic(path, (bom + revised).encode("utf-8"))
    finally:
        staging.unlink(missing_ok=True)
    return dataclasses.replace(result.sops[0], source=path)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _read_valid(path: Path) -> Sop:
    result = reader.read([path])
    if result.errors or not result.sops:
        lines = "\n".join(str(p) for p in result.errors)
        raise SopdocError(f"{display_path(path)} memuat galat; perbaiki dulu, lalu jalankan revise lagi:\n{lines}")
    return result.sops[0]


def with_revision(text: str, tanggal: datetime.date, catatan: str) -> str:
    """Return *text* with one more entry at the end of its `revisi` list."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    pairs = {key.value: (key, value) for key, value in root.value}
    entry = [f"- tanggal: {tanggal.isoformat()}", f"  catatan: {_scalar(catatan)}"]
    if "revisi" not in pairs:
        anchor = next(pairs[k][1] for k in _AFTER if k in pairs)
        at = _line_end(text, _content_end(anchor))
        block = newline.join(["revisi:"] + [_indent(text) + line for line in entry])
        return text[:at] + newline + block + text[at:]
    key, value = pairs["revisi"]
    if isinstance(value, SequenceNode) and not value.flow_style and value.value:
        at = _line_end(text, _content_end(value.value[-1]))
        pad = " " * (value.value[-1].start_mark.column - 2)
        return text[:at] + "".join(newline + pad + line for line in entry) + text[at:]
    # An empty or flow-style list (`revisi: []`) becomes a block list; a comment on its line stays.
    old = [_entry_lines(item) for item in value.value] if isinstance(value, SequenceNode) else []
    start, end = value.start_mark.index, value.end_mark.index
    if isinstance(value, ScalarNode) and not value.value:
        start = end = key.end_mark.index + 1
    head = text[:start].rstrip(" ") + text[end:_line_end(text, end)]
    lines = [line for item in old for line in item] + entry
    return head + "".join(newline + _indent(text) + line for line in lines) + text[_line_end(text, end):]


def _entry_lines(node: MappingNode) -> list[str]:
    values = {k.value: v.value for k, v in node.value}
    lines = [f"- tanggal: {values.get('tanggal', '')}"]
    if values.get("catatan"):
        lines.append(f"  catatan: {_scalar(values['catatan'])}")
    return lines


def _scalar(text: str) -> str:
    """Return *text* as a YAML scalar: plain where that reads back the same, else double-quoted."""
    plain = text.strip()
    try:
        if plain == text and yaml.safe_load(f"x: {plain}") == {"x": plain} and "#" not in plain:
            return plain
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _indent(text: str) -> str:
    """Return the indentation of the file's block lists ("  " if it has none)."""
    match = re.search(r"^[A-Za-z_]+:[^\n]*\n( *)- ", text, re.M)
    return match.group(1) if match else "  "


def _content_end(node) -> int:
    """Return the text index where *node*'s last scalar ends."""
    if isinstance(node, ScalarNode):
        return node.end_mark.index
    children = node.value if isinstance(node, SequenceNode) else [v for _, v in node.value]
    return max((_content_end(child) for child in children), default=node.end_mark.index)


def _line_end(text: str, index: int) -> int:
    """Return the index of the line break that ends the line holding *index*."""
    at = text.find("\n", index)
    if at == -1:
        return len(text)
    return at - 1 if at > 0 and text[at - 1] == "\r" else at
