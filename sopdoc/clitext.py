"""Click's own words (usage, option errors) in Bahasa Indonesia.

Click looks its messages up through ``gettext`` at call time; pointing that
look-up at this table is the supported way to translate them.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

_ID = {
    "Usage:": "Pemakaian:",
    "Options": "Pilihan",
    "Commands": "Perintah",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "No such option: {name}": "Pilihan tidak dikenal: {name}",
    "No such option {name!r}.": "Pilihan tidak dikenal: {name!r}.",
    "No such command {name!r}.": "Perintah tidak dikenal: {name!r}.",
    "Missing command.": "Perintah belum ditulis.",
    "Missing argument": "Argumen belum ditulis",
    "Missing option": "Pilihan belum ditulis",
    "Missing parameter": "Parameter belum ditulis",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "path": "jalur",
    "file": "berkas",
    "directory": "folder",
    "Aborted!": "Dibatalkan.",
    "Option {name!r} requires an argument.": "Pilihan {name!r} memerlukan nilai.",
    "{value!r} is not a valid date.": "{value!r} bukan tanggal yang sah.",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "integer": "bilangan bulat",
    "float": "bilangan",
    "Option {name!r} does not take a value.": "Pilihan {name!r} tidak menerima nilai.",
    "Missing parameter: {param_name}": "Parameter belum ditulis: {param_name}",
    "Missing {param_type}": "{param_type} belum ditulis",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulis.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
}
_ID_PLURAL = {
    "Got unexpected extra argument ({args})": "Ada argumen berlebih ({args})",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "Option {name!r} requires an argument.": "Pilihan {name!r} memerlukan nilai.",
    "No such option: {name}": "Pilihan tidak dikenal: {name}",
    # Where the plural message has other fields than the singular one, both forms.
    "Did you mean {possibility}?": ("Maksud Anda {possibility}?", "(Maksud Anda salah satu dari: {possibilities}?)"),
    "Takes {nargs} values but 1 was given.": ("Memerlukan {nargs} nilai, tetapi 1 yang diberikan.",
                                              "Memerlukan {nargs} nilai, tetapi {len} yang diberikan."),
    "{value!r} does not match the format {format}.": ("{value!r} tidak sesuai format {format}.",
                                                      "{value!r} tidak sesuai format mana pun: {formats}."),
}


def _gettext(message: str) -> str:
    return _ID.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    found = _ID_PLURAL.get(singular)
    if isinstance(found, tuple):
        return found[0] if n == 1 else found[1]
    return found or (singular if n == 1 else plural)


def install() -> None:
    """Make click speak Indonesian."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
