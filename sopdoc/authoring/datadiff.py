"""Compare definition data by what it means, match rows, and say what changed.

Plain data follows the reader's meaning, not its spelling: a missing key, an empty
value and a key's default mean the same, a date may be written as a date or as
text, and a jump is equal to another that leads to the same row.
"""

from __future__ import annotations

import datetime
import difflib
import functools
from dataclasses import dataclass
from typing import Any

from sopdoc.definition import fields
from sopdoc.definition.model import Tanggal
from sopdoc.definition.names import DEFAULT_LABELS, NEXT, default_symbol

_DATE_KEYS = fields.of_kind(fields.TANGGAL)
_LIST_KEYS = fields.of_kind(fields.DAFTAR_TEKS)


def without_indexes(path: tuple) -> tuple:
    """Return *path* without its list indexes: ("kegiatan", 3, "waktu") -> ("kegiatan", "waktu")."""
    return tuple(part for part in path if not isinstance(part, int))


@dataclass
class RowMatch:
    """Old and new rows of one SOP, matched: new index -> old index."""

    old: list[dict]
    new: list[dict]
    pairs: dict[int, int]
    moved: set[int]

    @functools.cached_property
    def new_ids(self) -> dict[str, int]:
        return _ids(self.new)

    @functools.cached_property
    def old_ids(self) -> dict[str, int]:
        return _ids(self.old)

    @functools.cached_property
    def old_to_new(self) -> dict[int, int]:
        return {old: new for new, old in self.pairs.items()}


def _ids(rows: list[dict]) -> dict[str, int]:
    return {str(row["id"]): i for i, row in enumerate(rows) if isinstance(row, dict) and row.get("id") is not None}


def match_rows(old: list, new: list, known: dict[int, int] | None = None) -> RowMatch:
    """Match rows: the *known* pairs (new index -> old index, as an editor that moved them knows),
    then the others by their uraian: in order first, then rows found elsewhere, then edits in place."""
    old_rows = [row if isinstance(row, dict) else {} for row in old]
    new_rows = [row if isinstance(row, dict) else {} for row in new]
    pairs = {j: i for j, i in (known or {}).items() if 0 <= j < len(new_rows) and 0 <= i < len(old_rows)}
    if len(set(pairs.values())) != len(pairs):
        pairs = {}
    free_old = [i for i in range(len(old_rows)) if i not in pairs.values()]
    free_new = [j for j in range(len(new_rows)) if j not in pairs]
    found = _match_uraian([norm(old_rows[i].get("uraian")) for i in free_old],
                          [norm(new_rows[j].get("uraian")) for j in free_new])
    pairs.update({free_new[j]: free_old[i] for j, i in found.items()})
    return RowMatch(old_rows, new_rows, pairs, _moved(pairs))


def _match_uraian(a: list, b: list) -> dict[int, int]:
    pairs: dict[int, int] = {}
    blocks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(j1, j2), range(i1, i2)))
        else:
            blocks.append((list(range(i1, i2)), list(range(j1, j2))))
    loose_old = sorted(i for olds, _ in blocks for i in olds)
    for _, news in blocks:
        for j in list(news):
            i = next((i for i in loose_old if a[i] == b[j]), None)
            if i is not None:
                pairs[j] = i
                loose_old.remove(i)
                news.remove(j)
    for olds, news in blocks:
        pairs.update(zip(news, [i for i in olds if i in loose_old]))
    return pairs


def _moved(pairs: dict[int, int]) -> set[int]:
    """Return the new indexes of rows that moved: those outside the longest run kept in order.

    Among equally long runs, the one keeping more rows at their old number wins, so
    a person reads "row 2 moved to 4" rather than "row 3 moved to 3".
    """
    order = sorted(pairs.items())
    if all(a[1] < b[1] for a, b in zip(order, order[1:])):
        return set()
    score: list[int] = []
    back: list[int | None] = []
    for k, (j, i) in enumerate(order):
        gain = 1000 + (i == j)
        best, link = gain, None
        for m in range(k):
            if order[m][1] < i and score[m] + gain > best:
                best, link = score[m] + gain, m
        score.append(best)
        back.append(link)
    kept: set[int] = set()
    k = max(range(len(order)), key=score.__getitem__, default=None)
    while k is not None:
        kept.add(order[k][0])
        k = back[k]
    return {j for j, _ in order if j not in kept}


