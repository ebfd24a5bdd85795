"""Read definition trees into the model, collecting every problem before failing.

A tree holds unit folders; each has a ``unit.yaml`` and one YAML file per SOP.
Nested ``unit.yaml`` files are merged top-down, the deeper one winning.
"""

from __future__ import annotations

import contextlib
import gc
import re
from pathlib import Path
from typing import Any

from sopdoc.definition import fields, names, tree, yamlsafe
from sopdoc.definition.model import (
    BELAH_KETUPAT,
    KAPSUL,
    Exit,
    Kegiatan,
    Revisi,
    Sop,
    Tanggal,
    Unit,
    Waktu,
)
from sopdoc.definition.units import Units
from sopdoc.definition.values import FileReader, Result, suggest, type_name
from sopdoc.errors import ERROR, Problem

UNIT_FILE = tree.UNIT_FILE
MAX_ACTORS = 8
# Roughly what the pelaksana header holds: 301 characters of ordinary words fit
# under eight pelaksana on A4 landscape, the tightest page (measured with the layout).
MAX_ACTOR_NAME = 300
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


def read(paths: list[Path], texts: dict[Path, str | yamlsafe.Document] | None = None) -> Result:
    """Read every definition under *paths* into a :class:`Result`.

    *texts* gives the content of some files instead of what is on disk, as text
    (revise checks a revision before it writes it) or as data already read (the
    studio checks unsaved edits).
    """
    with _collector_paused():
        return _read_found(tree.find(paths), texts or {})


def read_given(folder: Path, files: dict[str, str | Any]) -> Result:
    """Read the unit file and SOP files given in memory as if they were *folder*'s (which need not exist).

    *files* maps each file's name to its text or to its data already read. Nothing
    is read from disk: no unit file above *folder*, no sibling but those given.
    """
    given = {folder / name: content if isinstance(content, str) else yamlsafe.Document(folder / name, content, {})
             for name, content in files.items()}
    sops = {path: folder for path in given if path.name != UNIT_FILE}
    found = tree.Tree(sops=sops, units={path: folder for path in given if path.name == UNIT_FILE},
                      listings={folder: {path.stem: path for path in sops}})
    with _collector_paused():
        return _read_found(found, given, given_only=True)


