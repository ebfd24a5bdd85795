"""Read definition trees into the model, collecting every problem before failing.

A tree holds unit folders; each has a ``unit.yaml`` and one YAML file per SOP.
Nested ``unit.yaml`` files are merged top-down, the deeper one winning.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Collection
from pathlib import Path
from typing import Any

from sopdoc.definition import fields, names, placeholders, tree, yamlsafe
from sopdoc.definition.model import Revisi, Sop, Tanggal, Unit
from sopdoc.definition.rows import RowsReader
from sopdoc.definition.units import Units
from sopdoc.definition.values import FileReader, Result, suggest, type_name
from sopdoc.errors import ERROR, Problem

UNIT_FILE = tree.UNIT_FILE
MAX_ACTORS = 8
# Roughly what the pelaksana header holds: 301 characters of ordinary words fit
# under eight pelaksana on A4 landscape, the tightest page (measured with the layout).
MAX_ACTOR_NAME = 300


def read(paths: list[Path], texts: dict[Path, str | yamlsafe.Document] | None = None) -> Result:
    """Read every definition under *paths* into a :class:`Result`.

    *texts* gives the content of some files instead of what is on disk, as text
    (revise checks a revision before it writes it) or as data already read (the
    studio checks unsaved edits).
    """
    with _collector_paused():
        return _read_found(tree.find(paths), texts or {})


def written_title(path: Path) -> str | None:
    """Return how the SOP file *path* names itself, read even when it is not a valid SOP: its nama, else its nomor.

    A keterkaitan to an SOP that does not read (a mistake elsewhere in it, or
    its nama emptied) still prints what a reader of the page knows it by, never
    the file name. Each value is checked as any text is. None: neither is written.
    """
    file_reader = FileReader(path, Result())
    data = file_reader.load()
    if not file_reader.ok or not isinstance(data, dict):
        return None
    if nama := file_reader.text(("nama",), data.get("nama")):
        return nama
    nomor = file_reader.text(("nomor",), data.get("nomor"))
    return f"SOP Nomor {nomor}" if nomor else None


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


def read_found(found: tree.Tree, only: Collection[Path] | None = None) -> Result:
    """Read the definitions *found* (by :func:`tree.find`) as :func:`read` reads them.

    With *only*, read just those SOP files of *found* (and those beside them whose
    names clash with theirs), each as a read of the whole tree reads it: an SOP
    depends on its own text, the unit files above it and the names of the files
    beside it, all of which *found* holds. Problems of the unit files may repeat
    or be missing: a caller that reads a part keeps them from a whole read.
    """
    if only is None:
        with _collector_paused():
            return _read_found(found, {})
    clashes = {(path.parent, names.same_name(path.stem)) for path in only}
    part = tree.Tree(sops={path: root for path, root in found.sops.items()
                           if (path.parent, names.same_name(path.stem)) in clashes},
                     listings=found.listings)
    with _collector_paused():
        return _read_found(part, {})


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
        sop_reader = _SopReader(file, unit, result, siblings, texts.get(file)) if unit is not None else None
        sop = sop_reader.read() if sop_reader is not None else None
        if sop is None or any(p.severity == ERROR for p in result.problems[problems_before:]):
            result.failed.append(file)
            if sop_reader is not None and sop_reader.declared_status() == fields.DRAFT:
                result.failed_drafts.add(file)
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

    def read(self) -> Sop | None:
        data = self.load()
        if not self.ok:
            return None
        if self.mapping((), data, fields.SOP_KEYS) is None:
            return None
        revisi = self._revisions(data.get("revisi"))
        actors = self._actors(data.get("pelaksana"))
        rows = RowsReader(self, actors, len(actors) <= MAX_ACTORS).read(data.get("kegiatan"))
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
        for path, message in [*placeholders.in_sop(values["nomor"], rows),
                              *placeholders.in_signer(("disahkan_oleh",), values["disahkan_oleh"])]:
            self.warn(path, message)
        return Sop(source=self.file, unit=self.unit, pelaksana=tuple(actors.items()),
                   kegiatan=rows, revisi=revisi, **values)

    def declared_status(self) -> str | None:
        """Return the status the file writes, as written (lower case), whether or not the file is valid."""
        data = self.doc.data if self.doc else None
        status = data.get("status") if isinstance(data, dict) else None
        return status.strip().lower() if isinstance(status, str) else None

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
        return actors
