"""The units and their SOPs as the first page lists them, each SOP with its status and check."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import reader, tree
from sopdoc.definition.fields import IN_FORCE
from sopdoc.definition.model import Sop, Unit
from sopdoc.definition.units import Units
from sopdoc.definition.values import Result
from sopdoc.errors import ERROR
from sopdoc.studio import files


@dataclass
class Entry:
    """One SOP file: what the list shows of it."""

    key: str
    slug: str
    nama: str
    nomor: str
    status: str
    revisi: str
    errors: int
    warnings: int

    def matches(self, words: list[str]) -> bool:
        text = f"{self.nama} {self.nomor} {self.slug}".lower()
        return all(word in text for word in words)


@dataclass
class UnitEntry:
    """One unit folder with its SOPs."""

    key: str
    title: str
    pemerintah: str
    entries: list[Entry] = field(default_factory=list)
    errors: int = 0             # problems of the unit files themselves


# A file changed within this many nanoseconds of being read may change again with the same time stamp (the clock of
# a file system ticks in milliseconds, or coarser): it is read again next time, not trusted.
_RECENT = 2_000_000_000
_Stamp = tuple[int, int, int, int]


@dataclass
class _Read:
    """What the list keeps of one SOP file: the time stamp it was read at, its SOP and its problem counts."""

    stamp: _Stamp | None            # None: read again next time
    sop: Sop | None
    counts: Counter


class Catalog:
    """The units and SOPs of one definitions folder, each SOP file read and checked again only when it changed.

    An SOP is read again when its time stamp (modification time in nanoseconds,
    size, inode, device) differs from when it was read, so every save, rename or
    delete of the studio and every edit outside it shows in the next list. What
    its check depends on besides its own text (the unit files, their logo and
    template, the names of the files in the tree) is the tree's *shape*: when
    that changes, or a unit file has a problem, the whole tree is read again.
    """

    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.Lock()
        self.shape: tuple | None = None
        self.files: dict[Path, _Read] = {}
        self.others = Counter()         # problems of what is not an SOP file (unit files, the tree's own)
        self.attachments: tuple[Path, ...] = ()
        self.emptied: dict[Path, Unit | None] = {}     # unit folders that hold no SOP, each with its unit

    def units(self, search: str = "") -> list[UnitEntry]:
        """Return every unit folder with the SOPs whose name or number holds every word of *search*."""
        found = tree.find([self.root])
        with self.lock:
            self._refresh(found)
            sops = {path: read.sop for path, read in self.files.items() if read.sop is not None}
            counts = sum((read.counts for read in self.files.values()), Counter()) + self.others
            emptied = dict(self.emptied)
        return _listing(self.root, found, sops, counts, emptied, search)

    def _refresh(self, found: tree.Tree) -> None:
        now = time.time_ns()
        stamps = {path: _stamp(path, now) for path in found.sops}
        shape = self._shape(found, now)
        if shape is None or shape != self.shape:
            self._read_all(found, stamps, now)
            return
        changed = [path for path, stamp in stamps.items()
                   if stamp is None or path not in self.files or self.files[path].stamp != stamp]
        if changed:
            result = reader.read_found(found, changed)
            self._keep(result, stamps)

    def _read_all(self, found: tree.Tree, stamps: dict[Path, _Stamp | None], now: int) -> None:
        result = reader.read_found(found)
        self.files = {}
        self._keep(result, stamps)
        self.emptied = _emptied_units(found, result)
        self.others = Counter((p.file, p.severity) for p in result.problems if p.file not in found.sops)
        units = [*{sop.unit.folder: sop.unit for sop in result.sops}.values()]
        units += [unit for unit in self.emptied.values() if unit is not None]
        self.attachments = tuple(sorted({path for unit in units for path in (unit.logo, unit.template) if path}))
        broken_unit = any(p.severity == ERROR for p in result.problems if p.file.name == reader.UNIT_FILE)
        self.shape = None if broken_unit else self._shape(found, now)

    def _keep(self, result: reader.Result, stamps: dict[Path, _Stamp | None]) -> None:
        """Keep what *result* says of each SOP file it read."""
        sops = {sop.source: sop for sop in result.sops}
        counts: dict[Path, Counter] = {}
        for problem in result.problems:
            counts.setdefault(problem.file, Counter())[(problem.file, problem.severity)] += 1
        for path in [*sops, *result.failed]:
            if path in stamps:
                self.files[path] = _Read(stamps[path], sops.get(path), counts.get(path, Counter()))

    def _shape(self, found: tree.Tree, now: int) -> tuple | None:
        """Return what every SOP's check depends on besides its own text, or None when a part of it just changed."""
        stamps = tuple((path, _stamp(path, now)) for path in (*sorted(found.units), *self.attachments))
        if any(stamp is None for _, stamp in stamps):
            return None
        return stamps, tuple(found.sops), tuple(found.problems)


