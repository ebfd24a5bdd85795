"""Drafts: a definition as the editor holds it, and the way to and from definition data.

A draft has the shape of the definition (keys as in fields.py) with text at
every leaf, so that each value is what one input shows. Two things differ from
the file: a jump names its target by printed row number (the selects list rows
by number), and a group that may be absent (a decision, a signer) is None when
it is switched off. Keys the editor does not know are carried through untouched
as YAML text (``_lainnya``), so Simpan never drops what a person wrote.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from sopdoc.definition import fields, names, yamlsafe
from sopdoc.definition.fields import Key
from sopdoc.definition.model import Tanggal
from sopdoc.definition.values import read_date
from sopdoc.errors import format_key_path
from sopdoc.studio.names import SWITCH, BadForm

SOP, UNIT = "sop", "unit"
OTHER = "_lainnya"
ORIGIN = "_asal"            # a row's number in the file as it was opened ('' for a new row)
TARGET_KEYS = ("ya", "tidak")
ID_PREFIX = "id:"           # a jump to an id no row has: kept as written
_TEXT_KINDS = {fields.TEKS, fields.TANGGAL, fields.BERKAS, fields.PILIHAN, fields.ID, fields.TAHUN}
_GROUPS = {fields.PENANDATANGAN: fields.SIGNER_KEYS, fields.DEKRET: fields.DECREE_KEYS,
           fields.VERIFIKASI: fields.VERIFICATION_KEYS}
# The row keys an input holds as text (jumps are selects, handled apart).
_ROW_TEXT = tuple(k for k in fields.ROW_KEYS if k.kind in _TEXT_KINDS and k.name not in ("id", "lanjut"))
# A row printed without a number says `nomor: ""`, which an empty input cannot tell from no `nomor` at all
# (the number counted on): a checkbox of its own says it.
NO_NUMBER = "_tanpa_nomor"
# Keys the editor shows with a control of their own (the SOP's pelaksana and rows, a row's jump and decision).
_EDITED_EXTRA = {"pelaksana", "kegiatan", "id", "lanjut", "keputusan"}
# Keys of the real SOPs' constructs the forms have no control for yet: the SOP form leaves paper and kop to
# the unit; the unit form leaves kop, headings and the Keterangan column to a text editor (the SOP form has them).
_NOT_SHOWN = frozenset({"kop"})
_NOT_SHOWN_IN_SOP = frozenset({"kertas", "orientasi"})
_UNIT_KEYS = tuple(key for key in fields.UNIT_KEYS if key.kind not in (fields.JUDUL, fields.YA_TIDAK))
# A yes/no key the SOP may leave to its unit: the select's three choices.
_YES_NO = {None: "", True: "ya", False: "tidak"}


class NotEditable(ValueError):
    """The file holds a value the editor cannot show without losing it; the message says where."""


def top_keys(kind: str) -> tuple[Key, ...]:
    return fields.SOP_KEYS if kind == SOP else _UNIT_KEYS


# --- definition data -> draft ----------------------------------------------------------

def from_data(data: Any, kind: str) -> dict:
    """Return the draft of definition *data*, or raise :class:`NotEditable`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NotEditable("isi berkas bukan pemetaan (kunci: nilai)")
    draft = _group(data, top_keys(kind), ())
    draft[OTHER] = _other(data, _SHOWN[kind])
    if kind == SOP:
        draft["pelaksana"] = _actors(data.get("pelaksana"))
        draft["kegiatan"] = _rows(data.get("kegiatan"))
    return draft


def _group(data: dict, keys: tuple[Key, ...], path: tuple) -> dict:
    draft: dict[str, Any] = {}
    for key in keys:
        value = data.get(key.name)
        where = path + (key.name,)
        if key.kind in _TEXT_KINDS:
            draft[key.name] = _text(value, where)
        elif key.kind == fields.DAFTAR_TEKS:
            draft[key.name] = _texts(value, where)
        elif key.kind == fields.REVISI:
            draft[key.name] = [_mapping(item, fields.REVISION_KEYS, where + (i,)) for i, item in enumerate(_list(value, where))]
        elif key.kind == fields.VERIFIKASI and isinstance(value, bool):
            draft[key.name] = {"url": ""} if value else None
        elif key.kind in _GROUPS:
            draft[key.name] = None if value is None else _mapping(value, _GROUPS[key.kind], where)
        elif key.kind == fields.YA_TIDAK:
            if not (value is None or isinstance(value, bool)):
                raise NotEditable(f"{_where(where)} harus true atau false")
            draft[key.name] = _YES_NO[value]
        elif key.kind == fields.JUDUL:
            draft[key.name] = _headings(value, where)
    return draft


