"""Issue 14: a workspace that has run keeps its reads (output/.kaohe-cache/读取/, by each file's
content): a run from the kept reads writes exactly what a run from the workbooks writes; a
changed file is read again; a kept read that is damaged or planted is never trusted over the
workbook (it is data, and a bad one is read again from the file)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]


_CLOCK = re.compile(rb"20\d\d-\d\d-\d\d \d\d:\d\d")  # 统计时间/校验时间: the minute a run ran


def _parts(folder: Path) -> dict:
    out = {}
    for f in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(f) as z:
            out[f.name] = {n: _CLOCK.sub(b"", z.read(n)) for n in z.namelist() if n != "docProps/core.xml"}
    return out


def _run(ws: Path) -> dict:
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return _parts(ws / "output" / "2023-08")


def _load(p: Path):
    """A kept file's JSON, its seal checked (usercache.sealed: this user's runs wrote it)."""
    import json

    from kaohe_excel.usercache import unsealed

    return json.loads(unsealed(p.read_bytes()).decode("utf-8"))


def _save(p: Path, data) -> None:
    """Planted as this user's own runs would write it (sealed): only its content is at fault."""
    import json

    from kaohe_excel.usercache import sealed

    p.write_bytes(sealed(json.dumps(data, ensure_ascii=False).encode("utf-8")))


def _entries(kept: Path) -> dict[str, dict]:
    """Every kept entry: loose (one file each, as older versions kept them) or in a month's pack."""
    import json

    out = {e.name: _load(e) for e in kept.glob("*.json")}
    for p in kept.glob("*.pack"):
        out.update((k, json.loads(v)) for k, v in _load(p)["entries"].items())
    return out


def _rewrite(kept: Path, change) -> None:
    """change(k, data) on every kept entry (k counts them), written back where it was kept."""
    import json

    k = 0
    for e in sorted(kept.glob("*.json")):
        data = _load(e)
        change(k, data)
        k += 1
        _save(e, data)
    for p in sorted(kept.glob("*.pack")):
        pack = _load(p)
        for name in sorted(pack["entries"]):
            data = json.loads(pack["entries"][name])
            change(k, data)
            k += 1
            pack["entries"][name] = json.dumps(data, ensure_ascii=False)
        _save(p, pack)


