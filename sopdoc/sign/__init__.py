"""Sign sopdoc's PDFs (PAdES, visible in the "Disahkan oleh" box) and verify them."""

import logging


def quiet_libraries() -> None:
    """Keep pyHanko's and pypdf's own log lines (tracebacks included) off the terminal; sopdoc reports in its words."""
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools", "pypdf"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
