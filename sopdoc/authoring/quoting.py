"""Text as a YAML value on one line: plain where it reads back as itself, else double-quoted.

The one quoting rule of every writer of definitions (the scaffold, revise, yamlwrite),
so that what one writes plain the others write plain too: a text is written plain
only when the reader's own YAML reads ``key: TEXT`` back as that same text.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from sopdoc.definition import yamlsafe


@functools.lru_cache(maxsize=65536)
def reads_plain(text: str) -> bool:
    """Say whether *text* written plain after ``key:`` reads back as the same text."""
    if "\n" in text or text != text.strip():
        return False
    try:
        return yamlsafe.parse(f"x: {text}", Path()).data == {"x": text}
    except yamlsafe.YamlLoadError:
        return False


def quoted(text: str) -> str:
    """Return *text* as a double-quoted YAML scalar on one line, every character it cannot hold as is escaped."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31).rstrip("\n")


def scalar(text: str) -> str:
    """Return *text* as a YAML value on one line: as is where it reads back as itself, else double-quoted."""
    return text if reads_plain(text) else quoted(text)
