"""Issue 6 item 2: text from inputs never becomes a formula in any output.

A month is built whose inputs carry formula-looking text wherever inputs flow into
reports: department names in the 责任单位 cells of the indicator system, indicator
names, values typed as text in 截至本月底完成情况, 存在问题, a worksheet's name, a
file's name. After `kaohe run`, every workbook under output/ is read as zip XML:
no formula (`<f>`, conditional-format / validation `<formula>`, defined names)
holds any of that text outside a quoted sheet name, no hyperlink relationship
points where the text points, and the strings that reach a report are there as
text cells, character for character.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tests.month_fixtures as mf

ROOT = Path(__file__).resolve().parents[1]

# department names (each still ends like a unit, so the reader keeps it whole)
DEPT_LINK = '=HYPERLINK("x")办'
DEPT_PLUS = "+1+1中心"
DEPT_MINUS = "-2+3大队"
DEPT_AT = "@SUM(A1)中心"
RENAMED = {40: DEPT_LINK, 43: DEPT_PLUS, 39: DEPT_MINUS, 46: DEPT_AT}
# indicator names
NAME_EQ = "=A1*2完成市定培育发展房屋租赁市场目标任务"
NAME_PLUS = "+全民科学素质目标任务"
NAMES = {42: NAME_EQ, 45: NAME_PLUS}
# values typed as text in monthly sheets
VAL_EQ = "=1+1"
VAL_PLUS = "+1+1"
VAL_MINUS = "-2+3"
VAL_AT = "@SUM(A1)"
VAL_LINK = '=HYPERLINK("http://x","点我")'
ISSUE = '=HYPERLINK("http://x","点我")项目入统慢'
STEPS = "@SUM(A1:A9) 加强调度"
SHEET_NAME = "=1+1"
FILE_NAME = "=1+1司法局月报.xlsx"
BAD_FILE = "@SUM(A1).xlsx"

INJECTED_VALUES = [VAL_EQ, VAL_PLUS, VAL_MINUS, VAL_AT, VAL_LINK]
# Every string that must reach some report as text
MUST_APPEAR = [DEPT_LINK, DEPT_PLUS, DEPT_MINUS, DEPT_AT, NAME_EQ, NAME_PLUS, *INJECTED_VALUES,
               FILE_NAME, BAD_FILE]
# Everything that must never be inside a formula
NEVER_IN_FORMULA = MUST_APPEAR + [ISSUE, STEPS, SHEET_NAME, "HYPERLINK", "http://x", "点我", "SUM(A1)", "A1*2"]
# a cell's formula is stored without its leading '=' (<f>1+1</f>)
NEVER_IN_FORMULA += [s[1:] for s in NEVER_IN_FORMULA if s.startswith("=")]


def _patched_indicators():
    out = []
    for no, sec, name, pts, units in mf.YE_INDICATORS:
        out.append((no, sec, NAMES.get(no, name), pts, RENAMED.get(no, units)))
    return out


def _as_text_cells(path: Path, cells: dict[tuple[int, int], str], sheet_title: str | None = None) -> None:
    """Put strings into cells as text (openpyxl would turn '=…' into a formula)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for (r, c), v in cells.items():
        cell = ws.cell(row=r, column=c)
        cell.value = v
        cell.data_type = "s"
    # openpyxl read back text written by the fixture as formulas where it began with '='
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.data_type = "s"
    if sheet_title:
        ws.title = sheet_title
    wb.save(path)


def _columns(ws) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(min_row=1, max_row=8):
        texts = [str(c.value or "").replace("\n", "") for c in row]
        if any("序号" in t for t in texts) and any("完成情况" in t for t in texts):
            cols = {}
            for i, t in enumerate(texts, 1):
                if "截至" in t or ("完成情况" in t and "2022" not in t and "actual" not in cols):
                    cols.setdefault("actual", i)
                if "问题" in t:
                    cols["issues"] = i
                if "举措" in t or "措施" in t:
                    cols["steps"] = i
            return row[0].row, cols
    raise AssertionError("no header")


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setattr(mf, "YE_INDICATORS", _patched_indicators())
    try:
        ws = tmp_path_factory.mktemp("inject_ws")
        inp = ws / "input"
        inp.mkdir()
        mf.write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
        truth = mf.build_ye_month(inp, month=8, junk=False)
    finally:
        mp.undo()
    folder = inp / "2023-08"
    # the system as a clerk typed it: names and units are text, '=' or not
    _as_text_cells(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx", {})
    # text values in 截至本月底完成情况, 存在问题, 下步举措 of several departments
    plan = {"发改委": VAL_EQ, "工信局": VAL_PLUS, "生态环境局": VAL_MINUS, "财政局": VAL_AT, "商务局": VAL_LINK}
    injected_nos = set()
    for dept, value in plan.items():
        path = folder / truth.files[dept]
        assert path.suffix == ".xlsx", path
        wb = openpyxl.load_workbook(path)
        hdr, cols = _columns(wb.worksheets[0])
        first = hdr + 1
        while not isinstance(wb.worksheets[0].cell(row=first, column=1).value, (int, float)):
            first += 1
        injected_nos.add(int(wb.worksheets[0].cell(row=first, column=1).value))
        cells = {(first, cols["actual"]): value}
        if "issues" in cols:
            cells[(first, cols["issues"])] = ISSUE
        if "steps" in cols:
            cells[(first, cols["steps"])] = STEPS
        _as_text_cells(path, cells, SHEET_NAME if dept == "财政局" else None)
    # 叶县 has no figure on those rows of the peer sheet: the department's text is the figure shown
    # (a figure the peer sheet contradicts is not printed beside the rank, only named in 校验报告)
    peers = next(folder.glob("六县市数据*.xlsx"))
    wb = openpyxl.load_workbook(peers)
    sh = wb.worksheets[0]
    head = next(r for r in range(1, 10) if "叶县" in [c.value for c in sh[r]])
    ye = next(c.column for c in sh[head] if c.value == "叶县")
    for r in range(head + 1, sh.max_row + 1):
        if sh.cell(r, 1).value in injected_nos:
            sh.cell(r, ye).value = "—"
    wb.save(peers)
    # the departments renamed in the system wrote their own names in their sheets
    for dept in (DEPT_LINK, DEPT_PLUS, DEPT_MINUS, DEPT_AT):
        if dept in truth.files:
            _as_text_cells(folder / truth.files[dept], {})
    os.replace(folder / truth.files["司法局"], folder / FILE_NAME)
    (folder / BAD_FILE).write_bytes(b"")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kaohe_excel", "run", "-w", str(ws)], capture_output=True,
                          text=True, encoding="utf-8", timeout=300, env=env, cwd=str(ROOT))
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    outputs = sorted(p for p in (ws / "output").rglob("*.xlsx") if not p.name.startswith("."))
    assert len(outputs) == 6, outputs
    return ws, truth, outputs


