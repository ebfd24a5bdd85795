"""Compare definition data by what it means, match rows, and say what changed.

Plain data follows the reader's meaning, not its spelling: a missing key, an empty
value and a key's default mean the same, a date may be written as a date or as
text, and a jump is equal to another that leads to the same row.
"""

from __future__ import annotations

import datetime
import difflib
import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sopdoc.definition import fields
from sopdoc.definition.model import Tanggal
from sopdoc.definition.names import DEFAULT_LABELS, END, NEXT, automatic_number, default_symbol

_DATE_KEYS = fields.of_kind(fields.TANGGAL)
_LIST_KEYS = fields.of_kind(fields.DAFTAR_TEKS)
_TARGET_PATHS = {(*row, *flow) for row in (("kegiatan",), ("kegiatan", "langkah"))
                 for flow in (("lanjut",), ("keputusan", "ya"), ("keputusan", "tidak"))}


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
    def new_ids(self) -> dict[str, tuple[int, int]]:
        return _ids(self.new)

    @functools.cached_property
    def old_ids(self) -> dict[str, tuple[int, int]]:
        return _ids(self.old)

    @functools.cached_property
    def old_to_new(self) -> dict[int, int]:
        return {old: new for new, old in self.pairs.items()}


def _ids(rows: list[dict]) -> dict[str, tuple[int, int]]:
    """Return where each id is: its row and its place among the row's symbols."""
    return {str(symbol["id"]): (i, n) for i, row in enumerate(rows) for n, symbol in enumerate(_symbols(row))
            if symbol.get("id") is not None}


def _symbols(row: Any) -> list[dict]:
    """Return the symbols a row's data holds: its langkah, or the row itself."""
    if not isinstance(row, dict):
        return []
    steps = row.get("langkah")
    if isinstance(steps, list):
        return [step if isinstance(step, dict) else {} for step in steps]
    return [row]


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
    if names[:1] == ("kegiatan",) and key == "label" and isinstance(value, list):
        return _labels(value)       # "" is a label left out on purpose, not an empty value
    if names == ("kegiatan", "nomor") and rows is not None:
        return _printed(value, path[1], rows.new)
    if key == "keputusan" and names[:1] == ("kegiatan",) and isinstance(value, dict) and rows is not None:
        return {part: _meaning(path + (part,), value.get(part), rows) for part in ("ya", "tidak", "label")}
    if names == ("kegiatan", "langkah") and isinstance(value, list) and rows is not None:
        return [{part: _meaning(path + (n, part), item.get(part), rows) for part in fields.SYMBOL_KEY_NAMES}
                if isinstance(item, dict) else item for n, item in enumerate(value)]
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
    """Return a row field's meaning in the new rows: jumps as the place of the symbol they reach."""
    index = path[1]
    key = names[-1]
    if key == "pelaksana" and isinstance(value, str):
        return [value]
    if key == "label" and value is None:
        return list(DEFAULT_LABELS)
    if names in _TARGET_PATHS:
        return _target(value, index, rows.new_ids)
    if names in (("kegiatan", "simbol"), ("kegiatan", "langkah", "simbol")) and value is None:
        return _default_symbol(rows.new, index, path[3] if len(path) > 4 else 0)
    return value


def _printed(value: Any, index: int, rows: list[dict]) -> str:
    """Return what the No cell of row *index* prints: its nomor as written ("" too), else the automatic number."""
    if value is not None:
        return str(value).strip()
    printed: list[str] = []
    for row in rows[:index]:
        written = row.get("nomor") if isinstance(row, dict) else None
        printed.append(automatic_number(printed) if written is None else str(written).strip())
    return automatic_number(printed)


def _default_symbol(rows: list[dict], index: int, n: int) -> str:
    """Return the symbol the reader gives symbol *n* of row *index* when it names none."""
    symbols = _symbols(rows[index]) if index < len(rows) else []
    symbol = symbols[n] if n < len(symbols) else {}
    jump = norm(symbol.get("lanjut"))
    is_decision = symbol.get("keputusan") is not None
    reached_beside = index == 0 and symbol.get("id") is not None and any(
        str(symbol["id"]) in map(str, _flow_values(other)) for m, other in enumerate(symbols) if m != n)
    is_end = not is_decision and (jump == END or jump is None and index == len(rows) - 1)
    return default_symbol(is_decision, index == 0 and not reached_beside, is_end)


def _flow_values(symbol: dict) -> list:
    """Return every target a symbol's data names (lanjut, ya, tidak; the items of a fork)."""
    decision = symbol.get("keputusan") if isinstance(symbol.get("keputusan"), dict) else {}
    values = [symbol.get("lanjut"), decision.get("ya"), decision.get("tidak")]
    return [v for value in values for v in (value if isinstance(value, list) else [value]) if v is not None]


