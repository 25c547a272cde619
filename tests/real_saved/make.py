"""Rebuild tests/real_saved/: demo workbooks opened and re-saved by LibreOffice Calc.

    . /tmp/venv/bin/activate   # or any environment with the test extras
    python tests/real_saved/make.py            # copy the sources, re-save them with soffice
    python tests/real_saved/make.py --check    # only list what would be converted

What it does (see README.md in this folder):

1. Copies the chosen demo files from input/ (the system 附件2…一览表.xlsx and a few
   departments' August sheets, .xlsx and .xls, and the peer file) byte for byte into
   tests/real_saved/source/, so the tests compare the LibreOffice copies with exactly
   the files LibreOffice opened, even after the demo is rebuilt.
2. Builds a few extra workbooks a clerk makes by hand and the demo does not have
   (formulas whose values only a spreadsheet program computes, hidden rows, a hidden
   column and a hidden sheet) with openpyxl / xlwt into source/extra/.
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
import shutil
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
# Workbooks a clerk makes that the demo does not contain. Each is written twice by the
# same code: `plain` with the values typed in, `formulas` with the same values computed by
# formulas (openpyxl writes no cached values, so only a spreadsheet program's save gives
# them). The tests read the LibreOffice-saved formula workbook and compare it with the
# plain one.

EXTRA = "extra"
EXTRA_NAME = "叶县工信局2023年8月指标进展情况.xlsx"
HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "1-7月完成情况", "截至本月底完成情况", "六县市排名", "预警提示", "分子", "分母"]
# 工信局's rows of the demo system: (no, name, points, last year, target, 1-7月, numerator,
# denominator, rank among the six); the August figure is numerator / denominator
EXTRA_ROWS = [
    (2, "工业投资占固定资产投资比重", 3, "38.6%（4）", "42%", 0.372, 51.5, 132.0, 3),
    (9, "制造业增加值占地区生产总值比重", 2, "31.2%（4）", "35%", 0.301, 98.6, 317.9, 5),
    (12, "规模以上工业企业研发活动覆盖率", 3, "38.5%（3）", "45%", 0.402, 57.0, 135.0, 2),
    (14, "工业增加值占地区生产总值比重", 3, "35.7%（3）", "38%", 0.351, 114.3, 317.9, 3),
]
# an old copy of indicator 9 with July's figure, kept in a hidden row: read, it would double-count 9
HIDDEN_ROW = (9, "制造业增加值占地区生产总值比重", 2, "31.2%（4）", "35%", 0.25, 20.0, 80.0, 1)


def _write_extra_xlsx(path: Path, formulas: bool) -> None:
    """工信局's sheet as a clerk keeps it: the 1-7月 column hidden beside the August one,
    the August figure worked out from 分子/分母 in K:L, 预警提示 from the rank, an old
    indicator row kept but hidden, and last year's copy in a hidden sheet. `formulas`:
    H = ROUND(K/L,3) and J = IF(rank…) as formulas (no cached values: openpyxl cannot
    compute them); otherwise the same values typed in."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "8月"
    ws["A1"] = "附件2"
    ws["A2"] = "叶县工信局2023年1-8月高质量发展综合绩效指标进展情况表"
    ws.merge_cells("A2:J2")
    for c, h in enumerate(HEADER, start=1):
        ws.cell(row=3, column=c, value=h)
    rows = list(EXTRA_ROWS[:2]) + [HIDDEN_ROW] + list(EXTRA_ROWS[2:])
    for r, (no, name, pts, last, target, jul, num, den, rank) in enumerate(rows, start=4):
        actual = round(num / den, 3)
        colour = "绿" if rank <= 2 else "黄" if rank <= 4 else "红"
        if formulas:
            actual = f"=ROUND(K{r}/L{r},3)"
            colour = f'=IF(I{r}<=2,"绿",IF(I{r}<=4,"黄","红"))'
        for c, v in enumerate([no, name, pts, "工信局", last, target, jul, actual, rank, colour, num, den], start=1):
            if v != "":
                ws.cell(row=r, column=c, value=v)
        ws.cell(row=r, column=7).number_format = "0.0%"
        ws.cell(row=r, column=8).number_format = "0.0%"
        if (no, num) == (HIDDEN_ROW[0], HIDDEN_ROW[6]):
            ws.row_dimensions[r].hidden = True
    end = 4 + len(rows)
    ws.cell(row=end, column=1, value="填报单位（盖章）：叶县工信局")
    ws.cell(row=end, column=4, value="主要负责人：（演示）")
    ws.cell(row=end, column=6, value="填报人：（演示）")
    ws.cell(row=end + 1, column=1, value="联系电话：0000000（演示）")
    ws.cell(row=end + 1, column=4, value="填报日期：2023年9月2日")
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


# ----------------------------------------------------------------------------- soffice

def soffice_version() -> str:
    return subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def convert(files: list[Path], outdir: Path, fmt: str, profile: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", FILTERS[fmt], "--outdir", str(outdir), *map(str, files)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for f in files:
        if not (outdir / f"{f.stem}.{fmt}").is_file():
            sys.exit(f"soffice did not write {outdir / (f.stem + '.' + fmt)}:\n{p.stdout}\n{p.stderr}")


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
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        profile = Path(tmp)
        for fmt in FILTERS:
            convert([SOURCE / SYSTEM], OUT / fmt, fmt, profile)
            convert([SOURCE / MONTH / n for n in MONTH_FILES], OUT / fmt / MONTH, fmt, profile)
            for p in extras:
                kind = p.parents[1].name
                convert([p], OUT / fmt / EXTRA / kind / MONTH, fmt, profile)
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"tests/real_saved: {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
