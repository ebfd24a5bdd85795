"""Write definitions back to YAML: new files that read like hand-written ones, and
edits that change only the values that changed.

The interface other stages use (the Excel importer, the studio):

- :func:`sop_data` and :func:`unit_data` turn a model into plain definition data,
  keyed as in DEFINITION-FORMAT.md: a row's pelaksana as one key or a list, jumps
  as ``lanjut`` and ``keputusan: {ya, tidak, label}`` (label only when not Ya /
  Tidak), dates as ``datetime.date`` or "Maret 2021" text, NIP as text. A row keeps
  the id its model has (so a round trip loses none); a row something jumps to that
  has no id gets ``baris-N``; no other row gets one;
- :func:`new_text` writes such data as a new file, in the order and with the
  comments of the scaffold;
- :func:`updated_text` applies such data to an existing file through a ruamel.yaml
  round trip, keeping every comment, quote and line that did not change;
- :func:`changes` says, in Indonesian, what differs between two such data
  (it lives in :mod:`sopdoc.authoring.datadiff`, with the rules of what counts
  as the same);
- :func:`save` does all of it for one file on disk, atomically (``kind`` is
  :data:`SOP` or :data:`UNIT`; an existing file that changes is kept as ``.bak``);
  :func:`edited` computes the same bytes without touching the disk, for a caller
  that writes several files all or nothing.

Data passed in should be valid (check it with the reader first): these functions
write what they are given.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import io
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from sopdoc import fsutil
from sopdoc.authoring import quoting, scaffold
from sopdoc.authoring.datadiff import RowMatch, changes, match_rows, same, without_indexes
from sopdoc.definition import fields, names, yamlsafe
from sopdoc.definition.model import (
    BULAN,
    Exit,
    Kegiatan,
    Langkah,
    Penandatangan,
    Sop,
    Tanggal,
    Target,
    Unit,
    Verifikasi,
)
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import read_only

__all__ = ["sop_data", "unit_data", "symbol_ids", "tanggal_value", "signer_data", "new_text", "updated_text", "changes", "save",
           "edited", "UnreadableText"]

SOP, UNIT = "sop", "unit"
BOM = "\ufeff"
_QUOTED_KEYS = {"nomor", "nip"}
_SOP_LISTS = fields.of_kind(fields.DAFTAR_TEKS, tuple(k for k in fields.SOP_KEYS if k not in fields.SOP_PRINT_KEYS))
# A blank line goes before the first key present of each group, as in the scaffold.
_GROUPS = {
    SOP: (("nomor", "nama"), _SOP_LISTS, ("pelaksana",), ("kegiatan",)),
    UNIT: (("tahun", "urutan", "penjelasan", "keputusan"),),
}
# The scaffold's comment on `tidak` names its example row; it would mislead elsewhere.
_SKIPPED_COMMENTS = {("kegiatan", "keputusan", "tidak")}
_SCAFFOLD_DAY = datetime.date(2024, 1, 2)


class UnreadableText(ValueError):
    """The old text cannot be read as YAML, so it cannot be edited in place."""


# --- model -> plain data ------------------------------------------------------------

def sop_data(sop: Sop) -> dict:
    """Return the plain definition data of *sop*, keys in the table's (and the scaffold's) order."""
    return _data(sop, fields.SOP_KEYS, sop.unit.folder)


def unit_data(unit: Unit) -> dict:
    """Return the plain data of *unit* (nested unit files merged), paths relative to its folder."""
    return _data(unit, fields.UNIT_KEYS, unit.folder)


def tanggal_value(tanggal: Tanggal | None) -> datetime.date | str | None:
    """Return *tanggal* as the file writes it: a date, or "Maret 2021" for a month alone."""
    if tanggal is None:
        return None
    if tanggal.hari is None:
        return f"{BULAN[tanggal.bulan - 1]} {tanggal.tahun}"
    return datetime.date(tanggal.tahun, tanggal.bulan, tanggal.hari)


def signer_data(signer: Penandatangan | None) -> dict | None:
    return None if signer is None else _data(signer, fields.SIGNER_KEYS)


def _data(model: Any, keys: tuple[fields.Key, ...], folder: Path | None = None) -> dict:
    """Return the keys *keys* of *model* as plain data, each by its kind; an empty value is left out.

    A key the format requires, one with a default, and an SOP's revision list (which
    the scaffold writes empty, for `sopdoc revise` to fill) are always written.
    """
    data: dict[str, Any] = {}
    for key in keys:
        value = getattr(model, key.name)
        value = _PLAIN[key.kind](value, folder) if key.kind in _PLAIN else value
        if key.required or key.default is not None or key.kind == fields.REVISI:
            data[key.name] = value
        else:
            _put(data, key.name, value)
    return data


def _put(data: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        data[key] = value


def _relative(path: Path | None, folder: Path) -> str | None:
    return None if path is None else Path(os.path.relpath(path, folder)).as_posix()


def _verification(verifikasi: Verifikasi | None) -> bool | dict | None:
    if verifikasi is None:
        return None
    return {"url": verifikasi.url} if verifikasi.url else True


# How each kind of value is written, where the model holds it otherwise (text, choices, ids and years as they are).
_PLAIN = {
    fields.TANGGAL: lambda value, _: tanggal_value(value),
    fields.DAFTAR_TEKS: lambda value, _: list(value),
    fields.BERKAS: _relative,
    fields.PENANDATANGAN: lambda value, _: signer_data(value),
    fields.REVISI: lambda value, _: [_data(revision, fields.REVISION_KEYS) for revision in value],
    fields.DEKRET: lambda value, _: None if value is None else _data(value, fields.DECREE_KEYS),
    fields.VERIFIKASI: lambda value, _: _verification(value),
    fields.PELAKSANA: lambda value, _: dict(value),
    fields.KEGIATAN: lambda value, _: _rows(value),
    fields.JUDUL: lambda value, _: dict(value),
}


def symbol_ids(rows: tuple[Kegiatan, ...]) -> dict[Target, str | None]:
    """Return the id of every symbol as a definition writes it: its own, or ``baris-N`` for one that something
    jumps to by name (every target but the next row's first symbol reached alone), None for the others."""
    ids = {Target(row.index, n): langkah.id for row in rows for n, langkah in enumerate(row.langkah)}
    for source, langkah in ((Target(row.index, n), langkah) for row in rows for n, langkah in enumerate(row.langkah)):
        for exit in langkah.exits:
            for target in exit.targets:
                if ids[target] is None and _named(source, exit, target):
                    ids[target] = names.row_id(target.row, ids.values(), target.item)
    return ids


def _rows(rows: tuple[Kegiatan, ...]) -> list[dict]:
    """Return the rows; a symbol something jumps to by name gets an id when it has none."""
    ids = symbol_ids(rows)
    printed: list[str] = []
    data = []
    for row in rows:
        data.append(_row(row, ids, len(rows), names.automatic_number(printed)))
        printed.append(row.nomor_cetak)
    return data


def _named(source: Target, exit: Exit, target: Target) -> bool:
    """Say whether the file names *target* by its id: not when it is the next row's first symbol, reached alone."""
    next_row = target == Target(source.row + 1)
    return not next_row or len(exit.targets) > 1


def _row(row: Kegiatan, ids: dict[Target, str | None], count: int, automatic: str) -> dict:
    data: dict[str, Any] = {}
    several = len(row.langkah) > 1
    if not several:
        data.update(_symbol(row.langkah[0], Target(row.index), ids, count))
    if row.nomor_cetak != automatic:
        data["nomor"] = row.nomor_cetak
    data["uraian"] = row.uraian
    _put(data, "kelengkapan", row.kelengkapan)
    _put(data, "waktu", row.waktu.teks if row.waktu else None)
    _put(data, "output", row.output)
    _put(data, "keterangan", row.keterangan)
    if several:
        data["langkah"] = [_symbol(langkah, Target(row.index, n), ids, count) for n, langkah in enumerate(row.langkah)]
    return data


def _symbol(langkah: Langkah, place: Target, ids: dict[Target, str | None], count: int) -> dict:
    """Return the keys of one symbol: its id, pelaksana, flow and symbol when not the default."""
    data: dict[str, Any] = {}
    _put(data, "id", ids[place])
    data["pelaksana"] = langkah.pelaksana[0] if len(langkah.pelaksana) == 1 else list(langkah.pelaksana)

    def refer(exit: Exit) -> str | list[str]:
        if not exit.targets:
            return names.END
        if len(exit.targets) > 1:
            return [ids[target] for target in exit.targets]
        return names.NEXT if exit.targets[0] == Target(place.row + 1) else ids[exit.targets[0]]

    last = place.row == count - 1
    ends = not langkah.exits or langkah.exits == (Exit(()),)
    if langkah.is_decision:
        yes, no = langkah.exits
        decision = {"ya": refer(yes), "tidak": refer(no)}
        if (yes.label, no.label) != names.DEFAULT_LABELS:
            decision["label"] = [yes.label, no.label]
        data["keputusan"] = decision
    elif langkah.exits == () and not last or langkah.exits == (Exit(()),):
        data["lanjut"] = names.END
    elif langkah.exits and langkah.exits != (Exit((Target(place.row + 1),)),):
        data["lanjut"] = refer(langkah.exits[0])
    if langkah.simbol != names.default_symbol(langkah.is_decision, langkah.mulai, ends and not langkah.is_decision):
        data["simbol"] = langkah.simbol
    return data


# --- plain data -> new text ---------------------------------------------------------

def new_text(data: dict, kind: str = SOP) -> str:
    """Return *data* as the text of a new file, ordered and commented like the scaffold."""
    comments = _scaffold_comments(kind)
    seen: set[tuple] = set()
    document = _commented(data, (), comments, seen, kind)
    for group in _GROUPS[kind]:
        first = next((key for key in group if key in document), None)
        if first is not None and first != next(iter(document)):
            document.yaml_set_comment_before_after_key(first, before="\n")
    return f"# {_scaffold_header(kind)}\n\n" + _dump(_yaml(), document)


def new_unit_text(title: str, nested: bool) -> str:
    """Return the unit.yaml of a new unit called *title*: the scaffold, or only its name when *nested*.

    A nested unit (the folder above holds a unit file, so the chain gives it the
    rest: pemerintah, signer) writes only what is its own.
    """
    return new_text({"unit": title}, UNIT) if nested else scaffold.unit_text(title)


def _commented(value: Any, path: tuple, comments: dict, seen: set, kind: str) -> Any:
    """Return *value* as ruamel nodes, each key's first occurrence carrying its scaffold comment."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key in _ordered(value, path, kind):
            key_path = without_indexes(path + (key,))
            node[_key(key)] = _commented(value[key], path + (key,), comments, seen, kind)
            if key_path in comments and key_path not in seen:
                seen.add(key_path)
                text, column = comments[key_path]
                node.yaml_add_eol_comment(text, key, column=column)
        return node
    if isinstance(value, list):
        node = CommentedSeq(_commented(item, path + (i,), comments, seen, kind) for i, item in enumerate(value))
        if _is_short_list(path, value):
            node.fa.set_flow_style()
        return node
    return _scalar(path[-1] if path and isinstance(path[-1], str) else "", value)


def _is_short_list(path: tuple, value: list) -> bool:
    """Say whether *value* reads best inline, as the examples write a row's pelaksana and labels."""
    return not value or (len(path) >= 2 and path[-1] in ("pelaksana", "label", "lanjut", "ya", "tidak")
                         and path[0] == "kegiatan")


def _scalar(key: str, value: Any) -> Any:
    """Return *value* quoted where the reader would otherwise misread it (nomor and NIP always, as the scaffold)."""
    if not isinstance(value, str):
        return value
    if key in _QUOTED_KEYS or not quoting.reads_plain(value):
        return DoubleQuotedScalarString(value)
    return value


def _key(key: Any) -> Any:
    """Return *key* quoted where a reader would take it for something else than its text (``no:`` is False)."""
    return key if not isinstance(key, str) or quoting.reads_plain(key) else DoubleQuotedScalarString(key)


def _ordered(value: dict, path: tuple, kind: str) -> list:
    order = [key.name for key in _keys_at(path, kind)]
    return sorted(value, key=lambda k: order.index(k) if k in order else len(order))


def _keys_at(path: tuple, kind: str) -> tuple[fields.Key, ...]:
    """Return the keys the format allows at *path* (list indexes included)."""
    names = without_indexes(path)
    if not names:
        return fields.SOP_KEYS if kind == SOP else fields.UNIT_KEYS
    tables = {
        ("kegiatan",): fields.ROW_KEYS,
        ("kegiatan", "keputusan"): fields.DECISION_KEYS,
        ("kegiatan", "langkah"): fields.LANGKAH_KEYS,
        ("kegiatan", "langkah", "keputusan"): fields.DECISION_KEYS,
        ("judul",): fields.JUDUL_KEYS,
        ("revisi",): fields.REVISION_KEYS,
        ("keputusan",): fields.DECREE_KEYS,
    }
    if names[-1] == "disahkan_oleh":
        return fields.SIGNER_KEYS
    return tables.get(names, ())


@functools.cache
def _scaffold_comments(kind: str) -> dict[tuple, tuple[str, int]]:
    """Return each key path's comment in the scaffold (first line only) and its column."""
    document = YAML().load(_scaffold_text(kind))
    found: dict[tuple, tuple[str, int]] = {}
    _collect_comments(document, (), found)
    # Placeholders filled in shift a few comments; align each depth on its usual column.
    columns: dict[int, list[int]] = {}
    for path, (_, column) in found.items():
        columns.setdefault(len(path), []).append(column)
    usual = {depth: max(set(cols), key=cols.count) for depth, cols in columns.items()}
    return {path: (text, usual[len(path)]) for path, (text, _) in found.items() if path not in _SKIPPED_COMMENTS}


def _collect_comments(node: Any, path: tuple, found: dict) -> None:
    if isinstance(node, CommentedSeq):
        for item in node:
            _collect_comments(item, path, found)
        return
    if not isinstance(node, CommentedMap):
        return
    for key, value in node.items():
        token = (node.ca.items.get(key) or [None] * 3)[2]
        if token is not None and token.value.strip().startswith("#"):
            found.setdefault(path + (key,), (token.value.strip().split("\n")[0], token.column))
        _collect_comments(value, path + (key,), found)


def _scaffold_text(kind: str) -> str:
    if kind == SOP:
        return scaffold.sop_text("Contoh", "contoh.yaml", _SCAFFOLD_DAY)
    return scaffold.unit_text("Contoh")


def _scaffold_header(kind: str) -> str:
    first = _scaffold_text(kind).splitlines()[0]
    return first.lstrip("# ")


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=mapping, sequence=sequence, offset=offset)
    return handler


