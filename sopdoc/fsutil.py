"""Write files safely: atomically, with the usual mode, with a clear message when the disk says no.

A reader sees the old file or the new one, never half: data goes to a staging
file beside the target (so on the same file system), which replaces the
target by rename and is removed on any error. Staging files end in
STAGING_SUFFIX, so that those of a killed run are recognised and removed by
the next run into the same output folder, which holds a lock while it writes.
Several files that belong together are written all or none (:func:`write_all`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import math
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc import workers
from sopdoc.errors import SopdocError, display_path

STAGING_SUFFIX = ".sopdoc-tmp"
STAGING_FOLDER = ".sopdoc-staging-"
LOCK_NAME = ".sopdoc.lock"
JOURNAL = ".sopdoc-menulis-"     # + the writing process's id + .json: the files a write_all is changing
_JOURNAL_LIMIT = 4 * 1024 * 1024


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import, before any thread starts: os.umask can only be read by setting it.
UMASK = _umask()


class WriteError(SopdocError):
    """A file could not be written; the message says where, why and what to do."""


def write_error(exc: OSError, path: Path) -> WriteError:
    """Return the user's message for *exc*, raised while writing *path*."""
    where = display_path(path)
    reasons = {
        errno.ENOSPC: f"disk penuh saat menulis {where}; kosongkan ruang di disk itu atau pilih folder lain, "
                      "lalu jalankan lagi (berkas lama tetap utuh)",
        errno.EDQUOT: f"kuota disk habis saat menulis {where}; kosongkan ruang atau pilih folder lain",
        errno.EFBIG: f"{where} melebihi batas ukuran berkas yang diizinkan (ulimit -f); naikkan batas itu atau "
                     "pilih disk lain, lalu jalankan lagi",
        errno.EROFS: f"{where} berada di disk yang hanya dapat dibaca; pilih folder lain",
        errno.EACCES: f"tidak diizinkan menulis {where}; periksa izin foldernya atau pilih folder lain",
        errno.EPERM: f"tidak diizinkan menulis {where}; periksa izin foldernya atau pilih folder lain",
        errno.ENOTDIR: f"{where}: salah satu folder di jalur ini ternyata berkas biasa; pilih folder lain",
        errno.EISDIR: f"{where} adalah folder, padahal sopdoc perlu menulis berkas di situ; pindahkan folder itu",
    }
    return WriteError(reasons.get(exc.errno, f"{where} tidak dapat ditulis ({exc.strerror}); periksa disk dan "
                                              "izin foldernya, lalu jalankan lagi"))


class ReadRefused(SopdocError):
    """A file was not read: missing, not a regular file, or too large. The message does not name the file."""


def read_regular(path: Path, limit: int, hint: str) -> bytes:
    """Return the bytes of the regular file *path*, refusing anything else and anything over *limit* bytes.

    The file is opened without blocking and checked after opening, so a pipe
    or a device (``/dev/zero``) is refused instead of read forever, and the
    limit holds even for a file that grows while it is read. *hint* ends each
    message: what the file should be.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadRefused(f"berkas tidak dapat dibaca: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):   # before fdopen, which refuses a folder in its own words
        os.close(fd)
        raise ReadRefused(f"bukan berkas biasa (mungkin pipa, perangkat atau soket), jadi tidak dibaca; {hint}")
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise ReadRefused(f"berkas tidak dapat dibaca: {exc.strerror}") from None
    if len(raw) > limit:
        size = max(os.path.getsize(path), len(raw))
        raise ReadRefused(f"berkas terlalu besar ({megabytes(size)}; batas {limit / 1024 / 1024:g} MB); {hint}")
    return raw


def megabytes(size: int) -> str:
    """Return *size* bytes in MB to one decimal, rounded up: a size over a limit never reads as the limit."""
    return f"{math.ceil(size * 10 / 1024 / 1024) / 10:.1f} MB"


def resolved(path: Path) -> Path | None:
    """Return *path* with every symbolic link followed, or None when its links go round in a loop.

    Python 3.11's ``Path.resolve`` raises RuntimeError on a loop (``a -> b -> a``);
    every path a user or a definition names is resolved here, never there.
    """
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Return whether *path*, links followed, lies in *root*; a link loop lies nowhere."""
    target, base = resolved(path), resolved(root)
    return target is not None and base is not None and target.is_relative_to(base)


LOOP = "tautan (symlink) yang berputar (menunjuk ke dirinya sendiri atau ke tautan yang kembali ke sini)"


