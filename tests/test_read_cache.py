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


def test_kept_reads_are_bounded_and_the_oldest_go_first(tmp_path, monkeypatch):
    """The folder is listed once a run, not after every put, yet never holds more than the bound."""
    import os

    from kaohe_excel.read import cache as C
    from kaohe_excel.read.grid import Grid

    monkeypatch.setattr(C, "MAX_ENTRIES", 3)
    folder = tmp_path / "kept"
    rc = C.ReadCache(folder)
    seen: set = set()
    for i in range(7):
        src = tmp_path / f"报表{i}.xlsx"
        src.write_bytes(f"工作簿 {i}".encode("utf-8"))
        rc.put(src, None, [Grid(src.name, "表1", [[f"第{i}份"]], [], src)], [], {})
        now = set(folder.glob("*.json"))
        for e in now - seen:  # the new entry: its age set plainly, whatever the clock's grain
            os.utime(e, (1_000_000 + i, 1_000_000 + i))
        seen |= now
        assert len(now) <= 3
    kept = C.ReadCache(folder)
    got = [kept.get(tmp_path / f"报表{i}.xlsx", None, f"报表{i}.xlsx") for i in range(7)]
    assert [g is not None for g in got] == [False] * 4 + [True] * 3
    assert got[6][0][0].cells == [["第6份"]]
