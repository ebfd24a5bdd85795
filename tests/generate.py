"""Generate valid SOP definitions (for property tests and benchmarks)."""

from __future__ import annotations

import random

import yaml

VERBS = ["Menyusun", "Memeriksa", "Mengirim", "Menerima", "Mengolah", "Menandatangani", "Mengarsipkan"]
NOUNS = ["laporan kinerja", "surat masuk", "data monev", "konsep nota dinas", "dokumen anggaran"]
UNITS = ["menit", "Jam", "hari", "Menit", "detik"]


def sop_data(rng: random.Random, rows: int, actors: int, decisions: int) -> dict:
    """Return the data of a valid SOP with *rows* rows, *actors* actors, about *decisions* decisions."""
    keys = [f"p{i}" for i in range(actors)]
    owners = keys + [rng.choice(keys) for _ in range(rows - actors)]
    rng.shuffle(owners)
    kegiatan = []
    for i in range(rows):
        kegiatan.append({
            "id": f"r{i}",
            "uraian": f"{rng.choice(VERBS)} {rng.choice(NOUNS)} tahap {i + 1}",
            "pelaksana": owners[i],
            "kelengkapan": rng.choice(NOUNS).capitalize(),
            "waktu": f"{rng.randint(1, 59)} {rng.choice(UNITS)}",
            "output": rng.choice(NOUNS).capitalize(),
        })
    middle = list(range(1, rows - 1))
    for i in rng.sample(middle, min(decisions, len(middle))):
        other = rng.choice([j for j in range(rows) if j not in (i, i + 1)] or [0])
        kegiatan[i]["keputusan"] = {"ya": "berikutnya", "tidak": f"r{other}"}
    return {
        "nomor": f"800/{rng.randint(1, 999)}/SOP/2024",
        "nama": f"SOP {rng.choice(NOUNS).title()}",
        "tanggal_pembuatan": "2024-01-15",
        "dasar_hukum": ["Peraturan Menteri PAN RB Nomor 35 Tahun 2012"],
        "pelaksana": {k: f"Jabatan {k.upper()}" for k in keys},
        "kegiatan": kegiatan,
    }


def sop_text(rng: random.Random, rows: int, actors: int, decisions: int) -> str:
    return yaml.safe_dump(sop_data(rng, rows, actors, decisions), allow_unicode=True, sort_keys=False)
