"""Build the shipped fill-in form templates (`kaohe forms`) into templates/:

    月报填报表.xlsx   one department's monthly progress sheet (附件2 layout), to fill in
    填报表清单.xlsx   the list of forms sent out: departments, indicator numbers, deadline

    python tools/make_form_template.py              # rebuild both
    python tools/make_form_template.py --out DIR    # somewhere else

The form follows the print conventions of the county offices (DOMAIN.md, "Print
conventions"): A4 landscape, one page wide, header row repeated on every page, page
numbers in the footer, 附件2 in 黑体 三号, the title in 方正小标宋简体, headers in 黑体,
body in 仿宋_GB2312 小四, thin borders. The cells a department fills carry data
validation with Chinese input and error messages (六县市排名: a whole number 1–N, N
rendered from the context; 预警提示: a 绿/黄/红 list). Column L (上月情况（参考）) is a
hint for the clerk on screen and stays outside the print area, so the printed, stamped
sheet is exactly the 11-column 附件2 layout.

The context the form receives is built by kaohe_excel/write/forms.py (`form_context`);
the style helpers are copied from tools/make_templates.py (kept separate so each
script can change without the other).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates"
FORM = "月报填报表.xlsx"
LIST = "填报表清单.xlsx"

# ------------------------------------------------------------------ styles ----

F_LABEL = "黑体"
F_TITLE = "方正小标宋简体"
F_HEAD = "黑体"
F_BODY = "仿宋_GB2312"

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HINT_SIDE = Side(style="thin", color="BFBFBF")
HINT_BORDER = Border(left=HINT_SIDE, right=HINT_SIDE, top=HINT_SIDE, bottom=HINT_SIDE)


def font(name: str, size: float, **kw) -> Font:
    return Font(name=name, size=size, charset=134, **kw)  # 134: GB2312, so Excel/WPS pick the CJK face


STYLES = {
    # name: (font, horizontal alignment, border, wrap)
    "label": (font(F_LABEL, 16), "left", False, False),
    "title": (font(F_TITLE, 20), "center", False, True),
    "unit": (font(F_BODY, 14), "left", False, False),
    "header": (font(F_HEAD, 12), "center", True, True),
    "body": (font(F_BODY, 12), "center", True, True),
    "body_left": (font(F_BODY, 12), "left", True, True),
    "fill": (font(F_BODY, 12), "center", True, True),  # a cell the department fills
    "fill_left": (font(F_BODY, 12), "left", True, True),
    "section": (font(F_HEAD, 12), "left", True, True),
    "note": (font(F_BODY, 11), "left", False, True),
    "sign": (font(F_BODY, 12), "left", False, False),
    "summary": (font(F_BODY, 12), "left", False, True),
    "hint_head": (font(F_HEAD, 10, color="7F7F7F"), "center", False, True),
    "hint": (font(F_BODY, 10, color="7F7F7F"), "left", False, True),
    "ctl": (Font(name="Calibri", size=9, italic=True, color="808080"), "left", False, False),
}
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
HINT_FILL = PatternFill("solid", fgColor="F7F7F7")

# Light fills (Excel's own "good / neutral / bad"): legible printed in grey too.
GREEN = (PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE"), Font(color="006100"))
YELLOW = (PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"), Font(color="9C5700"))
RED = (PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"), Font(color="9C0006"))
WARN_COLOURS = {"绿": GREEN, "黄": YELLOW, "红": RED}

FOOTER = "第 &P 页 共 &N 页"
AUTOFIT = "{%row autofit %}"  # the engine sets the row height from the wrapped text


def put(ws, ref: str, value, style: str = "body", number_format: str | None = None):
    c = ws[ref]
    c.value = value
    f, h, border, wrap = STYLES[style]
    c.font = f
    c.alignment = Alignment(horizontal=h, vertical="center", wrap_text=wrap)
    if border:
        c.border = BORDER
    if style == "section":
        c.fill = SECTION_FILL
    if style in ("hint", "hint_head"):
        c.border = HINT_BORDER
        c.fill = HINT_FILL
    if number_format:
        c.number_format = number_format
    return c


def merged(ws, r: int, c1: int, c2: int, value, style: str, height: float | None = None):
    """A value merged across columns c1..c2 of row r; every covered cell gets the style
    (so borders print on merged cells)."""
    for c in range(c1, c2 + 1):
        put(ws, f"{get_column_letter(c)}{r}", value if c == c1 else None, style)
    if c2 > c1:
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
    if height:
        ws.row_dimensions[r].height = height


def control(ws, r: int, tag: str):
    """A row holding only a {%row …%} tag: removed from the output."""
    put(ws, f"A{r}", tag, "ctl")
    ws.row_dimensions[r].height = 13


def widths(ws, ws_widths: list[float]):
    for k, w in enumerate(ws_widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = w


def print_setup(ws, *, last_col: int, last_row: int, title_rows: str | None):
    ps = ws.page_setup
    ps.orientation = "landscape"
    ps.paperSize = 9  # A4
    ps.fitToWidth = 1
    ps.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.65, header=0.25, footer=0.3)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{F_BODY},常规"
    ws.oddFooter.center.size = 11
    ws.oddHeader.right.text = "{% if demo %}演示数据{% endif %}"
    ws.oddHeader.right.font = f"{F_BODY},常规"
    ws.oddHeader.right.size = 10
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.sheet_view.zoomScale = 100


def rank_cf(ws, rng: str, cell: str):
    """Rank colours by the configured thresholds (Jinja in the formula, rendered from the
    context): ≤ green_max green, ≤ yellow_max yellow, above red; blanks stay plain."""
    ok = f'{cell}<>"",ISNUMBER(--{cell})'
    for formula, (fill, fnt) in ((f"AND({ok},--{cell}<={{{{ green_max }}}})", GREEN),
                                 (f"AND({ok},--{cell}>{{{{ green_max }}}},--{cell}<={{{{ yellow_max }}}})", YELLOW),
                                 (f"AND({ok},--{cell}>{{{{ yellow_max }}}})", RED)):
        ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=fill, font=fnt))


def text_cf(ws, rng: str, cell: str, colours: dict[str, tuple]):
    for text, (fill, fnt) in colours.items():
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f'TRIM({cell})="{text}"'], fill=fill, font=fnt))


def new_book() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "kaohe-excel"
    wb.properties.title = ""
    return wb


# ------------------------------------------------------------------ the form ----

# Column texts are Chinese because the clerk reads them; the wording of the rank and
# warning messages avoids a fixed county count (N comes from the context in formula2).
RANK_PROMPT = "只填数字名次，如 3（1 为最好）；暂无排名的留空。"
RANK_ERROR = "排名应填 1 到比较的县市（单位）个数之间的整数，如 3；不要写“第3名”，暂无排名请留空。"
WARN_PROMPT = "从下拉列表选择：绿 / 黄 / 红。"
WARN_ERROR = "预警提示只能填：绿、黄、红。"
ACTUAL_PROMPT = "填截至本月底的累计完成情况，如 增长6.2%、下降3.1%、6.2%、1234.5；暂无数据填 —（不要填 0）。"
ISSUES_PROMPT = "写明本指标存在的问题；排名靠后的要分析落后原因。"
STEPS_PROMPT = "写明下步举措：具体措施、责任人、时间节点。"

NOTE = ("填报说明：1. “截至本月底完成情况”按指标口径填写累计数，可写“增长6.2%”“下降3.1%”“6.2%”“1234.5”等，"
        "暂无数据的填“—”，不要填0；2. “{{ group_label }}排名”只填数字（如 3），暂无排名的留空；"
        "3. “预警提示”从下拉列表选择“绿”“黄”“红”{{ rule_hint }}；"
        "4. 排名靠后的指标要在“存在问题”“下步举措”中写明落后原因和应对举措；"
        "5. 请勿增删行列，勿改动序号和指标名称；"
        "6. 经主要负责人签字并加盖单位印章后，于{{ deadline_label }}前报送纸质版一式两份，电子版同时报送。")


def form(path: Path) -> Path:
    """One department's 指标进展情况表: 附件2 label, title, 填报单位 line, the 11 columns of
    seed 001's 附件2 (plus the reference column L, outside the print area), one section
    row per category with the department's indicators, the 填报说明 note, sign-off."""
    wb = new_book()
    ws = wb.active
    ws.title = "{{ sheet_name }}"
    #        序号 指标 分值 单位 上年 目标 本月 排名 预警 问题 举措 | 参考
    widths(ws, [5, 28, 6, 11, 12, 11, 13, 7, 6, 23, 23, 24])
    last = 11
    put(ws, "A1", "{{ annex_label }}", "label")
    ws.row_dimensions[1].height = 24
    merged(ws, 2, 1, last, AUTOFIT + "{{ title }}", "title", 40)
    merged(ws, 3, 1, last, "填报单位：{{ dept.full_name }}", "unit", 24)
    heads = ["序号", "指标内容", "分值", "责任单位", "{{ last_year }}年度\n完成情况\n（位次）", "{{ year }}年度\n{{ target_label }}",
             "截至本月底\n完成情况", "{{ group_label }}\n排名", "预警\n提示", "存在问题", "下步举措"]
    for k, h in enumerate(heads, 1):
        put(ws, f"{get_column_letter(k)}4", h, "header")
    put(ws, "L4", "上月情况\n（参考，不打印）", "hint_head")
    ws.row_dimensions[4].height = 48
    control(ws, 5, "{%row for c in categories %}")
    merged(ws, 6, 1, last, "{{ c.label }}", "section", 20)
    control(ws, 7, "{%row for x in c.indicators %}")
    r = 8
    values = [AUTOFIT + "{{ x.no }}", "{{ x.name }}", "{{ x.points }}", "{{ x.departments }}", "{{ x.last_year }}",
              "{{ x.target }}", None, None, None, None, None]
    styles = ["body", "body_left", "body", "body", "body", "body", "fill", "fill", "fill", "fill_left", "fill_left"]
    for k, (v, st) in enumerate(zip(values, styles), 1):
        put(ws, f"{get_column_letter(k)}{r}", v, st)
    ws[f"G{r}"].number_format = "@"  # typed as written: 6.2%, 3/6 and 1-8月 stay text, not a number or date
    put(ws, f"L{r}", "{{ x.hint }}", "hint")
    ws.row_dimensions[r].height = 30  # two lines: room to write 存在问题 by hand on the printed form
    control(ws, r + 1, "{%row endfor %}")
    control(ws, r + 2, "{%row endfor %}")
    note = r + 3
    merged(ws, note, 1, last, AUTOFIT + NOTE, "note", 36)
    sign = note + 1
    for (c1, c2), text in (((1, 3), "填报单位（盖章）："), ((4, 5), "主要负责人："), ((6, 7), "填报人："),
                           ((8, 9), "联系电话："), ((10, 10), "填报日期（必填）：")):
        merged(ws, sign, c1, c2, text, "sign")
    put(ws, f"K{sign}", None, "fill")  # the date itself: required, a real date (lateness is judged by it)
    ws[f"K{sign}"].number_format = "yyyy\"年\"m\"月\"d\"日\""
    ws.row_dimensions[sign].height = 30
    dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
                        allow_blank=False, showErrorMessage=True, showInputMessage=True, errorStyle="stop")
    dv.promptTitle, dv.prompt = "填报日期（必填）", "填写报送日期，如 2023-10-05 或 2023年10月5日；逾期与否按此日期判断"
    dv.errorTitle, dv.error = "填报日期填写有误", "请填写真实的日期，如 2023-10-05；不要写“10月初”“待定”等文字"
    ws.add_data_validation(dv)
    dv.add(f"K{sign}")

    # validation and colours over the whole loop (section rows included: one range each)
    rng = lambda col: f"{col}6:{col}{r}"  # noqa: E731
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="{{ n_peers }}",
                        allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop")
    dv.promptTitle, dv.prompt = "排名", RANK_PROMPT
    dv.errorTitle, dv.error = "排名填写有误", RANK_ERROR
    ws.add_data_validation(dv)
    dv.add(rng("H"))
    dv = DataValidation(type="list", formula1='"绿,黄,红"', allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorStyle="stop")
    dv.promptTitle, dv.prompt = "预警提示", WARN_PROMPT
    dv.errorTitle, dv.error = "预警提示填写有误", WARN_ERROR
    ws.add_data_validation(dv)
    dv.add(rng("I"))
    for col, title, prompt in (("G", "截至本月底完成情况", ACTUAL_PROMPT), ("J", "存在问题", ISSUES_PROMPT),
                               ("K", "下步举措", STEPS_PROMPT)):
        dv = DataValidation(allow_blank=True, showInputMessage=True, showErrorMessage=False)
        dv.promptTitle, dv.prompt = title, prompt
        ws.add_data_validation(dv)
        dv.add(rng(col))
    rank_cf(ws, rng("H"), "H6")
    text_cf(ws, rng("I"), "I6", WARN_COLOURS)
    ws.freeze_panes = "C5"
    print_setup(ws, last_col=last, last_row=sign, title_rows="4:4")
    wb.save(path)
    return path


