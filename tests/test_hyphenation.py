"""A long word in a narrow column is hyphenated only where Indonesian spelling splits it.

The expected syllables below are written by hand from the spelling rules (PUEBI, pemenggalan kata), not
taken from sopdoc's output; the visual review found "Rekapit-ulasi" printed in an Output column.
"""

import pytest

from sopdoc.office import textfit

# word -> its syllables as the rules split it (a break may be left out, never added elsewhere)
SYLLABLES = {
    "Rekapitulasi": "Re-ka-pi-tu-la-si",
    "transkrip": "tran-skrip",
    "Inspektorat": "In-spek-to-rat",
    "Menyelenggarakan": "Me-nye-leng-ga-ra-kan",
    "pertanggungjawaban": "per-tang-gung-ja-wab-an",
    "musyawarah": "mu-sya-wa-rah",
    "mutakhir": "mu-ta-khir",
    "bangkrut": "bang-krut",
    "Persyaratan": "Per-sya-rat-an",
    "administrasi": "ad-mi-nis-tra-si",
    "Pengadaan": "Peng-a-da-an",
    "ditandatangani": "di-tan-da-ta-nga-ni",
}


def _breaks(syllables: str) -> set[int]:
    at, out = 0, set()
    for piece in syllables.split("-")[:-1]:
        at += len(piece)
        out.add(at)
    return out


@pytest.mark.parametrize("word", SYLLABLES)
def test_a_word_breaks_only_between_its_syllables(word):
    right = _breaks(SYLLABLES[word])
    for points in (30.0, 40.0, 50.0):   # every syllable fits; narrower, letters are split
        lines = textfit.wrap(textfit.breakable(word, points, 9), points, 9)
        assert "".join(line.removesuffix("-") for line in lines) == word, lines
        at = 0
        for line in lines[:-1]:
            at += len(line.removesuffix("-"))
            assert at in right, (word, points, lines)


def test_the_patterns_wrong_breaks_are_gone():
    # pyphen's id_ID patterns give these wrong breaks; they must never print.
    marked = {w: textfit.breakable(w, 30.0, 9).replace(textfit.SOFT_HYPHEN, "-") for w in
              ("Rekapitulasi", "transkrip", "Inspektorat", "mutakhir")}
    assert "pit-u" not in marked["Rekapitulasi"]
    assert "-s-" not in marked["transkrip"]
    assert "r-at" not in marked["Inspektorat"] and "-s-" not in marked["Inspektorat"]
    assert "t-a" not in marked["mutakhir"]
