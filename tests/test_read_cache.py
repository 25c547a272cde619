"""Issue 14: a workspace that has run keeps its reads (output/.kaohe-cache/读取/, by each file's
content): a run from the kept reads writes exactly what a run from the workbooks writes; a
changed file is read again; a kept read that is damaged or planted is never trusted over the
workbook (it is data, and a bad one is read again from the file)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _parts(folder: Path) -> dict:
    out = {}
    for f in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(f) as z:
            out[f.name] = {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    return out


def _run(ws: Path) -> dict:
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return _parts(ws / "output" / "2023-08")


def test_kept_reads_give_the_same_reports_and_a_changed_file_is_read_again(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    p = cli(ws, "check", "--month", "2023-08")  # check writes nothing, not even kept reads
    assert p.returncode in (0, 1) and not (ws / "output").exists(), p.stdout + p.stderr
    kept = ws / "output" / ".kaohe-cache" / "读取"
    from_files = _run(ws)  # reads the workbooks and keeps them
    entries = sorted(kept.glob("*.json"))
    assert len(entries) >= 40  # both months' files (the history month too)
    assert _run(ws) == from_files  # from the kept reads: the same reports, byte for byte

    # a department corrects a figure: its file is read again
    f = next((ws / "input" / "2023-08").glob("叶县发改委*.xlsx"))
    wb = openpyxl.load_workbook(f)
    sh = wb.worksheets[0]
    cell = next(c for row in sh.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.row > 4
                and c.column > 5)
    cell.value = cell.value + 1000
    wb.save(f)
    p = cli(ws, "check", "--month", "2023-08")  # check uses kept reads, keeps none of its own
    assert p.returncode in (0, 1) and len(list(kept.glob("*.json"))) == len(entries), p.stdout + p.stderr
    again = _run(ws)
    assert again != from_files
    assert len(list(kept.glob("*.json"))) == len(entries) + 1

    # kept reads damaged or planted: never trusted, the workbooks are read
    for e in kept.glob("*.json"):
        e.write_text('{"v": 1, "grids": [{"sheet": "x", "cells": [[{"__import__": "os"}]]}]}', encoding="utf-8")
    assert _run(ws) == again