def norm(value: Any, key: str = "") -> Any:
    """Return *value* as the reader understands it: empty is None, numbers are text, dates are words."""
    if key in _DATE_KEYS and isinstance(value, datetime.date):
        return str(Tanggal(value.year, value.month, value.day))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        items = [norm(item) for item in value]
        return [item for item in items if item is not None] or None
    if isinstance(value, dict):
        items = {k: norm(v, str(k)) for k, v in value.items()}
        return {k: v for k, v in items.items() if v is not None} or None
    return value


def _meaning(path: tuple, value: Any, rows: RowMatch | None) -> Any:
    """Return what *value* at *path* means, so that two spellings of one meaning compare equal."""
    names = without_indexes(path)
    key = names[-1] if names else ""
    value = norm(value, key)
    # A top-level key holding its default means the same as a missing key.
    if len(names) == 1 and value is None and key in fields.DEFAULTS:
        return fields.DEFAULTS[key]
    if names[:1] == ("kegiatan",) and len(path) >= 2 and rows is not None:
        return _row_meaning(path, names, value, rows)
    if key in _LIST_KEYS and isinstance(value, str):
        return [value]
    return value


def _row_meaning(path: tuple, names: tuple, value: Any, rows: RowMatch) -> Any:
    """Return a row field's meaning in the new rows: jumps as the index of the row they reach."""
    index = path[1]
    key = names[-1]
    if key == "pelaksana" and isinstance(value, str):
        return [value]
    if key == "label" and value is None:
        return list(DEFAULT_LABELS)
    if names in (("kegiatan", "lanjut"), ("kegiatan", "keputusan", "ya"), ("kegiatan", "keputusan", "tidak")):
        return _target(value, index, rows.new_ids)
    if names == ("kegiatan", "simbol") and value is None:
        row = rows.new[index] if index < len(rows.new) else {}
        return default_symbol(index, len(rows.new), row.get("keputusan") is not None)
    return value


def _target(value: Any, index: int, ids: dict[str, int]) -> int | str | None:
    if value is None or value == NEXT:
        return index + 1
    return ids.get(str(value), str(value))


def same(path: tuple, old: Any, new: Any, rows: RowMatch | None) -> bool:
    if path == ("pelaksana",) and _actor_order(old) != _actor_order(new):
        return False    # the order of pelaksana is the order of the lanes
    return _meaning(path, old, rows) == _meaning(path, new, rows)


def _actor_order(value: Any) -> list:
    return [str(key) for key in value] if isinstance(value, dict) else []


def changes(old_data: dict, new_data: dict, known: dict[int, int] | None = None) -> list[str]:
    """Return, in Indonesian, each difference between two definitions' data (rows paired as in match_rows)."""
    lines: list[str] = []
    rows = match_rows(old_data.get("kegiatan") or [], new_data.get("kegiatan") or [], known)
    for key in dict.fromkeys([*old_data, *new_data]):
        if key == "kegiatan":
            lines += _row_changes(rows)
        else:
            lines += _field_changes((key,), old_data.get(key), new_data.get(key), None)
    old_order, new_order = _actor_order(old_data.get("pelaksana")), _actor_order(new_data.get("pelaksana"))
    if old_order != new_order and sorted(old_order) == sorted(new_order):
        lines.append(f"pelaksana: urutan kolom menjadi {', '.join(new_order)}")
    return lines


def _field_changes(path: tuple, old: Any, new: Any, rows: RowMatch | None) -> list[str]:
    if same(path, old, new, rows):
        return []
    label = _label(path)
    old_meaning, new_meaning = _meaning(path, old, rows), _meaning(path, new, rows)
    if isinstance(old_meaning, dict) or isinstance(new_meaning, dict):
        old_map, new_map = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        return [line for key in dict.fromkeys([*old_map, *new_map])
                for line in _field_changes(path + (key,), old_map.get(key), new_map.get(key), rows)]
    if isinstance(old_meaning, list) and isinstance(new_meaning, list) and path[-1] != "label":
        return _list_changes(label, old_meaning, new_meaning)
    return [f"{label}: {_shown(old_meaning)} menjadi {_shown(new_meaning)}"]


