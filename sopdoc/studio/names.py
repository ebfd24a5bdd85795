"""The form contract: every input is named by its key path as the definition has it.

``kegiatan[3].uraian`` is the uraian of printed row 3; list items count from 1,
as :func:`sopdoc.errors.format_key_path` prints them, so a problem's key is the
name of the input it concerns. Posted fields become a tree of text here; what
the tree means is :mod:`sopdoc.studio.draft`'s business.
"""

from __future__ import annotations

import re
from typing import Any

MAX_INDEX = 2000            # no definition has that many rows or list items
MAX_NAME = 200
_PART = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_-]*)((?:\[\d{1,5}\])*)")
_INDEX = re.compile(r"\[(\d+)\]")
# The value a switch input (a checkbox) posts at a path that also has children.
SWITCH = ""


class BadForm(ValueError):
    """A request whose fields no page of the studio sends; the message is for the user."""


def parse_name(name: str) -> tuple:
    """Return the key path of input *name*: ``kegiatan[3].uraian`` -> ("kegiatan", 2, "uraian")."""
    if len(name) > MAX_NAME:
        raise BadForm(f"nama isian terlalu panjang ({len(name)} karakter)")
    path: list = []
    for part in name.split("."):
        match = _PART.fullmatch(part)
        if not match:
            raise BadForm(f"nama isian '{name[:60]}' tidak dikenal")
        path.append(match.group(1))
        for number in _INDEX.findall(match.group(2)):
            index = int(number)
            if not 1 <= index <= MAX_INDEX:
                raise BadForm(f"nomor {index} pada isian '{name[:60]}' di luar batas (1 sampai {MAX_INDEX})")
            path.append(index - 1)
    return tuple(path)


def unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Return the tree of *pairs*: nested dicts, lists where keys are numbers, text at the leaves.

    A name posted twice holds a list of its values. A name that is posted and also
    has children (a switch such as ``kegiatan[3].keputusan``) keeps its value under
    the key :data:`SWITCH`. Numbered items keep their order; gaps close up.
    """
    root: dict = {}
    for name, value in pairs:
        path = parse_name(name)
        node = root
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {SWITCH: child} if child is not None else {}
                node[part] = child
            node = child
        _put(node, path[-1], value.replace("\r\n", "\n"))
    return _listed(root)


def _put(node: dict, key: Any, value: str) -> None:
    old = node.get(key)
    if isinstance(old, dict):
        _put(old, SWITCH, value)
    elif isinstance(old, list):
        old.append(value)
    elif old is not None:
        node[key] = [old, value]
    else:
        node[key] = value


def _listed(node: Any) -> Any:
    """Return *node* with every dict keyed by numbers turned into a list in number order."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_listed(node[k]) for k in sorted(node)]
    if any(isinstance(k, int) for k in node):
        raise BadForm("isian bernomor dan isian bernama bercampur di satu tempat")
    return {k: _listed(v) for k, v in node.items()}

