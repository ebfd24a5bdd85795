"""validate does work in proportion to the input (reliability review 2.3 and 7.1).

Speed itself is measured by `make bench-validate`; these tests count the work
that grew quadratically: folder listings per SOP, and actor names per row.
"""

import yaml
from conftest import problem_lines
from hostile import GOOD, unit

from sopdoc.definition import reader, tree
from sopdoc.definition import rows as row_reader


def _count_listings(monkeypatch) -> list:
    listed = []
    real = tree.os.scandir

    def scandir(path):
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(tree.os, "scandir", scandir)
    return listed


def test_validate_lists_each_folder_once_however_many_sops_it_holds(tmp_path, monkeypatch):
    """7.1: _siblings() listed the unit folder again for every SOP (10,000 SOPs took 219 s)."""
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    text = GOOD.read_text(encoding="utf-8").replace("keterkaitan", "x") + "keterkaitan: [s-001]\n"
    for n in range(60):
        (folder / f"s-{n:03d}.yaml").write_text(text, encoding="utf-8")
    listed = _count_listings(monkeypatch)
    result = reader.read([tmp_path / "defs"])
    assert len(result.sops) == 60 and not result.problems
    assert sorted(listed) == sorted([str(tmp_path / "defs"), str(folder)])


def test_files_named_one_by_one_list_their_folder_once(tmp_path, monkeypatch):
    """7.1: the same for SOP files named on the command line."""
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    for n in range(20):
        (folder / f"s-{n:03d}.yaml").write_bytes(GOOD.read_bytes())
    files = sorted(folder.glob("s-*.yaml"))
    listed = _count_listings(monkeypatch)
    result = reader.read(files)
    assert len(result.sops) == 20
    assert listed == [str(folder)]


def _sop_with(rows: int, actors: int) -> str:
    keys = [f"p{i}" for i in range(actors)]
    return yaml.safe_dump({
        "nama": "Banyak pelaksana",
        "pelaksana": {k: f"Jabatan Nomor {k}" for k in keys},
        "kegiatan": [{"uraian": f"Menyusun bagian {i}", "pelaksana": keys[i % actors]} for i in range(rows)],
    }, sort_keys=False)


def _count_subjects(monkeypatch) -> list:
    made = []
    real = row_reader._Subject.__init__

    def init(self, text):
        made.append(text)
        real(self, text)

    monkeypatch.setattr(row_reader._Subject, "__init__", init)
    return made


def test_actor_names_are_prepared_once_per_sop_not_per_row(unit_dir, monkeypatch):
    """2.3: the subject check compiled every actor's names again for every row (1,000 actors took 29 s)."""
    made = _count_subjects(monkeypatch)
    (unit_dir / "a.yaml").write_text(_sop_with(rows=3, actors=4), encoding="utf-8")
    reader.read([unit_dir / "a.yaml"])
    few = len(made)
    made.clear()
    (unit_dir / "b.yaml").write_text(_sop_with(rows=300, actors=4), encoding="utf-8")
    reader.read([unit_dir / "b.yaml"])
    assert few > 0 and len(made) == few


def test_too_many_actors_is_refused_without_checking_any_row(unit_dir, monkeypatch):
    """2.3: 1,000 actors were refused only after the full per-row, per-actor check."""
    made = _count_subjects(monkeypatch)
    (unit_dir / "a.yaml").write_text(_sop_with(rows=1000, actors=1000), encoding="utf-8")
    result = reader.read([unit_dir / "a.yaml"])
    assert made == []
    assert problem_lines(result) == [
        "a.yaml:2 pelaksana: 1000 pelaksana tidak muat di satu halaman; paling banyak 8 (gabungkan jabatan yang "
        "melakukan hal serupa)"]
