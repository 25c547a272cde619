"""`kaohe run` end to end on a month built the way departments send it; every
figure checked by reading the written workbooks back, against the month's truth."""

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.fsutil import tree_digest
from tests.month_fixtures import build_ye_month, take_back_a_report, write_system_xlsx


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    inp = ws / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(inp, month=7, conflict=False, duplicate=None)
    truth = build_ye_month(inp, month=8)
    return ws, truth


def _run(ws, *args):
    return subprocess.run([sys.executable, "-m", "kaohe_excel", "run", "-w", str(ws), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def ran(workspace):
    ws, truth = workspace
    before = tree_digest(ws / "input")
    proc = _run(ws)
    return ws, truth, proc, before


def _overview(ws) -> Path:
    (f,) = (ws / "output" / "2023-08").glob("*完成情况一览表（截至8月底）.xlsx")
    return f


def test_run_writes_every_report_and_keeps_inputs(ran):
    ws, truth, proc, before = ran
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode in (0, 1), proc.stderr
    names = sorted(p.name for p in (ws / "output" / "2023-08").glob("*.xlsx"))
    for title in ("完成情况一览表（截至8月底）", "预警通报", "报送情况", "得分测算", "部门考核", "校验报告"):
        assert any(title in n for n in names), (title, names)
    assert tree_digest(ws / "input") == before
    # the summary names the missing and late departments
    for d in truth.missing:
        assert d in proc.stdout
    assert "红" in proc.stdout and "已写入" in proc.stdout


def _overview_rows(path):
    wb = openpyxl.load_workbook(path, data_only=True)  # 预警提示 is a formula: its cached value
    ws = wb.worksheets[0]
    header = None
    for row in ws.iter_rows(min_row=1, max_row=10):
        texts = [str(c.value or "") for c in row]
        if any("序号" in t for t in texts):
            header = row[0].row
            cols = {k: next(i for i, t in enumerate(texts) if k in t.replace("\n", ""))
                    for k in ("序号", "排名", "预警")}
            break
    assert header
    rows = {}
    for row in ws.iter_rows(min_row=header + 1):
        no = row[cols["序号"]].value
        if isinstance(no, (int, float)):
            rows[int(no)] = (row[cols["排名"]].value, row[cols["预警"]].value, row[0].row)
    return ws, cols, rows


def test_overview_ranks_and_colours_match_the_truth(ran):
    ws_dir, truth, _, _ = ran
    ws, cols, rows = _overview_rows(_overview(ws_dir))
    assert len(rows) == 49
    checked = 0
    for no, rank in truth.ranks.items():
        got_rank, warning, _ = rows[no]
        if rank is None:
            continue
        assert got_rank == rank, (no, got_rank, rank)
        expected = "绿" if rank <= 2 else "黄" if rank <= 4 else "红"
        assert warning == expected, (no, warning, rank)
        checked += 1
    assert checked >= 30


def test_overview_colours_are_conditional_formatting_over_the_whole_column(ran):
    ws_dir, _, _, _ = ran
    ws, cols, rows = _overview_rows(_overview(ws_dir))
    first = min(r for _, _, r in rows.values())
    last = max(r for _, _, r in rows.values())
    rank_letter = openpyxl.utils.get_column_letter(cols["排名"] + 1)
    warn_letter = openpyxl.utils.get_column_letter(cols["预警"] + 1)
    covered = {rank_letter: set(), warn_letter: set()}
    for rng in ws.conditional_formatting:
        for cr in rng.sqref.ranges:
            for col in covered:
                ci = openpyxl.utils.column_index_from_string(col)
                if cr.min_col <= ci <= cr.max_col:
                    covered[col].update(range(cr.min_row, cr.max_row + 1))
    for col, rows_cov in covered.items():
        assert set(range(first, last + 1)) - rows_cov <= {r for r in range(first, last + 1)
                                                          if r not in {x for _, _, x in rows.values()}}, col
    # the rules are few (one range each), not one per cell
    assert sum(len(r.rules) for r in ws.conditional_formatting) < 20


def test_overview_print_setup(ran):
    ws_dir, _, _, _ = ran
    ws = openpyxl.load_workbook(_overview(ws_dir)).worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows
    assert "&P" in (ws.oddFooter.center.text or "") and "&N" in (ws.oddFooter.center.text or "")
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("审核" in t for t in texts) and any("签发" in t for t in texts)
    assert any("截至8月底" in t for t in texts) and any(t.strip() == "附件2" for t in texts)


def test_status_report_lists_missing_and_late(ran):
    ws_dir, truth, _, _ = ran
    (f,) = (ws_dir / "output" / "2023-08").glob("*报送情况.xlsx")
    wb = openpyxl.load_workbook(f)
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    for d in truth.missing:
        assert d in cells
    assert "未报送" in cells and "逾期报送" in cells


def test_scorecard_says_who_sent_nothing(ran):
    ws_dir, truth, _, _ = ran
    (f,) = (ws_dir / "output" / "2023-08").glob("*部门考核.xlsx")
    first = openpyxl.load_workbook(f).worksheets[0]
    rows = {r[1]: r for r in first.iter_rows(values_only=True) if r and isinstance(r[0], int)}
    assert truth.missing and all(rows[d][-1] == "本月未报送" for d in truth.missing), rows
    assert sum(1 for r in rows.values() if r[-1] == "本月未报送") == len(truth.missing)
    # and who sent after the deadline, as 报送情况 says (helper-49: the column was blank for it)
    assert truth.late and all(rows[d][-1] == "本月逾期报送" for d in truth.late), rows
    assert sum(1 for r in rows.values() if r[-1] == "本月逾期报送") == len(truth.late)


def test_problems_report_names_file_sheet_cell(ran):
    ws_dir, truth, _, _ = ran
    check = subprocess.run([sys.executable, "-m", "kaohe_excel", "check", "-w", str(ws_dir), "--json"],
                           capture_output=True, text=True, encoding="utf-8", timeout=300)
    problems = json.loads(check.stdout)["problems"]
    (f,) = (ws_dir / "output" / "2023-08").glob("*校验报告.xlsx")
    wb = openpyxl.load_workbook(f)
    cells = [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]
    flat = {str(v) for row in cells for v in row if v}
    with_cell = [p for p in problems if p["cell"]]
    assert with_cell
    for p in with_cell[:20]:
        assert p["cell"] in flat and p["file"] in flat


def test_signed_report_is_never_overwritten(ran, tmp_path):
    ws = _copy_after_run(ran, tmp_path, kept=True)
    overview = _overview(ws)
    sign = subprocess.run([sys.executable, "-m", "kaohe_excel", "sign", str(overview), "--reviewer", "审核甲",
                           "--issuer", "签发乙"], capture_output=True, text=True, encoding="utf-8")
    assert sign.returncode == 0, sign.stderr
    data = overview.read_bytes()
    v2 = overview.with_name(overview.stem + "（第2版）.xlsx")
    proc = _run(ws)  # the same figures: the signed report stands, no 第2版 to sign again
    assert proc.returncode in (0, 1)
    assert overview.read_bytes() == data and not v2.exists()
    assert f"{overview}（已签发；本次数据未变，沿用已签发的版本，未另存新版）" in proc.stdout
    take_back_a_report(ws / "input" / "2023-08")  # the figures change: a new version beside the signed one
    proc = _run(ws)
    assert proc.returncode in (0, 1)
    assert overview.read_bytes() == data
    assert v2.exists() and f"{v2}（同名报表已签发，未覆盖，另存为新版）" in proc.stdout


def test_quarter_scorecard(workspace, ran):
    ws, _, _, _ = ran
    proc = _run(ws, "--quarter", "2023Q3")
    assert proc.returncode in (0, 1), proc.stderr
    (f,) = (ws / "output" / "2023-08").glob("*2023年第三季度部门考核*.xlsx")
    wb = openpyxl.load_workbook(f)
    assert wb.sheetnames == ["考核汇总", "奖惩名单", "各单位明细"]
    heads = [v for (v,) in wb["各单位明细"].iter_rows(min_col=1, max_col=1, values_only=True)
             if isinstance(v, str) and re.match(r"^\d+\. ", v)]
    assert len(heads) > 5 and "2023年第三季度" in wb["各单位明细"]["A1"].value
    # July and August of the third quarter: the title says so, the file keeps the quarter's name (helper-51)
    assert "2023年第三季度（截至8月）" in wb["各单位明细"]["A1"].value, wb["各单位明细"]["A1"].value
    assert "部门考核按2023年第三季度（7月、8月）" in proc.stdout.splitlines()[0], proc.stdout[:200]
    verdicts = {r[1]: r[6] for r in wb["考核汇总"].iter_rows(values_only=True) if r and isinstance(r[0], int)}
    assert verdicts.get("水利局") == "期内未报送2次（7月、8月）", verdicts.get("水利局")
    assert re.search(r"期内逾期报送\d次（[^）]*8月）", verdicts.get("商务局", "")), verdicts.get("商务局")


def test_bad_arguments_are_chinese_and_exit_2(workspace):
    ws, _ = workspace
    proc = _run(ws, "--quarter", "2023Q9")
    assert proc.returncode == 2 and "季度" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run(ws, "--quarter", "2023Q3", "--year", "2023")  # one period: never the year silently dropped
    assert proc.returncode == 2 and "只能选一个" in proc.stderr, proc.stderr
    proc = _run(ws, "--month", "2023-11")
    assert proc.returncode == 2 and "2023-11" in proc.stderr


def test_no_month_folder_is_a_clear_error(tmp_path):
    (tmp_path / "input").mkdir()
    write_system_xlsx(tmp_path / "input" / "一览表.xlsx")
    proc = _run(tmp_path)
    assert proc.returncode == 2 and "月份文件夹" in proc.stderr


def test_assess_json_gives_every_rank_and_colour(ran):
    ws, truth, _, _ = ran
    proc = subprocess.run([sys.executable, "-m", "kaohe_excel", "assess", "-w", str(ws), "--json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    got = {r["no"]: r for r in json.loads(proc.stdout)["indicators"]}
    for no, rank in truth.ranks.items():
        if rank is None:
            continue
        assert got[no]["rank"] == rank, no
        assert got[no]["colour_label"] == ("绿" if rank <= 2 else "黄" if rank <= 4 else "红")
    text = subprocess.run([sys.executable, "-m", "kaohe_excel", "assess", "-w", str(ws)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300).stdout
    assert "测算结果" in text and "预计六县市" in text


def _copy_after_run(ran, tmp_path, *, kept: bool = False) -> Path:
    import shutil

    ws, _, _, _ = ran
    dst = tmp_path / "ws"
    shutil.copytree(ws, dst)
    for record in [] if kept else (dst / "output").rglob(".kaohe-报表记录.json"):
        record.unlink()  # every report rendered and moved into place again, none kept as unchanged
    return dst


def _outputs(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (ws / "output").rglob("*") if p.is_file()}


def test_report_open_in_excel_stops_before_replacing_any(ran, tmp_path, monkeypatch):
    """On Windows Excel/WPS locks an open workbook: the run says which report and keeps the old set."""
    import kaohe_excel.fsutil as fs
    from kaohe_excel.flows.run import run_workspace
    from kaohe_excel.write import reports as R

    ws = _copy_after_run(ran, tmp_path)
    before = _outputs(ws)
    asked: list[Path] = []

    def busy(paths):
        asked.extend(paths)
        return [p for p in asked if "报送情况" in p.name]

    monkeypatch.setattr(fs, "busy_outputs", busy)
    summary = run_workspace(ws)
    locked = next(p for p in asked if "报送情况" in p.name)
    assert len(asked) == len(R.REPORTS) == 7 and locked.exists()  # six workbooks and the bulletin
    assert summary.fatal and "正在被 Excel 或 WPS 打开" in summary.fatal and locked.name in summary.fatal
    assert "本次没有替换任何报表" in summary.fatal
    assert _outputs(ws) == before  # nothing replaced, no .tmp left behind


def test_report_locked_part_way_says_which_were_updated(ran, tmp_path, monkeypatch):
    import kaohe_excel.fsutil as fs
    from kaohe_excel.flows.run import run_workspace

    ws = _copy_after_run(ran, tmp_path)
    real, calls = fs._replace, []

    def replace(src, dst):
        if not Path(dst).name.startswith("."):  # a report moved into place, not a staged write
            calls.append(Path(dst))
            if len(calls) == 3:
                raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(fs, "_replace", replace)
    summary = run_workspace(ws)
    assert summary.fatal and calls[2].name in summary.fatal
    assert calls[0].name in summary.fatal and "已更新的报表" in summary.fatal
    assert not [p for p in (ws / "output").rglob("*.tmp")]


def test_no_excel_error_text_reaches_a_leadership_report(tmp_path):
    """The demo's 招商服务中心 writes #DIV/0! for 第 5 项: a problem in the 校验报告, never a
    figure in 预警通报 or 得分测算 (the peer sheet's figure is shown instead)."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "input", tmp_path / "input")
    proc = _run(tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = tmp_path / "output" / "2023-08"
    (check,) = out.glob("*校验报告.xlsx")
    assert any("#DIV/0!" in str(c.value) for sh in openpyxl.load_workbook(check).worksheets
               for row in sh.iter_rows() for c in row)  # the month really has one
    found = []
    for path in out.glob("*.xlsx"):
        if path == check:
            continue
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                found += [(path.name, sheet.title, c.coordinate, c.value) for c in row
                          if isinstance(c.value, str) and c.value.strip().startswith("#")
                          and c.value.strip().endswith(("!", "A"))]
    assert not found, found


def test_a_pdf_made_from_the_report_before_is_removed_when_the_report_is_written_anew(tmp_path):
    """The 一览表's PDF (kaohe pdf, the page's download) sat beside a 一览表 a later run wrote with new
    figures: a leader could print the old page. It goes when its report is written anew, the
    summary says so; a PDF newer than its report (the report left as it was) stays."""
    import os

    ws = tmp_path
    inp = ws / "input"
    inp.mkdir()
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(inp, month=8)
    assert _run(ws).returncode in (0, 1)
    out = ws / "output" / "2023-08"
    pdfs = {}
    for x in out.glob("*.xlsx"):
        pdf = x.with_suffix(".pdf")
        pdf.write_bytes(b"%PDF-1.4 made from the report as it was\n")
        os.utime(pdf, ns=(x.stat().st_mtime_ns - 10**9, x.stat().st_mtime_ns - 10**9))
        pdfs[x.name] = pdf
    (overview,) = out.glob("*一览表*.xlsx")
    kept = pdfs[next(n for n in pdfs if "报送情况" in n)]
    os.utime(kept)  # newer than its report: made after it, kept while the report is
    status_report = kept.with_suffix(".xlsx")
    status_time = status_report.stat().st_mtime_ns
    sheet = next((inp / "2023-08").glob("*发改委*.xlsx"))
    wb = openpyxl.load_workbook(sheet)
    ws_ = wb.worksheets[0]
    cell = next(c for row in ws_.iter_rows() for c in row if isinstance(c.value, str) and c.value.endswith("%"))
    cell.value = "9.9%"
    wb.save(sheet)
    proc = _run(ws)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    # (报送情况 prints the minute of the run: a run in the next minute writes it anew, and its PDF goes too)
    assert not pdfs[overview.name].exists() and kept.exists() == (status_report.stat().st_mtime_ns == status_time)
    assert "按旧报表转出的 PDF 已删除" in proc.stdout and overview.with_suffix(".pdf").name in proc.stdout, proc.stdout


@pytest.mark.parametrize("err, why", [(13, "没有写入权限"), (28, "磁盘空间已满")], ids=["read-only", "disk-full"])
def test_an_output_folder_that_cannot_be_written_is_said_plainly(ran, tmp_path, monkeypatch, err, why):
    """output/2023-08 made read-only (or the disk full): the run says where and why, exits 2 and
    leaves the reports as they were; it was an 「意外错误」 with a crash log to send us (helper-51)."""
    import os

    from click.testing import CliRunner

    import kaohe_excel.fsutil as fs
    from kaohe_excel.cli import main

    ws = _copy_after_run(ran, tmp_path)
    before = _outputs(ws)
    take_back_a_report(ws / "input" / "2023-08")  # every report would change

    def refused(path):
        raise OSError(err, os.strerror(err), str(Path(path).parent / f".{Path(path).name}.x.tmp"))

    monkeypatch.setattr(fs, "temp_beside", refused)
    crash = []
    monkeypatch.setattr(fs, "write_crash_log", lambda *a, **k: crash.append(a) or "x.log")
    res = CliRunner().invoke(main, ["run", "-w", str(ws)])
    assert res.exit_code == 2 and not crash, res.output
    assert f"无法写入「{ws / 'output' / '2023-08'}」：{why}" in res.output and "意外错误" not in res.output
    assert _outputs(ws) == before


def test_rerunning_an_earlier_month_says_the_later_months_reports_came_from_it_as_it_was(tmp_path):
    """July corrected and run again after August's reports exist: August's 位次变化 and 较上月 were
    worked out from July as it was; the summary says so and how to bring it up to date (helper-51:
    nothing hinted at it). A re-run that changes nothing says nothing."""
    from kaohe_excel.flows.run import run_workspace, summary_text

    ws = tmp_path / "ws"
    write_system_xlsx(ws / "input" / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    build_ye_month(ws / "input", month=7, conflict=False, duplicate=None)
    build_ye_month(ws / "input", month=8)
    assert run_workspace(ws, "2023-07").fatal is None and run_workspace(ws, "2023-08").fatal is None
    s = run_workspace(ws, "2023-07")
    assert s.later_months == [] and "已有报表" not in summary_text(s)  # nothing changed
    take_back_a_report(ws / "input" / "2023-07")
    s = run_workspace(ws, "2023-07")
    assert s.later_months == ["2023-08"]
    assert "另：2023年8月已有报表，其中的位次变化、较上月等是按本月更新前的数据算的" in summary_text(s)


def test_a_department_whose_file_cannot_be_read_is_not_sent_and_its_file_is_named(ran, tmp_path):
    """水利局's file came but is a web page saved as .xls (common from web systems): still 未报送 (no figure
    was read), and 报送情况 names the file that came, so the office chases the file, not the unit."""
    ws = _copy_after_run(ran, tmp_path)
    bad = ws / "input" / "2023-08" / "叶县水利局8月报.xls"
    bad.write_text("<html><body><table><tr><td>序号</td></tr></table></body></html>", encoding="utf-8")
    assert _run(ws).returncode in (0, 1)
    (f,) = (ws / "output" / "2023-08").glob("*报送情况.xlsx")
    rows = [r for ws_ in openpyxl.load_workbook(f).worksheets for r in ws_.iter_rows(values_only=True)
            if r and "水利局" in r]
    assert rows and "未报送" in rows[0] and f"送来的「{bad.name}」无法读取，见校验报告" in rows[0], rows