def _headings(value: Any, path: tuple) -> dict[str, str]:
    """Return a renamed heading's text for each heading key ('' where it keeps its own)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise NotEditable(f"{_where(path)} harus berupa pemetaan (kunci: judul pengganti)")
    # A bare `no:` is read by YAML as false: it is the No column (the reader takes it so too).
    value = {"no" if key is False else key: text for key, text in value.items()}
    unknown = [str(k) for k in value if k not in fields.HEADINGS]
    if unknown:
        raise NotEditable(f"{_where(path)} memuat kunci yang tidak dikenal: {', '.join(unknown)}")
    return {key: _text(value.get(key), path + (key,)) for key in fields.HEADINGS}


def _mapping(value: Any, keys: tuple[Key, ...], path: tuple) -> dict:
    if not isinstance(value, dict):
        raise NotEditable(f"{_where(path)} harus berupa pemetaan (kunci: nilai)")
    unknown = [k for k in value if k not in {key.name for key in keys}]
    if unknown:
        raise NotEditable(f"{_where(path)} memuat kunci yang tidak dikenal: {', '.join(map(str, unknown))}")
    return _group(value, keys, path)


def _text(value: Any, path: tuple) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        raise NotEditable(f"{_where(path)} memuat tanggal dengan jam")
    if isinstance(value, datetime.date):
        # As the document prints it and as a person reads it, whatever way it was typed: never 2024-01-15 or 01/15.
        return str(Tanggal(value.year, value.month, value.day))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise NotEditable(f"{_where(path)} harus berupa teks")


def _list(value: Any, path: tuple) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise NotEditable(f"{_where(path)} harus berupa daftar")
    return value


def _texts(value: Any, path: tuple) -> list[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    return [_text(item, path + (i,)) for i, item in enumerate(_list(value, path))]


def _shown(keys: tuple[Key, ...], hidden: frozenset[str] = frozenset()) -> frozenset[str]:
    """Return the names of *keys* the editor shows; every other key of a file is carried through untouched."""
    return frozenset(key.name for key in keys if key.name not in _NOT_SHOWN | hidden and (
        key.kind in _TEXT_KINDS or key.kind in _GROUPS or key.kind in (fields.DAFTAR_TEKS, fields.REVISI,
                                                                       fields.YA_TIDAK, fields.JUDUL))) | _EDITED_EXTRA


_SHOWN = {SOP: _shown(fields.SOP_KEYS, _NOT_SHOWN_IN_SOP), UNIT: _shown(_UNIT_KEYS)}
_SHOWN_IN_ROW = _shown(fields.ROW_KEYS)


def _other(data: dict, shown: frozenset[str]) -> str:
    """Return the keys of *data* the editor does not show (unknown to the format, or a construct such as
    `langkah` or `judul` it cannot edit yet), as YAML text ("" when none): saving keeps them as they were."""
    rest = {k: v for k, v in data.items() if k not in shown}
    return yaml.safe_dump(rest, allow_unicode=True, sort_keys=False) if rest else ""


def _actors(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotEditable("pelaksana harus berupa pemetaan kunci pendek ke nama jabatan")
    return {str(key): _text(name, ("pelaksana", key)) for key, name in value.items()}


def _rows(value: Any) -> list[dict]:
    rows = _list(value, ("kegiatan",))
    if not all(isinstance(row, dict) for row in rows):
        raise NotEditable("setiap kegiatan harus berupa pemetaan (kunci: nilai)")
    numbers = {str(row["id"]): i + 1 for i, row in enumerate(rows) if row.get("id") is not None}
    return [_row(row, i, numbers) for i, row in enumerate(rows)]


def _row(row: dict, index: int, numbers: dict[str, int]) -> dict:
    path = ("kegiatan", index)
    draft: dict[str, Any] = {key.name: _text(row.get(key.name), path + (key.name,)) for key in _ROW_TEXT}
    draft[NO_NUMBER] = "ya" if row.get("nomor") == "" else ""
    draft["id"] = _text(row.get("id"), path + ("id",))
    actors = row.get("pelaksana")
    draft["pelaksana"] = _texts(actors, path + ("pelaksana",))
    draft["lanjut"] = _target(row.get("lanjut"), numbers, path + ("lanjut",))
    if draft["lanjut"] == names.NEXT:
        draft["lanjut"] = ""      # the select's first choice, "baris berikutnya", is the same
    draft["keputusan"] = _decision(row.get("keputusan"), numbers, path + ("keputusan",))
    draft[OTHER] = _other(row, _SHOWN_IN_ROW)
    draft[ORIGIN] = str(index + 1)
    return draft


def _decision(value: Any, numbers: dict[str, int], path: tuple) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or any(k not in ("ya", "tidak", "label") for k in value):
        raise NotEditable(f"{_where(path)} harus memuat ya, tidak dan (boleh) label saja")
    labels = value.get("label", list(names.DEFAULT_LABELS))
    if not isinstance(labels, list) or len(labels) != 2:
        raise NotEditable(f"{_where(path + ('label',))} harus berupa daftar dua teks")
    decision = {k: _target(value.get(k), numbers, path + (k,)) for k in TARGET_KEYS}
    decision["label"] = [_text(label, path + ("label", i)) for i, label in enumerate(labels)]
    return decision


def _target(value: Any, numbers: dict[str, int], path: tuple) -> str | list[str]:
    """Return a jump as the selects show it: a row number, 'berikutnya', 'selesai', '' or an unknown id kept as
    written; a fork is the list of its targets, one select each."""
    if isinstance(value, list):
        return [_one_target(item, numbers, path + (i,)) for i, item in enumerate(value)]
    return _one_target(value, numbers, path)


def _one_target(value: Any, numbers: dict[str, int], path: tuple) -> str:
    text = _text(value, path).strip()
    if text in ("", names.NEXT, names.END):
        return text
    return str(numbers[text]) if text in numbers else ID_PREFIX + text


def symbols(draft: dict) -> list[list[dict]]:
    """Return, for each row, the symbols of its `langkah` as the form lists them ([] for a row of one symbol).

    The form has no control for them: they are carried in the row's hidden text, and
    listed so that a person sees them and a jump can name one by its id.
    """
    actors = draft.get("pelaksana", {})
    return [_row_symbols(row[OTHER], actors) for row in draft.get("kegiatan", [])]


def _row_symbols(text: str, actors: dict[str, str]) -> list[dict]:
    if "langkah" not in text:
        return []
    try:
        items = yamlsafe.parse(text, Path(OTHER)).data.get("langkah")
    except (yamlsafe.YamlLoadError, AttributeError):
        return []
    if not isinstance(items, list):
        return []
    listed = []
    for item in (i for i in items if isinstance(i, dict)):
        keys = item.get("pelaksana")
        keys = [str(k) for k in (keys if isinstance(keys, list) else [keys]) if k]
        listed.append({"id": str(item.get("id") or ""), "keputusan": item.get("keputusan") is not None,
                       "nama": " + ".join(actors.get(k) or k for k in keys)})
    return listed


def _where(path: tuple) -> str:
    return format_key_path(path)


# --- posted fields -> draft --------------------------------------------------------------
#
# Every consumer of a posted mapping takes the names it knows and refuses any other:
# a name outside the contract would otherwise be dropped without a word.

_ROW_NAMES = frozenset(k.name for k in _ROW_TEXT) | {"id", "lanjut", "pelaksana", "keputusan", NO_NUMBER, OTHER,
                                                     ORIGIN}
_DECISION_NAMES = frozenset(TARGET_KEYS) | {"label", SWITCH}


def from_tree(tree: dict, kind: str) -> dict:
    """Return the draft of a posted form's *tree* (see :func:`names.unflatten`); every key is present."""
    apart = {"pelaksana", "kegiatan"} if kind == SOP else set()
    draft = _posted_group(tree, top_keys(kind), (), {OTHER} | apart)
    draft[OTHER] = _posted_text(tree, OTHER, ())
    if kind == SOP:
        actors = tree.get("pelaksana", {})
        if not isinstance(actors, dict):
            raise BadForm("isian pelaksana harus bernama pelaksana.KUNCI")
        draft["pelaksana"] = {key: _posted_text(actors, key, ("pelaksana",)) for key in actors}
        draft["kegiatan"] = [_posted_row(row, i) for i, row in enumerate(_posted_list(tree, "kegiatan", ()))]
    return draft


