"""The studio's web application: pages and the requests their scripts send, thin over the stages."""

from __future__ import annotations

import base64
import contextlib
import datetime
import functools
import hashlib
import json
import os
import re
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pyhanko.sign.signers import Signer
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sopdoc import fsutil
from sopdoc.authoring import revise, yamlwrite
from sopdoc.definition import characters, fields, reader, values, yamlsafe
from sopdoc.definition.fields import HEADINGS, SIMBOL, SOP_KEYS, UNIT_KEYS
from sopdoc.definition.model import Tanggal
from sopdoc.definition.names import END, NEXT
from sopdoc.definition.tree import chain as unit_chain
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import imports, writer
from sopdoc.fsutil import backup_path, write_target
from sopdoc.sign import certificate
from sopdoc.studio import catalog, draft, edits, files, jobs, kept, preview
from sopdoc.studio.faults import Faults
from sopdoc.studio.guard import BodyTooLarge, Guard
from sopdoc.studio.names import BadForm, unflatten

HERE = Path(__file__).resolve().parent
MAX_FIELDS = 40_000
# Every row of the editor lists every row (where a decision or a jump goes), so a page grows with the square
# of its rows: 200 rows make 3 MB, 5,000 would make 2 GB. Real SOPs have tens of rows.
MAX_ROWS = 200
_NO_ROUTE = {404: "alamat ini tidak ada di studio; mulai lagi dari daftar SOP",
             405: "alamat ini tidak menerima permintaan seperti itu"}
SOP_KEYS_BY_NAME = {k.name: k for k in SOP_KEYS}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def create_app(root: Path, out: Path, token: str, tasks: jobs.Jobs | None = None, state: Path | None = None) -> Starlette:
    """Return the studio over the definitions folder *root*, writing documents to *out*.

    Its jobs run where the caller serves *tasks*; without them, in a thread of their own.
    Pages' unsaved edits are also kept under the user's state folder *state*, when given.
    """
    stop = None
    if tasks is None:
        tasks = jobs.Jobs()
        stop = tasks.serve_in_background()
    studio = Studio(root, out, token, tasks)
    studio.drafts = kept.Drafts(root, state)
    routes = [
        Route("/", studio.home),
        Route("/baru", studio.new_form, methods=["GET"]),
        Route("/baru", studio.new_sop, methods=["POST"]),
        Route("/ekspor", studio.export, methods=["POST"]),
        Route("/impor", studio.import_workbook, methods=["POST"]),
        Route("/tugas/{job}", studio.job),
        Route("/tugas/{job}/berkas", studio.job_file),
        Route("/sop/{key:path}/pratinjau", studio.sop_preview, methods=["POST"]),
        Route("/sop/{key:path}/ubah", studio.sop_edit, methods=["POST"]),
        Route("/sop/{key:path}/simpan", studio.sop_save, methods=["POST"]),
        Route("/sop/{key:path}/revisi", studio.sop_revise, methods=["POST"]),
        Route("/sop/{key:path}/revisi-ubah", studio.sop_amend_revision, methods=["POST"]),
        Route("/tanggal", studio.date_shown),
        Route("/draf", studio.draft_kept),
        Route("/draf", studio.draft_keep, methods=["POST"]),
        Route("/sop/{key:path}/dokumen", studio.sop_document, methods=["POST"]),
        Route("/sop/{key:path}/tandatangan", studio.sop_sign, methods=["POST"]),
        Route("/unit/{key:path}/tandatangan", studio.unit_sign, methods=["POST"]),
        Route("/sop/{key:path}/salin", studio.sop_copy, methods=["POST"]),
        Route("/sop/{key:path}/ganti-nama", studio.sop_rename, methods=["POST"]),
        Route("/sop/{key:path}/hapus", studio.sop_trash, methods=["POST"]),
        Route("/sampah", studio.trash_page),
        Route("/sampah/pulihkan", studio.trash_restore, methods=["POST"]),
        Route("/sop/{key:path}", studio.sop_page),
        Route("/unit/{key:path}/periksa", studio.unit_check, methods=["POST"]),
        Route("/unit/{key:path}/ubah", studio.unit_edit, methods=["POST"]),
        Route("/unit/{key:path}/simpan", studio.unit_save, methods=["POST"]),
        Route("/unit/{key:path}/buku", studio.unit_book, methods=["POST"]),
        Route("/unit/{key:path}/excel", studio.unit_workbook),
        Route("/unit/{key:path}", studio.unit_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers = {BadForm: _bad_request, files.Invalid: _invalid, files.Refused: _not_found, BodyTooLarge: _too_large,
                SopdocError: _refused, HTTPException: _no_route}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=_lifespan(stop),
                    middleware=[Middleware(Guard, token=token), Middleware(Faults)])
    app.state.studio = studio
    return app


def _lifespan(stop: Callable[[], None] | None):
    """Return the app's lifespan: when it shuts down, its own job thread stops after its running job."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if stop is not None:
            await anyio.to_thread.run_sync(stop)

    return lifespan


async def _bad_request(request: Request, exc: Exception) -> Response:
    return JSONResponse({"galat": f"Permintaan tidak sah: {exc}"}, 400)


async def _invalid(request: Request, exc: Exception) -> Response:
    return JSONResponse({"galat": str(exc)}, 400)


async def _not_found(request: Request, exc: Exception) -> Response:
    if request.method != "GET":
        return JSONResponse({"galat": str(exc)}, 404)
    return request.app.state.studio.html(request, "pesan.html", judul="Tidak ditemukan", pesan=str(exc), status=404)


async def _refused(request: Request, exc: SopdocError) -> Response:
    return JSONResponse({"galat": exc.message}, 400)


async def _no_route(request: Request, exc: HTTPException) -> Response:
    """Answer an address or a method the studio does not have in Indonesian, not in Starlette's English."""
    message = _NO_ROUTE.get(exc.status_code, "permintaan ini tidak dapat dilayani studio")
    if request.method != "GET":
        return JSONResponse({"galat": message}, exc.status_code)
    return request.app.state.studio.html(request, "pesan.html", judul="Tidak ditemukan", pesan=message,
                                         status=exc.status_code)


async def _too_large(request: Request, exc: Exception) -> Response:
    return JSONResponse({"galat": "Permintaan terlalu besar."}, 413)


_TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                         trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)