def write_target(path: Path, root: Path) -> Path:
    """Return the file to write when a definition at *path* (inside the tree *root*) changes.

    A symbolic link is written at its target, so that the link stays a link and
    every name of the file sees the change; a link that leads outside *root* is
    refused, so sopdoc never writes (or copies from) a file outside the tree.
    """
    target = resolved(path)
    if target is None:
        raise SopdocError(f"{display_path(path)} adalah {LOOP}, jadi tidak ditulis; hapus tautan itu atau arahkan "
                          "ke berkas yang sebenarnya")
    if not inside(target, root):
        raise SopdocError(f"{display_path(path)} adalah tautan ke {display_path(target)}, di luar folder definisi "
                          f"{display_path(root)}; sopdoc tidak menulis ke sana. Salin berkasnya ke dalam folder "
                          "definisi, atau ubah di tempat aslinya.")
    return target


def read_only(path: Path, mode: int, refused: str, wanted: str, target: Path | None = None) -> str | None:
    """Return why the definition *path* (permissions *mode*) is left as it is, or None when its owner may write it.

    A read-only file says its owner wants it kept: revise, import and the studio
    refuse it alike. *refused* and *wanted* are the verb for what was not done and
    what the user meant ("direvisi"); *target* is the file to unlock when *path* is a link.
    """
    if mode & stat.S_IWUSR:
        return None
    return (f"{display_path(path)} hanya-baca (izin {mode:o}), jadi tidak {refused}; bila memang akan {wanted}, "
            f"buka izinnya dulu: chmod u+w {display_path(target or path)}")


def make_folder(path: Path) -> None:
    """Create *path* and its parents, or raise :class:`WriteError`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"{display_path(path)} sudah ada sebagai berkas, bukan folder; pilih folder lain") from None
    except OSError as exc:
        raise write_error(exc, path) from None


@contextlib.contextmanager
def staged(path: Path, mode: int | None = None) -> Iterator:
    """Yield a binary file that replaces *path* when the block ends without error.

    The new file gets *mode*, else the mode of the file it replaces, else the
    usual mode for a new file (0666 less the umask). Any OSError becomes a
    :class:`WriteError`; the staging file is removed whatever happens.
    """
    make_folder(path.parent)
    try:
        fd, tmp = _staging_file(path)
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            _seal(handle, _mode_for(path) if mode is None else mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _staging_file(path: Path) -> tuple[int, Path]:
    """Return an open descriptor and the name of a new staging file beside *path*."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=STAGING_SUFFIX)
    return fd, Path(name)


def _seal(handle, mode: int) -> None:
    """Give the staging file *handle* its mode and put its bytes on the disk, before it replaces anything."""
    handle.flush()
    os.fchmod(handle.fileno(), mode)
    os.fsync(handle.fileno())


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~UMASK


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write *data* to *path* through a staging file in the same folder."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with staged(path, mode) as handle:
        handle.write(payload)


@dataclass(frozen=True)
class Change:
    """One file of an all-or-nothing write: the name shown, the file written (a link's target), its bytes and mode."""

    path: Path
    target: Path
    data: bytes
    mode: int


@dataclass
class _Before:
    """What a target was before a write_all, to put it back if the write fails.

    A file (or link) there is kept under a second name beside it, a hard link,
    so that nothing is read from it, not even where a link leads; where the disk
    refuses a hard link, a link's text or a file's bytes are kept instead.
    """

    target: Path
    aside: Path | None = None
    link: str | None = None
    data: bytes | None = None
    mode: int = 0

    @property
    def existed(self) -> bool:
        return self.aside is not None or self.link is not None or self.data is not None


@dataclass
class _Write:
    """The state of one write_all: what was made, staged, kept and renamed so far."""

    made: list[Path] = field(default_factory=list)
    staged: list[tuple[Path, Change]] = field(default_factory=list)
    before: list[_Before] = field(default_factory=list)
    done: int = 0
    journal: Path | None = None


def write_all(changes: list[Change], journal_folder: Path | None = None, label: str = "") -> None:
    """Write every change or none: stage each beside its target, then rename them all into place.

    Missing folders are made first. On any failure every target is put back as it
    was and the folders made are removed; an OSError becomes a :class:`WriteError`
    naming the file. With a *journal_folder*, while the files change a journal
    there names them and the write (*label*), so that the next run learns what a
    killed run left half done (:func:`interrupted`).
    """
    if not changes:
        return
    state = _Write()
    where = changes[0].path
    try:
        for change in changes:
            where = change.path
            state.made += _make_folders(change.target.parent)
        if journal_folder is not None:
            where = journal_folder
            state.journal = _write_journal(journal_folder, label, changes)
        for change in changes:
            where = change.path
            fd, tmp = _staging_file(change.target)
            state.staged.append((tmp, change))
            with os.fdopen(fd, "wb") as handle:
                handle.write(change.data)
                _seal(handle, change.mode)
            state.before.append(_keep(change.target))
        for tmp, change in state.staged:
            where = change.path
            os.replace(tmp, change.target)
            state.done += 1
    except OSError as exc:
        _undo(state)
        raise write_error(exc, where) from None
    except BaseException:
        _undo(state)
        raise
    for before in state.before:
        if before.aside is not None:
            with contextlib.suppress(OSError):
                before.aside.unlink()
    if state.journal is not None:
        state.journal.unlink(missing_ok=True)


