"""The export manifest: what each output below --out was made from, by content hash.

The manifest lives in the output folder, where anyone may edit it, so it is
read as untrusted input: an entry of the wrong shape, or naming a file outside
the output folder, is dropped with a warning and its outputs are made again.
Only files inside the output folder are ever deleted through it. Each entry
also keeps the SHA-256 of every file as sopdoc wrote it: a file changed or
swapped since is no longer fresh and is made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from sopdoc.definition.model import Sop
from sopdoc.document import outputs
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import inside, write_atomic

# What every entry holds besides "hash" and "files", by the prefix of its key.
_FIELDS = {
    "sop:": {"flow_pages": int, "pages": int, "source": str},
    "buku:": {"starts": dict, "pages": int},
}


def sop_key(sop: Sop) -> str:
    """Return the manifest key of a SOP's documents."""
    return f"sop:{sop.unit.key}/{sop.slug}"


def book_key(unit) -> str:
    return f"buku:{unit.key}"


def form_key(unit) -> str:
    return f"monitoring:{unit.key}"


def signed_key(key: str) -> str:
    """Return the manifest key of the signed copy of the output recorded under *key*."""
    return f"ttd:{key}"


INDEX_KEY = "indeks"
ZIP_KEY = "zip"
SUMS = "sha256"


def file_sum(path: Path) -> str | None:
    """Return the SHA-256 of the regular file *path* (not through a link), or None when there is none."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Manifest:
    """What each output was made from, by content hash."""

    def __init__(self, out: Path, warn: Callable[[str], None]):
        self.out = out
        self.path = outputs.manifest_file(out)
        if self.path.is_dir() or (self.path.exists() and not self.path.is_file()):
            raise SopdocError(f"{display_path(self.path)} bukan berkas (mungkin folder); sopdoc menyimpan catatan "
                              "ekspornya di situ: pindahkan atau hapus benda itu, lalu jalankan lagi")
        self.entries = self._load(warn)

    def _load(self, warn: Callable[[str], None]) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            warn(f"{display_path(self.path)} rusak dan diabaikan; semua hasil dibuat ulang")
            return {}
        if not isinstance(data, dict):
            warn(f"{display_path(self.path)} bukan catatan ekspor sopdoc dan diabaikan; semua hasil dibuat ulang")
            return {}
        entries = {key: entry for key, entry in data.items() if self._valid(key, entry)}
        if len(entries) < len(data):
            warn(f"{len(data) - len(entries)} catatan di {display_path(self.path)} tidak sah (misalnya menunjuk ke "
                 "luar folder hasil) dan diabaikan; hasilnya dibuat ulang")
        return entries

    def _valid(self, key: object, entry: object) -> bool:
        if not isinstance(key, str) or not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
            return False
        files = entry.get("files")
        if not isinstance(files, list) or not all(isinstance(f, str) and self.inside(f) for f in files):
            return False
        sums = entry.get(SUMS, {})
        if not isinstance(sums, dict) or not all(isinstance(sums.get(f, ""), str) for f in files):
            return False
        fields = next((f for prefix, f in _FIELDS.items() if key.startswith(prefix)), {})
        return all(isinstance(entry.get(name), kind) and not isinstance(entry.get(name), bool)
                   for name, kind in fields.items())

    def inside(self, name: str) -> bool:
        """Return whether the relative path *name* stays inside the output folder, even through links."""
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
            return False
        return inside(self.out / name, self.out)

    def fresh(self, key: str, digest: str) -> dict | None:
        """Return what was recorded for *key* if it was made from *digest* and its files still hold what was written."""
        entry = self.entries.get(key)
        if not entry or entry["hash"] != digest:
            return None
        sums = entry.get(SUMS, {})
        if not all(sums.get(f) is not None and file_sum(self.out / f) == sums[f] for f in entry["files"]):
            return None
        return entry

    def forget_removed(self) -> None:
        """Drop the SOPs whose definition file is gone, deleting their outputs (inside the output folder only)."""
        for key, entry in list(self.entries.items()):
            source = entry.get("source")
            if isinstance(source, str) and not Path(source).is_file():
                self.forget(key)

    def forget(self, key: str) -> None:
        """Drop the entry *key*, deleting its files (inside the output folder only)."""
        entry = self.entries.pop(key, None)
        for name in entry["files"] if entry else []:
            if self.inside(name):
                (self.out / name).unlink(missing_ok=True)

    def record(self, key: str, digest: str, files: list[Path], **info) -> None:
        """Record that *files* were made from *digest*, with the SHA-256 of each as it is now."""
        names = [f.relative_to(self.out).as_posix() for f in files]
        self.entries[key] = {"hash": digest, "files": names, SUMS: {n: file_sum(f) for n, f in zip(names, files)},
                             **info}

    def sum_of(self, key: str, name: str) -> str | None:
        """Return the SHA-256 recorded for the file *name* of the entry *key*."""
        return self.entries.get(key, {}).get(SUMS, {}).get(name)

    def files(self, keys: list[str]) -> list[str]:
        """Return the files recorded under *keys*, each once, in order."""
        return sorted({f for key in keys if key in self.entries for f in self.entries[key]["files"]})

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True, ensure_ascii=False))
