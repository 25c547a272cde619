"""Issue 6, the acceptance shape: a real-looking month with broken and hostile files
mixed into its folder, the way an office's input folder fills from e-mail.

`kaohe check --json` and `kaohe run` run as separate processes under a memory cap
(RLIMIT_AS) and a timeout. Every bad file must be named in a problem with its
reason in Chinese, every good file still read (its department listed as sent), no
traceback anywhere, exit code 1, and not one byte of input/ changed. Then: two runs
at once, a run killed while it writes, and a signed report that a later run must
leave alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import hostile as h
from kaohe_excel.fsutil import tree_digest, workspace_lock
from tests.month_fixtures import build_ye_month, take_back_a_report, write_system_xlsx

ROOT = Path(__file__).resolve().parents[1]
MEM_CAP = 2 * 1024 ** 3  # address space of the whole CLI process
TIMEOUT = 120
REPORT_TITLES = ("完成情况一览表（截至8月底）", "预警通报", "报送情况", "得分测算", "部门考核", "校验报告")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits and SIGKILL")


# --------------------------------------------------------------------- corpus
def _unrelated_xlsx(path: Path) -> Path:
    """A workbook from another office: a staff phone list, nothing like a monthly sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "通讯录"
    ws.append(["叶县机关单位通讯录"])
    ws.append(["姓名", "单位", "职务", "办公电话", "手机"])
    for i in range(30):
        ws.append([f"示例{i}", "县政府办", "科员", f"0375-{8000000 + i}", f"1380000{i:04d}"])
    wb.save(path)
    return path


def _owner_file(path: Path, user: str = "示例填报人") -> Path:
    """What Excel leaves beside a workbook it has open: `~$name`, 162 bytes, the
    owner's name in ANSI (length-prefixed, padded) then in UTF-16."""
    ansi = user.encode("gbk")[:53]
    wide = user.encode("utf-16-le")[:108]
    data = bytes([len(ansi)]) + ansi.ljust(53, b" ") + len(user).to_bytes(2, "little") + wide
    path.write_bytes(data.ljust(162, b"\x00")[:162])
    return path


def _as_xlsm(src: Path, dst: Path) -> Path:
    """A department's sheet saved as 启用宏的工作簿 with a VBA project whose
    Workbook_Open would delete files: read for data only, never run, never copied."""
    members = h.zip_members(src)
    members["xl/vbaProject.bin"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                    + b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()\r\n'
                                      b'Kill "C:\\*.*"\r\nEnd Sub\r\n' * 8)
    ct = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    members["[Content_Types].xml"] = ct
    rels = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        b'Target="vbaProject.bin"/></Relationships>')
    members["xl/_rels/workbook.xml.rels"] = rels
    h.write_zip(dst, members)
    return dst


