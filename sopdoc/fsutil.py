"""Write files safely: atomically, with the usual mode, with a clear message when the disk says no.

A reader sees the old file or the new one, never half: data goes to a staging
file beside the target (so on the same file system), which replaces the
target by rename and is removed on any error. Staging files end in
STAGING_SUFFIX, so that those of a killed run are recognised and removed by
the next run into the same output folder, which holds a lock while it writes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import math
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sopdoc import workers
from sopdoc.errors import SopdocError, display_path

# Windows (where many users work) cannot hold a file or folder with these names, whatever follows a dot.
DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
STAGING_SUFFIX = ".sopdoc-tmp"
STAGING_FOLDER = ".sopdoc-staging-"
LOCK_NAME = ".sopdoc.lock"


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


def device_name_problem(name: str, what: str) -> str | None:
    """Return why *name* cannot be the name of a file or folder (*what*) on Windows, or None."""
    if name.partition(".")[0].lower() in DEVICE_NAMES:
        return (f"'{name}' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan tidak dapat "
                f"menjadi nama {what}; pakai nama lain")
    return None


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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=STAGING_SUFFIX)
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), _mode_for(path) if mode is None else mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