_FORMULA_RE = re.compile(rb"<(f|formula|formula1|formula2|definedName)\b[^>]*>(.*?)</\1>", re.S)
_TEXT_RE = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'!")


def _formulas(path: Path) -> list[tuple[str, str]]:
    out = []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith(".xml"):
                for m in _FORMULA_RE.finditer(z.read(n)):
                    out.append((n, html.unescape(m.group(2).decode("utf-8"))))
    return out


def _text_cells(path: Path) -> list[str]:
    """Every string value of a cell: inline strings and shared strings (not formula results)."""
    out = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in re.findall(rb"<si>(.*?)</si>", z.read("xl/sharedStrings.xml"), re.S):
                shared.append("".join(html.unescape(t.decode()) for t in _TEXT_RE.findall(si)))
        for n in names:
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n):
                continue
            for c in re.finditer(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", z.read(n), re.S):
                attrs, body = c.group(1), c.group(2) or b""
                if b"<f" in body:
                    continue
                if b't="inlineStr"' in attrs:
                    out.append("".join(html.unescape(t.decode()) for t in _TEXT_RE.findall(body)))
                elif b't="s"' in attrs:
                    v = re.search(rb"<v>(\d+)</v>", body)
                    if v:
                        out.append(shared[int(v.group(1))])
    return out


def test_no_formula_holds_input_text(ran):
    _, _, outputs = ran
    found = []
    for path in outputs:
        for part, f in _formulas(path):
            code = _QUOTED_SHEET.sub("", f)  # a quoted sheet name is a name, not code
            for s in NEVER_IN_FORMULA:
                if s in code:
                    found.append((path.name, part, s, f[:200]))
    assert not found, found


def test_input_text_is_kept_as_text_cells(ran):
    _, _, outputs = ran
    texts = [t for p in outputs for t in _text_cells(p)]
    missing = [s for s in MUST_APPEAR if not any(s in t for t in texts)]
    assert not missing, missing
    # the values typed as text are shown exactly as typed, in a cell of their own
    exact = set(texts)
    assert [v for v in INJECTED_VALUES if v not in exact] == []


def test_no_hyperlink_from_input(ran):
    _, _, outputs = ran
    for path in outputs:
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                data = z.read(n)
                if n.endswith(".rels") or "worksheets/sheet" in n:
                    assert b"http://x" not in data or b"<hyperlink" not in data, (path.name, n)
                if n.endswith(".rels"):
                    assert b"http://x" not in data, (path.name, n)


def test_openpyxl_reads_text_not_formulas(ran):
    """A second reader agrees: no cell value starting with '=' is typed as a formula
    unless the template put it there (template formulas never hold input text)."""
    _, _, outputs = ran
    for path in outputs:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        code = _QUOTED_SHEET.sub("", str(c.value))
                        assert not any(s in code for s in NEVER_IN_FORMULA), (path.name, ws.title, c.coordinate, c.value)


def test_libreoffice_shows_the_text(ran, tmp_path):
    """In a real spreadsheet program the overview shows '=1+1', not 2."""
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed (tests/test_outputs_open.py requires it in CI)")
    _, _, outputs = ran
    (overview,) = [p for p in outputs if "完成情况一览表" in p.name]
    proc = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                           "--outdir", str(tmp_path), str(overview)], capture_output=True, text=True, timeout=150)
    csv = tmp_path / (overview.stem + ".csv")
    assert csv.exists(), proc.stdout + proc.stderr
    text = csv.read_text("utf-8")
    for v in INJECTED_VALUES + [DEPT_LINK, DEPT_PLUS, DEPT_MINUS, DEPT_AT]:
        assert v.replace('"', '""') in text or v in text, (v, text[:2000])
