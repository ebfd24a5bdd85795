"""Sign sopdoc's PDFs (PAdES, visible in the "Disahkan oleh" box) and verify them."""

import logging


def quiet_libraries() -> None:
    """Keep pyHanko's own log lines (tracebacks included) off the user's terminal; sopdoc reports in its words."""
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