class Studio:
    """The request handlers, over one definitions folder."""

    def __init__(self, root: Path, out: Path, token: str, tasks: jobs.Jobs):
        self.root, self.out, self.token, self.jobs = root, out, token, tasks
        self.catalog = catalog.Catalog(root)
        # Names the folder in what the browser keeps (unsaved edits): not secret, and not the token.
        self.folder = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.writing = threading.Lock()     # one change of the definitions at a time: check, then write
        self.drafts = kept.Drafts(root, None)

    def html(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """Return a whole page; every page carries the token its scripts send back and its links begin with."""
        text = _TEMPLATES.get_template(template).render(token=self.token, prefix=request.scope["root_path"],
                                                        root=display_path(self.root), out=display_path(self.out),
                                                        folder=self.folder, **context)
        return HTMLResponse(text, status)

    def fragment(self, template: str, **context: Any) -> str:
        return _TEMPLATES.get_template(template).render(**context)

    # --- the list of units and SOPs ------------------------------------------------------

    # Handlers that read, check or draw definitions are plain functions, or hand their work to _threaded:
    # Starlette runs both in worker threads, so that a long SOP never keeps the studio from answering.

    def home(self, request: Request) -> Response:
        search = request.query_params.get("cari", "")[:200]
        return self.html(request, "daftar.html", units=self.catalog.units(search), cari=search)

    def new_form(self, request: Request) -> Response:
        units = self.catalog.units()
        return self.html(request, "baru.html", units=units, pilih=request.query_params.get("unit", ""),
                         induk=files.parents(self.root))

    async def new_sop(self, request: Request) -> Response:
        return await _threaded(self._new_sop, request, await _body(request))

    def _new_sop(self, request: Request, body: dict) -> Response:
        unit, unit_nama = _text(body, "unit"), _text(body, "unit_nama")
        if not unit and unit_nama:      # a new unit, named as people name it; its folder is made from the name
            unit = files.unit_key(_text(body, "induk"), unit_nama)
        with self.writing:
            path = files.new_sop(self.root, unit, _text(body, "nama"), _text(body, "berkas"),
                                 datetime.date.today(), unit_nama)
        return JSONResponse({"alamat": self._address(request, path)})

    def _address(self, request: Request, path: Path) -> str:
        return f"{request.scope['root_path']}/sop/{files.key_of(self.root, path)}"

    async def import_workbook(self, request: Request) -> Response:
        """Import an uploaded workbook through the same code as ``sopdoc import`` (its body is the .xlsx, bounded by Guard)."""
        data = await request.body()
        name = _upload_name(urllib.parse.unquote(request.headers.get("x-sopdoc-berkas", "")))
        overwrite = request.query_params.get("timpa") == "1"
        return await anyio.to_thread.run_sync(self._import, data, name, overwrite)

    def _import(self, data: bytes, name: str, overwrite: bool) -> Response:
        # The upload lives in a private temporary folder outside the definitions tree, removed afterwards.
        with fsutil.temp_folder("impor") as folder, self.writing:
            path = folder / name
            fsutil.write_atomic(path, data)
            outcome = imports.import_workbook(path, self.root, overwrite, {}, "Tekan Timpa untuk menimpanya")
        lines = [text.replace(f"{folder}{os.sep}", "") for text, _ in outcome.said]
        older = [text.replace(f"{folder}{os.sep}", "") for text in outcome.undone]     # a page may set them apart
        return JSONResponse({"berhasil": outcome.ok, "menunggu": outcome.waiting, "baris": lines, "lama": older})

    async def export(self, request: Request) -> Response:
        drafts = (await _body(request)).get("draf") is True     # as sopdoc export --draf
        job = self.jobs.start("Ekspor semua SOP" + (" (termasuk draf)" if drafts else ""),
                              jobs.export_all(self.root, self.out, drafts))
        return JSONResponse(job.view())

    async def job(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"galat": "tugas itu tidak ada (studio dijalankan ulang?)"}, 404)
        return JSONResponse(job.view())

    async def job_file(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job"])
        if job is None or job.state != jobs.DONE or job.file is None or not job.file.is_file():
            return JSONResponse({"galat": "berkas tugas itu belum ada"}, 404)
        return FileResponse(job.file, filename=job.file.name)

    # --- one SOP -------------------------------------------------------------------------------

    def _sop(self, request: Request) -> Path:
        return files.sop_file(self.root, request.path_params["key"])

    def sop_page(self, request: Request) -> Response:
        path = self._sop(request)
        try:
            held = _bounded(draft.from_data(yamlsafe.load(path).data, draft.SOP))
        except (yamlsafe.YamlLoadError, draft.NotEditable) as exc:
            return self._unreadable(request, path, exc)
        except TooLong as exc:
            return self.html(request, "pesan.html", judul="SOP ini terlalu panjang untuk studio",
                             pesan=f"{display_path(path)}: {exc}", baris=None,
                             saran="Sunting berkasnya di editor teks (misalnya Notepad), lalu periksa dengan "
                                   "sopdoc validate; atau bagi SOP ini menjadi beberapa SOP.")
        shown = preview.build(path, draft.to_data(held, draft.SOP))
        return self.html(request, "sop.html", key=files.key_of(self.root, path), path=display_path(path),
                         versi=files.version(path), catatan=_notes(shown.notes),
                         **self._sop_context(path, held, shown))

    def _unreadable(self, request: Request, path: Path, exc: Exception) -> Response:
        line = getattr(exc, "line", None)
        message = getattr(exc, "message", None) or str(exc)
        where = f"{display_path(path)}{f', baris {line}' if line else ''}"
        shown = files.shown_lines(path, line)
        text = {"teks": shown[1], "mulai": shown[0]} if shown else {}
        return self.html(request, "pesan.html", judul="Berkas ini belum bisa disunting di studio",
                         pesan=f"{where}: {message}", baris=line, **text,
                         saran="Perbaiki bagian itu di editor teks (misalnya Notepad), simpan, lalu muat ulang "
                               "halaman ini.")

    def _sop_context(self, path: Path, held: dict, shown: preview.Preview) -> dict:
        siblings = sorted(p.stem for p in path.parent.glob("*.yaml") if p.name != reader.UNIT_FILE and p != path)
        return {"d": held, "p": shown, "keys": SOP_KEYS_BY_NAME, "status_choices": SOP_KEYS_BY_NAME["status"].choices,
                "siblings": siblings, "simbol_choices": SIMBOL, "NEXT": NEXT, "END": END, "headings": HEADINGS, "ID_PREFIX": draft.ID_PREFIX,
                "symbols": draft.symbols(held),
                "view": preview.page_view(shown.plan, shown.sop) if shown.plan else None,
                "identitas": preview.identity(shown.sop, shown.linked) if shown.sop else None,
                "cells": preview.row_cells, "date_hint": values.DATE_HINT, "shown_date": _shown_date}

    async def sop_preview(self, request: Request) -> Response:
        return await _threaded(self._sop_preview, request, await _body(request))

    def _sop_preview(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        held = _bounded(draft.from_tree(unflatten(_pairs(body)), draft.SOP))
        return JSONResponse(self._preview_reply(path, held))

    def _preview_reply(self, path: Path, held: dict) -> dict:
        shown = preview.build(path, draft.to_data(held, draft.SOP))
        context = self._sop_context(path, held, shown)
        return {"pratinjau": self.fragment("_pratinjau.html", **context), "catatan": _notes(shown.notes),
                "ringkasan": self.fragment("_ringkasan.html", **context)}

    async def sop_edit(self, request: Request) -> Response:
        return await _threaded(self._sop_edit, request, await _body(request))

    def _sop_edit(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        held = _bounded(draft.from_tree(unflatten(_pairs(body)), draft.SOP))
        message = edits.apply(held, _text(body, "aksi"), _text(body, "pelaksana_baru"))
        _bounded(held)
        reply = self._preview_reply(path, held)
        reply["editor"] = self.fragment("_sop_form.html", **self._sop_context(path, held, preview.Preview()))
        return JSONResponse({**reply, "pesan": message or ""})

    async def sop_save(self, request: Request) -> Response:
        return await _threaded(self._sop_save, request, await _body(request))

    def _sop_save(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        pairs = _pairs(body)
        held = _bounded(draft.from_tree(unflatten(pairs), draft.SOP))
        _savable(pairs, draft.to_data(held, draft.SOP))
        with self.writing:
            if conflict := _conflict(path, body, draft.to_data(held, draft.SOP)):
                return conflict
            # The rows' places in the file as opened tell moved rows from new ones, unless the file changed since.
            known = draft.origins(held) if _text(body, "versi") == files.version(path) else None
            # A symbolic link to another SOP in the tree is saved at its target, and stays a link.
            target = write_target(path, self.root)
            changed = yamlwrite.save(target, draft.to_data(held, draft.SOP), rows=known)
        held = draft.from_data(yamlsafe.load(path).data, draft.SOP)
        reply = self._preview_reply(path, held)
        reply["editor"] = self.fragment("_sop_form.html", **self._sop_context(path, held, preview.Preview()))
        return JSONResponse({**reply, "versi": files.version(path), "perubahan": changed,
                             "pesan": _saved(target, changed)})

    async def sop_revise(self, request: Request) -> Response:
        return await _threaded(self._sop_revise, request, await _body(request))

    def _sop_revise(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        tanggal = _revision_date(body)
        catatan = " ".join(_text(body, "catatan").split())
        if not catatan:
            return JSONResponse({"galat": "Tulis catatan revisi: apa yang diubah."}, 400)
        with self.writing:
            if conflict := _conflict(path, body):
                return conflict
            try:
                sop = revise.revise(path, tanggal, catatan)
            except SopdocError as exc:
                return JSONResponse({"galat": exc.message}, 400)
        return JSONResponse({"pesan": f"Revisi {sop.tanggal_revisi} dicatat; versi sebelumnya disimpan sebagai "
                                      f"{backup_path(write_target(path, self.root)).name}."})

    async def sop_amend_revision(self, request: Request) -> Response:
        return await _threaded(self._sop_amend_revision, request, await _body(request))

    def _sop_amend_revision(self, request: Request, body: dict) -> Response:
        """Correct (a new date and note) or delete (``hapus``) revision number ``nomor`` of the saved SOP."""
        path = self._sop(request)
        number = body.get("nomor")
        if not isinstance(number, int) or isinstance(number, bool):
            raise BadForm("'nomor' harus berupa nomor entri revisi")
        removing = body.get("hapus") is True
        tanggal = None if removing else _revision_date(body)
        catatan = None if removing else " ".join(_text(body, "catatan").split())
        if not removing and not catatan:
            return JSONResponse({"galat": "Tulis catatan revisi: apa yang diubah."}, 400)
        with self.writing:
            if conflict := _conflict(path, body):
                return conflict
            revise.amend(path, number, tanggal, catatan)
        done = "dihapus" if removing else f"diubah menjadi {tanggal}"
        return JSONResponse({"pesan": f"Revisi ke-{number} {done}; versi sebelumnya disimpan sebagai "
                                      f"{backup_path(write_target(path, self.root)).name}."})

    def date_shown(self, request: Request) -> Response:
        """Answer a typed date as documents print it, read by the one date rule (values.read_date), or why not."""
        text = request.query_params.get("teks", "")[:100]
        try:
            return JSONResponse({"tanggal": str(values.read_date(text))})
        except ValueError as exc:
            return JSONResponse({"galat": _date_message(text, exc)})

    # --- unsaved edits kept beside the folder's token, for a studio started again on another port ---------

    def draft_kept(self, request: Request) -> Response:
        found = self.drafts.get(request.query_params.get("kunci", "")[:1000])
        return JSONResponse({"draf": found})

    async def draft_keep(self, request: Request) -> Response:
        body = await _body(request)
        key = _text(body, "kunci")[:1000]
        if body.get("hapus") is True:
            await anyio.to_thread.run_sync(self.drafts.drop, key)
            return JSONResponse({"disimpan": False})
        waktu = body.get("waktu")
        draft = {"isian": _pairs(body), "versi": _text(body, "versi"),
                 "waktu": waktu if isinstance(waktu, (int, float)) and not isinstance(waktu, bool) else 0}
        return JSONResponse({"disimpan": await anyio.to_thread.run_sync(self.drafts.put, key, draft)})

    async def sop_document(self, request: Request) -> Response:
        path = self._sop(request)
        kind = _text(await _body(request), "format")
        if kind not in ("docx", "pdf"):
            raise BadForm("format harus docx atau pdf")
        job = self.jobs.start(f"{kind.upper()} {path.stem}", jobs.document(path, kind, self.out))
        return JSONResponse(job.view())

    # --- signing with a certificate chosen in the page ---------------------------------------------

    async def sop_sign(self, request: Request) -> Response:
        path = self._sop(request)
        signer = await anyio.to_thread.run_sync(_signer, await _body(request))
        job = self.jobs.start(f"PDF bertanda tangan {path.stem}",
                              jobs.signed(jobs.document(path, "pdf", self.out), signer))
        return JSONResponse(job.view())

    async def unit_sign(self, request: Request) -> Response:
        folder = self._unit_file(request).parent
        signer = await anyio.to_thread.run_sync(_signer, await _body(request))
        job = self.jobs.start(f"Buku SOP bertanda tangan {folder.name}",
                              jobs.signed(jobs.unit_book(folder, self.out), signer))
        return JSONResponse(job.view())

    # --- managing SOP files ---------------------------------------------------------------------

    async def sop_copy(self, request: Request) -> Response:
        return await _threaded(self._sop_copy, request, await _body(request))

    def _sop_copy(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        with self.writing:
            copy = files.copy_sop(path, _text(body, "nama"), _text(body, "berkas"))
        return JSONResponse({"alamat": self._address(request, copy),
                             "pesan": f"Salinan dibuat: {copy.name} (tanpa riwayat revisi)."})

    async def sop_rename(self, request: Request) -> Response:
        return await _threaded(self._sop_rename, request, await _body(request))

    def _sop_rename(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        with self.writing:
            renamed = files.rename_sop(path, _text(body, "berkas"))
        return JSONResponse({"alamat": self._address(request, renamed),
                             "pesan": f"Nama berkas {path.name} diganti menjadi {renamed.name}. SOP lain atau "
                                      "unit.yaml yang menyebut nama lama (keterkaitan, diganti_oleh, urutan) "
                                      "ditandai di daftar SOP: ganti ke nama baru."})

    async def sop_trash(self, request: Request) -> Response:
        return await _threaded(self._sop_trash, request, await _body(request))

    def _sop_trash(self, request: Request, body: dict) -> Response:
        path = self._sop(request)
        with self.writing:
            files.trash_sop(self.root, path, datetime.datetime.now())
        return JSONResponse({"pesan": f"{path.name} dipindahkan ke Sampah ({files.TRASH} di folder definisi); "
                                      "pulihkan dari halaman Sampah bila perlu."})

    def trash_page(self, request: Request) -> Response:
        return self.html(request, "sampah.html", entries=files.trashed(self.root), folder_name=files.TRASH)

    async def trash_restore(self, request: Request) -> Response:
        return await _threaded(self._trash_restore, request, await _body(request))

    def _trash_restore(self, request: Request, body: dict) -> Response:
        with self.writing:
            path = files.restore_sop(self.root, _text(body, "kunci"))
        return JSONResponse({"alamat": self._address(request, path), "pesan": f"{path.name} dipulihkan."})

    # --- a unit's settings ----------------------------------------------------------------------

    def _unit_file(self, request: Request) -> Path:
        return files.unit_folder(self.root, request.path_params["key"]) / reader.UNIT_FILE

    def unit_page(self, request: Request) -> Response:
        path = self._unit_file(request)
        try:
            held = draft.from_data(yamlsafe.load(path).data, draft.UNIT)
        except (yamlsafe.YamlLoadError, draft.NotEditable) as exc:
            return self._unreadable(request, path, exc)
        notes = self._unit_notes(path, held)
        return self.html(request, "unit.html", key=files.key_of(self.root, path.parent), path=display_path(path),
                         versi=files.version(path), catatan=notes, **self._unit_context(path, held))

    def _unit_context(self, path: Path, held: dict) -> dict:
        above = _inherited(path.parent)
        return {"d": held, "keys": {k.name: k for k in UNIT_KEYS}, "above": above, "date_hint": values.DATE_HINT,
                "has_sops": any(p.name != reader.UNIT_FILE for p in path.parent.glob("*.yaml")),
                "parents": [files.key_of(self.root, p) for p in _parent_units(self.root, path.parent)]}

    def _unit_notes(self, path: Path, held: dict) -> list[dict]:
        data = draft.to_data(held, draft.UNIT)
        result = reader.check_data(path, data)
        return _notes([preview.Note(p.key, p.message, p.severity, fields.in_words(p.key, data) if p.key else "")
                       if p.file == path else preview.Note("", preview.other_file(p), p.severity)
                       for p in result.problems])

    async def unit_check(self, request: Request) -> Response:
        return await _threaded(self._unit_check, request, await _body(request))

    def _unit_check(self, request: Request, body: dict) -> Response:
        path = self._unit_file(request)
        held = draft.from_tree(unflatten(_pairs(body)), draft.UNIT)
        return JSONResponse({"catatan": self._unit_notes(path, held)})

    async def unit_edit(self, request: Request) -> Response:
        return await _threaded(self._unit_edit, request, await _body(request))

    def _unit_edit(self, request: Request, body: dict) -> Response:
        path = self._unit_file(request)
        held = draft.from_tree(unflatten(_pairs(body)), draft.UNIT)
        message = edits.apply(held, _text(body, "aksi"))
        return JSONResponse({"editor": self.fragment("_unit_form.html", **self._unit_context(path, held)),
                             "catatan": self._unit_notes(path, held), "pesan": message or ""})

    async def unit_save(self, request: Request) -> Response:
        return await _threaded(self._unit_save, request, await _body(request))

    def _unit_save(self, request: Request, body: dict) -> Response:
        path = self._unit_file(request)
        pairs = _pairs(body)
        held = draft.from_tree(unflatten(pairs), draft.UNIT)
        _savable(pairs, draft.to_data(held, draft.UNIT))
        with self.writing:
            if conflict := _conflict(path, body, draft.to_data(held, draft.UNIT), yamlwrite.UNIT):
                return conflict
            target = write_target(path, self.root)
            changed = yamlwrite.save(target, draft.to_data(held, draft.UNIT), yamlwrite.UNIT)
        held = draft.from_data(yamlsafe.load(path).data, draft.UNIT)
        return JSONResponse({"editor": self.fragment("_unit_form.html", **self._unit_context(path, held)),
                             "catatan": self._unit_notes(path, held), "versi": files.version(path),
                             "perubahan": changed, "pesan": _saved(target, changed)})

    def unit_workbook(self, request: Request) -> Response:
        """Answer the unit's workbook, written by the same writer as ``sopdoc excel`` from its saved files."""
        folder = self._unit_file(request).parent
        result = reader.read([folder])
        sops = [sop for sop in result.sops if sop.unit.folder == folder]
        if not sops:
            return self.html(request, "pesan.html", judul="Buku kerja belum dapat dibuat", status=400,
                             pesan=f"Unit {files.key_of(self.root, folder)} belum punya SOP yang sah untuk ditulis ke "
                                   "Excel.", saran="Perbaiki galat yang ditandai di daftar SOP, lalu coba lagi.")
        name = writer.workbook_name(sops[0].unit)
        return Response(writer.unit_workbook(sops[0].unit, writer.ordered(sops)), media_type=_XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def unit_book(self, request: Request) -> Response:
        folder = self._unit_file(request).parent
        job = self.jobs.start(f"Buku SOP {folder.name}", jobs.unit_book(folder, self.out))
        return JSONResponse(job.view())


# --- request bodies ------------------------------------------------------------------------------

async def _body(request: Request) -> dict:
    """Return the JSON object a studio page posts, or raise :class:`BadForm`."""
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise BadForm("isi permintaan bukan JSON") from None
    except RecursionError:
        raise BadForm("isi permintaan bertingkat terlalu dalam; halaman studio tidak pernah mengirim bentuk itu") from None
    if not isinstance(body, dict):
        raise BadForm("isi permintaan harus berupa objek JSON")
    return body


async def _threaded(work: Callable[[Request, dict], Response], request: Request, body: dict) -> Response:
    """Return what *work* answers to *request* with *body*, worked out in a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(work, request, body))


class TooLong(SopdocError):
    """An SOP with more rows than the editor shows; the message says how many and what to do."""


def _bounded(held: dict) -> dict:
    """Return the SOP draft *held*, refusing one with more rows than the editor shows (see MAX_ROWS)."""
    rows = len(held.get("kegiatan") or [])
    if rows > MAX_ROWS:
        raise TooLong(f"SOP ini memuat {rows} kegiatan; studio menyunting SOP sampai {MAX_ROWS} kegiatan")
    return held


def _pairs(body: dict) -> list[tuple[str, str]]:
    """Return the posted inputs: a list of [name, value] pairs of text."""
    pairs = body.get("isian", [])
    if not isinstance(pairs, list) or len(pairs) > MAX_FIELDS:
        raise BadForm(f"isian harus berupa daftar pasangan [nama, nilai] (paling banyak {MAX_FIELDS})")
    if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs):
        raise BadForm("setiap isian harus berupa pasangan [nama, nilai] berupa teks")
    return [(name, _encodable(value, name)) for name, value in pairs]


def _savable(pairs: list[tuple[str, str]], data: dict) -> None:
    """Refuse to save a field of *pairs* (the form of *data*) that holds a character no definition may hold.

    The preview marks such a field as the reader does; a save would write the
    character into the file, where it hides (a direction control reverses a text).
    """
    for name, value in pairs:
        if why := characters.refused(value):
            raise files.Invalid(f"{fields.in_words(name[:60], data)}: {why}; berkas tidak disimpan")


def _text(body: dict, key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise BadForm(f"'{key}' harus berupa teks")
    return _encodable(value, key)


def _encodable(value: str, name: str) -> str:
    """Return *value*, refusing what no file can hold: half of a surrogate pair, which JSON can carry."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadForm(f"isian '{name[:60]}' memuat karakter yang tidak sah (U+{ord(value[exc.start]):04X}); "
                      "hapus karakter itu") from None
    return value


def _upload_name(name: str, suffixes: tuple[str, ...] = (".xlsx",), fallback: str = "buku-kerja.xlsx") -> str:
    """Return the name an uploaded file is kept as: its own file name when plain and of *suffixes*, else *fallback*."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}", name) and name.lower().endswith(suffixes)
    return name if plain else fallback


def _signer(body: dict) -> Signer:
    """Return the signer of the PKCS#12 certificate a page sent (base64) with its password, as ``sopdoc sign`` loads it.

    The certificate is written only to a private temporary folder outside the
    definitions tree (0600) and removed at once; the password is never written.
    """
    try:
        data = base64.b64decode(_text(body, "sertifikat"), validate=True)
    except ValueError:
        raise BadForm("sertifikat harus berupa isi berkas .p12/.pfx (base64)") from None
    if not data:
        raise SopdocError("Pilih berkas sertifikat (.p12 atau .pfx) untuk menandatangani.")
    name = _upload_name(_text(body, "nama_sertifikat"), (".p12", ".pfx"), "sertifikat.p12")
    with fsutil.temp_folder("ttd") as folder:
        path = folder / name
        fsutil.write_atomic(path, data, mode=0o600)
        try:
            return certificate.signer_from(path, _text(body, "sandi").encode("utf-8"))
        except SopdocError as exc:
            raise SopdocError(exc.message.replace(f"{folder}{os.sep}", "")) from None


def _revision_date(body: dict) -> Tanggal:
    """Return the revision date a page sent, read as every date of sopdoc is, or raise why it cannot be read."""
    text = _text(body, "tanggal")
    try:
        return values.read_date(text)
    except ValueError as exc:
        raise SopdocError(f"Tanggal revisi: {_date_message(text, exc)}.") from None


def _shown_date(text: Any) -> str:
    """Return a date of the definition as documents print it (15 Januari 2024), or as written if it is not one."""
    try:
        return str(values.read_date(str(text)))
    except ValueError:
        return str(text)


def _date_message(text: str, exc: ValueError) -> str:
    return f"tulis tanggalnya, {values.DATE_HINT}" if not text.strip() else str(exc)


def _conflict(path: Path, body: dict, data: dict | None = None, kind: str = yamlwrite.SOP) -> Response | None:
    """Return the refusal to overwrite a file changed elsewhere since the page read it, unless told to.

    The refusal carries what saving *data* now would change in the file, in the
    user's words, and the file's version: an overwrite chosen after seeing those
    lines sends that version back (``versi_berkas``), and a file that changed yet
    again is refused again rather than overwritten unseen.
    """
    now = files.version(path)
    if body.get("timpa") is True and _text(body, "versi_berkas") in ("", now):
        return None
    if _text(body, "versi") == now:
        return None
    reply: dict[str, Any] = {"konflik": f"{display_path(path)} diubah di luar studio sejak halaman ini dibuka "
                                        "(mungkin di tab atau editor lain). Perubahan Anda belum disimpan.",
                             "versi_berkas": now}
    if data is not None:
        reply["beda"] = _overwrite_changes(path, data, kind)
    return JSONResponse(reply, 409)


def _overwrite_changes(path: Path, data: dict, kind: str) -> list[str]:
    """Return what writing *data* over the file *path* as it is now would change, as the save would report it."""
    try:
        raw = yamlsafe.read_bytes(path)
        new, lines = yamlwrite.edited(path, raw, data, kind)
    except (yamlsafe.YamlLoadError, SopdocError):
        return ["Berkas sekarang tidak terbaca sebagai YAML; menimpanya menulis seluruh isi studio."]
    return lines if new is not None else []


def _saved(path: Path, changed: list[str]) -> str:
    if not changed:
        return "Tidak ada yang berubah; berkas tidak ditulis ulang."
    return (f"Tersimpan: {len(changed)} perubahan di {path.name}; versi sebelumnya disimpan sebagai "
            f"{backup_path(path).name}.")


def _notes(notes: list[preview.Note]) -> list[dict]:
    return [{"kunci": n.key, "nama": n.name or n.key, "pesan": n.message, "jenis": n.severity} for n in notes]


def _parent_units(root: Path, folder: Path) -> list[Path]:
    """Return the unit folders above *folder* whose settings its unit takes, those the studio can open."""
    return [p for p in unit_chain(folder)[1:] if p.is_relative_to(root) and p != root]


def _inherited(folder: Path) -> dict[str, Any]:
    """Return the values the unit files above *folder* give it (the nearer one winning), as the reader merges them."""
    merged: dict[str, Any] = {}
    for parent in reversed(unit_chain(folder)[1:]):
        try:
            data = yamlsafe.load(parent / reader.UNIT_FILE).data
        except yamlsafe.YamlLoadError:
            continue
        if isinstance(data, dict):
            merged.update(data)
    return merged
