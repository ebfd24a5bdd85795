"""Text as a YAML value on one line: plain where it reads back as itself, else double-quoted.

The one quoting rule of every writer of definitions (the scaffold, revise, yamlwrite),
so that what one writes plain the others write plain too: a text is written plain
only when ``key: TEXT`` reads back as that same text both in the reader's own YAML
(YAML 1.1 types, as PyYAML's safe_load) and in YAML 1.2 (ruamel.yaml, other editors).
The same rule decides a mapping key: ``no:`` is the key False to a YAML 1.1 reader.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from sopdoc.definition import yamlsafe

_YAML_12 = VersionedResolver(version=(1, 2))
_TEXT_TAG = "tag:yaml.org,2002:str"
# The YAML 1.1 booleans PyYAML leaves as text but the 1.1 specification (and readers that follow it) does not.
_SPEC_BOOLEANS = {"y", "Y", "n", "N"}


@functools.lru_cache(maxsize=65536)
def reads_plain(text: str) -> bool:
    """Say whether *text* written plain after ``key:`` reads back as the same text."""
    if "\n" in text or text != text.strip() or text in _SPEC_BOOLEANS:
        return False
    try:
        if yamlsafe.parse(f"x: {text}", Path()).data != {"x": text}:
            return False
    except yamlsafe.YamlLoadError:
        return False
    # A YAML 1.2 reader takes some texts YAML 1.1 leaves as text for numbers: 1e3, 0o17.
    return _YAML_12.resolve(ScalarNode, text, (True, False)) == _TEXT_TAG


def quoted(text: str) -> str:
    """Return *text* as a double-quoted YAML scalar on one line, every character it cannot hold as is escaped."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31).rstrip("\n")


def scalar(text: str) -> str:
    """Return *text* as a YAML value on one line: as is where it reads back as itself, else double-quoted."""
    return text if reads_plain(text) else quoted(text)