def _dump(handler: YAML, document: Any) -> str:
    buffer = io.StringIO()
    handler.dump(document, buffer)
    return buffer.getvalue()


# --- plain data -> edited text -------------------------------------------------------

def updated_text(old_text: str, data: dict, rows: dict[int, int] | None = None) -> str:
    """Return *old_text* with only the values that differ from *data* changed.

    Keys missing from *data* are removed unless they mean their default; every
    comment, quote and line that does not change is kept byte for byte. *rows*
    pairs kegiatan the caller knows (new index -> old index; see match_rows).
    """
    crlf = "\r\n" in old_text
    text = old_text.replace("\r\n", "\n")
    handler = _yaml(*_indentation(text))
    try:
        document = handler.load(text)
    except (RuamelError, ValueError) as exc:
        raise UnreadableText(str(exc)) from None
    if not isinstance(document, CommentedMap):
        raise UnreadableText("the file is not a mapping")
    kind = SOP if "kegiatan" in data or "kegiatan" in document else UNIT
    before = _dump(handler, document)
    _unshare(document, data, (), _shared(document), kind)
    if not _update_map(document, data, (), None, kind, rows):
        return old_text
    after = _dump(handler, document)
    result = _keep_unchanged_lines(text, before, after)
    return result.replace("\n", "\r\n") if crlf else result


