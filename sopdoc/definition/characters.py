"""The characters a definition's texts and names may not hold, and how a refusal names them.

Three kinds are refused wherever text comes in (YAML, an Excel cell, the studio,
a file or folder name in the tree):

- **control characters**: C0 but tab and line breaks, DEL and C1 (U+0080-U+009F) but
  NEL (U+0085, a line break, as are U+2028 and U+2029: they are laid out as one),
  lone surrogates (YAML's ``"\\ud800"``) and the non-characters U+FFFE/U+FFFF. An
  XML document (DOCX, XLSX) cannot hold most of them; the rest print as nothing.
- **text-direction controls** (U+202A-U+202E, U+2066-U+2069, and the marks U+200E,
  U+200F, U+061C): invisible, they make a printed SOP or a file name read in
  another order than the one it holds ("Trojan source" for documents).
- **invisible characters** (U+200B-U+200D, U+2060-U+2064, U+FEFF): words that look
  alike but differ, a name that seems empty.

Ordinary Indonesian text, a no-break space (U+00A0) and a soft hyphen (U+00AD,
Word's optional hyphen) are kept: they print as what they are.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
_DIRECTION = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff"
_REFUSED = re.compile(f"[{_CONTROL}{_DIRECTION}{_INVISIBLE}]")
_IS_DIRECTION = re.compile(f"[{_DIRECTION}]")
_IS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_CONTEXT = 20      # at most the characters shown before the refused one, so that it can be found in a long text
_FROM_ELSEWHERE = "biasanya terbawa saat menyalin dari aplikasi lain"


def code(char: str) -> str:
    """Return *char* as Unicode writes it, with its name when it has one: 'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def refused(text: str, fix: str = "hapus karakter itu") -> str | None:
    """Return what refuses *text* (a value or a name): its first refused character, where, and how many, or None.

    The message names the character by its code and name and by its position,
    counted from 1, with the text before it; it reads after the key it concerns
    and ends with *fix*, what to do (for one character; plural for more).
    """
    match = _REFUSED.search(text)
    if match is None:
        return None
    char, at = match.group(), match.start()
    before = text[max(0, at - _CONTEXT):at]
    if at > _CONTEXT and " " in before:
        before = before[before.index(" ") + 1:]     # from a whole word
    where = f"di posisi {at + 1}" + (f", sesudah '{'...' if at > _CONTEXT else ''}{before}'" if before.strip() else "")
    count = len(_REFUSED.findall(text))
    if count > 1:
        where += f" (yang pertama dari {count})"
        fix = fix.replace("karakter itu", "karakter-karakter itu")
    if _IS_DIRECTION.match(char):
        return (f"memuat karakter kendali arah teks {code(char)} tersembunyi {where}: teks tercetak dengan urutan "
                f"lain dari isinya; {fix} ({_FROM_ELSEWHERE})")
    if _IS_INVISIBLE.match(char):
        return f"memuat karakter tak terlihat {code(char)} tersembunyi {where}; {fix} ({_FROM_ELSEWHERE})"
    return (f"memuat karakter kendali U+{ord(char):04X} yang tidak dapat dicetak di dokumen, {where}; {fix} "
            f"({_FROM_ELSEWHERE})")
