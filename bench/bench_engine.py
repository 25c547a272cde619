"""Benchmark: the template engine against writing the same cells directly.

    PYTHONPATH=. python bench/bench_engine.py [--sizes 1000,5000,20000] [--repeat 3]

A template with a styled loop row (8 cells: text, numbers with a number format,
borders and fonts), one conditional-formatting rule and one data validation is
rendered with N items; in the same run openpyxl and xlsxwriter write the same N
rows (same styles, one CF rule and one DV over the column). Prints seconds (best
of --repeat) and the ratio engine / xlsxwriter per size, and the growth per row.
"engine+fit" renders the same rows from a template whose loop row wraps its two text
columns and carries {%row autofit %} (a row height estimated from the text, per row).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402
from openpyxl.formatting.rule import CellIsRule  # noqa: E402
from openpyxl.styles import Border, Font, PatternFill, Side  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from engine_fixtures import bench_template  # noqa: E402
from kaohe_excel.write.engine import Template  # noqa: E402

COLS = 8
WARN = ["绿", "黄", "红"]


def make_rows(n: int) -> list[list]:
    # every 7th name is long enough to wrap, so the autofit run really grows rows
    return [[f"指标{k}" + ("（含续建、技改和招商引资项目，按季度考核）" if k % 7 == 0 else ""), WARN[k % 3],
             k * 0.5, k % 6 + 1, k * 1.25, 100.0 - k * 0.01, k, k * 3.5] for k in range(n)]


def run_engine(tpl_path: Path, rows, out: Path) -> None:
    Template(tpl_path).render({"rows": rows}, out)


def run_xlsxwriter(rows, out: Path) -> None:
    wb = xlsxwriter.Workbook(str(out))
    ws = wb.add_worksheet("明细")
    head = wb.add_format({"font_name": "黑体", "bold": True})
    txt = wb.add_format({"font_name": "仿宋", "font_size": 12, "border": 1})
    num = wb.add_format({"font_name": "仿宋", "font_size": 12, "border": 1, "num_format": "0.00"})
    for c in range(COLS):
        ws.write_string(0, c, f"列{c + 1}", head)
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v, txt if c < 2 else num)
            else:
                ws.write_number(r, c, v, txt if c < 2 else num)
    red = wb.add_format({"bg_color": "#FFC7CE"})
    ws.conditional_format(1, 3, len(rows), 3, {"type": "cell", "criteria": ">", "value": 4, "format": red})
    ws.data_validation(1, 2, len(rows), 2, {"validate": "list", "source": ["绿", "黄", "红"]})
    wb.close()


def run_openpyxl(rows, out: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = Font(name="黑体", bold=True)
    body = Font(name="仿宋", size=12)
    for c in range(COLS):
        ws.cell(1, c + 1, f"列{c + 1}").font = head
    for r, row in enumerate(rows, 2):
        for c, v in enumerate(row):
            cell = ws.cell(r, c + 1, v)
            cell.border = border
            cell.font = body
            if c >= 2:
                cell.number_format = "0.00"
    ws.conditional_formatting.add(f"D2:D{len(rows) + 1}", CellIsRule(
        operator="greaterThan", formula=["4"], fill=PatternFill("solid", fgColor="FFC7CE")))
    dv = DataValidation(type="list", formula1='"绿,黄,红"')
    ws.add_data_validation(dv)
    dv.add(f"C2:C{len(rows) + 1}")
    wb.save(out)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-openpyxl", action="store_true", help="skip openpyxl (slow at 20,000 rows)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        tpl = bench_template(d / "tpl.xlsx", COLS)
        tpl_fit = bench_template(d / "tpl_fit.xlsx", COLS, autofit=True)
        print(f"{'rows':>7} {'engine s':>9} {'engine+fit s':>13} {'xlsxwriter s':>13} {'openpyxl s':>11} "
              f"{'engine/xlsxw':>13} {'fit/xlsxw':>10} {'engine µs/row':>14}")
        for n in sizes:
            rows = make_rows(n)
            te = best(lambda: run_engine(tpl, rows, d / "e.xlsx"), args.repeat)
            tf = best(lambda: run_engine(tpl_fit, rows, d / "f.xlsx"), args.repeat)
            tx = best(lambda: run_xlsxwriter(rows, d / "x.xlsx"), args.repeat)
            to = float("nan") if args.no_openpyxl else best(lambda: run_openpyxl(rows, d / "o.xlsx"),
                                                            max(1, args.repeat - 1))
            print(f"{n:>7} {te:>9.3f} {tf:>13.3f} {tx:>13.3f} {to:>11.3f} {te / tx:>13.2f} {tf / tx:>10.2f} "
                  f"{te / n * 1e6:>14.1f}")
            # sanity: the engine's output has the rows, one CF rule, one DV
            wb = openpyxl.load_workbook(d / "e.xlsx")
            ws = wb.active
            assert ws.max_row == n + 1, ws.max_row
            assert len(list(ws.conditional_formatting)) == 1
            assert len(ws.data_validations.dataValidation) == 1
            ws = openpyxl.load_workbook(d / "f.xlsx").active
            assert ws.row_dimensions[2].height > ws.row_dimensions[3].height >= 18  # row 7k grows past one line
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