def test_kept_reads_give_the_same_reports_and_a_changed_file_is_read_again(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    p = cli(ws, "check", "--month", "2023-08")  # check writes nothing, not even kept reads
    assert p.returncode in (0, 1) and not (ws / "output").exists(), p.stdout + p.stderr
    kept = ws / "output" / ".kaohe-cache" / "读取"
    from_files = _run(ws)  # reads the workbooks and keeps them
    entries = _entries(kept)
    assert len(entries) >= 40  # both months' files (the history month too)
    assert len(list(kept.glob("*.pack"))) == 3  # one file a month folder, one for input/'s own
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
    assert p.returncode in (0, 1) and _entries(kept) == entries, p.stdout + p.stderr
    again = _run(ws)
    assert again != from_files
    now = _entries(kept)  # its read (with its sheets' roles) and its parse are new; the old ones gone
    assert len(set(now) - set(entries)) == 2 and len(now) == len(entries)

    # kept reads damaged or planted: never trusted, the workbooks are read
    _rewrite(kept, lambda k, data: data.update({"v": 1, "grids": [{"sheet": "x", "cells": [[{"__import__": "os"}]]}]}))
    assert _run(ws) == again
    for p in kept.glob("*.pack"):  # a pack that is no pack
        p.write_text("[" * 100_000, encoding="utf-8")
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


def _parsed(kept: Path) -> set[str]:
    return {name for name, data in _entries(kept).items() if "submissions" in data}


def test_kept_parses_give_the_same_reports_and_miss_when_the_system_changes(tmp_path):
    """A re-run takes each unchanged department file's parse as kept (no table search, no
    parse); what the parse depends on besides the bytes (here the indicator system) changing
    makes it parse again, and the reports are those of a workspace that never kept anything."""
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    kept = ws / "output" / ".kaohe-cache" / "读取"
    first = _run(ws)
    parsed = _parsed(kept)
    assert len(parsed) >= 30  # the departments' files of both months
    assert _run(ws) == first  # every department file from its kept parse

    # the system gives one indicator to another department, and renames another: parses depend on both
    system = next((ws / "input").glob("附件2*.xlsx"))
    wb = openpyxl.load_workbook(system)
    sh = wb.worksheets[0]
    head = next(r for r in range(1, 10) if any("责任单位" in str(c.value or "") for c in sh[r]))
    col = next(c.column for c in sh[head] if "责任单位" in str(c.value or ""))
    rows = [r for r in range(head + 1, sh.max_row + 1) if sh.cell(r, col).value == "发改委"]
    sh.cell(rows[0], col).value = "工信局"
    sh.cell(rows[-1], 2).value = str(sh.cell(rows[-1], 2).value) + "（新）"
    wb.save(system)
    changed = _run(ws)
    assert len(_parsed(kept) - parsed) >= len(parsed) - 2  # parsed again (the month's pack keeps the new ones)
    fresh = tmp_path / "fresh"
    shutil.copytree(ws / "input", fresh / "input")
    assert changed == _run(fresh) != first


def test_a_kept_parse_from_other_code_or_for_other_circumstances_is_not_used(tmp_path, monkeypatch):
    from kaohe_excel.model import Entry, IndicatorKey, Submission
    from kaohe_excel.problems import Problem
    from kaohe_excel.read import cache as C

    src = tmp_path / "发改委月报.xlsx"
    src.write_bytes(b"any bytes of a workbook")
    sub = Submission("发改委月报.xlsx", "表1", "发改委", "2023-08",
                     entries=[Entry(1, "地区生产总值增速", "发改委", actual=6.5, actual_raw="6.5%", rank=2,
                                    key=IndicatorKey(1), row=5, cell="F5")],
                     signoff={"填报人": "张三"}, problems=[Problem("发改委月报.xlsx", "表1", "F5", "warning", "提示")])
    rc = C.ReadCache(tmp_path / "kept")
    rc.put_submissions(src, "6\0002023-08", [sub])
    got = C.ReadCache(tmp_path / "kept").get_submissions(src, "6\0002023-08")
    assert got == [sub]
    assert C.ReadCache(tmp_path / "kept").get_submissions(src, "7\0002023-08") is None  # another count of units
    monkeypatch.setattr(C, "_stamp", ["other code"])
    assert C.ReadCache(tmp_path / "kept").get_submissions(src, "6\0002023-08") is None  # the reader changed
    monkeypatch.setattr(C, "_stamp", [])
    entry = next((tmp_path / "kept").glob("*.json"))
    data = _load(entry)
    data["submissions"][0]["entries"][0][C._ENTRY_FIELDS.index("actual")] = {"__import__": "os"}  # not a parse's value
    _save(entry, data)
    assert C.ReadCache(tmp_path / "kept").get_submissions(src, "6\0002023-08") is None
    data["what"] = "something else"  # a parse kept for other circumstances under this name
    _save(entry, data)
    assert C.ReadCache(tmp_path / "kept").get_submissions(src, "6\0002023-08") is None


def test_a_rerun_does_not_search_an_unchanged_files_tables_again(tmp_path, monkeypatch):
    """What each sheet is (system head, peer data, a department's table) is kept with the
    file's read: the second load searches only the peer sheets it reads (one a month), and
    finds what the first found."""
    from kaohe_excel.read import month_files as MF
    from kaohe_excel.workspace import load_month

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    (ws / "output").mkdir()
    searched: list[str] = []
    find_peer_table, find_submission_table = MF.find_peer_table, MF.find_submission_table
    monkeypatch.setattr(MF, "find_peer_table", lambda g, *a: searched.append(g.sheet) or find_peer_table(g, *a))
    monkeypatch.setattr(MF, "find_submission_table", lambda g: searched.append(g.sheet) or find_submission_table(g))

    def load():
        searched.clear()
        mi = load_month(ws, "2023-08", keep_reads=True)
        return mi, len(searched)

    first, cold = load()
    second, warm = load()
    assert cold > 40 and warm <= 4
    assert [(f.file, f.kind, f.sheets, f.used, f.note) for f in second.files] == \
           [(f.file, f.kind, f.sheets, f.used, f.note) for f in first.files]
    assert second.submissions == first.submissions and second.peers.rows == first.peers.rows

    # roles kept for other sheets than the file has, or by other code: searched again
    def other(k, data):
        if "roles" in data:
            if k % 2:
                data["roles"]["sheets"] = ["别的表"] * len(data["roles"]["sheets"])
            else:
                data["roles"]["code"] = "other code"

    _rewrite(ws / "output" / ".kaohe-cache" / "读取", other)
    third, again = load()
    assert again > 40 and third.submissions == first.submissions
    # (as after an update of kaohe: the reads stay, their roles are kept apart from them now)
    fourth, kept_apart = load()
    assert kept_apart <= 4 and fourth.submissions == first.submissions


def test_the_view_from_above_keeps_the_units_parses_too(tmp_path, monkeypatch):
    """`run --all-units` re-run: a unit's own report (here 澜山县's 一览表 in June) is taken as
    parsed, not searched and parsed again; the peer table it joins is the same."""
    from kaohe_excel.read import month_files as MF
    from kaohe_excel.workspace import load_month
    from tests import league_city as lc

    ws = tmp_path / "ws"
    lc.build_workspace(ws, own_report=True)
    (ws / "output").mkdir()
    parsed: list[str] = []
    real = MF.read_submissions
    monkeypatch.setattr(MF, "read_submissions", lambda p, *a, **k: parsed.append(p.name) or real(p, *a, **k))

    def load():
        parsed.clear()
        mi = load_month(ws, lc.JUNE, all_units=True, keep_reads=True, with_history=False)
        return mi, list(parsed)

    first, cold = load()
    second, warm = load()
    assert cold == [lc.OWN_REPORT_FILE] and warm == []
    assert second.submissions == first.submissions and first.submissions
    assert second.peers.rows == first.peers.rows
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    # the unit's parse depends on the number of units compared: another count parses again
    monkeypatch.setattr(MF, "_parse_depends", lambda mi, n, month: f"{n + 1}\0{month}\0{mi.system!r}")
    _third, again = load()
    assert again == [lc.OWN_REPORT_FILE]


def test_a_kept_read_gives_back_every_cell_type(tmp_path):
    """Dates, times, durations, numbers, booleans, text and blanks come back from a kept read
    as the workbook gave them (the JSON encoder writes the plain ones; the others by name)."""
    import datetime as dt

    from kaohe_excel.read.cache import ReadCache
    from kaohe_excel.read.grid import Grid

    cells = [["填报日期", dt.datetime(2023, 9, 4, 10, 30), dt.date(2023, 9, 5), dt.time(8, 15)],
             [1, 2.5, True, None], ["演示数据", "", dt.timedelta(hours=36), -0.0]]
    src = tmp_path / "某局8月月报.xlsx"
    src.write_bytes(b"PK\x03\x04 the bytes that key the entry")
    cache = ReadCache(tmp_path / "kept")
    cache.put(src, None, [Grid(src.name, "8月", cells, [(0, 1, 0, 2)], path=src)], [], {})
    got = cache.get(src, None, src.name)
    assert got is not None
    (grid,), _notes = got
    assert grid.cells == cells and [type(v) for row in grid.cells for v in row] == [type(v) for row in cells for v in row]
    assert grid.merges == [(0, 1, 0, 2)] and grid.sheet == "8月"


def test_a_kept_read_edited_by_hand_is_no_hit(tmp_path):
    """A pack under output/ edited by hand (well-formed, figures changed, the old seal left at
    its end): a file of the workspace like any other, never figures; the run reads the workbooks
    and writes what a run from them writes."""
    import json
    import re

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    from_files = _run(ws)
    kept = ws / "output" / ".kaohe-cache" / "读取"
    for p in kept.glob("*.pack"):
        blob = p.read_bytes()
        pack = _load(p)
        pack["entries"] = {k: re.sub(r"(\d)\.(\d)", r"\2.\1", v) for k, v in pack["entries"].items()}
        p.write_bytes(json.dumps(pack, ensure_ascii=False).encode("utf-8") + blob[-66:])
    assert _run(ws) == from_files


def test_a_kept_read_keeps_the_filters_range(tmp_path):
    """The range of a sheet's AutoFilter comes back from a kept read (grid and flags): without it
    a row hidden by hand outside the filter would be read from the kept read as a filtered one."""
    from kaohe_excel.read.cache import VERSION, ReadCache
    from kaohe_excel.read.engine_base import CellFlags
    from kaohe_excel.read.grid import Grid

    src = tmp_path / "某局8月月报.xlsx"
    src.write_bytes(b"PK\x03\x04 the bytes that key the entry")
    grid = Grid(src.name, "8月", [["序号"], [1], [2], [3]], path=src, hidden_rows=frozenset({1, 3}), filtered=True,
                filter_area=(0, 0, 2, 8))
    flags = {"8月": CellFlags({}, set(), hidden_rows={1, 3}, filtered=True, filter_area=(0, 0, 2, 8))}
    cache = ReadCache(tmp_path / "kept")
    cache.put(src, None, [grid], [], flags)
    (got,), _notes = cache.get(src, None, src.name)
    assert (got.filter_area, got.filtered_rows) == ((0, 0, 2, 8), frozenset({1}))
    assert ReadCache(tmp_path / "kept")._load(cache._entry(src, None), VERSION)["flags"]["8月"]["filter_area"] == [0, 0, 2, 8]