# Bad files: name in the month folder -> (builder, a fragment its problem must carry).
# Names are the ones such files really arrive with.
def _corpus(folder: Path, good: dict[str, str]) -> dict[str, str]:
    """Write the bad files into `folder`; return {relative name: expected fragment}."""
    fagai = folder / good["发改委"]
    caizheng = folder / good["财政局"]
    xls_good = folder / good["人社局"]
    mail = folder / "邮件附件"
    mail.mkdir()
    made: dict[str, str] = {}

    def add(rel: str, build, expect: str) -> None:
        path = folder / rel
        build(path)
        for leftover in path.parent.glob("*.base.xlsx"):
            leftover.unlink()  # hostile.py's scratch copies
        for leftover in path.parent.glob("*.plain.xlsx"):
            leftover.unlink()
        made[rel] = expect

    add("叶县水利局2023年8月指标进展情况.xlsx", h.encrypted_xlsx, "文件已加密，请取消密码后重新报送")
    add("8月份督查局月报（加密）.xls", h.encrypted_xls, "文件已加密，请取消密码后重新报送")
    add("叶县发改委2023年8月指标进展情况（重发）.xlsx", lambda p: h.truncated(fagai, p, 0.6), "文件不完整或已损坏")
    add("叶县人社局8月（未传完）.xls", lambda p: h.truncated(xls_good, p, 0.5), "")
    add("财政局8月月报 - 副本.xlsx", lambda p: h.truncated(caizheng, p, 0.97), "")
    add("新建 Microsoft Excel 工作表.xlsx", h.empty, "文件是空的")
    add("系统导出_指标进展.xls", h.renamed_csv, "CSV 文本")
    add("绩效考核平台导出.xls", h.html_as_xls, "网页（HTML）")
    add("叶县机关单位通讯录.xlsx", _unrelated_xlsx, "没有找到月报表格")
    add("压缩测试.xlsx", h.zip_bomb_xlsx, "超出可处理的上限")
    add("邮件附件/指标完成情况汇总.xlsx", h.entity_bomb_xlsx, "DOCTYPE/ENTITY")
    add("邮件附件/外部链接.xlsx", h.xxe_xlsx, "DOCTYPE/ENTITY")
    add("邮件附件/全表格式.xlsx", h.far_cell_xlsx, "XFD1048576")
    add("邮件附件/按行填写.xlsx", h.implicit_far_xlsx, "A1048576")  # the cell with content that took the area too far
    add("邮件附件/合并单元格.xlsx", h.merge_bomb_xlsx, "合并单元格的范围异常")
    add("邮件附件/大小不符.xlsx", h.lying_size_xlsx, "与其声明不符")
    add("邮件附件/老版本.xls", h.xls_far_cell, "IV65536")
    add("邮件附件/表头损坏.xls", h.xls_dimension_claim, "尺寸记录声明数据区域")
    add("关于报送8月份指标数据的通知.xlsx", h.docx_like, "Word 文档")
    add("扫描件.xlsx", h.pdf_as_xlsx, "PDF")
    add("乱码.xls", h.random_bytes, "无法识别")
    add("8月月报.csv", h.renamed_csv, "CSV")
    add("邮件附件/编码.xlsx", h.utf16_entity_xlsx, "DOCTYPE/ENTITY")
    add("邮件附件/附图很多.xlsx", lambda p: h.many_members_xlsx(p, 120), "合计超过")
    add("另存为二进制.xlsx", h.xlsb_like, ".xlsb")
    add("WPS另存.xlsx", h.ods_like, ".ods")
    add("情况说明.xls", h.ole_other, "Word 文档（.doc）")
    add("网页另存.xls", h.mht_as_xls, "单个文件网页")
    add("XML表格.xls", h.spreadsheetml2003, "XML 表格 2003")
    add("Unicode文本.xls", h.renamed_utf16_tsv, "CSV 文本")
    add("截图.xlsx", h.png_as_xlsx, "图片")
    add("打包.xlsx", h.rar_as_xlsx, "rar")
    # the dimension claim alone is harmless: read, then named as not a monthly sheet
    add("邮件附件/只有两格.xlsx", h.dimension_claim_xlsx, "没有找到月报表格")
    add("8月报表.zip", h.zip_of_workbooks, "压缩包（zip），其中有 2 个 Excel 文件（叶县发改委8月.xlsx、叶县人社局8月.xls）")
    add("邮件附件/第二页坏了.xlsx", h.damaged_second_sheet_xlsx, "无法读取工作表内容")
    add("邮件附件/桌面快捷方式.xlsx", lambda p: p.symlink_to(folder / "已删除的月报.xlsx"), "指向的文件不存在")
    return made


GOOD_XLSM = "司法局"  # its sheet arrives as .xlsm with a macro
OPEN_IN_EXCEL = "政府办"  # its workbook is still open on the clerk's desk (owner file beside it)


def _build(ws: Path) -> dict:
    inp = ws / "input"
    inp.mkdir(parents=True)
    write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
    truth = build_ye_month(inp, month=8)
    folder = inp / "2023-08"
    good = dict(truth.files)
    # one department's good sheet as .xlsm with a VBA project
    src = folder / good[GOOD_XLSM]
    xlsm = src.with_suffix(".xlsm")
    _as_xlsm(src, xlsm)
    src.unlink()
    good[GOOD_XLSM] = xlsm.name
    # one still open in Excel (and LibreOffice's lock for another)
    _owner_file(folder / ("~$" + good[OPEN_IN_EXCEL]))
    (folder / f".~lock.{good['消防大队']}#").write_text("示例,HOST,user,22.11.2023 08:00,file:///C:/Users;", "utf-8")
    _odd_but_good(folder, good)
    bad = _corpus(folder, good)
    return {"truth": truth, "good": good, "bad": bad}


