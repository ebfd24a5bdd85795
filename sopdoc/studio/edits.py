"""Edits that change a draft's structure: rows, pelaksana and list items.

Each edit is named by the button that asks for it, ``baris-naik:3`` or
``butir-hapus:dasar_hukum[2]``. Jumps name rows by number in a draft, so an
edit that moves rows renumbers every jump: a jump keeps reaching the row it
reached, and a jump to a deleted row is left for the person to choose again.
"""

from __future__ import annotations

from collections.abc import Callable

from sopdoc.definition import names
from sopdoc.definition.reader import MAX_ACTORS
from sopdoc.studio.draft import NO_NUMBER, ORIGIN, OTHER, TARGET_KEYS
from sopdoc.studio.names import BadForm, parse_name


def apply(draft: dict, action: str, new_actor: str = "") -> str | None:
    """Apply *action* to *draft* in place; return a message for the person, if any."""
    verb, _, argument = action.partition(":")
    edit = _EDITS.get(verb)
    if edit is None:
        raise BadForm(f"perintah '{action[:40]}' tidak dikenal")
    return edit(draft, argument, new_actor)


# --- rows -----------------------------------------------------------------------------------

def _row_number(draft: dict, argument: str, extra: int = 0) -> int:
    """Return the row number *argument* names (1 to the row count, plus *extra* past the end)."""
    count = len(draft.get("kegiatan", []))
    if not argument.isdigit() or not 1 <= int(argument) <= count + extra:
        raise BadForm(f"kegiatan nomor {argument[:10]} tidak ada (ada {count} kegiatan)")
    return int(argument)


def blank_row(actors: list[str]) -> dict:
    return {"id": "", "nomor": "", "uraian": "", "pelaksana": actors[:1], "kelengkapan": "", "waktu": "", "output": "",
            "keterangan": "", "simbol": "", "lanjut": "", "keputusan": None, NO_NUMBER: "", OTHER: "", ORIGIN: ""}


def _insert_row(draft: dict, argument: str, _: str) -> None:
    """Insert a blank row at *argument* (a number one past the last adds it at the end)."""
    number = _row_number(draft, argument or str(len(draft["kegiatan"]) + 1), extra=1)
    rows = draft["kegiatan"]
    neighbour = rows[number - 2]["pelaksana"] if number > 1 else list(draft["pelaksana"])
    _renumber(rows, lambda n: n + 1 if n >= number else n)
    rows.insert(number - 1, blank_row(list(neighbour)))


def _delete_row(draft: dict, argument: str, _: str) -> None:
    number = _row_number(draft, argument)
    rows = draft["kegiatan"]
    del rows[number - 1]
    _renumber(rows, lambda n: None if n == number else (n - 1 if n > number else n))


def _move_row(delta: int) -> Callable[[dict, str, str], None]:
    def move(draft: dict, argument: str, _: str) -> None:
        number = _row_number(draft, argument)
        other = number + delta
        rows = draft["kegiatan"]
        if not 1 <= other <= len(rows):
            return
        rows[number - 1], rows[other - 1] = rows[other - 1], rows[number - 1]
        _renumber(rows, lambda n: other if n == number else (number if n == other else n))
    return move


def _renumber(rows: list[dict], mapping: Callable[[int], int | None]) -> None:
    """Point every jump given by row number at the row's new number ('' when that row is gone)."""
    def renumbered(target: str | list[str]) -> str | list[str]:
        if isinstance(target, list):
            return [renumbered(item) for item in target]
        if not target.isdigit():
            return target
        new = mapping(int(target))
        return "" if new is None else str(new)

    for row in rows:
        row["lanjut"] = renumbered(row["lanjut"])
        if row["keputusan"] is not None:
            for key in TARGET_KEYS:
                row["keputusan"][key] = renumbered(row["keputusan"][key])


def _add_together(draft: dict, argument: str, _: str) -> str | None:
    """Give a row one more pelaksana (a row done together), the first not yet in it."""
    row = draft["kegiatan"][_row_number(draft, argument) - 1]
    free = [key for key in draft["pelaksana"] if key not in row["pelaksana"]]
    if not free:
        return "semua pelaksana sudah ada di baris ini"
    row["pelaksana"].append(free[0])
    return None


def _remove_together(draft: dict, argument: str, _: str) -> None:
    number, _, which = argument.partition(":")
    row = draft["kegiatan"][_row_number(draft, number) - 1]
    if not which.isdigit() or not 1 <= int(which) <= len(row["pelaksana"]):
        raise BadForm(f"pelaksana ke-{which[:5]} tidak ada di kegiatan {number}")
    del row["pelaksana"][int(which) - 1]


# --- forks --------------------------------------------------------------------------------

_JUMPS = ("lanjut", *TARGET_KEYS)


def _jump(draft: dict, argument: str) -> tuple[dict, str, str]:
    """Return the holder of the jump *argument* names (``3:lanjut``, ``3:ya``), its key, and what is left."""
    number, _, rest = argument.partition(":")
    row = draft["kegiatan"][_row_number(draft, number) - 1]
    key, _, rest = rest.partition(":")
    holder = row if key == "lanjut" else row["keputusan"]
    if key not in _JUMPS or holder is None:
        raise BadForm(f"alur '{argument[:20]}' tidak ada di kegiatan {number}")
    return holder, key, rest