def check_data(file: Path, data: Any) -> Result:
    """Check *data* as if it were the content of *file*, an SOP or a unit file (unsaved edits).

    Only the unit files above it are read from disk; a unit file's result holds no SOP.
    """
    return read([file], {file: yamlsafe.Document(file, data, {})})


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cycle collector while reading.

    Reading builds millions of small objects that all stay alive; the
    collector then scans the whole growing heap again and again, which made
    3,000 SOPs cost 16 times 300 instead of 10 times (the data holds no cycles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_found(found: tree.Tree, texts: dict[Path, str | yamlsafe.Document], given_only: bool = False) -> Result:
    result = Result()
    result.problems += found.problems
    result.failed += found.refused
    units = Units(result, texts, given_only)
    for unit_file, root in found.units.items():
        units.check(unit_file, root)
    seen: dict[tuple[Path, str], Path] = {}
    for file, root in found.sops.items():
        # Windows and macOS see Surat.yaml and surat.yaml as one file: their documents would overwrite each other.
        first = seen.setdefault((file.parent, names.same_name(file.stem)), file)
        if first != file:
            same = "" if first.stem == file.stem else f" ({names.how_alike(first.stem, file.stem)}, {names.CASE_ONLY})"
            result.problems.append(Problem(file, None, "", f"nama SOP '{file.stem}' sudah dipakai oleh {first.name} "
                                                           f"di folder yang sama{same}; ganti nama salah satu berkas"))
            result.failed.append(file)
            continue
        problems_before = len(result.problems)
        unit = units.for_sop(file, root)
        siblings = found.siblings(file.parent, root)
        sop = _SopReader(file, unit, result, siblings, texts.get(file)).read() if unit is not None else None
        if sop is None or any(p.severity == ERROR for p in result.problems[problems_before:]):
            result.failed.append(file)
        else:
            result.sops.append(sop)
            result.siblings[unit.folder] = siblings
    return result



# The keys of an SOP read apart from the others: they depend on each other.
_READ_APART = (fields.REVISI, fields.PELAKSANA, fields.KEGIATAN)


class _SopReader(FileReader):
    """Read one SOP file against its unit."""

    def __init__(self, file: Path, unit: Unit, result: Result, siblings: dict[str, Path],
                 text: str | yamlsafe.Document | None = None):
        super().__init__(file, result, text)
        self.unit = unit
        self.siblings = siblings
        self.subjects: list[str] = []

    def read(self) -> Sop | None:
        data = self.load()
        if not self.ok:
            return None
        if self.mapping((), data, fields.SOP_KEYS) is None:
            return None
        revisi = self._revisions(data.get("revisi"))
        actors = self._actors(data.get("pelaksana"))
        rows = self._rows(data.get("kegiatan"), actors)
        values: dict[str, Any] = {}
        for key in fields.SOP_KEYS:
            if key.name == "diganti_oleh":
                values[key.name] = self._replacement(values["status"], data.get(key.name))
            elif key.kind not in _READ_APART:
                values[key.name] = self.value(key, data.get(key.name), ())
        self._check_revision_dates(values["tanggal_pembuatan"], revisi)
        self._check_links(values["keterkaitan"])
        if not self.ok or rows is None or not values["nama"]:
            return None
        return Sop(source=self.file, unit=self.unit, pelaksana=tuple(actors.items()),
                   kegiatan=rows, revisi=revisi, **values)

    def _replacement(self, status: str, value: Any) -> str | None:
        path = ("diganti_oleh",)
        slug = self.text(path, value)
        if slug is None:
            if status == "diganti":
                self.warn(("status",), "SOP yang diganti sebaiknya menyebut penggantinya di 'diganti_oleh'")
            return None
        if status != "diganti":
            self.error(path, "'diganti_oleh' hanya dipakai bersama 'status: diganti'")
        elif slug not in self.siblings:
            self.warn(path, f"tidak ada SOP '{slug}' di unit ini{suggest(slug, self.siblings)}")
        return slug

    def _revisions(self, value: Any) -> tuple[Revisi, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(("revisi",), f"harus berupa daftar, bukan {type_name(value)}")
            return ()
        revisions = []
        for i, item in enumerate(value):
            path = ("revisi", i)
            if self.mapping(path, item, fields.REVISION_KEYS) is None:
                continue
            tanggal = self.date(path + ("tanggal",), item.get("tanggal"))
            if tanggal:
                revisions.append(Revisi(tanggal, self.text(path + ("catatan",), item.get("catatan"))))
        return tuple(revisions)

    def _check_revision_dates(self, created: Tanggal | None, revisions: tuple[Revisi, ...]) -> None:
        previous, what = created, "tanggal pembuatan"
        for i, revision in enumerate(revisions):
            if previous and revision.tanggal.key < previous.key:
                self.error(("revisi", i, "tanggal"),
                           f"tanggal revisi {revision.tanggal} lebih awal dari {what} ({previous}); "
                           "revisi ditulis berurutan, yang terbaru paling bawah")
            previous, what = revision.tanggal, "revisi sebelumnya"

    def _check_links(self, links: tuple[str, ...]) -> None:
        for i, link in enumerate(links):
            if names.SLUG.match(link) and link not in self.siblings:
                self.warn(("keterkaitan", i),
                          f"'{link}' tampak seperti nama berkas SOP, tetapi tidak ada SOP '{link}' di unit ini"
                          f"{suggest(link, self.siblings)}")

    def _actors(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(("pelaksana",), "harus berupa pemetaan kunci pendek ke nama jabatan, "
                                       "misalnya  kasubag: Kepala Sub Bagian Umum")
            return {}
        actors = {}
        for key, name in value.items():
            path = ("pelaksana", key)
            if not names.ID.match(str(key)):
                self.error(path, f"kunci pelaksana '{key}' hanya boleh memuat huruf, angka, '-' dan '_'")
            text = self.text(path, name)
            if text is None:
                self.error(path, "nama jabatan pelaksana wajib diisi")
            else:
                if len(text) > MAX_ACTOR_NAME:
                    self.error(path, f"nama jabatan ini {len(text)} karakter, terlalu panjang untuk kepala kolom "
                                     f"pelaksana (paling banyak {MAX_ACTOR_NAME}); singkat namanya")
                actors[str(key)] = text
        if len(actors) > MAX_ACTORS:
            self.error(("pelaksana",), f"{len(actors)} pelaksana tidak muat di satu halaman; paling banyak {MAX_ACTORS} "
                                       "(gabungkan jabatan yang melakukan hal serupa)")
            return actors
        if len(actors) < 2 and actors:
            self.warn(("pelaksana",), f"SOP ini hanya memiliki {len(actors)} pelaksana; "
                                      "SOP AP disusun karena melibatkan paling sedikit dua pelaksana")
        self.subjects = _subject_patterns(actors)
        return actors

    def _rows(self, value: Any, actors: dict[str, str]) -> tuple[Kegiatan, ...] | None:
        path = ("kegiatan",)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(path, f"harus berupa daftar kegiatan (setiap butir diawali '- '), bukan {type_name(value)}")
            return None
        if len(value) < 2:
            self.error(path, "paling sedikit dua kegiatan: yang pertama (Mulai) dan yang terakhir (Selesai)")
            return None
        rows = [row if isinstance(row, dict) else None for row in value]
        ids = self._row_ids(rows)
        built = [self._row(i, row, len(rows), ids, actors) for i, row in enumerate(value)]
        used = {key for row in rows if row for key in _as_list(row.get("pelaksana")) if isinstance(key, str)}
        for key in actors:
            if key not in used:
                self.warn(("pelaksana", key), f"pelaksana '{key}' tidak pernah dipakai di kegiatan mana pun")
        if not self.ok or None in built:
            return None
        self._check_flow(built)
        return tuple(built) if self.ok else None

    def _row_ids(self, rows: list[dict | None]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for i, row in enumerate(rows):
            if row is None or row.get("id") is None:
                continue
            path = ("kegiatan", i, "id")
            row_id = str(row["id"])
            if problem := names.id_problem(row_id):
                self.error(path, problem)
            elif row_id in ids:
                self.error(path, f"id '{row_id}' sudah dipakai oleh kegiatan nomor {ids[row_id] + 1}; setiap id harus unik")
            else:
                ids[row_id] = i
        return ids

    def _row(self, i: int, row: Any, count: int, ids: dict[str, int], actors: dict[str, str]) -> Kegiatan | None:
        path = ("kegiatan", i)
        if self.mapping(path, row, fields.ROW_KEYS) is None:
            return None
        uraian = self._cell(path + ("uraian",), row.get("uraian"))
        pelaksana = self._row_actors(path + ("pelaksana",), row.get("pelaksana"), actors)
        last = i == count - 1
        exits = self._exits(i, row, last, ids)
        simbol = self._symbol(i, row, count)
        if uraian:
            self._check_subject(path + ("uraian",), uraian)
        if len(pelaksana) > 1 and simbol in _SINGLE_OWNER:
            self.error(path + ("pelaksana",), _SINGLE_OWNER[simbol])
            return None
        if uraian is None or not pelaksana or exits is None or simbol is None:
            return None
        return Kegiatan(
            nomor=i + 1, uraian=uraian, pelaksana=pelaksana, simbol=simbol, exits=exits,
            id=str(row["id"]) if row.get("id") is not None else None,
            kelengkapan=self._cell(path + ("kelengkapan",), row.get("kelengkapan")),
            waktu=self._waktu(path + ("waktu",), row.get("waktu")),
            output=self._cell(path + ("output",), row.get("output")),
            keterangan=self._cell(path + ("keterangan",), row.get("keterangan")),
        )

    def _cell(self, path: tuple, value: Any) -> str | None:
        """Return the text of one cell of a row, refusing one that no page could hold."""
        text = self.text(path, value)
        limit = _CELL_LIMITS[path[-1]]
        if text and len(text) > limit:
            self.error(path, f"{len(text)} karakter tidak akan muat di satu halaman (satu kegiatan tidak dipecah "
                             f"antarhalaman; batas kasarnya {limit} karakter); pendekkan isinya atau pecah menjadi "
                             "beberapa kegiatan")
            return None
        return text

    def _row_actors(self, path: tuple, value: Any, actors: dict[str, str]) -> tuple[str, ...]:
        keys = [value] if not isinstance(value, list) else value
        result = []
        for n, key in enumerate(keys):
            key_path = path + (n,) if isinstance(value, list) else path
            key = self.text(key_path, key)
            if key is None:
                continue
            if key not in actors:
                choices = ", ".join(actors) or "belum ada: isi dulu daftar pelaksana"
                self.error(key_path, f"'{key}' bukan pelaksana yang dikenal (pilihan: {choices}){suggest(key, actors)}")
            elif key in result:
                self.error(key_path, f"pelaksana '{key}' ditulis dua kali di baris ini")
            else:
                result.append(key)
        return tuple(result)

    def _exits(self, i: int, row: dict, last: bool, ids: dict[str, int]) -> tuple[Exit, ...] | None:
        path = ("kegiatan", i)
        decision, jump = row.get("keputusan"), row.get("lanjut")
        if decision is not None and jump is not None:
            self.error(path + ("lanjut",), "baris keputusan tidak memakai 'lanjut'; tulis tujuan di keputusan.ya dan keputusan.tidak")
            return None
        if last:
            if decision is not None:
                self.error(path + ("keputusan",), "kegiatan terakhir adalah Selesai dan tidak boleh berupa keputusan; "
                                                  "tambahkan satu kegiatan penutup sesudahnya")
            elif jump is not None:
                self.error(path + ("lanjut",), "kegiatan terakhir adalah Selesai; hapus 'lanjut' dari baris ini")
            return () if decision is None and jump is None else None
        if decision is None:
            target = i + 1 if jump is None else self._target(path + ("lanjut",), jump, i, ids)
            return None if target is None else (Exit(target),)
        if i == 0:
            self.error(path + ("keputusan",), "kegiatan pertama adalah Mulai dan tidak boleh berupa keputusan; "
                                              "tambahkan satu kegiatan sebelumnya")
            return None
        return self._decision(path + ("keputusan",), decision, i, ids)

    def _decision(self, path: tuple, value: Any, i: int, ids: dict[str, int]) -> tuple[Exit, ...] | None:
        if self.mapping(path, value, fields.DECISION_KEYS) is None:
            return None
        yes = self._target(path + ("ya",), value.get("ya"), i, ids)
        no = self._target(path + ("tidak",), value.get("tidak"), i, ids)
        labels = value.get("label", list(names.DEFAULT_LABELS))
        if not isinstance(labels, list) or len(labels) != 2 or not all(self.text(path, x) for x in labels):
            self.error(path + ("label",), "harus berupa daftar dua teks, untuk ya lalu tidak: [Lengkap, Tidak lengkap]")
            return None
        if yes is None or no is None:
            return None
        if yes == no:
            self.error(path, f"kedua cabang keputusan menuju kegiatan yang sama (nomor {yes + 1}); "
                             "satu cabang harus ke tempat lain, atau jadikan baris ini kotak biasa")
            return None
        return (Exit(yes, str(labels[0]).strip()), Exit(no, str(labels[1]).strip()))

    def _target(self, path: tuple, value: Any, i: int, ids: dict[str, int]) -> int | None:
        text = self.text(path, value)
        if text is None:
            self.error(path, f"tujuan wajib diisi: id sebuah kegiatan, atau '{names.NEXT}'")
            return None
        if text == names.NEXT:
            return i + 1
        if text not in ids:
            known = ", ".join(ids) if ids else "belum ada; beri 'id:' pada kegiatan tujuan"
            self.error(path, f"tidak ada kegiatan dengan id '{text}' (id yang ada: {known}){suggest(text, ids)}")
            return None
        if ids[text] == i:
            self.error(path, f"kegiatan ini menuju dirinya sendiri ('{text}'); arahkan ke kegiatan lain")
            return None
        return ids[text]

    def _symbol(self, i: int, row: dict, count: int) -> str | None:
        path = ("kegiatan", i, "simbol")
        is_decision = row.get("keputusan") is not None
        default = names.default_symbol(i, count, is_decision)
        value = row.get("simbol")
        if value is None:
            return default
        text = self.text(path, value)
        if text is None:
            return default
        name = text.lower().replace(" ", "_")
        if name in fields.SIMBOL_OTOMATIS:
            self.error(path, f"'{text}' digambar otomatis oleh sopdoc dan tidak dipakai sebagai simbol kegiatan "
                             f"(pilihan: {', '.join(fields.SIMBOL)})")
            return None
        if name not in fields.SIMBOL:
            self.error(path, f"'{text}' bukan salah satu dari lima simbol resmi Permenpan RB 35/2012 "
                             f"(untuk kegiatan: {', '.join(fields.SIMBOL)}){suggest(name, fields.SIMBOL)}")
            return None
        if (name == BELAH_KETUPAT) != is_decision:
            self.error(path, "belah_ketupat dipakai tepat untuk baris yang memiliki 'keputusan'")
            return None
        return name

    def _check_subject(self, path: tuple, uraian: str) -> None:
        lowered = uraian.lower()
        for candidate in self.subjects:
            if candidate.match(lowered):
                self.warn(path, f"uraian diawali nama pelaksana '{uraian[:len(candidate.pattern_text)]}'; tulis "
                                "kalimat yang diawali kata kerja (pelaksana sudah tercantum di kolomnya)")
                return

    def _waktu(self, path: tuple, value: Any) -> Waktu | None:
        text = self._cell(path, value)
        return None if text is None else self.waktu(path, text)

    def _check_flow(self, rows: list[Kegiatan]) -> None:
        """Report rows never reached from the first, and rows that never reach the last."""
        forward = {row.index: [e.target for e in row.exits] for row in rows}
        backward: dict[int, list[int]] = {row.index: [] for row in rows}
        for source, targets in forward.items():
            for target in targets:
                backward[target].append(source)
        reached = _reach(0, forward)
        finishing = _reach(len(rows) - 1, backward)
        for row in rows:
            path = ("kegiatan", row.index)
            if row.index not in reached:
                self.error(path, f"kegiatan nomor {row.nomor} tidak pernah dicapai dari kegiatan pertama; "
                                 "arahkan 'lanjut' atau cabang keputusan ke baris ini, atau hapus barisnya")
            elif row.index not in finishing:
                self.error(path, f"dari kegiatan nomor {row.nomor} alur tidak pernah sampai ke kegiatan terakhir "
                                 "(berputar terus); beri jalan keluar dengan 'lanjut' atau cabang keputusan")



class _Subject:
    """A pelaksana's name (or part of it) as the start of an uraian: matches a whole word."""

    def __init__(self, text: str):
        self.pattern_text = text
        self.match = re.compile(re.escape(text) + r"\b").match


def _subject_patterns(actors: dict[str, str]) -> list[_Subject]:
    """Return, once per SOP, the names an uraian should not start with, longest first per pelaksana."""
    patterns = []
    for key, name in actors.items():
        names = {key.lower(), name.lower()} | {part.strip().lower() for part in re.split(r"[/(]", name)}
        patterns += [_Subject(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 3]
    return patterns


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _reach(start: int, graph: dict[int, list[int]]) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in graph[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