def _odd_but_good(folder: Path, good: dict[str, str]) -> None:
    """Good sheets as they also arrive: each must still be read, values and all."""
    def move(dept: str, rel: str) -> Path:
        dst = folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        (folder / good[dept]).rename(dst)
        good[dept] = rel
        return dst

    # a .xls whose CODEPAGE record says 1252 (calamine read its text as mojibake)
    xls = folder / good["农业农村局"]
    h.xls_codepage(xls, 1252, src=xls)
    # saved in a mail client's folder five levels down
    move("文广旅局", f"转发/张三/8月/最终版/{good['文广旅局']}")
    # an .xlsx renamed .xls, and a name whose extension ends in a space
    move("机关事务服务中心", Path(good["机关事务服务中心"]).stem + ".xls")
    move("房产事务服务中心", good["房产事务服务中心"] + " ")
    # an Excel 4.0 macro sheet beside the data; a styles part cut short
    for dept, build in (("督查局", h.macrosheet_xlsx), ("市场监管局", h.broken_styles_xlsx)):
        path = folder / good[dept]
        tmp = path.with_name("tmp-" + path.name)
        build(tmp, src=path)
        tmp.replace(path)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEM_CAP, MEM_CAP))


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def cli(*args, timeout: float = TIMEOUT) -> tuple[subprocess.CompletedProcess, float]:
    proc, seconds, _ = cli_measured(*args, timeout=timeout)
    return proc, seconds