def _list_changes(label: str, old: list, new: list) -> list[str]:
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            lines += [f"{label} butir {j + 1}: {_shown(a)} menjadi {_shown(b)}"
                      for j, a, b in zip(range(j1, j2), old[i1:i2], new[j1:j2])]
            continue
        lines += [f"{label}: butir dihapus {_shown(item)}" for item in old[i1:i2] if tag != "equal"]
        lines += [f"{label}: butir baru {_shown(item)}" for item in new[j1:j2] if tag != "equal"]
    return lines


def _row_changes(rows: RowMatch) -> list[str]:
    lines = []
    paired_old = set(rows.pairs.values())
    for i, row in enumerate(rows.old):
        if i not in paired_old:
            lines.append(f"kegiatan {i + 1} lama dihapus: {row.get('uraian')}")
    for j, row in enumerate(rows.new):
        i = rows.pairs.get(j)
        if i is None:
            lines.append(f"kegiatan {j + 1} baru: {row.get('uraian')}")
            continue
        if j in rows.moved:
            lines.append(f"kegiatan {i + 1} dipindah menjadi kegiatan {j + 1}: {row.get('uraian')}")
        lines += _one_row_changes(i, j, rows)
    return lines


def _one_row_changes(i: int, j: int, rows: RowMatch) -> list[str]:
    old, new = rows.old[i], rows.new[j]
    lines = []
    for key in dict.fromkeys([*old, *new]):
        if key in ("lanjut", "keputusan"):
            continue
        lines += _field_changes(("kegiatan", j, key), old.get(key), new.get(key), rows)
    # A row that simply goes on to the next one is no news when rows around it change.
    if _explicit_flow(old) or _explicit_flow(new):
        old_flow = _flow(old, i, rows.old_ids, rows.old_to_new)
        new_flow = _flow(new, j, rows.new_ids, None)
        if old_flow != new_flow:
            lines.append(f"kegiatan {j + 1} alur: {_shown_flow(old_flow)} menjadi {_shown_flow(new_flow)}")
    return lines


def _explicit_flow(row: dict) -> bool:
    return row.get("lanjut") is not None or row.get("keputusan") is not None


def _flow(row: dict, index: int, ids: dict[str, int], to_new: dict[int, int] | None) -> tuple:
    """Return where a row leads, in new row indexes: ("lanjut", n) or ("keputusan", yes, no, labels)."""
    def reach(value: Any) -> Any:
        target = _target(norm(value), index, ids)
        if to_new is None or not isinstance(target, int):
            return target
        return to_new.get(target)

    decision = row.get("keputusan")
    if isinstance(decision, dict):
        labels = norm(decision.get("label")) or DEFAULT_LABELS
        return ("keputusan", reach(decision.get("ya")), reach(decision.get("tidak")), tuple(labels))
    return ("lanjut", reach(row.get("lanjut")))


def _shown_flow(flow: tuple) -> str:
    def number(target: Any) -> str:
        if target is None:
            return "kegiatan yang dihapus"
        return f"kegiatan {target + 1}" if isinstance(target, int) else f"'{target}'"

    if flow[0] == "lanjut":
        return f"lanjut ke {number(flow[1])}"
    labels = flow[3]
    return f"{labels[0]} ke {number(flow[1])}, {labels[1]} ke {number(flow[2])}"


def _label(path: tuple) -> str:
    if path[0] == "kegiatan" and len(path) >= 3:
        return f"kegiatan {path[1] + 1} " + ".".join(str(p) for p in path[2:])
    return ".".join(str(p) for p in path)


def _shown(value: Any) -> str:
    if value is None:
        return "(kosong)"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):     # a revision, say: its fields by name, never a Python dict
        return "(" + ", ".join(f"{key} {_shown(item)}" for key, item in value.items()) + ")"
    return f'"{value}"'
