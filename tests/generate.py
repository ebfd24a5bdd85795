"""Generate valid SOP definitions (for property tests and benchmarks).

The flows are the ones real SOPs have: a straight line of rows, decisions
whose "no" goes back a few rows (rework loops: periksa -> perbaiki -> periksa),
decisions and `lanjut` jumps that skip ahead, and rows done by two pelaksana.
"""

from __future__ import annotations

import random

import yaml

VERBS = ["Menyusun", "Memeriksa", "Mengirim", "Menerima", "Mengolah", "Menandatangani", "Mengarsipkan"]
NOUNS = ["laporan kinerja", "surat masuk", "data monev", "konsep nota dinas", "dokumen anggaran"]
UNITS = ["menit", "Jam", "hari", "Menit", "detik"]
JABATAN = ["Kepala Dinas Komunikasi dan Informatika", "Sekretaris Dinas", "Kepala Bidang Pengadaan, Pemberhentian "
           "dan Informasi Kepegawaian", "Kepala Sub Bagian Umum dan Kepegawaian", "Jabatan Fungsional Perencana Ahli "
           "Muda", "Staf Pelaksana Administrasi Umum", "Kepala Seksi Pengelolaan Informasi Publik",
           "Pejabat Pengelola Informasi dan Dokumentasi"]
LABELS = [["Ya", "Tidak"], ["Lengkap", "Tidak lengkap"], ["Sesuai", "Tidak sesuai"], ["Setuju", "Perlu perbaikan"]]


def sop_data(rng: random.Random, rows: int, actors: int, decisions: int, skips: int = 0, long_names: bool = False,
             together: int = 0) -> dict:
    """Return the data of a valid SOP with *rows* rows and *actors* actors.

    About *decisions* rows become decisions whose "no" loops back one to four rows,
    and about *skips* rows jump forward (a decision's exit or a `lanjut`);
    *together* process rows are done by two pelaksana.
    """
    keys = [f"p{i}" for i in range(actors)]
    owners = keys + [rng.choice(keys) for _ in range(rows - actors)]
    rng.shuffle(owners)
    kegiatan = [{
        "id": f"r{i}",
        "uraian": f"{rng.choice(VERBS)} {rng.choice(NOUNS)} tahap {i + 1}",
        "pelaksana": owners[i],
        "kelengkapan": rng.choice(NOUNS).capitalize(),
        "waktu": f"{rng.randint(1, 59)} {rng.choice(UNITS)}",
        "output": rng.choice(NOUNS).capitalize(),
    } for i in range(rows)]
    free = list(range(2, rows - 1))
    rng.shuffle(free)
    taken: set[int] = set()
    for i in free[:decisions + skips]:
        if i in taken or i - 1 in taken:
            continue
        kind = "skip" if len(taken) >= decisions * 2 else rng.choice(["loop", "fix"])
        labels = rng.choice(LABELS)
        if kind == "fix" and i + 2 <= rows - 1 and i + 1 not in taken:
            # periksa -> perbaiki -> periksa: "ya" skips the fix, which jumps back with `lanjut`.
            kegiatan[i]["keputusan"] = {"ya": f"r{i + 2}", "tidak": "berikutnya", "label": labels}
            kegiatan[i + 1]["lanjut"] = f"r{i}"
            taken |= {i, i + 1}
        elif kind == "skip" and i + 2 <= rows - 1:
            kegiatan[i]["keputusan"] = {"ya": "berikutnya", "tidak": f"r{rng.randint(i + 2, rows - 1)}",
                                        "label": labels}
            taken.add(i)
        else:
            kegiatan[i]["keputusan"] = {"ya": "berikutnya", "tidak": f"r{max(1, i - rng.randint(1, 4))}",
                                        "label": labels}
            taken.add(i)
    plain = [i for i in range(1, rows - 1) if "keputusan" not in kegiatan[i] and actors > 1]
    for i in rng.sample(plain, min(together, len(plain))):
        other = rng.choice([k for k in keys if k != kegiatan[i]["pelaksana"]])
        kegiatan[i]["pelaksana"] = [kegiatan[i]["pelaksana"], other]
    names = rng.sample(JABATAN, actors) if long_names and actors <= len(JABATAN) else \
        [f"Jabatan {k.upper()}" for k in keys]
    return {
        "nomor": f"800/{rng.randint(1, 999)}/SOP/2024",
        "nama": f"SOP {rng.choice(NOUNS).title()}",
        "tanggal_pembuatan": "2024-01-15",
        "dasar_hukum": ["Peraturan Menteri PAN RB Nomor 35 Tahun 2012"],
        "pelaksana": dict(zip(keys, names)),
        "kegiatan": kegiatan,
    }


def sop_text(rng: random.Random, rows: int, actors: int, decisions: int, **options) -> str:
    return yaml.safe_dump(sop_data(rng, rows, actors, decisions, **options), allow_unicode=True, sort_keys=False)


def read_on_paper(folder, data: dict, paper: str, orientation: str):
    """Write the SOP *data* into a unit folder *folder* on *paper* in *orientation*; return it as sopdoc reads it."""
    from sopdoc.definition import reader

    folder.mkdir()
    (folder / "unit.yaml").write_text(f"pemerintah: Uji\nunit: Uji\nkertas: {paper}\norientasi: {orientation}\n",
                                      encoding="utf-8")
    (folder / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (sop,) = reader.read([folder / "s.yaml"]).sops
    return sop
