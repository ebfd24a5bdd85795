"""How an export signs its PDFs: given by the caller, so that the export stage does not depend on signing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Signature:
    """*sign* takes PDFs and the SHA-256 each must have (what sopdoc made), and returns, for each in order,
    (signed copy, None) or (None, why it was not signed, without the PDF's name); *identity* names the
    certificate (and timestamp server), so that a different signer signs everything again; *holds* says
    whether a signed copy kept from an earlier run is the PDF (second path) signed by this certificate and
    nothing else, since the output folder and its manifest are editable by others.
    """

    sign: Callable[[list[Path], list[str | None]], list[tuple[Path | None, str | None]]]
    identity: str
    holds: Callable[[Path, Path], bool]
