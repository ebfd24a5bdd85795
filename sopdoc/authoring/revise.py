"""Append a revision to an SOP file, changing nothing else in it.

The file is edited as text at positions the YAML composer reports, so every
comment, quote, blank line and line ending outside the new lines stays as the
user wrote it. The result is validated before it replaces the file.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import stat
from pathlib import Path

from yaml.nodes import ScalarNode, SequenceNode

from sopdoc import fsutil
from sopdoc.authoring import quoting, yamlwrite
from sopdoc.authoring.yamlwrite import tanggal_value
from sopdoc.definition import reader, yamlsafe
from sopdoc.definition.model import Sop, Tanggal
from sopdoc.definition.tree import UNIT_FILE, tree_root
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import WriteError, read_only, write_target

BOM = "\ufeff"
_AFTER = ("tanggal_efektif", "tanggal_pembuatan", "nomor", "nama")


def revise(path: Path, tanggal: Tanggal | datetime.date, catatan: str) -> Sop:
    """Add a revision dated *tanggal* (a day, or a month alone) to the SOP at *path*; return the revised SOP.

    A symlinked SOP is revised at its target (the link stays a link). The
    revision is checked in memory before anything is written; then the old
    text becomes the newest backup (fsutil.backups: NAME.yaml.bak, the older
    ones moving back) and the new one replaces the file, all or nothing, through
    staging files created afresh, so none follows a link planted there.
    """
    if path.name == UNIT_FILE:
        raise SopdocError(f"{display_path(path)} berisi data unit, bukan SOP; revise dipakai untuk berkas SOP "
                          "(misalnya  sopdoc revise definitions/unit/nama-sop.yaml ...)")
    before = _read_valid(path)
    new = tanggal if isinstance(tanggal, Tanggal) else Tanggal(tanggal.year, tanggal.month, tanggal.day)
    _not_future(path, new)
    previous, what = (before.tanggal_revisi, "revisi terakhir") if before.revisi else \
        (before.tanggal_pembuatan, "tanggal pembuatan")
    if previous and new.key < previous.key:
        raise SopdocError(f"{display_path(path)}: tanggal revisi {new} lebih awal dari {what} ({previous}); "
                          "revisi ditulis berurutan, yang terbaru paling bawah. Berkas tidak diubah.")
    target, mode, raw = _opened(path)
    try:
        revised = with_revision(raw.decode("utf-8-sig"), new, catatan)
    except yamlsafe.YamlLoadError as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}. Berkas tidak diubah.") from None
    sop = _checked(path, revised, catatan)
    bom = BOM if raw.startswith(BOM.encode("utf-8")) else ""
    try:
        fsutil.write_all([*fsutil.backups(path, target, raw, mode),
                          fsutil.Change(path, target, (bom + revised).encode("utf-8"), mode)])
    except WriteError as exc:
        raise SopdocError(f"{exc.message}. Berkas SOP tidak diubah.") from None
    return sop


def amend(path: Path, number: int, tanggal: Tanggal | None, catatan: str | None) -> Sop:
    """Correct revision *number* (1 = the oldest) of the SOP at *path* to *tanggal* and *catatan*; delete it if both are None.

    For a revision recorded with a wrong date or note. The rest of the file is
    changed as the studio's saves change it (yamlwrite: comments and order kept);
    the result must read as valid, its revisions still in order, before the old
    text becomes the newest backup and the new one replaces the file.
    """
    before = _read_valid(path)
    if not 1 <= number <= len(before.revisi):
        raise SopdocError(f"{display_path(path)}: revisi ke-{number} tidak ada (SOP ini memuat "
                          f"{len(before.revisi)} revisi); muat ulang halaman. Berkas tidak diubah.")
    if tanggal is not None:
        _not_future(path, tanggal)
    target, mode, raw = _opened(path)
    try:
        data = yamlsafe.parse(raw.decode("utf-8-sig"), path).data
    except yamlsafe.YamlLoadError as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}. Berkas tidak diubah.") from None
    entries = list(data["revisi"])
    if tanggal is None:
        del entries[number - 1]
    else:
        entries[number - 1] = {"tanggal": tanggal_value(tanggal), "catatan": catatan}
    data = {**data, "revisi": entries}
    if not entries:
        del data["revisi"]
    new, _ = yamlwrite.edited(target, raw, data)
    if new is None:
        return before
    result = reader.read([path], texts={path: new.decode("utf-8-sig")})
    if result.errors or not result.sops:
        details = "; ".join(p.message for p in result.errors)
        raise SopdocError(f"{display_path(path)}: hasil perbaikan revisi tidak sah ({details}). Berkas tidak diubah.")
    try:
        fsutil.write_all([*fsutil.backups(path, target, raw, mode), fsutil.Change(path, target, new, mode)])
    except WriteError as exc:
        raise SopdocError(f"{exc.message}. Berkas SOP tidak diubah.") from None
    return dataclasses.replace(result.sops[0], source=path)


def _opened(path: Path) -> tuple[Path, int, bytes]:
    """Return the file *path* writes to (a symlinked definition's target), its mode and its bytes, refusing one
    that may not be written."""
    target = write_target(path, tree_root(path.parent))
    mode = stat.S_IMODE(target.stat().st_mode)
    if refused := read_only(path, mode, "direvisi", "direvisi", target):
        raise SopdocError(refused)
    try:
        return target, mode, yamlsafe.read_bytes(target)
    except yamlsafe.YamlLoadError as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}. Berkas tidak diubah.") from None


def _not_future(path: Path, new: Tanggal) -> None:
    today = datetime.date.today()
    if new.key > (today.year, today.month, today.day):
        # A revision is recorded once it is approved; a future date would refuse every real revision until then.
        raise SopdocError(f"{display_path(path)}: tanggal revisi {new} belum tiba (hari ini "
                          f"{Tanggal(today.year, today.month, today.day)}); catat revisi pada tanggal pengesahannya, "
                          "paling lambat hari ini. Berkas tidak diubah.")


def _read_valid(path: Path) -> Sop:
    result = reader.read([path])
    if result.errors or not result.sops:
        lines = "\n".join(str(p) for p in result.errors) or "bukan definisi SOP"
        raise SopdocError(f"{display_path(path)} memuat galat; perbaiki dulu, lalu jalankan revise lagi:\n{lines}")
    return result.sops[0]


def _checked(path: Path, revised: str, catatan: str) -> Sop:
    """Return the SOP read from *revised* as if it were *path*, refusing a result that is not valid or not exact."""
    result = reader.read([path], texts={path: revised})
    if result.errors or not result.sops:
        details = "; ".join(f"{p.key}: {p.message}" if p.key else p.message for p in result.errors)
        raise SopdocError(f"{display_path(path)}: hasil revisi tidak sah ({details}). Berkas tidak diubah.")
    sop = result.sops[0]
    if (sop.revisi[-1].catatan or "") != catatan.strip():
        raise SopdocError(f"{display_path(path)}: catatan revisi tidak dapat ditulis persis di YAML. Berkas tidak diubah.")
    return dataclasses.replace(sop, source=path)


def with_revision(text: str, tanggal: Tanggal, catatan: str) -> str:
    """Return *text* with one more entry at the end of its `revisi` list."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yamlsafe.compose(text)
    pairs = {key.value: (key, value) for key, value in root.value}
    written = str(tanggal_value(tanggal))     # 2024-06-10, or Maret 2024 for a month alone
    entry = [f"- tanggal: {written}", f"  catatan: {quoting.scalar(catatan)}"]
    if "revisi" not in pairs:
        anchor = next(pairs[k][1] for k in _AFTER if k in pairs)
        at = _line_end(text, _content_end(text, anchor))
        block = newline.join(["revisi:"] + [_indent(text) + line for line in entry])
        return text[:at] + newline + block + text[at:]
    key, value = pairs["revisi"]
    if isinstance(value, SequenceNode) and value.value and value.flow_style:
        return _append_to_flow(text, value, f"{{tanggal: {written}, catatan: {quoting.quoted(catatan)}}}",
                               newline)
    if isinstance(value, SequenceNode) and value.value:
        at = _line_end(text, _content_end(text, value.value[-1]))
        pad = " " * (value.value[-1].start_mark.column - 2)
        return text[:at] + "".join(newline + pad + line for line in entry) + text[at:]
    # An empty list (`revisi: []`) or none (`revisi:`) becomes a block list; a comment on its line stays.
    start, end = value.start_mark.index, value.end_mark.index
    if isinstance(value, ScalarNode) and not value.value:
        start = end = key.end_mark.index + 1
    head = text[:start].rstrip(" ") + text[end:_line_end(text, end)]
    return head + "".join(newline + _indent(text) + line for line in entry) + text[_line_end(text, end):]


def _append_to_flow(text: str, node: SequenceNode, entry: str, newline: str) -> str:
    """Return *text* with *entry* added at the end of the flow list *node*, keeping every comment inside it."""
    last = node.value[-1]
    end = last.end_mark.index if getattr(last, "flow_style", False) else _content_end(text, last)
    comma = re.match(r"[ \t]*,", text[end:])
    after = end + comma.end() if comma else end
    close = node.end_mark.index - 1
    if "\n" not in text[after:close]:
        return text[:after] + ("" if comma else ",") + " " + entry + text[after:]
    line_end = _line_end(text, after)
    pad = " " * last.start_mark.column
    return text[:end] + ("" if comma else ",") + text[end:line_end] + newline + pad + entry + text[line_end:]


def _indent(text: str) -> str:
    """Return the indentation of the file's block lists ("  " if it has none)."""
    match = re.search(r"^[A-Za-z_]+:[^\n]*\n( *)- ", text, re.M)
    return match.group(1) if match else "  "


def _content_end(text: str, node) -> int:
    """Return the text index right after *node*'s last character of content.

    A block scalar (`|`, `>`) ends, for the composer, at the start of the line
    after it: step back over the line breaks so that text is added after it.
    """
    if isinstance(node, ScalarNode):
        end = node.end_mark.index
        while end > node.start_mark.index and text[end - 1] in " \t\r\n":
            end -= 1
        return end
    children = node.value if isinstance(node, SequenceNode) else [v for _, v in node.value]
    return max((_content_end(text, child) for child in children), default=node.end_mark.index)


def _line_end(text: str, index: int) -> int:
    """Return the index of the line break that ends the line holding *index*."""
    at = text.find("\n", index)
    if at == -1:
        return len(text)
    return at - 1 if at > 0 and text[at - 1] == "\r" else at