def _target(value: Any, index: int, ids: dict[str, tuple[int, int]]) -> Any:
    """Return where a flow value leads: (row, symbol), the end, or a fork's targets; an unknown id as itself."""
    if isinstance(value, list):
        return tuple(_target(item, index, ids) for item in value)
    if value is None or value == NEXT:
        return (index + 1, 0)
    if value == END:
        return END
    return ids.get(str(value), str(value))


def same(path: tuple, old: Any, new: Any, rows: RowMatch | None) -> bool:
    if path == ("pelaksana",) and _actor_order(old) != _actor_order(new):
        return False    # the order of pelaksana is the order of the lanes
    return _meaning(path, old, rows) == _meaning(path, new, rows)


def _actor_order(value: Any) -> list:
    return [str(key) for key in value] if isinstance(value, dict) else []


@dataclass(frozen=True)
class _Words:
    """How the lines name things as the document prints them: headings, jabatan, row numbers."""

    headings: dict[str, str]
    jabatan: dict[str, str]             # pelaksana key -> jabatan, the new name over the old
    old_numbers: list[str]              # the No each old row prints
    new_numbers: list[str]

    def field(self, names: tuple) -> str:
        return fields.label(tuple(str(n) for n in names), self.headings)

    def row(self, index: int, new: bool = True, word: str = "Kegiatan") -> str:
        """Name a row by the No it prints: "Kegiatan 3", "Kegiatan 2a"; "Kegiatan tanpa nomor di baris ke-4"."""
        printed = (self.new_numbers if new else self.old_numbers)[index]
        return f"{word} {printed}" if printed else f"{word} tanpa nomor di baris ke-{index + 1}"

    def actors(self, keys: Any) -> Any:
        """Return pelaksana *keys* (one or a list) as their jabatan; a key no list names stays as it is."""
        if isinstance(keys, list):
            return [self.actors(key) for key in keys]
        return self.jabatan.get(str(keys), keys) if keys is not None else None


def _words(old_data: dict, new_data: dict, rows: RowMatch) -> _Words:
    judul = new_data.get("judul")
    renamed = {str(k): str(v) for k, v in judul.items() if v} if isinstance(judul, dict) else {}
    jabatan = {}
    for actors in (old_data.get("pelaksana"), new_data.get("pelaksana")):
        if isinstance(actors, dict):
            jabatan.update({str(k): str(v).strip() for k, v in actors.items() if isinstance(v, str) and v.strip()})
    return _Words({**fields.HEADINGS, **renamed}, jabatan, fields.printed_numbers(rows.old),
                  fields.printed_numbers(rows.new))


def changes(old_data: dict, new_data: dict, known: dict[int, int] | None = None) -> list[str]:
    """Return, in Indonesian, each difference between two definitions' data (rows paired as in match_rows).

    Fields are named as the document prints them, rows by their No, pelaksana by jabatan.
    """
    lines: list[str] = []
    rows = match_rows(old_data.get("kegiatan") or [], new_data.get("kegiatan") or [], known)
    words = _words(old_data, new_data, rows)
    for key in dict.fromkeys([*old_data, *new_data]):
        if key == "kegiatan":
            lines += _row_changes(rows, words)
        else:
            lines += _field_changes((key,), old_data.get(key), new_data.get(key), None, words)
    old_order, new_order = _actor_order(old_data.get("pelaksana")), _actor_order(new_data.get("pelaksana"))
    if old_order != new_order and sorted(old_order) == sorted(new_order):
        shown = ", ".join(_shown(words.actors(key)) for key in new_order)
        lines.append(f"{words.field(('pelaksana',))}: urutan kolom menjadi {shown}")
    return lines


def _field_changes(path: tuple, old: Any, new: Any, rows: RowMatch | None, words: _Words) -> list[str]:
    if same(path, old, new, rows):
        return []
    names = without_indexes(path)
    old_meaning, new_meaning = _meaning(path, old, rows), _meaning(path, new, rows)
    if names == ("pelaksana",) and (isinstance(old, dict) or isinstance(new, dict)):
        return _actor_changes(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, words)
    if isinstance(old_meaning, dict) or isinstance(new_meaning, dict):
        old_map, new_map = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        return [line for key in dict.fromkeys([*old_map, *new_map])
                for line in _field_changes(path + (key,), old_map.get(key), new_map.get(key), rows, words)]
    label = words.field(names)
    if names == ("kegiatan", "uraian"):
        label = words.row(path[1])      # the row's text is what its heading, Kegiatan, prints
    elif names[:1] == ("kegiatan",) and len(path) >= 3:
        label = f"{words.row(path[1])} ({label})"
    if names == ("kegiatan", "pelaksana"):
        return [f"{label}: {_listed(words.actors(old_meaning))} menjadi {_listed(words.actors(new_meaning))}"]
    if isinstance(old_meaning, list | None) and isinstance(new_meaning, list | None) and path[-1] != "label":
        return _list_changes(label, old_meaning or [], new_meaning or [], names)
    return [f"{label}: {_shown(old_meaning, names)} menjadi {_shown(new_meaning, names)}"]