def _known(tree: dict, names, path: tuple) -> None:
    """Refuse the first name in *tree* that is not one of *names*, naming the input as it was posted."""
    for name in tree:
        if name not in names:
            raise BadForm(f"isian '{_posted_name(path + (name,), tree[name])[:80]}' tidak dikenal; tidak ada isian "
                          "studio bernama begitu")


def _posted_name(path: tuple, value: Any) -> str:
    """Return the whole name of the first input below *path* (``x.y.z``, not only ``x``)."""
    while isinstance(value, (dict, list)) and value:
        key = next(iter(value)) if isinstance(value, dict) else 0
        if key == SWITCH:
            break
        path, value = path + (key,), value[key]
    return _where(path)


def _posted_group(tree: dict, keys: tuple[Key, ...], path: tuple, others=frozenset()) -> dict:
    """Return the draft of the group of *keys* at *path*; *others* are names the caller takes itself."""
    draft: dict[str, Any] = {}
    for key in keys:
        where = path + (key.name,)
        if key.kind in _TEXT_KINDS:
            draft[key.name] = _posted_text(tree, key.name, path)
        elif key.kind == fields.DAFTAR_TEKS:
            draft[key.name] = [_scalar(item, where + (i,)) for i, item in enumerate(_posted_list(tree, key.name, path))]
        elif key.kind == fields.REVISI:
            draft[key.name] = [_posted_group(_named(item, where + (i,)), fields.REVISION_KEYS, where + (i,))
                               for i, item in enumerate(_posted_list(tree, key.name, path))]
        elif key.kind in _GROUPS:
            draft[key.name] = _switched(tree.get(key.name), _GROUPS[key.kind], where)
        elif key.kind == fields.YA_TIDAK:
            draft[key.name] = _posted_text(tree, key.name, path)
            if draft[key.name] not in _YES_NO.values():
                raise BadForm(f"isian '{_where(where)}' harus kosong, 'ya' atau 'tidak'")
        elif key.kind == fields.JUDUL:
            headings = tree.get(key.name, {})
            if not isinstance(headings, dict):
                raise BadForm("isian judul harus bernama judul.KUNCI, misalnya judul.kelengkapan")
            _known(headings, fields.HEADINGS, where)
            draft[key.name] = {name: _posted_text(headings, name, where) for name in fields.HEADINGS}
    _known(tree, set(draft) | set(others), path)
    return draft


