"""Rebuild tests/real_saved/: demo workbooks opened and re-saved by LibreOffice Calc.

    . /tmp/venv/bin/activate   # or any environment with the test extras
    python tests/real_saved/make.py            # copy the sources, re-save them with soffice
    python tests/real_saved/make.py --check    # only list what would be converted

What it does (see README.md in this folder):

1. Copies the chosen demo files from input/ (the system 附件2…一览表.xlsx and a few
   departments' August sheets, .xlsx and .xls, and the peer file) byte for byte into
   tests/real_saved/source/, so the tests compare the LibreOffice copies with exactly
   the files LibreOffice opened, even after the demo is rebuilt.
2. Builds one extra workbook of the kind a clerk makes by hand and the demo does not
   have (formulas whose values only a spreadsheet program computes, a #DIV/0! formula, a
   date cell, a 0.0"%" number format, rich text, a hidden row, a hidden column and a
   hidden sheet) with openpyxl, twice: values typed (source/extra/plain/) and computed
   by formulas (source/extra/formulas/); writes nine indicator systems of other layouts
   with the fixture builders in tests/fixtures/, and two by hand (a filtered system;
   hidden rows in merged cells), into source/systems/.
3. Has LibreOffice Calc open every source file headless and save it as
   .xlsx ("Calc MS Excel 2007 XML") into libreoffice/xlsx/ and as .xls ("MS Excel 97")
   into libreoffice/xls/, keeping the folder layout (system at the top, the month in
   2023-08/).

soffice runs with a throw-away user profile, so the result does not depend on the
settings of whoever runs it. LibreOffice stamps the save time into the files, so a
rebuild is not byte-identical; what the files hold is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INPUT = ROOT / "input"
SOURCE = HERE / "source"
OUT = HERE / "libreoffice"
MONTH = "2023-08"

SYSTEM = "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx"
# Seven of the twenty August sheets: the conflict on indicator 15 (发改委 / 财政局), the
# #DIV/0! cell and percent-formatted numbers (招商服务中心), the rank of 7 (生态环境局),
# both .xls senders (农业农村局 with percent cells, 人社局), and the longest sheet with a
# typo and a line-wrap space in indicator names (工信局); plus the peer file.
MONTH_FILES = [
    "叶县发改委2023年8月指标进展情况.xlsx",
    "叶县财政局2023年8月指标进展情况.xlsx",
    "叶县工信局2023年8月指标进展情况.xlsx",
    "8月份招商服务中心月报.xlsx",
    "8月份生态环境局月报.xlsx",
    "叶县农业农村局2023年8月指标进展情况.xls",
    "叶县人社局2023年8月指标进展情况.xls",
    "六县市数据（2023年1-8月）.xlsx",
]

FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97"}

# ----------------------------------------------------------------------------- extras
# A workbook a clerk makes that the demo does not contain, written twice by the same code:
# `plain` with the values typed in, `formulas` with the same values computed by formulas
# (openpyxl stores no cached values, so only a spreadsheet program's save gives them).
# The tests read the LibreOffice-saved copies of both and compare them with `plain` as
# written here.

EXTRA = "extra"
EXTRA_NAME = "叶县工信局2023年8月指标进展情况.xlsx"
HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "1-7月完成情况", "截至本月底完成情况", "六县市排名", "预警提示", "分子", "分母"]
# 工信局's rows of the demo system: (no, name, points, last year, target, 1-7月, numerator,
# denominator, rank among the six, how 截至本月底完成情况 is written):
#   pct    numerator/denominator rounded to 0.001, number format 0.0%
#   number numerator/denominator × 100 rounded to 0.1, number format 0.0"%" (shows 36.0%)
#   div0   the denominator is still empty: the formula gives #DIV/0! (typed: the error itself)
EXTRA_ROWS = [
    (2, "工业投资占固定资产投资比重", 3, "38.6%（4）", "42%", 0.372, 51.5, 132.0, 3, "pct"),
    (9, "工业技术改造投资占工业投资比重", 2, "31.2%（4）", "35%", 0.301, 98.6, 317.9, 5, "pct"),
    (12, "规模以上工业企业研发机构覆盖率", 3, "38.5%（3）", "45%", 0.402, 57.0, 135.0, 2, "pct"),
    (14, "工业增加值占地区生产总值比重", 3, "35.7%（3）", "38%", 0.351, 114.3, 317.9, 3, "number"),
    (17, "制造业增加值占规模以上工业增加值比重", 2, "86.1%（4）", "88%", 0.853, 270.2, None, 4, "div0"),
]
# an old copy of indicator 9 with July's figure, kept in a hidden row: read, it would double-count 9
HIDDEN_ROW = (9, "工业技术改造投资占工业投资比重", 2, "31.2%（4）", "35%", 0.25, 20.0, 80.0, 1, "pct")
FILLED = (2023, 9, 2)  # 填报日期, a real date cell formatted yyyy"年"m"月"d"日"


def _write_extra_xlsx(path: Path, formulas: bool) -> None:
    """工信局's sheet as a clerk keeps it: the 1-7月 column hidden beside the August one,
    the August figure worked out from 分子/分母 in K:L, 预警提示 from the rank, an indicator
    name in two colours (rich text), an old indicator row kept but hidden, the sign-off in
    label / value cells with 填报日期 a date, and last year's copy in a hidden sheet.
    `formulas`: H, J and the date are formulas; otherwise the same values typed in."""
    import datetime as dt

    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws["A1"] = "附件2"
    ws["A2"] = "叶县工信局2023年1-8月高质量发展综合绩效指标进展情况表"
    ws.merge_cells("A2:J2")
    for c, h in enumerate(HEADER, start=1):
        ws.cell(row=3, column=c, value=h)
    rows = list(EXTRA_ROWS[:2]) + [HIDDEN_ROW] + list(EXTRA_ROWS[2:])
    for r, (no, name, pts, last, target, jul, num, den, rank, how) in enumerate(rows, start=4):
        colour = "绿" if rank <= 2 else "黄" if rank <= 4 else "红"
        if how == "div0":
            actual, fmt = ("=ROUND(K{r}/L{r},3)" if formulas else "#DIV/0!"), "0.0%"
        elif how == "number":
            actual, fmt = ("=ROUND(K{r}/L{r}*100,1)" if formulas else round(num / den * 100, 1)), '0.0"%"'
        else:
            actual, fmt = ("=ROUND(K{r}/L{r},3)" if formulas else round(num / den, 3)), "0.0%"
        if formulas:
            actual = actual.format(r=r)
            colour = f'=IF(I{r}<=2,"绿",IF(I{r}<=4,"黄","红"))'
        if no == 12:  # the clerk marked part of the name in red
            name = CellRichText(name[:6], TextBlock(InlineFont(color="FFFF0000"), name[6:]))
        for c, v in enumerate([no, name, pts, "工信局", last, target, jul, actual, rank, colour, num, den], start=1):
            if v != "" and v is not None:
                cell = ws.cell(row=r, column=c, value=v)
                if v == "#DIV/0!":
                    cell.data_type = "e"
        ws.cell(row=r, column=7).number_format = "0.0%"
        ws.cell(row=r, column=8).number_format = fmt
        if (no, num) == (HIDDEN_ROW[0], HIDDEN_ROW[6]):
            ws.row_dimensions[r].hidden = True
    end = 4 + len(rows)
    signoff = ["填报单位（盖章）：", "叶县工信局", "", "主要负责人：", "（演示）", "", "", "填报人：", "（演示）"]
    for c, v in enumerate(signoff, start=1):
        if v:
            ws.cell(row=end, column=c, value=v)
    ws.cell(row=end + 1, column=1, value="联系电话：")
    ws.cell(row=end + 1, column=2, value="0000000（演示）")
    ws.cell(row=end + 1, column=4, value="填报日期：")
    date = ws.cell(row=end + 1, column=5, value="=DATE({},{},{})".format(*FILLED) if formulas else dt.datetime(*FILLED))
    date.number_format = 'yyyy"年"m"月"d"日"'
    ws.column_dimensions["G"].hidden = True
    old = wb.create_sheet("去年")  # last year's table, kept in a hidden sheet
    old["A1"] = "叶县工信局2022年1-12月高质量发展综合绩效指标进展情况表"
    for c, h in enumerate(HEADER[:10], start=1):
        old.cell(row=2, column=c, value=h)
    for r, (no, name, pts, *_rest) in enumerate(EXTRA_ROWS, start=3):
        for c, v in enumerate([no, name, pts, "工信局", "", "", "", "99%", 1, "绿"], start=1):
            if v != "":
                old.cell(row=r, column=c, value=v)
    old.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def build_extras(folder: Path) -> list[Path]:
    """source/extra/plain/2023-08/… (values typed) and source/extra/formulas/2023-08/…"""
    out = []
    for kind in ("plain", "formulas"):
        p = folder / EXTRA / kind / MONTH / EXTRA_NAME
        _write_extra_xlsx(p, formulas=(kind == "formulas"))
        out.append(p)
    return out


# ----------------------------------------------------------------------------- systems
# Indicator systems of other layouts, from the fixture builders the system-reader tests
# use (tests/fixtures/): Jiaxiang's lead/participating units and constraints, Yiyuan's
# .xls with the header repeated mid-table, per-unit targets with ---, three category
# levels, two sheets, sub-items sharing points, per-unit points (.xls), per-event rules,
# and 200 indicators (LibreOffice's .xls splits that many strings over CONTINUE records).
SYSTEMS = "systems"
FIXTURE_SYSTEMS = [
    ("systems", "seed000"), ("systems", "seed002"), ("systems", "county_unit_targets"),
    ("systems", "county_three_level"), ("more_systems", "two_sheets"), ("more_systems", "sub_items"),
    ("more_systems", "unit_points"), ("third_systems", "per_event_rules"), ("more_systems", "big_table"),
]
# Two more a clerk makes by hand, as tests/test_hidden.py builds them: the demo system
# left filtered down to 工信局's rows (an AutoFilter: the hidden rows are still indicators),
# and a system whose deleted indicators are hidden rows inside merged category / points
# cells, beside a hidden column of last year's points.
FILTERED_SYSTEM = "指标体系（筛选了工信局）.xlsx"
HIDDEN_ROWS_SYSTEM = "指标体系（隐藏了已删除的指标）.xlsx"


def _filtered_system(path: Path) -> Path:
    import openpyxl

    from tests.month_fixtures import write_system_xlsx

    write_system_xlsx(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.auto_filter.ref = f"A3:I{ws.max_row}"
    ws.auto_filter.add_filter_column(3, ["工信局"])
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 4).value not in (None, "工信局"):
            ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


def _hidden_rows_system(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws.append(["某县2023年度高质量发展综合绩效考核指标体系"])
    ws.append([])
    ws.append(["序号", "类别", "指标名称", "分值（2022年）", "分值", "责任单位"])
    for line in [(1, "项目建设", "旧指标甲", 9, 9, "发改委"),  # hidden, begins the category block
                 (2, "项目建设", "固定资产投资增速", 9, 5, "发改委"),
                 (3, "项目建设", "旧指标乙", 9, 9, "发改委"),  # hidden, inside the block
                 (4, "项目建设", "工业投资占比", 9, 3, "工信局"),
                 (5, "创新驱动", "旧指标丙", 9, 4, "工信局"),  # hidden, begins the shared points cell
                 (6, "创新驱动", "研发费用增速", 9, 4, "工信局"),
                 (7, "创新驱动", "高新技术企业净增数", 9, 2, "科技局")]:
        ws.append(list(line))
    ws.merge_cells("B4:B7")
    ws.merge_cells("B8:B10")
    ws.merge_cells("E8:E9")
    for r in (4, 6, 8):
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["D"].hidden = True
    wb.save(path)
    return path


def build_systems(folder: Path) -> list[Path]:
    """source/systems/…: each fixture system in its builder's default format."""
    import importlib

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for module, name in FIXTURE_SYSTEMS:
            builder = getattr(importlib.import_module(f"tests.fixtures.{module}"), name)
            path, _facts = builder(Path(tmp) / name)
            (folder / SYSTEMS).mkdir(parents=True, exist_ok=True)
            out.append(Path(shutil.copy2(path, folder / SYSTEMS / path.name)))
    out.append(_filtered_system(folder / SYSTEMS / FILTERED_SYSTEM))
    out.append(_hidden_rows_system(folder / SYSTEMS / HIDDEN_ROWS_SYSTEM))
    return out


