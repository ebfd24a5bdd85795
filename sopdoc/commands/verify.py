"""sopdoc verify: say who signed a PDF, when, whether it is unchanged, trusted and in force."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc.definition import reader
from sopdoc.errors import SopdocError, display_path
from sopdoc.sign import quiet_libraries, verify


def run(pdfs: list[Path], trust: list[Path], definitions: Path | None) -> None:
    """Report on every PDF of *pdfs*; fail (exit 1) unless every check of every PDF holds."""
    quiet_libraries()
    roots = verify.load_trust(trust)
    defined = reader.read([definitions]) if definitions else None
    reports = [verify.verify_file(pdf, roots, defined) for pdf in pdfs]
    for report in reports:
        click.echo(describe(report))
    failed = [r for r in reports if not r.ok]
    click.echo(f"{len(reports)} PDF diperiksa: {len(reports) - len(failed)} sah, {len(failed)} tidak sah.")
    if failed:
        raise SopdocError("Tidak sah: " + "; ".join(f"{display_path(r.path)} ({', '.join(r.failures())})"
                                                     for r in failed))


def describe(report: verify.Report) -> str:
    """Return the report on one PDF as the user reads it: each signature with its checks, then the document's."""
    lines = [display_path(report.path)]
    for signature in report.signatures:
        label = "Cap waktu oleh" if signature.timestamp else "Penanda tangan"
        lines += _values(((label, signature.signer), ("Waktu", signature.signed_at)))
        lines += _checks(signature.checks)
    lines += _values((("Kode verifikasi", report.kode),))
    lines += _checks(report.checks)
    lines.append(f"  Hasil: {'SAH' if report.ok else 'TIDAK SAH'}")
    return "\n".join(lines)


def _values(pairs) -> list[str]:
    return [f"  {label:<15}: {value}" for label, value in pairs if value]


def _checks(checks: list[verify.Check]) -> list[str]:
    return [f"  [{'ya' if check.ok else 'TIDAK'}] {check.text}" for check in checks]
