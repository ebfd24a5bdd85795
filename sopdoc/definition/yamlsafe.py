"""Read one YAML file safely, keeping the line of every value.

PyYAML is used only to compose the node tree (libyaml where available, for
speed); values are built here so that duplicate keys, object-constructing tags
and alias bombs are refused instead of silently accepted.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sopdoc import fsutil

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
# An SOP never nests more than a handful of levels. libyaml composes
# recursively in C and overflows the stack (killing the process) at about
# 25,000 levels, which takes at least that many characters: longer texts are
# first measured on the event stream, which libyaml produces without recursion.
MAX_DEPTH = 100
_MEASURE_FROM = 16 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

# PyYAML's problem texts, in the words a user of sopdoc reads.
_PROBLEMS_ID = {
    "mapping values are not allowed here": "tanda ':' tidak boleh di sini (teks yang memuat ': ' perlu diapit tanda kutip)",
    "mapping values are not allowed in this context": "tanda ':' tidak boleh di sini (teks yang memuat ': ' perlu diapit tanda kutip)",
    "could not find expected ':'": "tanda ':' yang diharapkan tidak ditemukan",
    "did not find expected key": "kunci yang diharapkan tidak ditemukan (periksa indentasi)",
    "did not find expected '-' indicator": "tanda '-' yang diharapkan tidak ditemukan (periksa indentasi daftar)",
    "found character '\\t' that cannot start any token": "karakter TAB tidak boleh dipakai; gunakan spasi untuk indentasi",
    "found undefined alias": "alias (*) merujuk ke jangkar (&) yang tidak ada",
    "found unexpected end of stream": "berkas berakhir sebelum tanda kutip atau kurung ditutup",
    "found unknown escape character": "karakter escape tidak dikenal di dalam teks bertanda kutip",
    "expected <block end>, but found '-'": "tanda '-' pada indentasi yang salah",
    "did not find expected node content": "isi yang diharapkan tidak ditemukan",
    "found unexpected ':'": "tanda ':' tidak terduga",
    "but found another document": "berkas memuat lebih dari satu dokumen YAML (dipisah '---'); satu berkas untuk satu SOP",
    "found invalid Unicode character escape code": "kode karakter Unicode tidak sah di dalam teks bertanda kutip",
    "found a tab character that violates indentation": "karakter TAB tidak boleh dipakai; gunakan spasi untuk indentasi",
}


class YamlLoadError(Exception):
    """The file cannot be read as YAML at all."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    """The plain data of a YAML file and the line where each key path starts."""

    path: Path
    data: Any
    lines: dict[tuple, int]

    def line(self, key_path: tuple) -> int | None:
        """Return the line of *key_path*, or of its nearest ancestor that has one."""
        while key_path not in self.lines and key_path:
            key_path = key_path[:-1]
        return self.lines.get(key_path)


RESAVE_UTF8 = "simpan ulang dengan pengodean UTF-8 (di Notepad: Simpan Sebagai > Encoding: UTF-8)"


def load(path: Path) -> Document:
    """Return the :class:`Document` of *path*, or raise :class:`YamlLoadError`."""
    return decode(read_bytes(path), path)


def decode(raw: bytes, path: Path) -> Document:
    """Return the :class:`Document` of the bytes *raw* read from *path*, or raise :class:`YamlLoadError`."""
    if _utf16(raw):
        raise YamlLoadError(f"berkas ini disimpan sebagai teks Unicode (UTF-16), bukan UTF-8; {RESAVE_UTF8}")
    if b"\x00" in raw:
        raise YamlLoadError("berkas ini bukan teks (berisi data biner); simpan definisi sebagai teks YAML")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlLoadError(f"berkas bukan teks UTF-8; {RESAVE_UTF8}", line) from None
    return parse(text, path)


def _utf16(raw: bytes) -> bool:
    """Say whether *raw* is text saved as UTF-16 (Notepad's "Unicode"): a byte order mark, or every other byte 0."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = raw[:2000]
    return len(sample) >= 4 and any(half.count(0) >= 0.9 * len(half) for half in (sample[0::2], sample[1::2]))


def read_bytes(path: Path) -> bytes:
    """Return the bytes of the regular file *path*, refusing anything else and anything over the size limit."""
    try:
        return fsutil.read_regular(path, MAX_BYTES, "definisi SOP adalah berkas teks biasa, biasanya di bawah 50 KB: "
                                   "periksa apakah ini berkas yang benar")
    except fsutil.ReadRefused as exc:
        raise YamlLoadError(exc.message) from None


def parse(text: str, path: Path) -> Document:
    """Return the :class:`Document` of YAML *text* read from *path*."""
    root = compose(text)
    builder = _Builder()
    data = builder.build(root, ()) if root is not None else None
    return Document(path, data, builder.lines)


def compose(text: str):
    """Return the node tree of YAML *text* (or None when it is empty), or raise :class:`YamlLoadError`.

    Every reader of definitions composes through here, so all of them accept
    and refuse the same files.
    """
    try:
        if len(text) >= _MEASURE_FROM:
            _check_depth(text)
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in (exc.problem or ""):
            # libyaml (from PyYAML 6.0.4) has a nesting bound of its own, which can fire before ours.
            raise _too_deep(mark.line + 1 if mark else None) from None
        problem = _PROBLEMS_ID.get(exc.problem or "", exc.problem or "kesalahan sintaks")
        where = f" (kolom {mark.column + 1})" if mark else ""
        raise YamlLoadError(f"sintaks YAML tidak sah: {problem}{where}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(f"sintaks YAML tidak sah: {exc}") from None


def _too_deep(line: int | None) -> YamlLoadError:
    return YamlLoadError(f"daftar atau pemetaan bertingkat lebih dari {MAX_DEPTH} lapis; "
                         "periksa tanda kurung [ ] dan { } serta indentasinya", line)


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, reading events (which libyaml produces without recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(event.start_mark.line + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _Builder:
    def __init__(self) -> None:
        self.lines: dict[tuple, int] = {(): 1}
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node, key_path: tuple) -> Any:
        if len(key_path) >= MAX_DEPTH:
            raise _too_deep(node.start_mark.line + 1)
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlLoadError(
                f"berkas memuat lebih dari {MAX_NODES} nilai (mungkin alias '*' yang berlipat ganda); "
                "tulis nilainya langsung tanpa alias"
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, SequenceNode):
            self._check_tag(node, _SEQ_TAG)
            items = []
            for index, item in enumerate(node.value):
                self.lines[key_path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, key_path + (index,)))
            return items
        return self._scalar(node)

    def _mapping(self, node: MappingNode, key_path: tuple) -> dict:
        self._check_tag(node, _MAP_TAG)
        result: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise YamlLoadError("kunci harus berupa teks sederhana", line)
            key = key_node.value
            if key == "<<":
                raise YamlLoadError("penggabungan '<<' tidak didukung; tulis setiap kunci secara langsung", line)
            if key in result:
                first = self.lines[key_path + (key,)]
                raise YamlLoadError(
                    f"kunci '{key}' ditulis dua kali (pertama di baris {first}); hapus salah satunya", line
                )
            self.lines[key_path + (key,)] = line
            result[key] = self.build(value_node, key_path + (key,))
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        self._check_tag(node, *_ALLOWED_SCALAR_TAGS)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            # An impossible timestamp such as 2023-02-30: the date check reports it.
            return node.value

    @staticmethod
    def _check_tag(node, *allowed: str) -> None:
        if node.tag not in allowed:
            raise YamlLoadError(
                f"tag YAML '{node.tag.replace('tag:yaml.org,2002:', '!!')}' tidak diizinkan; definisi SOP hanya memuat teks, angka, tanggal, daftar dan pemetaan",
                node.start_mark.line + 1,
            )
