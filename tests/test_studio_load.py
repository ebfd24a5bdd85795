"""The studio under load: slow clients that hold connections, and a list of many SOPs read once.

Speed is measured by benchmarks/bench_studio_slowloris.py and bench_studio_list.py;
these tests check what must hold whatever the speed: the owner is answered while
a flood of unfinished requests runs and the studio never runs out of files, and
the list shows every change of a file while it does not open an unchanged one.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DEFINITIONS
from hostile import files_opened
from starlette.testclient import TestClient
from studioform import replaced
from studioserver import free_port
from test_studio_http import BASE, MONEV, TOKEN, editor, save

from sopdoc.commands import studio as studio_command
from sopdoc.studio import catalog
from sopdoc.studio.app import create_app

LONG_AGO = 1_600_000_000        # a time stamp far from now (September 2020), so the list trusts it


def _aged(root: Path) -> Path:
    """Give every file under *root* a time stamp long past, as files not edited for a while have."""
    for path in root.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return _aged(target)


@pytest.fixture
def client(root: Path, tmp_path: Path):
    with TestClient(create_app(root, tmp_path / "output", TOKEN), base_url=f"{BASE}/{TOKEN}") as c:
        yield c


def _rewrite(path: Path, old: str, new: str, stamp: int) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, (stamp, stamp))


# --- the list reads an SOP again only when it changed -------------------------------------------------------

def test_a_second_list_of_an_unchanged_tree_opens_no_sop_file(client, root):
    sop_files = {str(p) for p in root.rglob("*.yaml") if p.name != "unit.yaml"}
    with files_opened() as first:
        assert client.get("/").status_code == 200
    assert sop_files <= set(first)
    with files_opened() as second:
        page = client.get("/")
    assert page.status_code == 200 and "Mekanisme Monitoring dan Evaluasi Kinerja" in page.text
    assert sop_files & set(second) == set()


def test_an_edit_outside_the_studio_shows_in_the_next_list_and_only_that_file_is_read_again(client, root):
    path = root / f"{MONEV}.yaml"
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" in client.get("/").text
    _rewrite(path, "nama: Mekanisme Monitoring", "nama: Mekanisme Pemantauan", LONG_AGO + 60)
    with files_opened() as opened:
        page = client.get("/").text
    assert "Mekanisme Pemantauan dan Evaluasi Kinerja" in page
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" not in page
    sops_opened = {p for p in opened if p.endswith(".yaml") and not p.endswith("unit.yaml")}
    assert sops_opened == {str(path)}


def test_an_edit_that_keeps_the_time_and_size_but_replaces_the_file_still_shows(client, root):
    """An editor that saves by writing a new file and renaming it over the old one gives it a new inode."""
    path = root / f"{MONEV}.yaml"
    client.get("/")
    text = path.read_text(encoding="utf-8")
    new = text.replace("nama: Mekanisme Monitoring", "nama: Mekanisme Monitorinx", 1)
    assert len(new) == len(text) and new != text
    staged = path.with_name("baru.tmp")
    staged.write_text(new, encoding="utf-8")
    os.utime(staged, (LONG_AGO, LONG_AGO))
    os.replace(staged, path)
    assert "Mekanisme Monitorinx dan Evaluasi Kinerja" in client.get("/").text


def test_a_file_changed_just_now_is_read_again_even_with_its_old_time_stamp(root):
    """A file system's clock ticks coarsely: a file written twice within one tick keeps its time stamp."""
    path = root / f"{MONEV}.yaml"
    listing = catalog.Catalog(root)
    now = time.time()
    os.utime(path, (now, now))
    assert any(e.nama == "Mekanisme Monitoring dan Evaluasi Kinerja" for u in listing.units() for e in u.entries)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nama: Mekanisme Monitoring", "nama: Mekanisme Monitorinx", 1), encoding="utf-8")
    os.utime(path, (now, now))      # same time stamp, same size, same inode (written in place)
    assert any(e.nama == "Mekanisme Monitorinx dan Evaluasi Kinerja" for u in listing.units() for e in u.entries)


def test_saves_renames_deletes_and_unit_edits_show_in_the_next_list(client, root):
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" in client.get("/").text
    # A save in the studio.
    _, fields, version = editor(client)
    response = save(client, MONEV, replaced(fields, "nama", "Monev Kinerja Disimpan Studio"), version)
    assert response.status_code == 200, response.text
    assert "Monev Kinerja Disimpan Studio" in client.get("/").text
    # A file renamed and another deleted outside the studio.
    unit = root / "kab-way-kanan" / "diskominfo"
    os.rename(unit / "pengumpulan-data-kinerja.yaml", unit / "data-kinerja-baru.yaml")
    page = client.get("/").text
    assert "kab-way-kanan/diskominfo/data-kinerja-baru" in page
    assert "kab-way-kanan/diskominfo/pengumpulan-data-kinerja" not in page
    (unit / "data-kinerja-baru.yaml").unlink()
    assert "kab-way-kanan/diskominfo/data-kinerja-baru" not in client.get("/").text
    # The unit file: its SOPs are checked against it again.
    unit_file = unit / "unit.yaml"
    text = unit_file.read_text(encoding="utf-8")
    assert re.search(r"^unit: ", text, re.M)
    _rewrite(unit_file, "\nunit: ", "\nunit: 12\nunit_lama: ", LONG_AGO + 60)
    page = client.get("/").text
    assert "galat di unit.yaml" in page


