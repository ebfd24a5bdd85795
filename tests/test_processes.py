"""Nothing half-written, nothing left running (reliability review, sections 4.x and 7.17).

The signal tests run sopdoc as a user does, in a session of its own, and stop
it at a moment it announces on its output; then they look at the processes
and files that are left.
"""

import fcntl
import os
import re
import signal
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from hostile import OTHER, SOPDOC, invoke, unit
from openpyxl import load_workbook

from sopdoc import fsutil, workers

FORTY = FIXTURES / "render" / "kasus-f4" / "empat-puluh-baris.yaml"


def _tree(root: Path, copies: int = 10) -> Path:
    folder = unit(root / "tree", "u", "", ())
    for n in range(copies):
        (folder / f"s{n:02d}.yaml").write_bytes(FORTY.read_bytes())
    return root / "tree"


def _stop_when(root: Path, args: list[str], marker: str, sig: int, group: bool = False):
    """Run sopdoc with *args* in *root*, send *sig* once a line holds *marker*; return (code, stdout, stderr)."""
    process = subprocess.Popen([*SOPDOC, *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    seen = []
    while line := process.stdout.readline():
        seen.append(line)
        if marker in line:
            break
    else:
        pytest.fail(f"sopdoc ended before {marker!r}: {''.join(seen)} {process.stderr.read()}")
    time.sleep(0.3)
    (os.killpg if group else os.kill)(process.pid, sig)
    out, err = process.communicate(timeout=120)
    return process.returncode, "".join(seen) + out, err


def _alive_mentioning(text: str) -> list[str]:
    """Return the command lines of live (not zombie) processes whose command line holds *text*."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in command and state != "Z" and int(entry.name) != os.getpid():
            found.append(command)
    return found


def _wait_until_none(text: str, seconds: float = 10) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := _alive_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def _profiles_of(pid: int) -> list[str]:
    import tempfile

    return [p for p in os.listdir(tempfile.gettempdir()) if p.startswith(f"sopdoc-lo-{pid}-")]


def test_ctrl_c_during_the_docx_phase_prints_no_worker_traceback(tmp_path):
    """4.4: Ctrl-C to the process group printed 'Process ForkProcess-2: Traceback ... KeyboardInterrupt'."""
    _tree(tmp_path)
    code, out, err = _stop_when(tmp_path, ["export", "tree", "--out", "out", "--jobs", "2"], "[2/", signal.SIGINT,
                                group=True)
    assert code == 1 and err.strip() == "Dibatalkan.", err
    assert not _wait_until_none(str(tmp_path))
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(fsutil.STAGING_SUFFIX)]


def test_sigterm_stops_like_ctrl_c_and_leaves_no_libreoffice(tmp_path):
    """4.21: SIGTERM ended sopdoc silently with 143; LibreOffice kept running and its profiles stayed."""
    _tree(tmp_path)
    process = subprocess.Popen([*SOPDOC, "export", "tree", "--out", "out"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    while line := process.stdout.readline():
        if "Membuat PDF" in line:
            break
    deadline = time.monotonic() + 30
    while not _profiles_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # LibreOffice has started once its profile exists
    assert _profiles_of(process.pid), "LibreOffice never started"
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and err.strip() == "Dibatalkan.", err
    assert not _wait_until_none(f"sopdoc-lo-{process.pid}-")
    assert not _profiles_of(process.pid)
    assert not [p for p in (tmp_path / "out").rglob("*") if fsutil.STAGING_FOLDER in p.name]


@pytest.mark.parametrize("marker", ["[2/", "Membuat PDF"])
def test_sigkill_leaves_no_worker_or_libreoffice_running(tmp_path, marker):
    """4.22: after kill -9 of sopdoc, its 2 workers ran on for 10+ minutes; LibreOffice too (4.21, 4.24)."""
    _tree(tmp_path)
    code, _, _ = _stop_when(tmp_path, ["export", "tree", "--out", "out", "--jobs", "2"], marker, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert not _wait_until_none(str(tmp_path)), "a worker outlived sopdoc"
    assert not _wait_until_none("sopdoc-lo-"), "LibreOffice outlived sopdoc"


def test_leftovers_of_a_killed_run_are_removed_by_the_next_run(tmp_path):
    """4.23, 4.24: a killed ZIP step left .ekspor-sop.zip.XXXX.tmp for good, and temporary profiles stayed."""
    import tempfile

    folder = unit(tmp_path / "defs", "kesbangpol")
    out = tmp_path / "out"
    (out / "kesbangpol" / ".sopdoc-staging-abc").mkdir(parents=True)
    (out / "kesbangpol" / ".sopdoc-staging-abc" / "x.pdf").write_bytes(b"%PDF half")
    (out / f".ekspor-sop.zip.x21q_0mn{fsutil.STAGING_SUFFIX}").write_bytes(b"PK half")
    (out / "kesbangpol" / f".keputusan-kembali.pdf.ab12{fsutil.STAGING_SUFFIX}").write_bytes(b"%PDF half")
    dead = subprocess.Popen(["true"])
    dead.wait()
    profile = Path(tempfile.mkdtemp(prefix=f"sopdoc-lo-{dead.pid}-"))
    (profile / "user").mkdir()
    mine = Path(tempfile.mkdtemp(prefix=f"sopdoc-lo-{os.getpid()}-"))
    try:
        assert invoke("render", folder, "--format", "docx", "--out", out).exit_code == 0
        assert sorted(p.name for p in out.rglob("*")) == [".sopdoc.lock", "keputusan-kembali.docx", "kesbangpol"]
        assert not profile.exists() and mine.is_dir()  # a live process's folder is left alone
    finally:
        mine.rmdir()


def test_a_second_export_into_the_same_out_waits_for_the_first(tmp_path):
    """4.7: two exports of different trees into one --out lost one set from the manifest and the ZIP."""
    unit(tmp_path / "defs", "kesbangpol")
    out = tmp_path / "out"
    out.mkdir()
    holder = os.open(out / fsutil.LOCK_NAME, os.O_RDONLY | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a first sopdoc is writing
    try:
        second = subprocess.Popen([*SOPDOC, "render", "defs", "--format", "docx", "--out", "out"], cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first_line = second.stdout.readline()
        time.sleep(1)
        assert second.poll() is None and not list(out.rglob("*.docx"))
    finally:
        os.close(holder)
    rest, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert first_line.strip() == "Menunggu sopdoc lain yang sedang menulis ke out selesai..."
    assert (out / "kesbangpol" / "keputusan-kembali.docx").is_file()


def test_index_always_matches_the_zip(tmp_path):
    """4.8: export main then export holdout into one --out: the index listed holdout only, the ZIP both."""
    main = unit(tmp_path / "main", "kesbangpol")
    holdout = unit(tmp_path / "holdout", "perpustakaan", "tahun: 2024\n", (OTHER,))
    out = tmp_path / "out"
    for tree in (main.parent, holdout.parent):
        assert invoke("export", tree, "--out", out).exit_code == 0
        with zipfile.ZipFile(out / "ekspor-sop.zip") as archive:
            zipped = {name.split("/")[0] for name in archive.namelist() if "/" in name}
        listed = [row[1].value for row in load_workbook(out / "indeks-sop.xlsx")["Ringkasan"].iter_rows(min_row=2)
                  if row[1].value != "Jumlah"]
        assert zipped == {tree.name == "main" and "kesbangpol" or "perpustakaan"}
        assert listed == [tree.name == "main" and "Dinas kesbangpol" or "Dinas perpustakaan"]
    assert (out / "kesbangpol" / "keputusan-kembali.pdf").is_file()  # the other tree's outputs stay on disk


def test_written_files_get_the_usual_mode(tmp_path, monkeypatch):
    """7.17: every file written by sopdoc was 0600 (LibreOffice's PDFs 0644)."""
    folder = unit(tmp_path / "defs", "kesbangpol")
    for umask, mode in ((0o022, 0o644), (0o027, 0o640)):
        monkeypatch.setattr(fsutil, "UMASK", umask)
        out = tmp_path / f"out-{umask:o}"
        assert invoke("render", folder, "--out", out).exit_code == 0
        assert invoke("schema", "--out", out / "schema").exit_code == 0
        files = [p for p in out.rglob("*") if p.is_file() and p.name != fsutil.LOCK_NAME]
        assert len(files) == 4
        assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: mode for p in files}


def test_default_worker_count_comes_from_the_machine(monkeypatch):
    """'2' was written in four places; now one function asks the machine."""
    monkeypatch.setattr(os, "cpu_count", lambda: 7)
    assert workers.default_jobs() == 7
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert workers.default_jobs() == 1


@pytest.mark.parametrize("command", ["render", "book", "export"])
def test_jobs_option_is_offered_and_checked(command):
    assert "--jobs N" in invoke(command, "--help").output
    bad = invoke(command, "--jobs", "0")
    assert bad.exit_code == 2 and re.search(r"--jobs.*0", bad.output)


def test_a_pool_worker_dies_when_its_parent_is_killed(tmp_path):
    """4.22, directly: the kernel ends a worker whose parent dies, even by SIGKILL."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "from sopdoc import workers\n"
        "with workers.pool(1) as pool:\n"
        "    pool.submit(os.getpid).result()\n"
        "    print(pool.submit(os.getpid).result(), flush=True)\n"
        "    time.sleep(60)\n", encoding="utf-8")
    parent = subprocess.Popen([SOPDOC[0], str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while workers.alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    state = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[0] if workers.alive(worker) else "-"
    assert state in ("-", "Z")