# ------------------------------------------------------------------ the list ----

def form_list(path: Path) -> Path:
    """填报表清单: which department gets which form, its indicators and the deadline."""
    wb = new_book()
    ws = wb.active
    ws.title = "填报表清单"
    widths(ws, [6, 20, 30, 8, 9, 52, 17, 20])
    last = 8
    merged(ws, 1, 1, last, "{{ county }}{{ year }}年{{ month_no }}月指标进展情况填报表清单", "title", 46)
    merged(ws, 2, 1, last, AUTOFIT + "报送截止：{{ deadline_label }}（{{ deadline_rule }}）。共{{ counts.departments }}个单位、"
           "{{ counts.indicators }}项指标。填报表在 output/填报表/{{ month }}/ 中，请分发各单位；"
           "收回的填报表放入 input/{{ month }}/ 后运行 kaohe check 核对。{{ source_note }}", "summary", 40)
    for k, h in enumerate(["序号", "责任单位", "指标序号", "指标数", "分值合计", "填报表文件", "报送截止", "备注"], 1):
        put(ws, f"{get_column_letter(k)}3", h, "header")
    ws.row_dimensions[3].height = 30
    control(ws, 4, "{%row for d in departments %}")
    values = [AUTOFIT + "{{ loop.index }}", "{{ d.full_name }}", "{{ d.numbers }}", "{{ d.count }}",
              "{{ d.points_total }}", "{{ d.file }}", "{{ deadline_label }}", "{{ d.note }}"]
    styles = ["body", "body_left", "body_left", "body", "body", "body_left", "body", "body_left"]
    for k, (v, st) in enumerate(zip(values, styles), 1):
        put(ws, f"{get_column_letter(k)}5", v, st)
    ws.row_dimensions[5].height = 24
    control(ws, 6, "{%row else %}")
    merged(ws, 7, 1, last, "指标体系中没有责任单位，没有生成填报表。", "body", 24)
    control(ws, 8, "{%row endfor %}")
    merged(ws, 9, 1, last, "生成时间：{{ generated_at }}", "note", 22)
    ws.freeze_panes = "A4"
    print_setup(ws, last_col=last, last_row=9, title_rows="3:3")
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default: templates)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for build, name in ((form, FORM), (form_list, LIST)):
        print(build(args.out / name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