def _switched(value: Any, keys: tuple[Key, ...], path: tuple) -> dict | None:
    """Return a group whose switch is on (its checkbox posted 'ya'), or None."""
    switch = value.get(SWITCH) if isinstance(value, dict) else value
    if switch != "ya":
        if isinstance(value, dict):
            _known(value, {k.name for k in keys} | {SWITCH}, path)
        return None
    return _posted_group(value if isinstance(value, dict) else {}, keys, path, {SWITCH})


def _named(value: Any, path: tuple) -> dict:
    if not isinstance(value, dict):
        raise BadForm(f"isian {_where(path)} harus bernama, misalnya {_where(path)}.tanggal")
    return value


def _posted_text(tree: dict, key: str, path: tuple) -> str:
    return _scalar(tree.get(key, ""), path + (key,))


def _scalar(value: Any, path: tuple) -> str:
    if not isinstance(value, str):
        raise BadForm(f"isian '{_where(path)[:80]}' harus berupa satu teks")
    return value


def _posted_list(tree: dict, key: str, path: tuple) -> list:
    value = tree.get(key, [])
    if not isinstance(value, list):
        raise BadForm(f"isian '{_where(path + (key,))}' harus bernomor, misalnya {_where(path + (key, 0))}")
    return value


def _posted_row(tree: Any, index: int) -> dict:
    path = ("kegiatan", index)
    if not isinstance(tree, dict):
        raise BadForm(f"isian kegiatan[{index + 1}] harus bernama, misalnya kegiatan[{index + 1}].uraian")
    _known(tree, _ROW_NAMES, path)
    row = {key.name: _posted_text(tree, key.name, path) for key in _ROW_TEXT}
    row["id"] = _posted_text(tree, "id", path)
    row[NO_NUMBER] = _posted_text(tree, NO_NUMBER, path)
    row["lanjut"] = _posted_jump(tree, "lanjut", path)
    actors = tree.get("pelaksana", [])
    row["pelaksana"] = [_scalar(a, path + ("pelaksana",)) for a in (actors if isinstance(actors, list) else [actors])]
    row["keputusan"] = _posted_decision(tree.get("keputusan"), index)
    row[OTHER] = _posted_text(tree, OTHER, path)
    row[ORIGIN] = _posted_text(tree, ORIGIN, path)
    return row