def _shared(document: CommentedMap) -> set[int]:
    """Return the ids of the lists and mappings the file writes once (``&dh``) and uses again (``*dh``)."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if not isinstance(node, (CommentedMap, CommentedSeq)):
            continue
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        stack.extend(node.values() if isinstance(node, CommentedMap) else node)
    return shared


def _unshare(node: Any, new: Any, path: tuple, shared: set[int], kind: str) -> None:
    """Give every shared list or mapping below *node* that *new* changes a copy of its own, in place.

    Edited where it stands, a list written once and used again through an alias
    would change at every use, and the next key, unchanged, would change it back:
    the edit would be lost without a word. The copy is written out in full; the
    other uses keep the anchor and their old values.
    """
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        places = [(key, new[key]) for key in node if key in new]
    elif isinstance(node, CommentedSeq) and isinstance(new, list):
        places = list(enumerate(new[:len(node)]))
    else:
        return
    for place, value in places:
        child = node[place]
        if not isinstance(child, (CommentedMap, CommentedSeq)) or same(path + (place,), child, value, None):
            continue
        if id(child) in shared:
            node[place] = _commented(_plain(child), path + (place,), {}, set(), kind)
        else:
            _unshare(child, value, path + (place,), shared, kind)


def _indentation(text: str) -> tuple[int, int, int]:
    """Return the file's mapping indent, sequence indent and dash offset (scaffold style when unsure)."""
    mapping = re.search(r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( +)[^\s#-]", text, re.M)
    sequence = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)-( +)\S", text, re.M)
    indent = len(mapping.group(1)) if mapping else 2
    if not sequence:
        return indent, 4, 2
    offset = len(sequence.group(2)) - len(sequence.group(1))
    return indent, offset + 1 + len(sequence.group(3)), offset


def _update_map(node: CommentedMap, new: dict, path: tuple, rows: RowMatch | None, kind: str,
                known: dict[int, int] | None = None) -> bool:
    """Bring *node* in line with *new*; return whether anything changed."""
    changed = False
    for key in [k for k in node if k not in new]:
        if not same(path + (key,), node[key], None, rows):
            _delete(node, key)
            changed = True
    for key, value in new.items():
        key_path = path + (key,)
        if key in node:
            changed |= _update_value(node, key, value, key_path, rows, kind, known)
        elif not same(key_path, None, value, rows):
            node.insert(_position(node, key, path, kind), _key(key), _commented(value, key_path, {}, set(), kind))
            changed = True
    return changed


def _delete(node: CommentedMap, key: Any) -> None:
    """Delete *key*, keeping the comment lines below it: they speak of what follows."""
    keys = list(node)
    token = (node.ca.items.get(key) or [None] * 3)[2]
    del node[key]
    position = keys.index(key)
    if token is None or position == 0:
        return
    _, _, below = token.value.partition("\n")
    if not below.strip():
        return
    entry = node.ca.items.setdefault(keys[position - 1], [None, None, None, None])
    if entry[2] is None:
        token.value = "\n" + below
        entry[2] = token
    else:
        entry[2].value = entry[2].value.rstrip("\n") + "\n" + below


def _update_value(node: CommentedMap, key: str, value: Any, path: tuple, rows: RowMatch | None, kind: str,
                  known: dict[int, int] | None = None) -> bool:
    old = node[key]
    if path == ("kegiatan",) and isinstance(old, CommentedSeq) and isinstance(value, list):
        return _update_rows(old, value, kind, known)
    if same(path, old, value, rows):
        return False
    if isinstance(old, CommentedMap) and isinstance(value, dict):
        changed = _update_map(old, value, path, rows, kind)
        if path == ("pelaksana",):
            for actor in value:     # the lanes' order; each key keeps its comments
                old.move_to_end(actor)
        return changed or path == ("pelaksana",)
    if isinstance(old, CommentedSeq) and isinstance(value, list) and not any(isinstance(v, dict) for v in value):
        old[:] = [_scalar("", item) for item in value]
    elif _same_shape(old, value):
        # Entries edited in place (a revision's note) keep their comments.
        for i, item in enumerate(value):
            _update_map(old[i], item, path + (i,), rows, kind)
    else:
        node[key] = _like(old, _commented(value, path, {}, set(), kind))
    return True


def _same_shape(old: Any, new: Any) -> bool:
    """Say whether *old* and *new* are lists of mappings of the same length."""
    return (isinstance(old, CommentedSeq) and isinstance(new, list) and len(old) == len(new)
            and all(isinstance(a, CommentedMap) and isinstance(b, dict) for a, b in zip(old, new)))


def _like(old: Any, new: Any) -> Any:
    """Return *new* in the quoting style of *old* where both are text."""
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(str(new))
    return new


def _update_rows(node: CommentedSeq, new_rows: list, kind: str, known: dict[int, int] | None) -> bool:
    rows = match_rows([_plain(item) for item in node], new_rows, known)
    items = []
    changed = len(new_rows) != len(node)
    for j, row in enumerate(new_rows):
        i = rows.pairs.get(j)
        if i is None or not isinstance(node[i], CommentedMap):
            items.append(_commented(row, ("kegiatan", j), {}, set(), kind))
            changed = True
            continue
        changed |= i != j
        changed |= _update_map(node[i], row, ("kegiatan", j), rows, kind)
        items.append(node[i])
    if [id(item) for item in items] != [id(item) for item in node]:
        node[:] = items
    return changed


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _position(node: CommentedMap, key: str, path: tuple, kind: str) -> int:
    """Return where *key* goes in *node*: after the last key that comes before it in the format."""
    order = [k.name for k in _keys_at(path, kind)]
    if key not in order:
        return len(node)
    earlier = set(order[:order.index(key)])
    positions = [i for i, existing in enumerate(node) if existing in earlier]
    return positions[-1] + 1 if positions else 0


def _keep_unchanged_lines(text: str, before: str, after: str) -> str:
    """Return *after* with every line ruamel did not change taken from *text* as written.

    ruamel re-spells a few things it does not change (``null`` becomes empty); each
    line of its unedited dump (*before*) stands for the same line of *text*.
    """
    original, dumped, edited = text.splitlines(True), before.splitlines(True), after.splitlines(True)
    if len(original) != len(dumped):
        return after
    result = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, dumped, edited, autojunk=False).get_opcodes():
        result += original[i1:i2] if tag == "equal" else edited[j1:j2]
    merged = "".join(result)
    return merged if _same_yaml(merged, after) else after


