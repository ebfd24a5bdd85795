"""How the visible signature looks: who signed, when, and what vouches for the time."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from sopdoc.fsutil import temp_prefix
from sopdoc.office import textfit

FONT_SIZE = 7
SIGNER_CLOCK = "menurut jam komputer penanda tangan"
TSA_CLOCK = "dengan cap waktu tepercaya (TSA)"
TIME_FORMAT = "%d-%m-%Y %H:%M:%S %Z"


def stamp_style(timestamped: bool) -> TextStampStyle:
    """Return the appearance of the signature: a framed note naming the signer and the signing time."""
    text = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s, " + (TSA_CLOCK if timestamped else SIGNER_CLOCK)
    # The engine's size must equal the box's, or pyHanko misplaces every line after the first.
    font = GlyphAccumulatorFactory(_font_file(), font_size=FONT_SIZE)
    return TextStampStyle(
        stamp_text=text,
        timestamp_format=TIME_FORMAT,
        border_width=1,
        text_box_style=TextBoxStyle(font=font, font_size=FONT_SIZE, leading=FONT_SIZE + 2,
                                    box_layout_rule=_centred(0)),
        inner_content_layout=_centred(4),
    )


def _centred(margin: float) -> SimpleBoxLayoutRule:
    return SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                               margins=Margins.uniform(margin))


@functools.cache
def _font_file() -> str:
    """Return Liberation Sans rescaled to 1000 units per em, embedded (as PDF/A asks) in the appearance.

    pyHanko writes a font's glyph widths in its own units, while PDF reads them
    as thousandths of an em: with Liberation's 2048 units every letter would be
    set twice as far apart.
    """
    # Named with the process id: when the process is killed before atexit runs, the next sopdoc sweeps it.
    folder = tempfile.mkdtemp(prefix=temp_prefix("huruf"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    font = TTFont(str(textfit.font_path()))
    scale_upem(font, 1000)
    if "FFTM" in font:      # FontForge's timestamp: fontTools cannot subset it and says so on stderr
        del font["FFTM"]
    path = Path(folder) / "LiberationSans-1000.ttf"
    font.save(str(path))
    return str(path)