def _add_branch(draft: dict, argument: str, _: str) -> None:
    """Give a jump one more target: it becomes a fork, one line that splits into an arrow per target."""
    holder, key, _ = _jump(draft, argument)
    value = holder[key]
    if not isinstance(value, list):
        # A plain jump left on its first choice goes on to the next row: in a fork that is said by name.
        value = [value or names.NEXT]
    holder[key] = [*value, ""]


def _remove_branch(draft: dict, argument: str, _: str) -> None:
    holder, key, which = _jump(draft, argument)
    value = holder[key]
    if not isinstance(value, list) or not which.isdigit() or not 1 <= int(which) <= len(value):
        raise BadForm(f"tujuan ke-{which[:5]} tidak ada di percabangan itu")
    del value[int(which) - 1]
    if len(value) == 1:
        holder[key] = "" if key == "lanjut" and value[0] == names.NEXT else value[0]


# --- pelaksana ----------------------------------------------------------------------------

def _add_actor(draft: dict, _: str, name: str) -> str | None:
    """Add a pelaksana column at the right, keyed by its name's words (``kepala-bidang``)."""
    name = " ".join(name.split())
    if not name:
        return "tulis dulu nama jabatan pelaksana yang ditambahkan"
    if len(draft["pelaksana"]) >= MAX_ACTORS:
        return f"paling banyak {MAX_ACTORS} pelaksana muat di satu halaman"
    draft["pelaksana"][names.actor_key(name, draft["pelaksana"])] = name
    return None


def _actor(draft: dict, key: str) -> str:
    if key not in draft["pelaksana"]:
        raise BadForm(f"pelaksana '{key[:30]}' tidak ada")
    return key


def _move_actor(delta: int) -> Callable[[dict, str, str], None]:
    def move(draft: dict, argument: str, _: str) -> None:
        keys = list(draft["pelaksana"])
        at = keys.index(_actor(draft, argument))
        if 0 <= at + delta < len(keys):
            keys[at], keys[at + delta] = keys[at + delta], keys[at]
            draft["pelaksana"] = {key: draft["pelaksana"][key] for key in keys}
    return move


def _remove_actor(draft: dict, argument: str, _: str) -> str | None:
    key = _actor(draft, argument)
    used = [str(n) for n, row in enumerate(draft["kegiatan"], start=1) if key in row["pelaksana"]]
    if used:
        return (f"pelaksana '{draft['pelaksana'][key]}' masih melaksanakan kegiatan {', '.join(used)}; "
                "ganti dulu pelaksana kegiatan itu")
    del draft["pelaksana"][key]
    return None


# --- list items ---------------------------------------------------------------------------

def _list_at(draft: dict, name: str) -> tuple[list, int | None]:
    """Return the list of texts named by *name* and the item index it names, if any."""
    path = parse_name(name)
    index = path[-1] if isinstance(path[-1], int) else None
    node = draft
    for part in path[:-1] if index is not None else path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    if not isinstance(node, list) or not all(isinstance(item, str) for item in node):
        raise BadForm(f"'{name[:60]}' bukan daftar butir")
    if index is not None and index >= len(node):
        raise BadForm(f"butir {index + 1} dari '{name[:60]}' tidak ada")
    return node, index


def _add_item(draft: dict, argument: str, _: str) -> None:
    items, index = _list_at(draft, argument)
    items.insert(len(items) if index is None else index + 1, "")


def _remove_item(draft: dict, argument: str, _: str) -> None:
    items, index = _list_at(draft, argument)
    if index is None:
        raise BadForm("sebutkan butir yang dihapus")
    del items[index]


def _move_item(delta: int) -> Callable[[dict, str, str], None]:
    def move(draft: dict, argument: str, _: str) -> None:
        items, index = _list_at(draft, argument)
        if index is not None and 0 <= index + delta < len(items):
            items[index], items[index + delta] = items[index + delta], items[index]
    return move


def _refresh(draft: dict, argument: str, _: str) -> None:
    """Do nothing: the editor is drawn again from the posted fields (a decision switched on or off)."""


_EDITS: dict[str, Callable[[dict, str, str], str | None]] = {
    "segarkan": _refresh,
    "baris-sisip": _insert_row,
    "baris-hapus": _delete_row,
    "baris-naik": _move_row(-1),
    "baris-turun": _move_row(+1),
    "bersama-tambah": _add_together,
    "bersama-hapus": _remove_together,
    "cabang-tambah": _add_branch,
    "cabang-hapus": _remove_branch,
    "pelaksana-tambah": _add_actor,
    "pelaksana-kiri": _move_actor(-1),
    "pelaksana-kanan": _move_actor(+1),
    "pelaksana-hapus": _remove_actor,
    "butir-tambah": _add_item,
    "butir-hapus": _remove_item,
    "butir-naik": _move_item(-1),
    "butir-turun": _move_item(+1),
}