def _posted_jump(tree: dict, key: str, path: tuple) -> str | list[str]:
    """Return a posted jump: one select's value, or a fork's (the select posted once per target)."""
    value = tree.get(key, "")
    if isinstance(value, list):
        return [_scalar(item, path + (key, i)) for i, item in enumerate(value)]
    return _scalar(value, path + (key,))


def _posted_decision(value: Any, index: int) -> dict | None:
    path = ("kegiatan", index, "keputusan")
    if isinstance(value, dict):
        _known(value, _DECISION_NAMES, path)
    switch = value.get(SWITCH) if isinstance(value, dict) else value
    if switch != "ya":
        return None
    value = value if isinstance(value, dict) else {}
    # A row just made a decision: yes goes on, no goes back to the row before (a rework loop).
    decision = {"ya": _posted_jump(value, "ya", path) if "ya" in value else names.NEXT,
                "tidak": _posted_jump(value, "tidak", path) if "tidak" in value else (str(index) if index else "")}
    labels = [_scalar(label, path + ("label", i)) for i, label in enumerate(_posted_list(value, "label", path))]
    decision["label"] = ((labels or list(names.DEFAULT_LABELS)) + ["", ""])[:2]
    return decision


# --- draft -> definition data --------------------------------------------------------------

def to_data(draft: dict, kind: str) -> dict:
    """Return the definition data of *draft*; a row something jumps to is given an id in the draft too."""
    data = _data_group(draft, top_keys(kind))
    if kind == SOP:
        data["pelaksana"] = {key: name.strip() or None for key, name in draft["pelaksana"].items()}
        data["kegiatan"] = _rows_data(draft["kegiatan"])
    return _with_other(data, draft[OTHER], _SHOWN[kind])


def _data_group(draft: dict, keys: tuple[Key, ...]) -> dict:
    data: dict[str, Any] = {}
    for key in keys:
        value = _data_value(key, draft.get(key.name))
        if value is not None:
            data[key.name] = value
    return data


def _data_value(key: Key, value: Any) -> Any:
    """Return the data of one draft value; None leaves the key out (pelaksana and kegiatan are the caller's)."""
    if key.kind in _TEXT_KINDS:
        return _value(key.kind, value)
    if key.kind == fields.DAFTAR_TEKS:
        return [item.strip() for item in value if item.strip()] or None
    if key.kind == fields.REVISI:
        return [_data_group(item, fields.REVISION_KEYS) for item in value]
    if key.kind in _GROUPS and value is not None:
        group = _data_group(value, _GROUPS[key.kind])
        # `verifikasi: true` is the switch alone; with a url it is a mapping.
        return group or True if key.kind == fields.VERIFIKASI else group
    if key.kind == fields.YA_TIDAK:
        return {text: flag for flag, text in _YES_NO.items()}[value]
    if key.kind == fields.JUDUL:
        return {name: text.strip() for name, text in value.items() if text.strip()} or None
    return None


def _value(kind: str, text: str) -> Any:
    """Return the value a text input means: None when empty, a date or a year where the format has one."""
    text = text.strip()
    if not text:
        return None
    if kind == fields.TANGGAL:
        # A day is saved as a YAML date, whichever way it was typed; anything else as typed, for the reader to judge.
        try:
            tanggal = read_date(text)
        except ValueError:
            return text
        return datetime.date(tanggal.tahun, tanggal.bulan, tanggal.hari) if tanggal.hari else text
    if kind == fields.TAHUN and text.isdigit():
        return int(text)
    return text


def _rows_data(rows: list[dict]) -> list[dict]:
    ids = _jump_ids(rows)
    data = []
    for index, row in enumerate(rows):
        item = _data_group(row, _ROW_TEXT)
        if row.get(NO_NUMBER) == "ya":
            item["nomor"] = ""
        if ids[index]:
            item["id"] = ids[index]
        actors = [a.strip() for a in row["pelaksana"] if a.strip()]
        if actors:
            item["pelaksana"] = actors[0] if len(actors) == 1 else actors
        decision = row["keputusan"]
        if decision is not None:
            item["keputusan"] = {k: v for k in TARGET_KEYS if (v := _reference(decision[k], index, ids)) is not None}
            labels = [label.strip() for label in decision["label"]]
            if tuple(labels) != names.DEFAULT_LABELS:
                item["keputusan"]["label"] = labels
        elif (jump := _reference(row["lanjut"], index, ids)) not in (None, names.NEXT):
            item["lanjut"] = jump
        data.append(_with_other(_ordered(item), row[OTHER], _SHOWN_IN_ROW))
    return data