# Versions of a definition kept beside it when sopdoc changes it (revise, import, the studio's save):
# NAME.bak is the version just replaced, NAME.bak.1 the one before, ... NAME.bak.9 the oldest.
BACKUPS = 10


def backup_path(path: Path, age: int = 0) -> Path:
    """Return the backup of *path* that is *age* versions older than the newest: NAME.bak, NAME.bak.1, ..."""
    return path.with_name(f"{path.name}.bak" + (f".{age}" if age else ""))


def backups(path: Path, target: Path, old: bytes, mode: int) -> list[Change]:
    """Return the changes that keep *old*, what *target* (shown as *path*) holds now, as its newest backup.

    Each older backup moves one place back (NAME.bak to NAME.bak.1, ...) and the
    oldest of BACKUPS goes, so that no change made soon after another replaces the
    only copy of what was there. Written by :func:`write_all` with the new file,
    all or nothing. A backup that is not a regular file (a link, a folder) is
    neither read nor moved.
    """
    changes = []
    for age in range(BACKUPS - 1, 0, -1):
        kept = _regular_file(backup_path(target, age - 1))
        if kept is not None:
            changes.append(Change(backup_path(path, age), backup_path(target, age), *kept))
    return [*changes, Change(backup_path(path), backup_path(target), old, mode)]


def _regular_file(path: Path) -> tuple[bytes, int] | None:
    """Return the bytes and mode of *path* when it is a regular file (never where a link leads), else None."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):     # not even opened: a link is not followed
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        try:
            return handle.read(), stat.S_IMODE(info.st_mode)
        except OSError:
            return None


def _make_folders(folder: Path) -> list[Path]:
    """Create *folder* and the folders above it that are missing; return those created, top first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    if not folder.is_dir():
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    made = []
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
    return made


def _keep(target: Path) -> _Before:
    """Return what is at *target* now, kept so that it can be put back; a folder there is refused."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return _Before(target)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    aside = target.with_name(f".{target.name}.{secrets.token_hex(4)}{STAGING_SUFFIX}")
    try:
        os.link(target, aside, follow_symlinks=False)
        return _Before(target, aside=aside)
    except OSError:
        if stat.S_ISLNK(mode):
            return _Before(target, link=os.readlink(target))
    fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(target))
        return _Before(target, data=handle.read(), mode=stat.S_IMODE(mode))


def _undo(state: _Write) -> None:
    """Put back what a failed write_all changed: the old targets, no staging files, no new folders, no journal."""
    for tmp, _ in state.staged[state.done:]:
        with contextlib.suppress(OSError):
            tmp.unlink()
    for before in reversed(state.before[:state.done]):
        with contextlib.suppress(OSError):
            _put_back(before)
    for before in state.before[state.done:]:
        if before.aside is not None:
            with contextlib.suppress(OSError):
                before.aside.unlink()
    if state.journal is not None:
        state.journal.unlink(missing_ok=True)
    for folder in reversed(state.made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _put_back(before: _Before) -> None:
    target = before.target
    if before.aside is not None:
        os.replace(before.aside, target)
    elif before.link is not None:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{STAGING_SUFFIX}")
        os.symlink(before.link, tmp)
        os.replace(tmp, target)
    elif before.data is not None:
        write_atomic(target, before.data, before.mode)
    else:
        target.unlink()


def _identity(path: Path) -> list[int] | None:
    """Return what tells the file at *path* (not where a link leads) from any file put there later, or None."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return [found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size]


def _write_journal(folder: Path, label: str, changes: list[Change]) -> Path:
    journal = folder / f"{JOURNAL}{os.getpid()}.json"
    entries = [{"berkas": str(change.path.absolute()), "tujuan": str(change.target.absolute()),
                "sebelum": _identity(change.target)} for change in changes]
    write_atomic(journal, json.dumps({"label": label, "berkas": entries}, ensure_ascii=False))
    return journal


@dataclass(frozen=True)
class Interrupted:
    """A write_all that a killed run left unfinished: its label, its files, and those it had already written."""

    label: str
    files: tuple[Path, ...]
    written: tuple[Path, ...]


