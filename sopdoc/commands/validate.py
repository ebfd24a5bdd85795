"""sopdoc validate: check definitions and report every problem."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc.commands.terminal import Terminal
from sopdoc.definition import reader, yamlsafe
from sopdoc.definition.model import Sop, Unit
from sopdoc.document import docx_writer
from sopdoc.errors import Problem, SopdocError


def run(paths: list[Path], strict: bool, table: bool) -> reader.Result:
    """Validate *paths*; raise :class:`SopdocError` when an error (or, strict, a warning) is found."""
    for path in paths:
        if not path.exists():
            raise SopdocError(f"Folder atau berkas '{path}' tidak ada; tulis jalur ke folder definisi SOP.")
    result = reader.read(paths)
    try_templates(result)
    Terminal().problems(result.problems)
    if table and result.sops:
        click.echo(summary_table(result))
    click.echo(_summary(result, strict))
    if not result.sops and not result.failed and not result.problems:
        raise SopdocError("Tidak ada definisi SOP (*.yaml) di jalur yang diberikan.")
    if result.errors:
        raise SopdocError("Dibatalkan: perbaiki galat di atas, lalu jalankan lagi.")
    if strict and result.warnings:
        raise SopdocError("Dibatalkan: ada peringatan dan --strict dipakai.")
    return result


def _summary(result: reader.Result, strict: bool) -> str:
    """Return the closing count; with *strict*, an SOP with a warning (its own or its unit's) is not counted valid."""
    checked = len(result.sops) + len(result.failed)
    counts = f"{len(result.errors)} galat, {len(result.warnings)} peringatan"
    warned_files = {p.file for p in result.warnings}
    warned = [sop for sop in result.sops if {sop.source, *sop.unit.files} & warned_files] if strict else []
    if not warned:
        return f"{checked} SOP diperiksa: {len(result.sops)} sah, {len(result.failed)} bermasalah; {counts}."
    return (f"{checked} SOP diperiksa: {len(result.sops) - len(warned)} sah, {len(warned)} dengan peringatan yang "
            f"dianggap galat oleh --strict, {len(result.failed)} bermasalah; {counts}.")


def try_templates(result: reader.Result) -> None:
    """Render each unit's own template once with one of its SOPs, as a document would; refuse one that fails.

    The reader tries a template without values, which finds broken tags and
    forbidden commands; only real values show what a template does with them
    (an unknown name, a text multiplied past the limit). The unit's SOPs then
    count as failed, as they would when rendered.
    """
    first: dict[Path, Sop] = {}
    for sop in result.sops:
        if sop.unit.template is not None:
            first.setdefault(sop.unit.template, sop)
    broken: set[Path] = set()
    for template, sop in first.items():
        try:
            docx_writer.identity_sheet(sop, {})
        except SopdocError as exc:
            result.problems.append(Problem(*_template_line(sop.unit), "template", exc.message))
            broken.add(template)
    failed = [sop for sop in result.sops if sop.unit.template in broken]
    result.sops = [sop for sop in result.sops if sop not in failed]
    result.failed += [sop.source for sop in failed]


def _template_line(unit: Unit) -> tuple[Path, int | None]:
    """Return the unit file, and its line, that names *unit*'s template (the nearest one wins)."""
    for file in reversed(unit.files):
        try:
            document = yamlsafe.load(file)
        except yamlsafe.YamlLoadError:
            continue
        if isinstance(document.data, dict) and "template" in document.data:
            return file, document.line(("template",))
    return unit.files[-1], None


def summary_table(result: reader.Result) -> str:
    """Return a text table with one line per valid SOP: its unit (its folder below the definitions), status, size."""
    header = ("Unit", "SOP", "Status", "Baris", "Pelaksana", "Total waktu")
    rows = [
        (sop.unit.key, sop.slug, sop.status, str(len(sop.kegiatan)), str(len(sop.pelaksana)), sop.total_waktu()[0])
        for sop in result.sops
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
