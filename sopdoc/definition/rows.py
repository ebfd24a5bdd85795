"""Read an SOP's table: its rows, the symbols each row holds, and where the flow goes from each.

A row holds one symbol (its own ``pelaksana``, ``simbol``, ``keputusan``, ``lanjut``
and ``id``) or several (``langkah``: one item per symbol, at most one per lane).
A flow goes to an id, to ``berikutnya`` (the next row's first symbol), to
``selesai`` (the flow ends), or to a list of ids (a fork). Every problem is
recorded against its key path; the flow is checked once every symbol is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sopdoc.definition import fields, names
from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, Exit, Kegiatan, Langkah, Target, Waktu
from sopdoc.definition.values import FileReader, suggest, type_name

# A decision printed without labels leaves both empty; how a user empties them depends on where the decision is
# written, so the rule is this module's and each editor (the workbook, the studio) passes its own words.
UNLABELLED_IN_YAML = 'kosongkan keduanya (["", ""])'


def half_labels(unlabelled: str = UNLABELLED_IN_YAML) -> str:
    """Return the problem of a decision with one label: write both, or *unlabelled* (both empty) to print none."""
    return f"tulis kedua label, atau {unlabelled} untuk keputusan yang dicetak tanpa label"

# The most characters one cell of a row can hold on the largest page (F4, one
# pelaksana), measured with the layout and a string of its narrowest glyph,
# plus a margin. Longer text never fits; shorter text may still not fit, which
# the layout reports when rendering.
_CELL_LIMITS = {"uraian": 8000, "kelengkapan": 4500, "output": 4500, "keterangan": 3000, "waktu": 2500}
# A decision and a terminator are drawn as one symbol, so they belong to one pelaksana.
_SINGLE_OWNER = {
    BELAH_KETUPAT: "baris keputusan digambar sebagai satu belah ketupat dengan dua cabang, jadi hanya satu "
                   "pelaksana (yang memutuskan); tulis satu pelaksana, dan pindahkan kegiatan bersama ke baris "
                   "sebelumnya",
    KAPSUL: "kegiatan Mulai atau Selesai digambar sebagai satu kapsul, jadi hanya satu pelaksana; tulis satu "
            "pelaksana, dan jadikan kegiatan bersama baris tersendiri sesudah Mulai atau sebelum Selesai",
}
_FLOW_KEYS = ("lanjut", "keputusan")


@dataclass
class _Item:
    """One symbol as written: where it is, its data, and its place in the table."""

    path: tuple
    data: dict
    row: int
    n: int              # its place among its row's symbols
    several: bool       # whether its row holds several symbols

    @property
    def target(self) -> Target:
        return Target(self.row, self.n)

    def named(self) -> str:
        """Return how a message names this symbol: its row, and its place and id when the row holds several."""
        if not self.several:
            return f"kegiatan nomor {self.row + 1}"
        label = f" '{self.data['id']}'" if self.data.get("id") is not None else ""
        return f"simbol{label} (langkah ke-{self.n + 1} kegiatan nomor {self.row + 1})"


class RowsReader:
    """Read the ``kegiatan`` of one SOP file, reporting through its :class:`FileReader`."""

    def __init__(self, file: FileReader, actors: dict[str, str], check_subjects: bool = True):
        self.file = file
        self.actors = actors
        # An SOP already refused for its pelaksana is not checked row by row for uraian that name them.
        self.subjects = _subject_patterns(actors) if check_subjects else []
        self.ids: dict[str, Target] = {}
        self.several_rows: dict[str, int] = {}    # an id written on a row of several symbols: its row

    def read(self, value: Any) -> tuple[Kegiatan, ...] | None:
        path = ("kegiatan",)
        if value is None:
            return None
        if not isinstance(value, list):
            self.file.error(path, f"harus berupa daftar kegiatan (setiap butir diawali '- '), bukan {type_name(value)}")
            return None
        if len(value) < 2:
            self.file.error(path, "paling sedikit dua kegiatan: yang pertama (Mulai) dan yang terakhir (Selesai)")
            return None
        items = [self._items(i, row) for i, row in enumerate(value)]
        self._read_ids(value, items)
        starts = self._starts(items[0] or [])
        numbers = self._printed_numbers(value)
        built = [self._row(i, row, items[i], len(value), starts, numbers[i]) for i, row in enumerate(value)]
        used = {key for row in items if row for item in row for key in _as_list(item.data.get("pelaksana"))
                if isinstance(key, str)}
        for key in self.actors:
            if key not in used:
                self.file.warn(("pelaksana", key), f"pelaksana {self.actors[key]} tidak pernah dipakai di kegiatan "
                                                   "mana pun; pakai di sebuah kegiatan, atau hapus baris ini")
        if not self.file.ok or None in built:
            return None
        self._check_flow(built, items)
        return tuple(built) if self.file.ok else None

    # --- the symbols of each row -------------------------------------------------------

    def _items(self, i: int, row: Any) -> list[_Item] | None:
        """Return the symbols row *i* holds as written, or None when the row is no mapping or its langkah is bad."""
        path = ("kegiatan", i)
        if self.file.mapping(path, row, fields.ROW_KEYS) is None:
            return None
        steps = row.get("langkah")
        if steps is None:
            if row.get("pelaksana") in (None, "", [], {}):
                self.file.error(path + ("pelaksana",), f"wajib diisi: {fields.key_named('pelaksana', fields.ROW_KEYS).doc}")
            return [_Item(path, row, i, 0, False)]
        for key in fields.SYMBOL_KEY_NAMES:
            if key in row:
                self.file.error(path + (key,), f"baris dengan 'langkah' menulis '{key}' di butir langkahnya, "
                                               "bukan di barisnya")
        if not isinstance(steps, list) or not steps:
            self.file.error(path + ("langkah",), "harus berupa daftar simbol (setiap butir diawali '- '), paling "
                                                 "sedikit satu, masing-masing dengan pelaksananya")
            return None
        found = []
        for n, step in enumerate(steps):
            where = path + ("langkah", n)
            if self.file.mapping(where, step, fields.LANGKAH_KEYS) is not None:
                found.append(_Item(where, step, i, n, len(steps) > 1))
        return found if len(found) == len(steps) else None

    def _read_ids(self, rows: list, items: list[list[_Item] | None]) -> None:
        first: dict[str, _Item] = {}
        for i, row in enumerate(rows):
            if isinstance(row, dict) and row.get("langkah") is not None and row.get("id") is not None:
                self.several_rows[str(row["id"])] = i
            for item in items[i] or ():
                if item.data.get("id") is None:
                    continue
                name = str(item.data["id"])
                if problem := names.id_problem(name):
                    self.file.error(item.path + ("id",), problem)
                elif name in first:
                    self.file.error(item.path + ("id",), f"id '{name}' sudah dipakai oleh {first[name].named()}; "
                                                         "setiap id harus unik")
                else:
                    first[name] = item
                    self.ids[name] = item.target

    def _starts(self, first_row: list[_Item]) -> set[int]:
        """Return the places of the first row's symbols that no symbol of that row flows into: its starts."""
        reached = set()
        for item in first_row:
            decision = item.data.get("keputusan")
            values = [item.data.get("lanjut")] + ([decision.get("ya"), decision.get("tidak")]
                                                  if isinstance(decision, dict) else [])
            for value in values:
                for name in _as_list(value):
                    target = self.ids.get(str(name)) if isinstance(name, (str, int)) else None
                    if target is not None and target.row == 0 and target.item != item.n:
                        reached.add(target.item)
        return {item.n for item in first_row} - reached

    def _printed_numbers(self, rows: list) -> list[str]:
        """Return what each row's No cell prints: its own nomor, else the automatic number."""
        printed: list[str] = []
        for i, row in enumerate(rows):
            value = row.get("nomor") if isinstance(row, dict) else None
            if value is None:
                printed.append(names.automatic_number(printed))
            elif isinstance(value, str) and not value.strip():
                printed.append("")
            else:
                printed.append(self.file.text(("kegiatan", i, "nomor"), value) or "")
        return printed

    # --- one row ------------------------------------------------------------------------

    def _row(self, i: int, row: Any, items: list[_Item] | None, count: int, starts: set[int],
             printed: str) -> Kegiatan | None:
        path = ("kegiatan", i)
        if items is None:
            return None
        uraian = self._cell(path + ("uraian",), row.get("uraian"))
        if uraian:
            self._check_subject(path + ("uraian",), uraian)
        symbols = [self._langkah(item, count, i == 0 and item.n in starts) for item in items]
        self._check_lanes(items, symbols)
        if uraian is None or None in symbols:
            return None
        return Kegiatan(
            nomor=i + 1, uraian=uraian, langkah=tuple(symbols), nomor_cetak=printed,
            kelengkapan=self._cell(path + ("kelengkapan",), row.get("kelengkapan")),
            waktu=self._waktu(path + ("waktu",), row.get("waktu")),
            output=self._cell(path + ("output",), row.get("output")),
            keterangan=self._cell(path + ("keterangan",), row.get("keterangan")),
        )

    def _cell(self, path: tuple, value: Any) -> str | None:
        """Return the text of one cell of a row, refusing one that no page could hold."""
        text = self.file.text(path, value)
        limit = _CELL_LIMITS[path[-1]]
        if text and len(text) > limit:
            self.file.error(path, f"{len(text)} karakter tidak akan muat di satu halaman (satu kegiatan tidak dipecah "
                                  f"antarhalaman; batas kasarnya {limit} karakter); pendekkan isinya atau pecah menjadi "
                                  "beberapa kegiatan")
            return None
        return text

    def _waktu(self, path: tuple, value: Any) -> Waktu | None:
        text = self._cell(path, value)
        return None if text is None else self.file.waktu(path, text)

    def _check_subject(self, path: tuple, uraian: str) -> None:
        lowered = uraian.lower()
        for candidate in self.subjects:
            if candidate.match(lowered):
                self.file.warn(path, f"uraian diawali nama pelaksana '{uraian[:len(candidate.pattern_text)]}'; tulis "
                                     "kalimat yang diawali kata kerja (pelaksana sudah tercantum di kolomnya)")
                return

    def _check_lanes(self, items: list[_Item], symbols: list[Langkah | None]) -> None:
        """Report a lane that two symbols of one row stand in."""
        owner: dict[str, _Item] = {}
        for item, symbol in zip(items, symbols):
            for n, key in enumerate(symbol.pelaksana if symbol else ()):
                if key in owner:
                    where = item.path + (("pelaksana", n) if isinstance(item.data.get("pelaksana"), list)
                                         else ("pelaksana",))
                    self.file.error(where, f"lajur '{key}' sudah memuat {owner[key].named()}; satu lajur memuat "
                                           "satu simbol per baris (pindahkan salah satunya ke baris lain)")
                else:
                    owner[key] = item

    # --- one symbol ---------------------------------------------------------------------

    def _langkah(self, item: _Item, count: int, is_start: bool) -> Langkah | None:
        pelaksana = self._actors(item.path + ("pelaksana",), item.data.get("pelaksana"))
        last = item.row == count - 1
        jump = item.data.get("lanjut")
        is_decision = item.data.get("keputusan") is not None
        ends = not is_decision and (names.END == jump or jump is None and last)
        simbol = self._symbol(item, names.default_symbol(is_decision, is_start, ends))
        if is_start and is_decision:
            self.file.error(item.path + ("keputusan",), (
                f"{item.named()} adalah simbol Mulai (tidak ada simbol lain di baris pertama yang menuju ke sana) dan "
                "tidak boleh berupa keputusan; tambahkan simbol Mulai yang menuju keputusan ini" if item.several else
                "kegiatan pertama adalah Mulai dan tidak boleh berupa keputusan; tambahkan satu kegiatan sebelumnya"))
            return None
        exits = self._exits(item, count)
        if simbol is None or exits is None:
            return None
        if len(pelaksana) > 1 and simbol in _SINGLE_OWNER:
            self.file.error(item.path + ("pelaksana",), _SINGLE_OWNER[simbol])
            return None
        if not pelaksana:
            return None
        # A box that ends the flow gets an end capsule drawn after it; a capsule is the end itself.
        if exits == (Exit(()),) and simbol == KAPSUL:
            exits = ()
        return Langkah(pelaksana=pelaksana, simbol=simbol, exits=exits,
                       id=str(item.data["id"]) if item.data.get("id") is not None else None, mulai=is_start)

    def _actors(self, path: tuple, value: Any) -> tuple[str, ...]:
        keys = [value] if not isinstance(value, list) else value
        result = []
        for n, key in enumerate(keys):
            key_path = path + (n,) if isinstance(value, list) else path
            key = self.file.text(key_path, key)
            if key is None:
                continue
            if key not in self.actors:
                choices = ", ".join(self.actors) or "belum ada: isi dulu daftar pelaksana"
                self.file.error(key_path, f"'{key}' bukan pelaksana yang dikenal (pilihan: {choices})"
                                          f"{suggest(key, self.actors)}")
            elif key in result:
                self.file.error(key_path, f"pelaksana '{key}' ditulis dua kali di baris ini")
            else:
                result.append(key)
        return tuple(result)

    def _symbol(self, item: _Item, default: str) -> str | None:
        path = item.path + ("simbol",)
        value = item.data.get("simbol")
        if value is None:
            return default
        text = self.file.text(path, value)
        if text is None:
            return default
        name = text.lower().replace(" ", "_")
        if name in fields.SIMBOL_OTOMATIS:
            self.file.error(path, f"'{text}' digambar otomatis oleh sopdoc dan tidak dipakai sebagai simbol kegiatan "
                                  f"(pilihan: {', '.join(fields.SIMBOL)})")
            return None
        if name not in fields.SIMBOL:
            self.file.error(path, f"'{text}' bukan salah satu dari lima simbol resmi Permenpan RB 35/2012 "
                                  f"(untuk kegiatan: {', '.join(fields.SIMBOL)}){suggest(name, fields.SIMBOL)}")
            return None
        if (name == BELAH_KETUPAT) != (item.data.get("keputusan") is not None):
            self.file.error(path, "belah_ketupat dipakai tepat untuk baris yang memiliki 'keputusan'")
            return None
        return name

    def _exits(self, item: _Item, count: int) -> tuple[Exit, ...] | None:
        decision, jump = item.data.get("keputusan"), item.data.get("lanjut")
        if decision is not None and jump is not None:
            self.file.error(item.path + ("lanjut",), "baris keputusan tidak memakai 'lanjut'; tulis tujuan di "
                                                     "keputusan.ya dan keputusan.tidak")
            return None
        if decision is not None:
            return self._decision(item, item.path + ("keputusan",), decision, count)
        if jump is None:
            return () if item.row == count - 1 else (Exit((Target(item.row + 1),)),)
        targets = self._targets(item, item.path + ("lanjut",), jump, count)
        return None if targets is None else (Exit(targets),)

    def _decision(self, item: _Item, path: tuple, value: Any, count: int) -> tuple[Exit, ...] | None:
        if self.file.mapping(path, value, fields.DECISION_KEYS) is None:
            return None
        yes = self._targets(item, path + ("ya",), value.get("ya"), count)
        no = self._targets(item, path + ("tidak",), value.get("tidak"), count)
        labels = self._labels(path + ("label",), value.get("label", list(names.DEFAULT_LABELS)))
        if yes is None or no is None or labels is None:
            return None
        if set(yes) == set(no):
            where = (f"kegiatan yang sama (nomor {yes[0].row + 1})" if yes else f"'{names.END}'")
            self.file.error(path, f"kedua cabang keputusan menuju {where}; satu cabang harus ke tempat lain, atau "
                                  "jadikan baris ini kotak biasa")
            return None
        return Exit(yes, labels[0]), Exit(no, labels[1])

    def _labels(self, path: tuple, value: Any) -> tuple[str, str] | None:
        """Return a decision's two labels: both given, or both empty (a decision printed without labels)."""
        texts = ([x.strip() if isinstance(x, str) else str(x) for x in value]
                 if isinstance(value, list) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool)
                                                    for x in value) else None)
        if texts is None or len(texts) != 2 or any(self.file.text(path, x) is None and x for x in texts):
            self.file.error(path, "harus berupa daftar dua teks, untuk ya lalu tidak: [Lengkap, Tidak lengkap]")
            return None
        if texts == ["", ""]:
            self.file.warn(path, "keputusan ini dicetak tanpa label cabang; pembaca tidak dapat melihat cabang mana "
                                 "'ya' dan mana 'tidak'")
        elif "" in texts:
            self.file.error(path, half_labels())
            return None
        return texts[0], texts[1]

    def _targets(self, item: _Item, path: tuple, value: Any, count: int) -> tuple[Target, ...] | None:
        """Return where a flow goes: one target, several (a fork), or none (``selesai``)."""
        if not isinstance(value, list):
            text = self.file.text(path, value)
            if text == names.END:
                return ()
            target = self._target(item, path, text, count)
            return None if target is None else (target,)
        if len(value) < 2:
            self.file.error(path, "percabangan perlu paling sedikit dua tujuan; tulis satu tujuan tanpa [ ], atau "
                                  "tambahkan tujuan lain")
            return None
        targets: list[Target] = []
        for n, name in enumerate(value):
            text = self.file.text(path + (n,), name)
            if text == names.END:
                self.file.error(path + (n,), f"'{names.END}' tidak dapat menjadi salah satu tujuan percabangan; "
                                             "akhiri alur di simbol tujuannya")
                return None
            target = self._target(item, path + (n,), text, count)
            if target is None:
                return None
            if target in targets:
                self.file.error(path + (n,), f"tujuan '{text}' ditulis dua kali dalam percabangan ini")
                return None
            targets.append(target)
        return tuple(targets)

    def _target(self, item: _Item, path: tuple, text: str | None, count: int) -> Target | None:
        if text is None:
            self.file.error(path, f"tujuan wajib diisi: id sebuah kegiatan, '{names.NEXT}', atau '{names.END}'")
            return None
        if text == names.NEXT:
            if item.row == count - 1:
                self.file.error(path, f"tidak ada kegiatan sesudah kegiatan terakhir; tulis id tujuannya, atau "
                                      f"'{names.END}'")
                return None
            return Target(item.row + 1)
        if text in self.several_rows and text not in self.ids:
            row = self.several_rows[text]
            named = ", ".join(name for name, target in self.ids.items() if target.row == row) or "belum ada"
            self.file.error(path, f"kegiatan nomor {row + 1} memuat beberapa simbol; arahkan ke id salah satu butir "
                                  f"langkahnya (id yang ada: {named})")
            return None
        if text not in self.ids:
            known = ", ".join(self.ids) if self.ids else "belum ada; beri 'id:' pada kegiatan tujuan"
            self.file.error(path, f"tidak ada kegiatan dengan id '{text}' (id yang ada: {known}){suggest(text, self.ids)}")
            return None
        if self.ids[text] == item.target:
            self.file.error(path, f"kegiatan ini menuju dirinya sendiri ('{text}'); arahkan ke kegiatan lain")
            return None
        return self.ids[text]

    # --- the flow -----------------------------------------------------------------------

    def _check_flow(self, rows: list[Kegiatan], items: list[list[_Item] | None]) -> None:
        """Report symbols no start reaches, and symbols from which the flow never ends."""
        forward: dict[Target, list[Target]] = {}
        backward: dict[Target, list[Target]] = {}
        ends = []
        for row in rows:
            for n, symbol in enumerate(row.langkah):
                source = Target(row.index, n)
                forward[source] = [t for e in symbol.exits for t in e.targets]
                backward.setdefault(source, [])
                if symbol.is_end or any(not e.targets for e in symbol.exits):
                    ends.append(source)
        for source, targets in forward.items():
            for target in targets:
                backward.setdefault(target, []).append(source)
        starts = [Target(0, n) for n, symbol in enumerate(rows[0].langkah) if symbol.mulai]
        if not starts:
            self.file.error(("kegiatan", 0), "kegiatan pertama tidak punya simbol Mulai: setiap simbolnya dituju simbol "
                                             "lain di baris yang sama")
            return
        reached = _reach(starts, forward)
        finishing = _reach(ends, backward)
        for row_items in items:
            for item in row_items or ():
                if item.target not in reached:
                    there = "id-nya, atau hapus butir ini" if item.several else "baris ini, atau hapus barisnya"
                    self.file.error(item.path, f"{item.named()} tidak pernah dicapai dari kegiatan pertama; arahkan "
                                               f"'lanjut' atau cabang keputusan ke {there}")
                elif item.target not in finishing:
                    self.file.error(item.path, f"dari {item.named()} alur tidak pernah sampai ke akhir (berputar "
                                               f"terus); beri jalan keluar dengan 'lanjut' (boleh '{names.END}') atau "
                                               "cabang keputusan")


class _Subject:
    """A pelaksana's name (or part of it) as the start of an uraian: matches a whole word."""

    def __init__(self, text: str):
        self.pattern_text = text
        self.match = re.compile(re.escape(text) + r"\b").match


def _subject_patterns(actors: dict[str, str]) -> list[_Subject]:
    """Return, once per SOP, the names an uraian should not start with, longest first per pelaksana."""
    patterns = []
    for key, name in actors.items():
        found = {key.lower(), name.lower()} | {part.strip().lower() for part in re.split(r"[/(]", name)}
        patterns += [_Subject(n) for n in sorted(found, key=len, reverse=True) if len(n) >= 3]
    return patterns


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _reach(starts: list[Target], graph: dict[Target, list[Target]]) -> set[Target]:
    seen, stack = set(starts), list(starts)
    while stack:
        for nxt in graph.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