# ----------------------------------------------------------------------------- soffice

def soffice_version() -> str:
    return subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def convert(files: list[Path], outdir: Path, fmt: str, profile: Path, tries: int = 3) -> None:
    """soffice --convert-to, one file at a time. soffice now and then hangs on a file
    (seen once in 7.4 on an .xls to .xls save); then its process group is ended and
    the file converted again."""
    outdir.mkdir(parents=True, exist_ok=True)
    for f in files:
        target = outdir / f"{f.stem}.{fmt}"
        for attempt in range(1, tries + 1):
            cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", FILTERS[fmt], "--outdir", str(outdir), str(f)]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
            try:
                out, err = p.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                out, err = p.communicate()
                print(f"soffice hung on {f.name} ({fmt}), attempt {attempt}", file=sys.stderr)
            for junk in [*outdir.glob(".~lock.*#"), *outdir.glob("lu*.tmp")]:
                junk.unlink()
            if target.is_file() and target.stat().st_size > 0:
                break
        else:
            sys.exit(f"soffice did not write {target}:\n{out}\n{err}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="list the sources, convert nothing")
    args = ap.parse_args(argv)
    sources = [INPUT / SYSTEM] + [INPUT / MONTH / n for n in MONTH_FILES]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        sys.exit("missing demo files (run python tools/make_demo.py):\n" + "\n".join(missing))
    if args.check:
        print("\n".join(map(str, sources)))
        return 0
    print(soffice_version())
    shutil.rmtree(SOURCE, ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)
    (SOURCE / MONTH).mkdir(parents=True)
    shutil.copy2(INPUT / SYSTEM, SOURCE / SYSTEM)
    for n in MONTH_FILES:
        shutil.copy2(INPUT / MONTH / n, SOURCE / MONTH / n)
    extras = build_extras(SOURCE)
    systems = build_systems(SOURCE)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        profile = Path(tmp)
        for fmt in FILTERS:
            convert([SOURCE / SYSTEM], OUT / fmt, fmt, profile)
            convert([SOURCE / MONTH / n for n in MONTH_FILES], OUT / fmt / MONTH, fmt, profile)
            for p in extras:
                kind = p.parents[1].name
                convert([p], OUT / fmt / EXTRA / kind / MONTH, fmt, profile)
            convert(systems, OUT / fmt / SYSTEMS, fmt, profile)
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"tests/real_saved: {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