def _stamp(path: Path, now: int) -> _Stamp | None:
    """Return *path*'s time stamp, or None when it cannot be trusted: unreadable, or changed just now."""
    try:
        info = path.stat()
    except OSError:
        return None
    if now - info.st_mtime_ns < _RECENT:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev


def _emptied_units(found: tree.Tree, result: Result) -> dict[Path, Unit | None]:
    """Return the unit of each unit folder that holds no SOP (all deleted, say), None where it does not read.

    Such a folder is a unit's when no unit folder lies below it; a folder that
    only names the pemerintah for the units below it is not listed. The problems
    of reading it that the tree's read did not report are added to *result*.
    """
    holding = {path.parent for path in found.sops}
    folders = {unit_file.parent: root for unit_file, root in found.units.items()}
    leaves = [folder for folder in folders
              if folder not in holding and not any(folder in other.parents for other in folders)]
    read = Result()
    units = Units(read, {})
    emptied = {folder: units.unit_of(folder, folders[folder]) for folder in leaves}
    result.problems += [p for p in read.problems if p not in result.problems]
    # A folder on its own whose unit file names no unit is a pemerintah's folder with no unit yet, not a unit.
    return {folder: unit for folder, unit in emptied.items() if unit is not None or len(tree.chain(folder)) > 1}


def _listing(root: Path, found_files: tree.Tree, sops: dict[Path, Sop], counts: Counter,
             emptied: dict[Path, Unit | None], search: str) -> list[UnitEntry]:
    sop_files, unit_files = list(found_files.sops), list(found_files.units)
    found: dict[Path, UnitEntry] = {}
    for unit_file in unit_files:
        folder = unit_file.parent
        if any(f.parent == folder for f in sop_files):
            found[folder] = _unit(root, folder, sops, counts)
        elif folder in emptied:
            found[folder] = _unit(root, folder, sops, counts, emptied[folder])
    words = search.lower().split()
    for path in sop_files:
        unit = found.setdefault(path.parent, _unit(root, path.parent, sops, counts))
        entry = _entry(root, path, sops.get(path), counts)
        if entry.matches(words):
            unit.entries.append(entry)
    listed = [u for u in found.values() if u.entries or not words]
    for unit in listed:
        unit.entries.sort(key=lambda e: (e.status != IN_FORCE, e.nomor, e.nama.lower()))
    return sorted(listed, key=lambda u: u.key)


def _unit(root: Path, folder: Path, sops: dict[Path, Sop], counts: Counter, unit: Unit | None = None) -> UnitEntry:
    unit = unit or next((s.unit for s in sops.values() if s.unit.folder == folder), None)
    chain = unit.files if unit else (folder / reader.UNIT_FILE,)
    errors = sum(counts[(f, ERROR)] for f in chain)
    if unit is None:
        return UnitEntry(files.key_of(root, folder), folder.name, "", errors=errors)
    return UnitEntry(files.key_of(root, folder), unit.unit, unit.pemerintah or "", errors=errors)


def _entry(root: Path, path: Path, sop: Sop | None, counts: Counter) -> Entry:
    errors, warnings = counts[(path, ERROR)], counts[(path, "peringatan")]
    key = files.key_of(root, path)
    if sop is not None:
        revisi = str(sop.tanggal_revisi) if sop.tanggal_revisi else "-"
        return Entry(key, sop.slug, sop.nama, sop.nomor or "", sop.status, revisi, errors, warnings)
    nama, nomor = files.title_of(path)
    return Entry(key, path.stem, nama or path.stem, nomor, "", "-", max(errors, 1), warnings)
