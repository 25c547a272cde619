"""Issue 16.4: verifiable sign-off. `kaohe sign` protects the signed workbook's sheets and
records the SHA-256 of the protected file; `kaohe verify` says per signed report 未改动 /
已改动 / 缺失, against the latest signing, and exits non-zero when any is not 未改动.

The truth comes by other routes: openpyxl reads the protection and the cells back,
hashlib hashes the file, LibreOffice opens the signed workbooks."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.write.signoff import REGISTRY, protected_sheet_xml, read_registry
from tests.kaohe_cli import cli
from tests.month_fixtures import take_back_a_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> Path:
    """The demo workspace run once (both months); each test signs its own copy."""
    ws = tmp_path_factory.mktemp("verify_ws")
    shutil.copytree(ROOT / "input", ws / "input")
    for args in (("run", "--month", "2023-07"), ("run",)):
        p = cli(ws, *args)
        assert p.returncode in (0, 1), p.stdout + p.stderr
    return ws


@pytest.fixture()
def ws(ran, tmp_path) -> Path:
    shutil.copytree(ran, tmp_path / "ws")
    return tmp_path / "ws"


def _report(ws: Path, month: str, word: str) -> Path:
    found = [p for p in (ws / "output" / month).glob(f"*{word}*.xlsx") if "第" not in p.name]
    assert len(found) == 1, found
    return found[0]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sign(ws: Path, path: Path, reviewer="甲", issuer="乙", date="2023-09-06") -> None:
    p = cli(ws, "sign", str(path), "--reviewer", reviewer, "--issuer", issuer, "--date", date)
    assert p.returncode == 0, p.stdout + p.stderr


def _verify(ws: Path, *args: str) -> tuple[int, dict]:
    p = cli(ws, "verify", *args, "--json")
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    return p.returncode, json.loads(p.stdout)


def _cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for sh in wb.worksheets for row in sh.iter_rows()]


def test_signing_protects_every_sheet_keeps_the_cells_and_records_the_protected_file(ws):
    f = _report(ws, "2023-08", "得分测算")  # three sheets and charts
    before = _cells(f)
    assert not any(sh.protection.sheet for sh in openpyxl.load_workbook(f).worksheets)
    _sign(ws, f)
    wb = openpyxl.load_workbook(f)
    assert len(wb.worksheets) == 3
    for sh in wb.worksheets:
        assert sh.protection.sheet, sh.title
        assert not sh.protection.formatCells and not sh.protection.formatColumns and not sh.protection.formatRows
        assert not sh.protection.selectLockedCells and not sh.protection.selectUnlockedCells
        assert not sh.protection.password  # no password: see write/signoff.py
    assert _cells(f) == before
    entry = read_registry(f.parent)[f.name][-1]
    assert entry["sha256"] == _sha(f)


def test_a_second_signing_of_the_same_file_leaves_it_alone_and_is_checked_as_the_latest(ws):
    f = _report(ws, "2023-08", "一览表")
    _sign(ws, f, "甲", "乙")
    signed = f.read_bytes()
    _sign(ws, f, "丙", "丁", "2023-09-08")
    assert f.read_bytes() == signed  # already protected: not rewritten
    entries = read_registry(f.parent)[f.name]
    assert [e["sha256"] for e in entries] == [_sha(f)] * 2
    code, out = _verify(ws)
    assert code == 0
    (r,) = out["reports"]
    assert (r["status"], r["reviewer"], r["issuer"], r["date"], r["signings"]) == ("未改动", "丙", "丁", "2023-09-08", 2)
    text = cli(ws, "verify").stdout
    assert "共签发 2 次，按最近一次核对" in text and "未改动" in text


def test_verify_catches_a_one_byte_change_and_a_deleted_file(ws):
    overview, warn, scores = (_report(ws, "2023-08", w) for w in ("一览表", "预警通报", "得分测算"))
    for f in (overview, warn, scores):
        _sign(ws, f)
    code, out = _verify(ws)
    assert code == 0 and [r["status"] for r in out["reports"]] == ["未改动"] * 3

    data = bytearray(warn.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    warn.write_bytes(bytes(data))
    scores.unlink()
    code, out = _verify(ws)
    assert code == 1
    status = {Path(r["file"]).name: r["status"] for r in out["reports"]}
    assert status == {overview.name: "未改动", warn.name: "已改动", scores.name: "缺失"}
    assert out["counts"] == {"未改动": 1, "已改动": 1, "缺失": 1, "无法核对": 0}
    changed = next(r for r in out["reports"] if r["status"] == "已改动")
    assert changed["sha256_now"] == _sha(warn) != changed["sha256_recorded"]

    p = cli(ws, "verify")
    assert p.returncode == 1
    lines = {ln.split("：", 1)[0].strip(): ln for ln in p.stdout.splitlines() if ln.startswith("  ")}
    assert "已改动" in lines[f"2023-08/{warn.name}"] and "缺失" in lines[f"2023-08/{scores.name}"]
    assert "合计 3 份已签发报表：未改动 1 份，已改动 1 份，缺失 1 份" in p.stdout


def test_a_rerun_leaves_the_signed_report_untouched_and_verify_still_says_unchanged(ws):
    f = _report(ws, "2023-08", "一览表")
    _sign(ws, f)
    signed = f.read_bytes()
    p = cli(ws, "run")  # the same figures: the signed report stands, no 第2版
    assert p.returncode in (0, 1), p.stderr
    assert f.read_bytes() == signed and "沿用已签发的版本" in p.stdout
    assert not (f.parent / f.name.replace(".xlsx", "（第2版）.xlsx")).exists()
    take_back_a_report(ws / "input" / "2023-08")  # the figures change: a 第2版 beside it
    p = cli(ws, "run")
    assert p.returncode in (0, 1), p.stderr
    assert f.read_bytes() == signed
    assert (f.parent / f.name.replace(".xlsx", "（第2版）.xlsx")).is_file()
    code, out = _verify(ws)
    assert code == 0 and [r["status"] for r in out["reports"]] == ["未改动"]


def test_month_picks_the_month_and_every_month_is_listed_without_it(ws):
    july, august = _report(ws, "2023-07", "预警通报"), _report(ws, "2023-08", "预警通报")
    _sign(ws, july)
    _sign(ws, august)
    august.unlink()
    assert [(r["file"], r["status"]) for r in _verify(ws)[1]["reports"]] == [
        (f"2023-07/{july.name}", "未改动"), (f"2023-08/{august.name}", "缺失")]
    for month in ("2023-07", "2023年7月", "7月"):
        code, out = _verify(ws, "--month", month)
        assert code == 0 and out["month"] == "2023-07", month
        assert [r["file"] for r in out["reports"]] == [f"2023-07/{july.name}"]
    assert _verify(ws, "--month", "2023-08")[0] == 1
    p = cli(ws, "verify", "--month", "2023-11")
    assert p.returncode == 2 and "output/2023-11/" in p.stderr


def test_nothing_signed_is_said_and_is_not_a_failure(ws):
    p = cli(ws, "verify")
    assert p.returncode == 0 and "没有已签发的报表" in p.stdout


def test_a_record_that_cannot_be_read_is_named_and_exits_2(ws):
    f = _report(ws, "2023-08", "一览表")
    _sign(ws, f)
    (f.parent / REGISTRY).write_text('{"a.xlsx": [{"审核": "甲", "签发": "乙"}],}', encoding="utf-8")
    p = cli(ws, "verify")
    assert p.returncode == 2
    assert REGISTRY in p.stderr and "无法读取" in p.stderr and "Traceback" not in p.stderr


def test_a_record_naming_a_file_elsewhere_is_not_followed(ws):
    f = _report(ws, "2023-08", "一览表")
    _sign(ws, f)
    reg = f.parent / REGISTRY
    data = json.loads(reg.read_text(encoding="utf-8"))
    entry = data[f.name][0]
    data["../../input/2023-08/叶县发改委2023年8月指标进展情况.xlsx"] = [entry]
    data[str(ws / "input" / "说明（演示数据）.txt")] = [entry]
    reg.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = _verify(ws)
    assert code == 1
    assert sorted(r["status"] for r in out["reports"]) == ["无法核对", "无法核对", "未改动"]
    assert all(r["sha256_now"] is None for r in out["reports"] if r["status"] == "无法核对")
    assert all(r["file"].startswith("2023-08/") and ".." not in r["file"].split("/") for r in out["reports"])


def test_no_output_folder_is_said(tmp_path):
    p = cli(tmp_path, "verify")
    assert p.returncode == 2 and "output" in p.stderr


def test_signed_reports_still_open_in_libreoffice(ws, tmp_path):
    from tests.test_outputs_open import SOFFICE, _page_count, _require_tools

    _require_tools()
    files = [_report(ws, "2023-08", w) for w in ("一览表", "预警通报", "得分测算", "部门考核")]
    for f in files:
        _sign(ws, f)
    out = tmp_path / "pdf"
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for f in files:
        assert _page_count(out / (f.stem + ".pdf")) >= 1, f.name
    assert _verify(ws)[0] == 0  # converting read them, changed nothing


@pytest.mark.parametrize("xml, expect", [
    ('<worksheet><sheetData><row r="1"/></sheetData><mergeCells count="1"/></worksheet>',
     '</sheetData><sheetProtection sheet="1" objects="1" scenarios="1" formatCells="0" formatColumns="0" '
     'formatRows="0"/><mergeCells'),
    ('<worksheet><sheetData/><pageMargins/></worksheet>', '<sheetData/><sheetProtection sheet="1"'),
    ('<x:worksheet xmlns:x="s"><x:sheetData></x:sheetData><x:sheetCalcPr fullCalcOnLoad="1"/></x:worksheet>',
     '<x:sheetCalcPr fullCalcOnLoad="1"/><x:sheetProtection sheet="1"'),
    ('<worksheet><sheetData/><sheetProtection sheet="0" formatCells="1"/></worksheet>',
     '<sheetData/><sheetProtection sheet="1" objects="1"'),
], ids=["after sheetData", "empty sheetData", "prefix and calcPr", "switched off"])
def test_protection_stands_where_the_schema_wants_it(xml, expect):
    out = protected_sheet_xml(xml)
    assert expect in out and out.count("sheetProtection") == 1, out
    assert protected_sheet_xml(out) == out


def test_protection_the_clerk_set_with_a_password_is_kept():
    xml = '<worksheet><sheetData/><sheetProtection password="CC3D" sheet="1"/></worksheet>'
    assert protected_sheet_xml(xml) == xml
