"""Unsaved edits kept by the studio itself, per definitions folder, beside the folder's token.

The browser keeps a page's unsaved edits in localStorage, which belongs to one
origin: a studio started again on another port (another origin) cannot see
them. So a page also sends its unsaved edits here, and a page opened at any
port of the same folder's studio is offered them back. They live in the user's
own state folder (``studio-draf/FOLDER/``, 0600 files in 0700 folders, as the
token), one small JSON file per SOP or unit settings page, removed once saved
or discarded.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sopdoc import fsutil
from sopdoc.errors import SopdocError

MAX_KEPT = 4 * 1024 * 1024      # one page's edits; a real SOP's are tens of kilobytes


class Drafts:
    """The unsaved edits of the definitions folder *root*, kept under the state folder *state* (None: none kept)."""

    def __init__(self, root: Path, state: Path | None):
        folder = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.folder = None if state is None else state / "studio-draf" / folder
        self.state = state

    def _file(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".json")

    def put(self, key: str, draft: dict[str, Any]) -> bool:
        """Keep *draft* (the page's inputs, the file version it began from, when) for the page *key*; say if it was."""
        path = self._file(key)
        text = json.dumps({"kunci": key, **draft}, ensure_ascii=False)
        if path is None or len(text) > MAX_KEPT:
            return False
        try:
            fsutil.make_folder(path.parent)
            for folder in (self.state, self.state / "studio-draf", path.parent):
                os.chmod(folder, 0o700)
            fsutil.write_atomic(path, text, mode=0o600)
        except (OSError, SopdocError):
            return False        # the browser's own copy still holds the edits
        return True

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the edits kept for the page *key*, or None."""
        path = self._file(key)
        if path is None:
            return None
        try:
            info = os.lstat(path)
            if not os.path.isfile(path) or os.path.islink(path) or info.st_mode & 0o077 or info.st_size > MAX_KEPT:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            draft = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return draft if isinstance(draft, dict) and draft.get("kunci") == key else None

    def drop(self, key: str) -> None:
        """Forget the edits kept for the page *key* (saved, or discarded)."""
        path = self._file(key)
        if path is not None:
            try:
                path.unlink()
            except OSError:
                pass