def interrupted(folder: Path) -> list[Interrupted]:
    """Return the writes into *folder* that killed runs left unfinished, after removing their staging files.

    Only the journals of processes no longer running are read, and only their
    targets inside *folder* are looked at.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        match = re.match(rf"\.?{re.escape(JOURNAL)}(\d+)\.json", entry.name)
        if not match or workers.alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
                found += _recovered(Path(entry.path), folder)
            os.unlink(entry.path)
    return found


def _recovered(journal: Path, folder: Path) -> list[Interrupted]:
    """Return what the journal of a killed write says it changed, removing the staging files it left."""
    try:
        noted = json.loads(read_regular(journal, _JOURNAL_LIMIT, ""))
        entries = [(Path(e["berkas"]), Path(e["tujuan"]), e["sebelum"]) for e in noted["berkas"]]
        label = str(noted["label"])
    except (ReadRefused, ValueError, KeyError, TypeError):
        return []
    inside = Path(os.path.realpath(folder))
    entries = [e for e in entries if Path(os.path.realpath(e[1].parent)).is_relative_to(inside)]
    for _, target, _ in entries:
        _sweep_named(target)
    written = tuple(path for path, target, before in entries if _identity(target) != before)
    return [Interrupted(label, tuple(path for path, _, _ in entries), written)]


def _sweep_named(target: Path) -> None:
    """Remove the staging files beside *target* that were made for it."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(f".{target.name}.") and entry.name.endswith(STAGING_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


@contextlib.contextmanager
def output_folder(out: Path, waiting: Callable[[str], None], folders: list[Path] = ()) -> Iterator[Path]:
    """Hold *out* for this run: create it, wait for another sopdoc writing there, and sweep a killed run's leftovers.

    One writer per output folder: a second run waits for the first (and says
    so) instead of interleaving its files and its manifest with the first's.
    Leftovers are looked for in *out* and in each of *folders* (the unit
    folders this run writes) and the folders between: only where sopdoc
    writes, not in all of a folder such as a home folder given as --out.
    """
    if out.exists() and not out.is_dir():
        raise WriteError(f"--out {display_path(out)} adalah berkas, bukan folder; pilih folder hasil lain")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(exc, out) from None
    try:
        fd = os.open(out / LOCK_NAME, os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC,
                     0o666 & ~UMASK)
    except OSError as exc:
        raise _output_error(exc, out) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"Menunggu sopdoc lain yang sedang menulis ke {display_path(out)} selesai...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        _probe(out)
        for folder in _between(out, folders):
            sweep(folder)
        sweep_temp()
        yield out
    finally:
        os.close(fd)


def _output_error(exc: OSError, out: Path) -> WriteError:
    return WriteError(f"{write_error(exc, out).message} (folder hasil dipilih dengan --out)")


def _probe(out: Path) -> None:
    """Fail now, with one message, when nothing can be written into *out* (read-only, full, no permission)."""
    try:
        fd, name = tempfile.mkstemp(dir=out, prefix=".probe.", suffix=STAGING_SUFFIX)
    except OSError as exc:
        raise _output_error(exc, out) from None
    os.close(fd)
    os.unlink(name)


def _between(out: Path, folders: list[Path]) -> list[Path]:
    """Return *out*, *folders*, and every folder between them and *out*, each once."""
    found = {out}
    for folder in folders:
        while folder != out and folder.is_relative_to(out) and folder not in found:
            found.add(folder)
            folder = folder.parent
    return sorted(found)


def sweep(folder: Path) -> None:
    """Remove the staging files and folders a killed run left in *folder* (not below it)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.name.startswith(STAGING_FOLDER) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.name.startswith(".") and entry.name.endswith(STAGING_SUFFIX):
                os.unlink(entry.path)


@contextlib.contextmanager
def staging_folder(near: Path) -> Iterator[Path]:
    """Yield a new folder beside *near* (on its file system) that is removed with all it holds at the end."""
    make_folder(near)
    try:
        path = Path(tempfile.mkdtemp(prefix=STAGING_FOLDER, dir=near))
    except OSError as exc:
        raise write_error(exc, near) from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def temp_prefix(kind: str) -> str:
    """Return how a temporary folder of this process starts, so that sweep_temp knows it once the process is gone."""
    return f"sopdoc-{kind}-{os.getpid()}-"


@contextlib.contextmanager
def temp_folder(kind: str) -> Iterator[Path]:
    """Yield a new folder in the system's temporary folder, named with this process's id, removed at the end."""
    path = Path(tempfile.mkdtemp(prefix=temp_prefix(kind)))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep_temp() -> None:
    """Remove this user's temporary folders of sopdoc runs that were killed before they could."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        match = re.match(r"sopdoc-[a-z]+-(\d+)-", entry.name)
        with contextlib.suppress(OSError):
            if match and entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid() \
                    and not workers.alive(int(match.group(1))):
                shutil.rmtree(entry.path, ignore_errors=True)