def _actor_changes(old: dict, new: dict, words: _Words) -> list[str]:
    """Say which pelaksana columns came, went or were renamed, by jabatan."""
    label = words.field(("pelaksana",))
    lines = []
    for key in dict.fromkeys([*old, *new]):
        before, after = norm(old.get(key)), norm(new.get(key))
        if before == after:
            continue
        if before is None:
            lines.append(f"{label} baru: {_shown(after)}")
        elif after is None:
            lines.append(f"{label} dihapus: {_shown(before)}")
        else:
            lines.append(f"{label}: {_shown(before)} menjadi {_shown(after)}")
    return lines


def _list_changes(label: str, old: list, new: list, names: tuple = ()) -> list[str]:
    # Items compared as they are shown: a revision is a dict, which SequenceMatcher cannot hash.
    old_shown, new_shown = [_shown(item, names) for item in old], [_shown(item, names) for item in new]
    opcodes = difflib.SequenceMatcher(None, old_shown, new_shown, autojunk=False).get_opcodes()
    changed = [op for op in opcodes if op[0] != "equal"]
    # An item taken out in one place and put in another moved: one line, not a deletion and an addition.
    moved = Counter(old_shown[i] for op in changed for i in range(op[1], op[2])) & \
        Counter(new_shown[j] for op in changed for j in range(op[3], op[4]))
    # Items replaced one for one are edits, unless one of them moved.
    edited = [op for op in changed if op[0] == "replace" and op[2] - op[1] == op[4] - op[3]
              and not any(old_shown[i] in moved for i in range(op[1], op[2]))
              and not any(new_shown[j] in moved for j in range(op[3], op[4]))]
    unsaid = moved.copy()
    lines = []
    for tag, i1, i2, j1, j2 in opcodes:
        if (tag, i1, i2, j1, j2) in edited:
            lines += [f"{label} butir {j + 1}: {old_shown[i]} menjadi {new_shown[j]}"
                      for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        if tag == "equal":
            continue
        for i in range(i1, i2):
            if unsaid[old_shown[i]]:
                unsaid[old_shown[i]] -= 1
            else:
                lines.append(f"{label}: butir dihapus {old_shown[i]}")
        for j in range(j1, j2):
            if moved[new_shown[j]]:
                moved[new_shown[j]] -= 1
                lines.append(f"{label}: butir {new_shown[j]} dipindah menjadi butir {j + 1}")
            else:
                lines.append(f"{label}: butir baru {new_shown[j]}")
    return lines


def _row_changes(rows: RowMatch, words: _Words) -> list[str]:
    lines = []
    paired_old = set(rows.pairs.values())
    for i, row in enumerate(rows.old):
        if i not in paired_old:
            lines.append(f"{words.row(i, new=False)} lama dihapus: {row.get('uraian')}")
    for j, row in enumerate(rows.new):
        i = rows.pairs.get(j)
        if i is None:
            lines.append(f"{words.row(j)} baru: {row.get('uraian')}")
            continue
        if j in rows.moved:
            lines.append(f"{words.row(i, new=False)} dipindah menjadi {words.row(j, word='kegiatan')}: "
                         f"{row.get('uraian')}")
        lines += _one_row_changes(i, j, rows, words)
    return lines


def _one_row_changes(i: int, j: int, rows: RowMatch, words: _Words) -> list[str]:
    old, new = rows.old[i], rows.new[j]
    lines = []
    for key in dict.fromkeys([*old, *new]):
        if key in ("lanjut", "keputusan", "langkah"):
            continue
        lines += _field_changes(("kegiatan", j, key), old.get(key), new.get(key), rows, words)
    old_symbols, new_symbols = _shapes(old, j, rows, words), _shapes(new, j, rows, words)
    if old_symbols != new_symbols:
        lines.append(f"{words.row(j)} ({words.field(('kegiatan', 'simbol'))}): {_listed(old_symbols, quoted=False)} "
                     f"menjadi {_listed(new_symbols, quoted=False)}")
    # A row that simply goes on to the next one is no news when rows around it change.
    if _explicit_flow(old) or _explicit_flow(new):
        old_flow = _flow(old, i, len(rows.old), rows.old_ids, rows.old_to_new)
        new_flow = _flow(new, j, len(rows.new), rows.new_ids, None)
        if old_flow != new_flow:
            lines.append(f"{words.row(j)} ({words.field(('kegiatan', 'lanjut'))}): {_shown_flow(old_flow, words)} "
                         f"menjadi {_shown_flow(new_flow, words)}")
    return lines


def _shapes(row: dict, index: int, rows: RowMatch, words: _Words) -> list[str] | None:
    """Return the symbols of a row written with langkah, as "jabatan (simbol)"; None for a row of one symbol."""
    if "langkah" not in row:
        return None
    found = []
    for n, symbol in enumerate(_symbols(row)):
        actors = _meaning(("kegiatan", index, "langkah", n, "pelaksana"), symbol.get("pelaksana"), rows) or []
        shape = norm(symbol.get("simbol")) or _default_symbol(rows.new, index, n)
        found.append(f"{' + '.join(map(str, words.actors(actors)))} ({shape})")
    return found


def _explicit_flow(row: dict) -> bool:
    return any(symbol.get("lanjut") is not None or symbol.get("keputusan") is not None for symbol in _symbols(row))


_UNSET = object()       # a decision branch the data leaves empty


def _flow(row: dict, index: int, count: int, ids: dict[str, tuple[int, int]], to_new: dict[int, int] | None) -> tuple:
    """Return where a row's symbols lead, in new row indexes: per symbol ("lanjut", to) or ("keputusan", yes, no,
    labels), a target being (row, symbol), the end, or a fork's tuple of targets. A symbol of the last row that names
    no way on ends the flow."""
    def reach(value: Any) -> Any:
        if value is None and index == count - 1:
            return END
        return _renumbered(_target(norm(value), index, ids), to_new)

    flows = []
    for symbol in _symbols(row):
        decision = symbol.get("keputusan")
        if isinstance(decision, dict):
            labels = _labels(decision.get("label"))
            # A branch left empty goes nowhere yet (the reader asks for it), not to the next row.
            yes, no = (_UNSET if decision.get(key) is None else reach(decision.get(key)) for key in ("ya", "tidak"))
            flows.append(("keputusan", yes, no, tuple(labels)))
        else:
            flows.append(("lanjut", reach(symbol.get("lanjut"))))
    return tuple(flows)


def _renumbered(target: Any, to_new: dict[int, int] | None) -> Any:
    if isinstance(target, tuple) and target and isinstance(target[0], tuple):
        return tuple(_renumbered(t, to_new) for t in target)
    if to_new is None or not isinstance(target, tuple):
        return target
    row = to_new.get(target[0])
    return None if row is None else (row, target[1])


def _labels(value: Any) -> list[str]:
    """Return a decision's labels as the reader takes them: ["", ""] prints none; missing means Ya / Tidak."""
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    return list(DEFAULT_LABELS)


def _shown_flow(flow: tuple, words: _Words) -> str:
    def number(target: Any) -> str:
        if target is _UNSET:
            return "(belum diisi)"
        if target is None:
            return "kegiatan yang dihapus"
        if target == END:
            return f"'{END}'"
        if isinstance(target, tuple) and target and isinstance(target[0], tuple):
            return "[" + ", ".join(number(t) for t in target) + "]"
        if isinstance(target, tuple):
            row = words.row(target[0], word="kegiatan") if target[0] < len(words.new_numbers) else \
                f"kegiatan {target[0] + 1}"     # past the last row: the row after it, which does not exist
            return row + (f" simbol ke-{target[1] + 1}" if target[1] else "")
        return f"'{target}'"

    def one(symbol: tuple) -> str:
        if symbol[0] == "lanjut":
            return f"lanjut ke {number(symbol[1])}"
        labels = symbol[3]
        return f"{labels[0] or 'cabang 1'} ke {number(symbol[1])}, {labels[1] or 'cabang 2'} ke {number(symbol[2])}"

    return "; ".join(one(symbol) for symbol in flow)


def _listed(values: Any, quoted: bool = True) -> str:
    """Return the items of a list as a sentence names them ("A", "B" dan "C"); an empty list or None as (kosong)."""
    if not values:
        return "(kosong)"
    items = [_shown(v) if quoted else str(v) for v in (values if isinstance(values, list) else [values])]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " dan " + items[-1]


def _shown(value: Any, names: tuple = ()) -> str:
    if value is None:
        return "(kosong)"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v, names) for v in value) + "]"
    if isinstance(value, dict):     # a revision, say: its fields by their labels, never a Python dict
        return "(" + ", ".join(f"{fields.own_label((*map(str, names), str(key)))} {_shown(item)}"
                               for key, item in value.items()) + ")"
    return f'"{value}"'