def test_a_link_to_an_sop_that_appears_later_is_checked_again(root):
    """A link to another SOP of the unit depends on the names beside the file, not on its own text."""
    unit = root / "kab-way-kanan" / "diskominfo"
    path = unit / "monitoring-evaluasi-kinerja.yaml"
    _rewrite(path, "  - pengumpulan-data-kinerja ", "  - sop-belum-ada ", LONG_AGO)
    listing = catalog.Catalog(root)
    entry = next(e for u in listing.units() for e in u.entries if e.slug == "monitoring-evaluasi-kinerja")
    assert entry.warnings == 1
    shutil.copy(unit / "pengumpulan-data-kinerja.yaml", unit / "sop-belum-ada.yaml")
    os.utime(unit / "sop-belum-ada.yaml", (LONG_AGO, LONG_AGO))
    entry = next(e for u in listing.units() for e in u.entries if e.slug == "monitoring-evaluasi-kinerja")
    assert entry.warnings == 0


# --- slow clients -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("files", [64, 256, 1024, 4096, 65_536])
def test_the_connections_the_studio_keeps_and_queues_leave_most_files_free(files):
    connections, queue = studio_command.bounds(files)
    assert connections >= 8 and queue >= 4
    assert connections + 3 * queue <= files // 2     # three bursts accepted while the closed ones are let go


def test_the_studio_raises_its_own_open_file_limit_as_far_as_the_system_allows(tmp_path):
    probe = ("import resource; from sopdoc.commands.studio import open_files; "
             "print(open_files(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")

    def limits(soft, hard):
        return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    low = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, preexec_fn=limits(512, 4000))
    assert low.stdout.split() == ["4000", "4000"], low.stderr
    fixed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, preexec_fn=limits(300, 300))
    assert fixed.stdout.split() == ["300", "300"], fixed.stderr


def _listening(port: int) -> tuple[str, int]:
    """Return the address the socket listening on *port* is bound to, and the queue the kernel keeps for it."""
    run = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True)
    (line,) = run.stdout.splitlines()
    state, received, queue, address, *_ = line.split()   # a listening socket's Send-Q is its backlog
    return address, int(queue)


def test_a_flood_of_unfinished_requests_never_runs_the_studio_out_of_files_and_the_owner_is_answered(tmp_path):
    """Review 3, S9: beyond the open-file limit asyncio stops accepting for a second at a time, and the owner waits.

    The studio accepts a few connections at a time and keeps its queue short (uvicorn's default, 2,048 at once,
    let a flood take every file the process may open), so it never runs out of files, even at a limit of 256
    it cannot raise.
    """
    root = _aged(shutil.copytree(DEFINITIONS, tmp_path / "definitions"))
    port = free_port()

    def low_limit():        # a system that allows no more: the studio cannot raise its own limit
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    studio = subprocess.Popen([sys.executable, "-m", "sopdoc", "studio", str(root), "--no-browser", "--port",
                               str(port), "--out", str(tmp_path / "out")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, preexec_fn=low_limit,
                              env={**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(tmp_path / "s")})
    stop = threading.Event()
    held: list[socket.socket] = []

    def flood():
        """Keep 600 unfinished requests open, opening a new one for each the studio closes."""
        while not stop.is_set():
            while len(held) < 600 and not stop.is_set():
                try:
                    one = socket.create_connection(("127.0.0.1", port), timeout=2)
                    one.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-a: ".encode())
                except OSError:
                    break
                held.append(one)
            for one in list(held):
                one.setblocking(False)
                try:
                    if one.recv(1) == b"":
                        held.remove(one)
                        one.close()
                except BlockingIOError:
                    pass
                except OSError:
                    held.remove(one)
                    one.close()

    attacker = threading.Thread(target=flood, daemon=True)
    try:
        address = ""
        while not address:
            line = studio.stdout.readline()
            assert line, "the studio stopped before printing its address"
            address = (re.search(r"http://127\.0\.0\.1:\d+/\S+/", line) or [""])[0]
        address_bound, queue = _listening(port)
        assert address_bound == f"127.0.0.1:{port}"       # this machine only, never every network
        assert queue <= 256 // 8
        attacker.start()
        time.sleep(3)
        for _ in range(5):
            owner = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30",
                                    address], capture_output=True, text=True)
            assert owner.stdout == "200", "the owner's page must be served while the flood runs"
    finally:
        stop.set()
        if attacker.is_alive():
            attacker.join(30)
        for attacker_socket in held:
            attacker_socket.close()
        studio.send_signal(2)
        output, _ = studio.communicate(timeout=30)
    assert "out of system resource" not in output and "Too many open files" not in output, output[:2000]
    assert "Traceback" not in output