def _same_yaml(a: str, b: str) -> bool:
    try:
        return yaml.safe_load(a) == yaml.safe_load(b)
    except (yaml.YAMLError, ValueError):
        return False


# --- one file on disk ----------------------------------------------------------------

def save(path: Path, data: dict, kind: str = SOP, backup: bool = True,
         rows: dict[int, int] | None = None) -> list[str]:
    """Write *data* to *path* (new, or changing only what changed); return the changes.

    An existing file that changes is first kept as its newest backup
    (``NAME.yaml.bak``, the older ones moving back: fsutil.backups), written with
    the new file all or nothing. A file whose old text cannot be edited in place is
    written anew (after the same backup). *rows* pairs kegiatan the caller knows,
    as in :func:`updated_text`.
    """
    try:
        raw = yamlsafe.read_bytes(path) if path.exists() else None    # never a pipe or a device: it would hang
    except yamlsafe.YamlLoadError as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}") from None
    new, lines = edited(path, raw, data, kind, rows)
    if new is None:
        return []
    if raw is None:
        fsutil.write_atomic(path, new)
        return lines
    mode = stat.S_IMODE(path.stat().st_mode)
    if refused := read_only(path, mode, "disimpan", "diubah"):
        raise SopdocError(refused)
    kept = fsutil.backups(path, path, raw, mode) if backup else []
    fsutil.write_all([*kept, fsutil.Change(path, path, new, mode)])
    return lines


def edited(path: Path, raw: bytes | None, data: dict, kind: str = SOP, rows: dict[int, int] | None = None,
           old: yamlsafe.Document | None = None) -> tuple[bytes | None, list[str]]:
    """Return what the file *path*, now holding *raw* (None: no file yet), should hold to say *data*, and the changes.

    The bytes are None when the file already says *data* word for word: there is
    nothing to write. Nothing is read or written here. *old* is *raw* already
    read as YAML, when the caller has it.
    """
    if raw is None:
        return new_text(data, kind).encode("utf-8"), []
    bom = BOM if raw.startswith(BOM.encode("utf-8")) else ""
    old_text = raw.decode("utf-8-sig")
    try:
        text = updated_text(old_text, data, rows)
        old_data = (old or yamlsafe.parse(old_text, path)).data
    except (UnreadableText, yamlsafe.YamlLoadError):
        text, old_data = new_text(data, kind), {}
    if text == old_text:
        return None, []
    return (bom + text).encode("utf-8"), changes(old_data if isinstance(old_data, dict) else {}, data, rows)
