"""The units and their SOPs as the first page lists them, each SOP with its status and check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import reader, tree
from sopdoc.definition.fields import IN_FORCE
from sopdoc.definition.model import Sop
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


def units(root: Path, search: str = "") -> list[UnitEntry]:
    """Return every unit folder under *root* with the SOPs whose name or number holds every word of *search*."""
    result = reader.read([root])
    sops = {sop.source: sop for sop in result.sops}
    counts = Counter((p.file, p.severity) for p in result.problems)
    found_files = tree.find([root])
    sop_files, unit_files = list(found_files.sops), list(found_files.units)
    found: dict[Path, UnitEntry] = {}
    for unit_file in unit_files:
        folder = unit_file.parent
        if any(f.parent == folder for f in sop_files):
            found[folder] = _unit(root, folder, sops, counts)
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


def _unit(root: Path, folder: Path, sops: dict[Path, Sop], counts: Counter) -> UnitEntry:
    unit = next((s.unit for s in sops.values() if s.unit.folder == folder), None)
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