def cli_measured(*args, timeout: float = TIMEOUT) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the CLI; also its peak resident memory in MB (wait4's ru_maxrss of that child)."""
    import tempfile
    import threading

    cmd = [sys.executable, "-m", "kaohe_excel", *map(str, args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=_limit_memory, env=_env(), cwd=str(ROOT))
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        assert p.returncode != -signal.SIGKILL or seconds < timeout, f"{cmd} timed out after {timeout}s"
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(cmd, p.returncode, out.read().decode("utf-8", "replace"),
                                           err.read().decode("utf-8", "replace"))
    return proc, seconds, usage.ru_maxrss / 1024


def _no_traceback(proc) -> None:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out[-3000:]
    assert "panicked" not in out and "memory allocation" not in out, out[-3000:]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    ws = tmp_path_factory.mktemp("hostile_ws")
    built = _build(ws)
    before = tree_digest(ws / "input")
    check, t_check, mb_check = cli_measured("check", "-w", ws, "--json")
    run, t_run, mb_run = cli_measured("run", "-w", ws)
    after = tree_digest(ws / "input")
    return {**built, "ws": ws, "check": check, "run": run, "before": before, "after": after,
            "times": (t_check, t_run), "peak_mb": (mb_check, mb_run)}


CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------ check and run
def test_check_exits_1_without_traceback(month):
    proc = month["check"]
    _no_traceback(proc)
    assert proc.returncode == 1, proc.stderr[-2000:]
    json.loads(proc.stdout)


def test_every_bad_file_is_named_with_its_reason(month):
    problems = json.loads(month["check"].stdout)["problems"]
    by_file: dict[str, list[dict]] = {}
    for p in problems:
        by_file.setdefault(p["file"], []).append(p)
    missing, wrong = [], []
    for rel, expect in month["bad"].items():
        mine = by_file.get(rel) or by_file.get(Path(rel).name)
        if not mine:
            missing.append(rel)
            continue
        errors = [p for p in mine if p["level"] == "error"]
        if not errors or not any(CJK.search(p["message"]) and expect in p["message"] for p in errors):
            wrong.append((rel, expect, [p["message"] for p in mine]))
    assert not missing, f"bad files not named in any problem: {missing}"
    assert not wrong, wrong


def test_every_good_file_is_still_read(month):
    data = json.loads(month["check"].stdout)
    files = {f["file"].split("/", 1)[1] if f["file"].startswith("2023-08/") else f["file"]: f for f in data["files"]}
    truth, good = month["truth"], month["good"]
    for dept, name in good.items():
        fr = files.get(name)
        assert fr is not None and fr["kind"] == "submission", (dept, name, fr)
        assert any(s["department"] == dept for s in fr["submissions"]), (dept, fr)
    status = data["status"]
    assert sorted(status["sent"]) == sorted(good), (status["sent"], sorted(good))
    assert sorted(status["not_sent"]) == sorted(truth.missing)
    assert status["late"] == truth.late
    # the peer table was read too, and the earlier draft of 工信局 is still noticed
    assert data["peers"] and len(data["peers"]["rows"]) >= 30
    assert truth.duplicate and truth.duplicate[2] in {f.split("/")[-1] for f in files}


def test_lock_files_are_skipped_quietly(month):
    data = json.loads(month["check"].stdout)
    named = {p["file"] for p in data["problems"]} | {f["file"] for f in data["files"]}
    assert not [n for n in named if "~$" in n or ".~lock" in n], named


def test_run_exits_1_writes_every_report(month):
    proc = month["run"]
    _no_traceback(proc)
    assert proc.returncode == 1, proc.stderr[-3000:]
    out = month["ws"] / "output" / "2023-08"
    names = [p.name for p in out.glob("*.xlsx")]
    for title in REPORT_TITLES:
        assert sum(title in n for n in names) == 1, (title, names)
    for p in out.glob("*.xlsx"):
        openpyxl.load_workbook(p)  # every report opens
    # the summary names the departments that did not report, not the ones with bad extras
    for d in month["truth"].missing:
        assert d in proc.stdout


def test_problems_report_names_every_bad_file(month):
    (f,) = (month["ws"] / "output" / "2023-08").glob("*校验报告.xlsx")
    wb = openpyxl.load_workbook(f)
    text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    for rel in month["bad"]:
        assert rel in text or Path(rel).name in text, rel


def test_no_macro_reaches_any_output(month):
    for p in (month["ws"] / "output").rglob("*.xlsx"):
        with zipfile.ZipFile(p) as z:
            names = z.namelist()
            assert not [n for n in names if "vba" in n.lower()], (p.name, names)
            assert b"macroEnabled" not in z.read("[Content_Types].xml"), p.name


def test_inputs_unchanged(month):
    before, after = month["before"], month["after"]
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, changed


def test_bounded_time_and_memory(month):
    t_check, t_run = month["times"]
    mb_check, mb_run = month["peak_mb"]
    print(f"check {t_check:.1f}s {mb_check:.0f} MB, run {t_run:.1f}s {mb_run:.0f} MB, {len(month['bad'])} bad files")
    assert t_check < 60 and t_run < 60, month["times"]
    # "a few hundred MB whatever the file claims" (the 2 GB RLIMIT_AS is only the backstop)
    assert mb_check < 400 and mb_run < 400, month["peak_mb"]


# ------------------------------------------------------------ one at a time
def _copy_ws(src: Path, dst: Path) -> Path:
    shutil.copytree(src / "input", dst / "input", symlinks=True)  # the dangling link too
    return dst


def test_second_run_on_a_busy_workspace_exits_2(month, tmp_path):
    ws = _copy_ws(month["ws"], tmp_path / "ws")
    before = tree_digest(ws / "input")
    with workspace_lock(ws):
        proc, _ = cli("run", "-w", ws)
    _no_traceback(proc)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "另一个 kaohe 正在处理" in proc.stderr
    assert not list((ws / "output").rglob("*.xlsx"))  # it wrote nothing
    assert tree_digest(ws / "input") == before
    # the lock released, a run goes through
    proc, _ = cli("run", "-w", ws)
    assert proc.returncode == 1, proc.stderr[-2000:]


def test_two_runs_started_together(month, tmp_path):
    ws = _copy_ws(month["ws"], tmp_path / "ws")
    procs = [subprocess.Popen([sys.executable, "-m", "kaohe_excel", "run", "-w", str(ws)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, preexec_fn=_limit_memory, env=_env(), cwd=str(ROOT))
             for _ in range(2)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=TIMEOUT)
        results.append((p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")))
    codes = sorted(r[0] for r in results)
    assert codes in ([1, 1], [1, 2]), results
    for code, out, err in results:
        assert "Traceback" not in out + err
        if code == 2:
            assert "另一个 kaohe 正在处理" in err
    out_dir = ws / "output" / "2023-08"
    for p in out_dir.glob("*.xlsx"):
        openpyxl.load_workbook(p)
    assert not (ws / "output" / ".kaohe.lock.owner").exists()  # both runs let go (the OS lock file may stay)


# ------------------------------------------------------------- killed mid-write
KILLER = textwrap.dedent("""
    import os, signal, sys, zipfile
    sys.path.insert(0, ROOT)
    from pathlib import Path
    from kaohe_excel.flows.run import run_workspace

    mode = sys.argv[2]
    seen = []
    real_writestr = zipfile.ZipFile.writestr

    def writestr(self, *a, **k):
        # mid-write: the third report's zip has some members on disk, not all
        if mode == "mid" and len(seen) >= 3:
            seen.append("w")
            if seen.count("w") == 3:
                os.kill(os.getpid(), signal.SIGKILL)
        return real_writestr(self, *a, **k)

    zipfile.ZipFile.writestr = writestr

    def progress(msg):
        if msg.startswith("生成"):
            seen.append(msg)
            if mode == "between" and len(seen) == 3:
                os.kill(os.getpid(), signal.SIGKILL)

    run_workspace(Path(sys.argv[1]), progress=progress)
    print("NOT KILLED")
""").replace("ROOT", repr(str(ROOT)))


def _report_files(out_dir: Path) -> dict[str, Path]:
    return {p.name: p for p in out_dir.iterdir() if p.is_file() and p.suffix == ".xlsx" and not p.name.startswith(".")}


def _is_report_name(name: str) -> bool:
    return name.endswith(".xlsx") and any(t in name for t in REPORT_TITLES) and name.startswith("叶县")


@pytest.mark.parametrize("mode", ["between", "mid"])
def test_run_killed_while_writing_leaves_no_half_report(month, tmp_path, mode):
    ws = _copy_ws(month["ws"], tmp_path / "ws")
    out_dir = ws / "output" / "2023-08"
    # a complete earlier run: a kill must leave each report either old or new, never half
    proc, _ = cli("run", "-w", ws)
    assert proc.returncode == 1
    old = {n: p.stat().st_ino for n, p in _report_files(out_dir).items()}
    assert len(old) == 6
    before = tree_digest(ws / "input")
    for rerun in (False, True):
        if rerun:  # and on an empty output folder too
            shutil.rmtree(ws / "output")
        else:  # every report rendered again, none kept as unchanged (write/kept.py)
            (out_dir / ".kaohe-报表记录.json").unlink()
        p = subprocess.run([sys.executable, "-c", KILLER, str(ws), mode], capture_output=True, text=True,
                           timeout=TIMEOUT, preexec_fn=_limit_memory, env=_env())
        assert p.returncode == -signal.SIGKILL, (p.returncode, p.stdout, p.stderr[-2000:])
        assert "NOT KILLED" not in p.stdout
        reports = _report_files(out_dir)
        assert all(_is_report_name(n) for n in reports), reports
        for name, path in reports.items():
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None, name
            openpyxl.load_workbook(path)
            if not rerun:
                assert name in old
        if not rerun:
            assert len(reports) == 6  # the old ones all still there
            # none replaced: a run renders every report before moving any into place
            assert sum(reports[n].stat().st_ino != old[n] for n in reports) == 0
        else:
            assert len(reports) == 0, sorted(reports)
        leftovers = [x.name for x in out_dir.iterdir() if x.name not in reports]
        if mode == "mid":  # the kill really came while a report was being written
            assert [n for n in leftovers if n.startswith(".") and n.endswith(".tmp")], leftovers
        # whatever is left over does not carry a report's final name
        for leftover in out_dir.iterdir():
            if leftover.name not in reports:
                assert not _is_report_name(leftover.name) or leftover.name.startswith("."), leftover.name
                assert not leftover.name.endswith(".xlsx") or leftover.name.startswith("."), leftover.name
    assert tree_digest(ws / "input") == before
    # a stale lock from the killed run does not block the next run
    proc, _ = cli("run", "-w", ws)
    _no_traceback(proc)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert len(_report_files(out_dir)) == 6
    # and it clears the hidden temporary files the killed run left behind
    assert not [x.name for x in out_dir.iterdir() if x.name.startswith(".") and x.name.endswith(".tmp")]


# ---------------------------------------------------------------- signed reports
def test_signed_report_is_never_overwritten(month, tmp_path):
    ws = _copy_ws(month["ws"], tmp_path / "ws")
    proc, _ = cli("run", "-w", ws)
    assert proc.returncode == 1
    out_dir = ws / "output" / "2023-08"
    (overview,) = out_dir.glob("*完成情况一览表（截至8月底）.xlsx")
    sign, _ = cli("sign", overview, "--reviewer", "甲", "--issuer", "乙")
    assert sign.returncode == 0, sign.stderr
    signed = overview.read_bytes()
    others = {p.name: p.read_bytes() for p in out_dir.glob("*.xlsx") if p != overview}
    v2 = overview.with_name(overview.stem + "（第2版）.xlsx")
    proc, _ = cli("run", "-w", ws)  # the same figures: the signed one stands as it is
    assert proc.returncode == 1 and overview.read_bytes() == signed and not v2.exists()
    take_back_a_report(ws / "input" / "2023-08")  # the figures change
    proc, _ = cli("run", "-w", ws)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert overview.read_bytes() == signed
    assert v2.exists() and v2.name in proc.stdout
    openpyxl.load_workbook(v2)
    # unsigned reports are simply replaced (no 第2版 for them)
    assert not [p for p in out_dir.glob("*（第2版）.xlsx") if p != v2]
    assert set(others) <= {p.name for p in out_dir.glob("*.xlsx")}
    # signing the second version too: the next run writes a third, both signed ones unchanged
    sign, _ = cli("sign", v2, "--reviewer", "甲", "--issuer", "乙")
    assert sign.returncode == 0
    v2_bytes = v2.read_bytes()
    take_back_a_report(ws / "input" / "2023-08")  # and change again
    proc, _ = cli("run", "-w", ws)
    assert proc.returncode == 1
    assert overview.read_bytes() == signed and v2.read_bytes() == v2_bytes
    assert overview.with_name(overview.stem + "（第3版）.xlsx").exists()