def origins(draft: dict) -> dict[int, int]:
    """Return each row's index in the file as opened, by its index now (rows moved keep theirs)."""
    numbers = {index: row[ORIGIN] for index, row in enumerate(draft["kegiatan"])}
    return {index: int(number) - 1 for index, number in numbers.items() if number.isdigit() and int(number) > 0}


def _ordered(row: dict) -> dict:
    order = [key.name for key in fields.ROW_KEYS]
    return {k: row[k] for k in sorted(row, key=order.index)}


def _reference(target: str | list[str], index: int, ids: list[str | None]) -> str | list[str] | None:
    """Return what a jump writes: 'berikutnya', the id of the row it reaches, or what was written; a fork writes
    the ids of its targets (a target left unchosen is left out; a fork of one is a plain jump)."""
    if isinstance(target, list):
        targets = [t for t in (_fork_reference(item, ids) for item in target) if t is not None]
        return targets if len(targets) > 1 else (targets[0] if targets else None)
    target = target.strip()
    if not target:
        return None
    if target in (names.NEXT, names.END):
        return target
    if target.startswith(ID_PREFIX):
        return target[len(ID_PREFIX):]
    number = _row_number(target, len(ids))
    if number is None:
        return target
    return names.NEXT if number == index + 2 else ids[number - 1]


def _fork_reference(target: str, ids: list[str | None]) -> str | None:
    """Return what one target of a fork writes: the id of the row it reaches (even the next row's), or as written."""
    target = target.strip()
    if not target:
        return None
    if target.startswith(ID_PREFIX):
        return target[len(ID_PREFIX):]
    number = _row_number(target, len(ids))
    return target if number is None else ids[number - 1]


def jumps(row: dict) -> list[str]:
    """Return every target a draft row names: its lanjut's or its decision's, a fork's one by one."""
    values = [row["lanjut"]] if row["keputusan"] is None else [row["keputusan"][k] for k in TARGET_KEYS]
    return [t for value in values for t in (value if isinstance(value, list) else [value])]


def _row_number(target: str, count: int) -> int | None:
    return int(target) if target.isdigit() and 1 <= int(target) <= count else None


def _jump_ids(rows: list[dict]) -> list[str | None]:
    """Return each row's id, giving one (in the draft too) to each row a jump reaches by number."""
    ids = [row["id"].strip() or None for row in rows]
    for index, row in enumerate(rows):
        forks = [v for v in ([row["lanjut"]] if row["keputusan"] is None else
                             [row["keputusan"][k] for k in TARGET_KEYS]) if isinstance(v, list)]
        in_fork = {t.strip() for fork in forks for t in fork}
        for target in jumps(row):
            number = _row_number(target.strip(), len(rows))
            # A jump to the next row writes 'berikutnya'; a fork names each target, the next row too.
            if number is None or (number == index + 2 and target.strip() not in in_fork) or ids[number - 1]:
                continue
            ids[number - 1] = rows[number - 1]["id"] = _new_id(rows[number - 1]["uraian"], ids)
    return ids


def _new_id(uraian: str, taken: list[str | None]) -> str:
    """Return an unused id made of the uraian's first word (the verb), as the scaffold's `susun`."""
    return names.free_id(names.slugify(uraian, 1) or "baris", taken)


def _with_other(data: dict, text: str, shown: frozenset[str]) -> dict:
    """Return *data* with the carried-through keys of *text* added (never over a key the form has)."""
    if not text.strip():
        return data
    try:
        other = yamlsafe.parse(text, Path(OTHER)).data
    except yamlsafe.YamlLoadError as exc:
        raise BadForm(f"isian tersembunyi {OTHER} rusak: {exc.message}") from None
    if not isinstance(other, dict):
        raise BadForm(f"isian tersembunyi {OTHER} rusak")
    return {**data, **{k: v for k, v in other.items() if k not in shown and k not in data}}
