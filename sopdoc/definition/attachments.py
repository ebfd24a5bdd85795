"""The files a unit.yaml names besides definitions, opened to see that a document can use them.

A logo must be a whole picture in a format a DOCX holds; a template must be a
whole DOCX whose Jinja tags are valid and that stays within the sandbox when
tried (see :mod:`sopdoc.templating`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from sopdoc import templating

# Picture formats python-docx can embed (it reads their headers itself).
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")
_SIGNATURES = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")
BROKEN = "gambar rusak atau terpotong; simpan ulang logonya sebagai PNG"


def logo_problem(path: Path) -> str | None:
    """Return why the picture at *path* cannot be a logo, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, size = image.format, image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "gambar terlalu besar (lebih dari 89 juta piksel); perkecil logonya, misalnya lebar 1000 piksel"
    except UnidentifiedImageError:
        if _head(path, 8).startswith(_SIGNATURES):
            return BROKEN
        return "bukan gambar PNG atau JPEG (mungkin SVG, teks, atau berkas lain yang diberi nama .png); " \
               "simpan logonya sebagai PNG"
    except (OSError, SyntaxError, ValueError):
        return BROKEN
    if kind not in LOGO_FORMATS:
        return f"gambar {kind} tidak dapat dimuat di DOCX; simpan logonya sebagai PNG atau JPEG"
    if not all(size):
        return "gambar kosong (0 piksel); simpan ulang logonya sebagai PNG"
    if kind == "JPEG" and not _jpeg_ends(path):
        return BROKEN
    return None


def _head(path: Path, count: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(count)


def _jpeg_ends(path: Path) -> bool:
    """Return whether a JPEG file holds its end marker (Pillow's verify does not read that far)."""
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 1024))
        return b"\xff\xd9" in handle.read()


def template_problem(path: Path) -> str | None:
    """Return why the DOCX template at *path* cannot be used, or None."""
    return templating.check(path)
