"""sopdoc schema: write the JSON Schemas for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sopdoc.definition import schema
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import write_atomic

SOP_SCHEMA = "sop.schema.json"
UNIT_SCHEMA = "unit.schema.json"


def run(out: Path) -> None:
    """Write both schema files into *out*."""
    if out.exists() and not out.is_dir():
        raise SopdocError(f"--out {display_path(out)} adalah berkas, bukan folder; sopdoc menulis dua berkas skema "
                          "ke dalam sebuah folder: pilih folder lain, misalnya --out schema")
    for name, content in ((SOP_SCHEMA, schema.sop_schema()), (UNIT_SCHEMA, schema.unit_schema())):
        write_atomic(out / name, json.dumps(content, indent=2, ensure_ascii=False) + "\n")
        click.echo(f"Ditulis: {out / name}")
