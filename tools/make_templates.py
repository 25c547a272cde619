"""Build the shipped report templates into templates/ (real .xlsx files that
a clerk can open, restyle and save again in Excel or WPS).

    python tools/make_templates.py              # rebuild all seven
    python tools/make_templates.py --out DIR    # somewhere else

Every template follows the print conventions of the county offices (docs: DOMAIN.md,
"Print conventions"): A4, one page wide, the header row repeated on every printed
page, 第 &P 页 共 &N 页 in the footer, the title in 方正小标宋简体, headers in 黑体,
body text in 仿宋_GB2312 小四 (12 pt), thin borders, wrapped text. Colours are real
conditional-formatting rules over the whole loop range, so a corrected rank or
warning recolours itself; the fills are light enough to print in black and white.

Template syntax (templates/README.md): `{{ expr }}` in cells, header,
footer and sheet names; `{%row for x in xs %}` … `{%row endfor %}` on rows of their
own (removed from the output); `{%sheet for card in cards %}` for one sheet per item.
The context each template receives is documented in docs/report_context.md.

Sign-off lines put 审核 / 签发 / 日期 in separate cells, so that an empty 签发 cell
(`签发：`) is not mistaken for a signed report (write/signoff.py looks for a name
typed after 签发： in the same cell).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates"

# ------------------------------------------------------------------ styles ----

F_LABEL = "黑体"
F_TITLE = "方正小标宋简体"
F_HEAD = "黑体"
F_BODY = "仿宋_GB2312"

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BORDER = Border()


def font(name: str, size: float, **kw) -> Font:
    return Font(name=name, size=size, charset=134, **kw)  # 134: GB2312, so Excel/WPS pick the CJK face


STYLES = {
    # name: (font, horizontal alignment, border, wrap)
    "label": (font(F_LABEL, 16), "left", False, False),
    "title": (font(F_TITLE, 20), "center", False, True),
    "subtitle": (font(F_BODY, 14), "center", False, True),
    "header": (font(F_HEAD, 12), "center", True, True),
    "body": (font(F_BODY, 12), "center", True, True),
    "body_left": (font(F_BODY, 12), "left", True, True),
    "section": (font(F_HEAD, 12), "left", True, True),
    "group": (font(F_HEAD, 12), "left", True, True),
    "total": (font(F_HEAD, 12), "center", True, True),
    "summary": (font(F_BODY, 12), "left", False, True),
    "heading": (font(F_HEAD, 14), "left", False, False),
    "heading_wrap": (font(F_HEAD, 14), "left", False, True),  # a heading with rendered text that may be long
    "note": (font(F_BODY, 12), "left", False, True),
    "sign": (font(F_BODY, 12), "left", False, False),
    "ctl": (Font(name="Calibri", size=9, italic=True, color="808080"), "left", False, False),
}
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")

# Light fills (Excel's own "good / neutral / bad" pair): legible printed in grey too.
GREEN = (PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE"), Font(color="006100"))
YELLOW = (PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"), Font(color="9C5700"))
RED = (PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"), Font(color="9C0006"))

FOOTER = "第 &P 页 共 &N 页"

# Row heights. LibreOffice does not grow a row to fit wrapped text when it opens an
# .xlsx (nor does Excel for a generated file), so every row with rendered, wrapped text
# carries `{%row autofit %}`: the engine sets its height from the text and the column
# widths, with the height below as the minimum (templates/README.md, 6).
ROW1 = 22  # one line
ROW2 = 33  # two lines
AUTOFIT = "{%row autofit %}"


def _fit(values: list, styles: list[str]) -> list:
    """`{%row autofit %}` in front of the first rendered value of a row whose rendered
    text wraps (nothing to fit otherwise)."""
    if not any(isinstance(v, str) and "{{" in v and STYLES[st][3] for v, st in zip(values, styles)):
        return values
    k = next(k for k, v in enumerate(values) if isinstance(v, str) and "{" in v)
    return values[:k] + [AUTOFIT + values[k]] + values[k + 1:]


def put(ws, ref: str, value, style: str = "body", number_format: str | None = None):
    c = ws[ref]
    c.value = value
    f, h, border, wrap = STYLES[style]
    c.font = f
    c.alignment = Alignment(horizontal=h, vertical="center", wrap_text=wrap)
    if border:
        c.border = BORDER
    if style == "group":
        c.fill = GROUP_FILL
    if number_format:
        c.number_format = number_format
    return c


def merged(ws, r: int, c1: int, c2: int, value, style: str, height: float | None = None):
    """A value merged across columns c1..c2 of row r; every covered cell gets the style
    (so borders print on merged cells)."""
    value = _fit([value], [style])[0]
    for c in range(c1, c2 + 1):
        put(ws, f"{get_column_letter(c)}{r}", value if c == c1 else None, style)
    if c2 > c1:
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
    if height:
        ws.row_dimensions[r].height = height


def row(ws, r: int, values: list, styles: list[str] | str = "body", height: float | None = None,
        formats: dict[int, str] | None = None):
    styles = [styles] * len(values) if isinstance(styles, str) else styles
    for k, v in enumerate(_fit(values, styles), 1):
        put(ws, f"{get_column_letter(k)}{r}", v, styles[k - 1], (formats or {}).get(k))
    if height:
        ws.row_dimensions[r].height = height


def control(ws, r: int, tag: str):
    """A row holding only a {%row …%} tag: removed from the output."""
    put(ws, f"A{r}", tag, "ctl")
    ws.row_dimensions[r].height = 13


def widths(ws, ws_widths: list[float]):
    for k, w in enumerate(ws_widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = w


def print_setup(ws, *, landscape: bool, last_col: int, last_row: int, title_rows: str | None,
                demo_mark: bool = True):
    ps = ws.page_setup
    ps.orientation = "landscape" if landscape else "portrait"
    ps.paperSize = 9  # A4
    ps.fitToWidth = 1
    ps.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.55, right=0.55, top=0.75, bottom=0.75, header=0.3, footer=0.35)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{F_BODY},常规"
    ws.oddFooter.center.size = 11
    if demo_mark:
        ws.oddHeader.right.text = "{% if demo %}演示数据{% endif %}"
        ws.oddHeader.right.font = f"{F_BODY},常规"
        ws.oddHeader.right.size = 10
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.sheet_view.zoomScale = 100


def signoff_row(ws, r: int, spans: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]):
    """审核 / 签发 / 日期, each in its own (merged) cell."""
    texts = ["审核：{{ signoff.reviewer }}", "签发：{{ signoff.issuer }}", "日期：{{ signoff.date }}"]
    for (c1, c2), t in zip(spans, texts):
        merged(ws, r, c1, c2, t, "sign")
    ws.row_dimensions[r].height = 30


def rank_cf(ws, rng: str, col: str, top: int, green_max: str = "{{ green_max }}",
            yellow_max: str = "{{ yellow_max }}"):
    """Rank colours: ≤ green_max green, ≤ yellow_max yellow, above red. `--` so a rank
    a clerk types as text ("3") still colours; blanks and words (第三名) stay plain.
    The thresholds are Jinja, rendered from the context (kaohe.toml's thresholds), so
    the colours follow the configured bands."""
    c = f"{col}{top}"
    ok = f'{c}<>"",ISNUMBER(--{c})'
    for formula, (fill, fnt) in ((f"AND({ok},--{c}<={green_max})", GREEN),
                                 (f"AND({ok},--{c}>{green_max},--{c}<={yellow_max})", YELLOW),
                                 (f"AND({ok},--{c}>{yellow_max})", RED)):
        ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=fill, font=fnt))


def text_cf(ws, rng: str, cell: str, colours: dict[str, tuple], when: str | None = None):
    """Text → colour (绿/黄/红, 已报送/逾期报送/未报送); `when`: only where it holds (a rank
    cell coloured as its row's 预警提示 is coloured only when it holds a rank)."""
    for text, (fill, fnt) in colours.items():
        formula = f'TRIM({cell})="{text}"'
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f"AND({when},{formula})" if when else formula],
                                                       fill=fill, font=fnt))


WARN_COLOURS = {"绿": GREEN, "黄": YELLOW, "红": RED}


def warning_dv(ws, rng: str):
    dv = DataValidation(type="list", formula1='"绿,黄,红"', allow_blank=True, showErrorMessage=False)
    dv.promptTitle = "预警提示"
    dv.prompt = "可填：绿 / 黄 / 红"
    ws.add_data_validation(dv)
    dv.add(rng)


def value_labels() -> DataLabelList:
    """Data labels showing the value only (LibreOffice shows series and category names
    too unless told not to)."""
    return DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                         showPercent=False, showLeaderLines=False)


def cells_anchor(c1: int, r1: int, c2: int, r2: int, right_px: int = 0) -> TwoCellAnchor:
    """A drawing anchored to cells (0-based column/row of the top-left corner, and of the
    cell holding the bottom-right corner, `right_px` pixels into it): the chart keeps
    the width of its columns in Excel, WPS and LibreOffice."""
    a = TwoCellAnchor(editAs="twoCell")
    a._from = AnchorMarker(col=c1, row=r1)
    a.to = AnchorMarker(col=c2, colOff=right_px * 9525, row=r2)
    return a


def new_book() -> Workbook:
    """A workbook whose default font (the column-width unit) is Arial 11: Excel, WPS and
    LibreOffice (Liberation Sans, metric-compatible) then measure columns alike, so a
    page holds the same rows everywhere (Calibri is DejaVu Sans, 30% wider, on Linux)."""
    wb = Workbook()
    wb._fonts = IndexedList([Font(name="Arial", sz=11, family=2)])
    wb._named_styles["Normal"].font = Font(name="Arial", sz=11, family=2)
    wb.properties.creator = "kaohe-excel"
    wb.properties.title = ""
    return wb


# ------------------------------------------------------------------ 完成情况一览表 --

def overview(path: Path) -> Path:
    """附件2 一览表 (seed 001): label, title with the month, header, 7 section rows with
    their indicators, the rule note, the sign-off line."""
    wb = new_book()
    ws = wb.active
    ws.title = "一览表"
    widths(ws, [6, 33, 8, 18, 13, 14, 16, 8, 8])
    put(ws, "A1", "{{ annex_label }}", "label")
    ws.row_dimensions[1].height = 24
    merged(ws, 2, 1, 9, "{{ system_title }}（截至{{ month_label }}）", "title", 46)
    row(ws, 3, ["序号", "指标内容", "总分\n{{ total_points }}分", "责任单位", "{{ last_year }}年度\n完成情况\n（位次）",
                "{{ year }}年度\n{{ target_label }}", "截至本月底\n完成情况", "{{ group_label }}\n排名{% if peer_period %}\n（{{ peer_period }}）{% endif %}", "预警\n提示"], "header", 50)
    control(ws, 4, "{%row for c in categories %}")
    merged(ws, 5, 1, 9, "{%row keep 2 %}{{ c.label }}", "section", 24)  # a category heading never ends a page
    control(ws, 6, "{%row for x in c.indicators %}")
    # (a points cell the system shares over several rows is one merged cell here too)
    row(ws, 7, ["{{ x.no }}", "{{ x.name }}", "{{ x.points }}{%cell merge x.points_group %}", "{{ x.departments }}",
                "{{ x.last_year }}", "{{ x.target }}", "{{ x.actual }}", "{{ x.rank }}", "{{ x.warning }}"],
        ["body", "body_left"] + ["body"] * 7, ROW2)  # grows with long texts ({%row autofit %})
    r = 7
    control(ws, r + 1, "{%row endfor %}")
    control(ws, r + 2, "{%row endfor %}")
    merged(ws, r + 3, 1, 9, "{{ rule_note }}", "note", 36)
    signoff_row(ws, r + 4, ((1, 3), (4, 6), (7, 9)))
    # colours over the whole loop (section rows included, so the output is one range)
    text_cf(ws, f"H5:H{r}", "$I5", WARN_COLOURS, 'H5<>""')  # the rank as its warning: one colour a row, whatever the rule
    text_cf(ws, f"I5:I{r}", "I5", WARN_COLOURS)
    warning_dv(ws, f"I5:I{r}")
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True, last_col=9, last_row=r + 4, title_rows="3:3")
    wb.save(path)
    return path


# ------------------------------------------------------------------ 预警通报 --------

def bulletin(path: Path) -> Path:
    wb = new_book()
    ws = wb.active
    ws.title = "预警通报"
    widths(ws, [6, 28, 7, 13, 7, 8, 12, 32, 40])
    merged(ws, 1, 1, 9, "{{ county }}{{ year }}年高质量发展综合绩效指标预警通报（截至{{ month_label }}）", "title", 46)
    merged(ws, 2, 1, 9,
           "本月监测指标{{ counts.red + counts.yellow + counts.green + counts.none }}项：红色预警{{ counts.red }}项，"
           "黄色预警{{ counts.yellow }}项，绿色{{ counts.green }}项，暂无排名{{ counts.no_rank }}项"
           "{% if counts.bonus %}，加分项{{ counts.bonus }}项{% endif %}"
           "{% if counts.not_assessed %}，不考核{{ counts.not_assessed }}项{% endif %}。"
           "以下按责任单位列出红色和黄色预警指标，红色在前。", "summary", 40)
    row(ws, 3, ["序号", "指标", "预警", "完成情况", "排名{% if peer_period %}\n（{{ peer_period }}）{% endif %}", "排名\n变化", "达到下一档\n需达到", "说明", "存在问题及下步举措\n（责任单位填报）"], "header", 36)
    control(ws, 4, "{%row for g in groups %}")
    merged(ws, 5, 1, 9, "{%row keep 2 %}{{ g.department }}（红色{{ g.red }}项，黄色{{ g.yellow }}项）", "group", 24)
    control(ws, 6, "{%row for x in g['items'] %}")
    row(ws, 7, ["{{ x.no }}", "{{ x.name }}", "{{ x.warning }}", "{{ x.actual }}", "{{ x.rank }}",
                "{{ x.rank_change }}", "{{ x.value_to_reach }}", "{{ x.reach_note }}",
                "{% if x.issues %}问题：{{ x.issues }}{% endif %}{% if x.issues and x.next_steps %}\n{% endif %}"
                "{% if x.next_steps %}举措：{{ x.next_steps }}{% endif %}"],
        ["body", "body_left", "body", "body", "body", "body", "body", "body_left", "body_left"], ROW2)
    control(ws, 8, "{%row endfor %}")
    control(ws, 9, "{%row else %}")
    merged(ws, 10, 1, 9, "本月没有红色、黄色预警指标。", "body", 24)
    control(ws, 11, "{%row endfor %}")
    merged(ws, 12, 1, 9, "{{ rule_note }}", "note", 36)
    signoff_row(ws, 13, ((1, 2), (3, 6), (7, 9)))
    text_cf(ws, "C5:C7", "C5", WARN_COLOURS)
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True, last_col=9, last_row=13, title_rows="3:3")
    wb.save(path)
    return path


# ------------------------------------------------------------------ 报送情况 --------

STATUS_COLOURS = {"已报送": GREEN, "逾期报送": YELLOW, "未报送": RED}


def status(path: Path) -> Path:
    wb = new_book()
    ws = wb.active
    ws.title = "报送情况"
    widths(ws, [6, 22, 8, 7, 7, 11, 46, 17, 26])
    merged(ws, 1, 1, 9, "{{ county }}{{ year }}年{{ month_no }}月指标进展情况报送情况", "title", 46)
    merged(ws, 2, 1, 9,
           "{% if deadline_label %}报送截止时间：{{ deadline_label }}。{% endif %}应报单位{{ counts.total }}个："
           "按时报送{{ counts.submitted }}个，逾期报送{{ counts.late }}个，未报送{{ counts.missing }}个。"
           "（统计时间：{{ generated_at }}）", "summary", 40)
    row(ws, 3, ["序号", "责任单位", "应报\n指标数", "已报", "暂无\n数据", "状态", "报送文件", "报送时间", "备注"],
        "header", 36)
    control(ws, 4, "{%row for r in rows %}")
    row(ws, 5, ["{{ loop.index }}", "{{ r.department }}", "{{ r.owed }}", "{{ r.reported }}",
                "{{ r.unavailable }}", "{{ r.status }}", "{{ r.file }}", "{{ r.submitted_at }}", "{{ r.note }}"],
        ["body", "body_left", "body", "body", "body", "body", "body_left", "body", "body_left"], ROW2)
    control(ws, 6, "{%row else %}")
    merged(ws, 7, 1, 9, "本月没有需要报送的责任单位。", "body", 24)
    control(ws, 8, "{%row endfor %}")
    signoff_row(ws, 9, ((1, 2), (3, 6), (7, 9)))
    text_cf(ws, "F5:F5", "F5", STATUS_COLOURS)
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True, last_col=9, last_row=9, title_rows="3:3")
    wb.save(path)
    return path


# ------------------------------------------------------------------ 得分测算 --------

def scores(path: Path) -> Path:
    """Three sheets: 得分汇总 (total, category table, month trend; the two native charts
    on the second printed page), 指标得分 (every indicator, header repeated when
    printed), 失分排序 (asks). The indicator table has a sheet of its own so that its
    repeated header never prints above the summary tables."""
    wb = new_book()
    ws = wb.active
    ws.title = "得分汇总"
    widths(ws, [6, 21, 11, 12, 11, 11, 12])  # (scores to six places: 61.888667)
    # two lines, broken where a reader breaks it (a long unit's name left 「）」 alone on a line)
    merged(ws, 1, 1, 7, "{{ county }}{{ year }}年高质量发展综合绩效得分测算\n（截至{{ month_label }}）", "title", 56)
    merged(ws, 2, 1, 7,
           "测算总分{{ total }}分（满分{{ total_points }}分）；"
           "{% if estimated_rank %}预计在{{ group_label }}中位列第{{ estimated_rank }}名。{% elif excluded %}"
           "发生约束条件事项，不参与排名。{% else %}暂无法估算位次。{% endif %}",
           "summary", 30)
    merged(ws, 3, 1, 7, "{% if estimate_note %}说明：{{ estimate_note }}。{% endif %}", "note", 30)
    put(ws, "A4", "一、分类得分", "heading")
    ws.row_dimensions[4].height = 28
    # 得分率 over the points that were scored: 1 of 1 scored point is 100%, not 1 of 15
    row(ws, 5, ["序号", "类别", "分值", "测算得分", "失分", "未计分\n（无数据）", "得分率\n（已计分）"], "header", 30)
    control(ws, 6, "{%row for c in categories %}")
    row(ws, 7, ["{{ loop.index }}", "{{ c.name }}", "{{ c.points }}", "{{ c.score }}", "{{ c.lost }}",
                "{{ c.unscored }}", '=IF(N(C7)-N(F7)>0,N(D7)/(N(C7)-N(F7)),"")'],
        ["body", "body_left", "body", "body", "body", "body", "body"], ROW1, formats={7: "0.0%"})
    control(ws, 8, "{%row endfor %}")
    row(ws, 9, ["", "合计", "=SUM(C7:C7)", "=SUM(D7:D7)", "=SUM(E7:E7)", "=SUM(F7:F7)",
                '=IF(N(C9)-N(F9)>0,N(D9)/(N(C9)-N(F9)),"")'],
        "total", ROW1, formats={7: "0.0%"})
    put(ws, "A11", "二、逐月走势", "heading")
    ws.row_dimensions[11].height = 28
    row(ws, 12, ["序号", "月份", "测算总分", "预计位次"], "header", 26)
    control(ws, 13, "{%row for t in trend %}")
    row(ws, 14, ["{{ loop.index }}", "{{ t.month_label }}", "{{ t.total }}", "{{ t.estimated_rank }}"], "body", ROW1)
    control(ws, 15, "{%row endfor %}")
    # page 2: the charts (rows 17-50 kept empty; they move down when the loops grow)
    ws.row_breaks.append(Break(id=16))  # on a real row: a break on a {%row%} tag row is dropped
    put(ws, "A17", "三、图表", "heading")
    ws.row_dimensions[17].height = 28
    bar = BarChart()
    bar.type = "bar"  # horizontal: long category names read across, not slanted
    bar.grouping = "clustered"
    bar.gapWidth = 60
    bar.title = "分类得分"
    bar.x_axis.scaling.orientation = "maxMin"  # categories top-down in table order
    bar.y_axis.crosses = "max"  # ... and the score axis stays at the bottom
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.add_data(Reference(ws, min_col=3, min_row=7, max_row=7), titles_from_data=False)
    bar.add_data(Reference(ws, min_col=4, min_row=7, max_row=7), titles_from_data=False)
    bar.set_categories(Reference(ws, min_col=2, min_row=7, max_row=7))
    bar.series[0].tx = SeriesLabel(v="分值")
    bar.series[1].tx = SeriesLabel(v="测算得分")
    bar.series[0].graphicalProperties.solidFill = "BFBFBF"
    bar.series[1].graphicalProperties.solidFill = "4472C4"
    bar.dataLabels = value_labels()
    bar.legend.position = "b"
    ws.add_chart(bar)
    bar.anchor = cells_anchor(0, 17, 5, 35, 80)  # A18:F35, as wide as the tables in any program
    line = LineChart()
    line.title = "预计位次走势"
    line.x_axis.delete = False
    line.y_axis.delete = False
    s = Series(Reference(ws, min_col=4, min_row=14, max_row=14), title="预计位次")
    s.marker.symbol = "circle"
    s.marker.size = 7
    s.smooth = False
    line.series.append(s)
    line.set_categories(Reference(ws, min_col=2, min_row=14, max_row=14))
    line.y_axis.scaling.orientation = "maxMin"  # 1st place on top
    line.y_axis.scaling.min = 1
    line.y_axis.majorUnit = 1
    line.y_axis.title = "位次"
    line.x_axis.crosses = "max"  # the month axis sits at 6th place: the bottom, as the rank axis is reversed
    line.dataLabels = value_labels()
    line.dataLabels.position = "t"
    line.legend = None
    ws.add_chart(line)
    line.anchor = cells_anchor(0, 36, 5, 52, 80)  # A37:F52
    signoff_row(ws, 54, ((1, 2), (3, 4), (5, 7)))
    print_setup(ws, landscape=False, last_col=7, last_row=54, title_rows=None)

    # 指标得分
    ws2 = wb.create_sheet("指标得分")
    widths(ws2, [6, 32, 13, 7, 11, 10, 8, 9, 10, 9, 6, 6])
    merged(ws2, 1, 1, 12, "{{ county }}{{ year }}年各指标得分测算（截至{{ month_label }}）", "title", 46)
    row(ws2, 2, ["序号", "指标", "类别", "分值", "计分方法", "测算\n得分", "失分", "未计分", "第一名", "第一名\n得分",
                 "排名{% if peer_period %}\n（{{ peer_period }}）{% endif %}", "预警"], "header", 36)
    control(ws2, 3, "{%row for x in indicators %}")
    row(ws2, 4, ["{{ x.no }}", "{{ x.name }}", "{{ x.category }}", "{{ x.points }}", "{{ x.method }}",
                 "{{ x.score }}", "{{ x.lost }}", "{{ x.unscored }}", "{{ x.leader }}", "{{ x.leader_score }}",
                 "{{ x.rank }}", "{{ x.warning }}"], ["body", "body_left", "body_left"] + ["body"] * 9, ROW2)
    control(ws2, 5, "{%row endfor %}")
    row(ws2, 6, ["", "合计", "", "=SUM(D4:D4)", "", "=SUM(F4:F4)", "=SUM(G4:G4)", "=SUM(H4:H4)", "", "", "", ""],
        "total", 24)
    signoff_row(ws2, 7, ((1, 3), (4, 8), (9, 12)))
    text_cf(ws2, "K4:K4", "$L4", WARN_COLOURS, 'K4<>""')
    text_cf(ws2, "L4:L4", "L4", WARN_COLOURS)
    ws2.freeze_panes = "A3"
    print_setup(ws2, landscape=True, last_col=12, last_row=7, title_rows="2:2")

    # 失分排序
    ws3 = wb.create_sheet("失分排序")
    widths(ws3, [6, 8, 32, 10, 7, 12, 12, 16])  # (比第一名 on one line: at 8 its header was cut off in print)
    merged(ws3, 1, 1, 8, "{{ county }}{{ year }}年失分指标排序（截至{{ month_label }}）", "title", 46)
    merged(ws3, 2, 1, 8, "按与第一名相比失分多少排序，失分多的指标是下一步追赶的重点。", "summary", 26)
    row(ws3, 3, ["顺序", "指标\n序号", "指标", "比第一名\n少得分", "排名{% if peer_period %}\n（{{ peer_period }}）{% endif %}", "第一名\n县市", "第一名\n完成值", "本县\n完成情况"],
        "header", 36)
    control(ws3, 4, "{%row for a in asks %}")
    row(ws3, 5, ["{{ loop.index }}", "{{ a.no }}", "{{ a.name }}", "{{ a.lost }}", "{{ a.rank }}", "{{ a.leader }}",
                 "{{ a.leader_value }}", "{{ a.actual }}"], ["body", "body", "body_left"] + ["body"] * 5, ROW2)
    control(ws3, 6, "{%row else %}")
    merged(ws3, 7, 1, 8, "本月没有失分指标。", "body", 24)
    control(ws3, 8, "{%row endfor %}")
    signoff_row(ws3, 9, ((1, 3), (4, 6), (7, 8)))
    rank_cf(ws3, "E5:E5", "E", 5)
    ws3.freeze_panes = "A4"
    print_setup(ws3, landscape=False, last_col=8, last_row=9, title_rows="3:3")
    wb.save(path)
    return path


# ------------------------------------------------------------------ 部门考核 --------

def departments(path: Path) -> Path:
    """考核汇总 (every department's colour counts and verdict), 奖惩名单 (reward list:
    第一方阵; criticism list: 第三方阵 or slipped), then 各单位明细 (a block per unit).
    The lists print one indicator per row (the `items` text split at ；), with the
    department merged over its rows, so no row needs more than two lines."""
    wb = new_book()
    ws = wb.active
    ws.title = "考核汇总"
    widths(ws, [6, 21, 7, 7, 7, 10, 31])  # (报送情况: 期内未报送2次（7月、8月） on one line)
    merged(ws, 1, 1, 7, "{{ county }}{{ period_label }}各责任单位指标考核情况", "title", 52)
    merged(ws, 2, 1, 7, "按责任单位统计所牵头、参与指标的预警情况（项）。奖惩名单见下一工作表。", "summary", 30)
    row(ws, 3, ["序号", "责任单位", "绿色", "黄色", "红色", "结论", "报送情况"], "header", 26)
    control(ws, 4, "{%row for card in cards %}")
    row(ws, 5, ["{{ loop.index }}", "{{ card.department }}", "{{ card.green }}", "{{ card.yellow }}",
                "{{ card.red }}", "{{ card.verdict }}", "{{ card.reporting }}"],
        ["body", "body_left", "body", "body", "body", "body", "body_left"], ROW1)
    control(ws, 6, "{%row endfor %}")
    signoff_row(ws, 8, ((1, 2), (3, 5), (6, 7)))
    text_cf(ws, "F5:F5", "F5", {"奖励": GREEN, "有奖有惩": YELLOW, "批评": RED})
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=False, last_col=7, last_row=8, title_rows="3:3")

    wl = wb.create_sheet("奖惩名单")
    widths(wl, [6, 24, 40, 26])
    merged(wl, 1, 1, 4, "{{ county }}{{ period_label }}指标奖惩名单", "title", 52)
    merged(wl, 2, 1, 4, "第一方阵的指标列入表扬名单；第三方阵或位次下滑的指标列入批评名单。", "summary", 30)
    put(wl, "A3", "一、表扬名单（第一方阵）", "heading")
    wl.row_dimensions[3].height = 28
    row(wl, 4, ["序号", "责任单位", "指标", None], "header", 26)
    wl.merge_cells("C4:D4")
    control(wl, 5, "{%row for r in reward %}")
    control(wl, 6, "{%row for item in r['items'].split('；') %}")
    row(wl, 7, ["{%cell merge %}{{ loop.parent.index }}", "{%cell merge %}{{ r.department }}", "{{ item }}", None],
        ["body", "body_left", "body_left", "body_left"], ROW1 + 2)
    wl.merge_cells("C7:D7")
    control(wl, 8, "{%row endfor %}")
    control(wl, 9, "{%row else %}")
    merged(wl, 10, 1, 4, "无", "body", ROW1)
    control(wl, 11, "{%row endfor %}")
    put(wl, "A13", "二、批评名单（第三方阵或位次下滑）", "heading")
    wl.row_dimensions[13].height = 28
    row(wl, 14, ["序号", "责任单位", "指标", None], "header", 26)
    wl.merge_cells("C14:D14")
    control(wl, 15, "{%row for r in criticism %}")
    control(wl, 16, "{%row for item in r['items'].split('；') %}")
    row(wl, 17, ["{%cell merge %}{{ loop.parent.index }}", "{%cell merge %}{{ r.department }}", "{{ item }}", None],
        ["body", "body_left", "body_left", "body_left"], ROW1 + 2)
    wl.merge_cells("C17:D17")
    control(wl, 18, "{%row endfor %}")
    control(wl, 19, "{%row else %}")
    merged(wl, 20, 1, 4, "无", "body", ROW1)
    control(wl, 21, "{%row endfor %}")
    signoff_row(wl, 23, ((1, 2), (3, 3), (4, 4)))
    print_setup(wl, landscape=False, last_col=4, last_row=23, title_rows=None)

    # every unit on one sheet, a block each: several units a page, a block never split
    # where it fits on one page ({%row keep %}), each line with what the unit reported
    wd = wb.create_sheet("各单位明细")
    widths(wd, [6, 32, 7, 16, 6, 6, 8, 10, 18])
    merged(wd, 1, 1, 9, "{{ county }}{{ period_label }}各责任单位指标明细", "title", 46)
    merged(wd, 2, 1, 9, "按责任单位列出所牵头、参与的指标及其报送、排名和预警情况（共{{ cards | length }}个单位）。",
           "summary", 28)
    control(wd, 3, "{%row for card in cards %}")
    merged(wd, 4, 1, 9, "{%row keep %}{{ loop.index }}. {{ card.department }}：绿色{{ card.green }}项，"
                        "黄色{{ card.yellow }}项，红色{{ card.red }}项"
                        "{% if card.verdict %}；考核结论：{{ card.verdict }}{% endif %}"
                        "{% if card.reporting %}；{{ card.reporting }}{% endif %}", "heading", 28)
    row(wd, 5, ["序号", "指标", "牵头/\n参与", "本期报送", "排名{% if peer_period %}\n（{{ peer_period }}）{% endif %}", "预警", "排名\n变化", "方阵", "说明"], "header", 32)
    control(wd, 6, "{%row for ln in card.lines %}")
    row(wd, 7, ["{{ ln.no }}", "{{ ln.name }}", "{{ ln.role }}", "{{ ln.shown }}", "{{ ln.rank }}",
                "{{ ln.warning }}", "{{ ln.rank_change }}", "{{ ln.tier }}", "{{ ln.slip_note }}"],
        ["body", "body_left", "body", "body", "body", "body", "body", "body", "body_left"], ROW1 + 2)
    control(wd, 8, "{%row endfor %}")
    wd.row_dimensions[9].height = 12  # space between units
    control(wd, 10, "{%row endfor %}")
    signoff_row(wd, 11, ((1, 2), (3, 6), (7, 9)))
    text_cf(wd, "E7:E7", "$F7", WARN_COLOURS, 'E7<>""')
    text_cf(wd, "F7:F7", "F7", WARN_COLOURS)
    print_setup(wd, landscape=False, last_col=9, last_row=11, title_rows=None)
    wb.save(path)
    return path


# ------------------------------------------------------------------ 校验报告 --------

def problems(path: Path) -> Path:
    wb = new_book()
    ws = wb.active
    ws.title = "校验报告"
    widths(ws, [6, 7, 42, 12, 8, 70])
    merged(ws, 1, 1, 6, "{{ county }}{{ year }}年{{ month_no }}月报送材料校验报告", "title", 46)
    merged(ws, 2, 1, 6, "共发现错误{{ counts.errors }}条、提示{{ counts.warnings }}条。"
                        "错误须由报送单位改正后重新报送；提示供核对。（校验时间：{{ generated_at }}）", "summary", 36)
    row(ws, 3, ["序号", "级别", "文件", "工作表", "单元格", "问题说明"], "header", 26)
    control(ws, 4, "{%row for p in rows %}")
    row(ws, 5, ["{{ loop.index }}", "{{ p.level }}", "{{ p.file }}", "{{ p.sheet }}", "{{ p.cell }}",
                "{{ p.message }}"], ["body", "body", "body_left", "body_left", "body", "body_left"], ROW2)
    r = 5
    control(ws, r + 1, "{%row else %}")
    merged(ws, r + 2, 1, 6, "未发现问题。", "body", 24)
    control(ws, r + 3, "{%row endfor %}")
    signoff_row(ws, r + 4, ((1, 3), (4, 5), (6, 6)))
    ws.conditional_formatting.add(f"A5:F{r}", FormulaRule(formula=['TRIM($B5)="错误"'],
                                                          font=Font(color="C00000")))
    ws.freeze_panes = "A4"
    print_setup(ws, landscape=True, last_col=6, last_row=r + 4, title_rows="3:3")
    wb.save(path)
    return path


# ------------------------------------------------------------------ 排名总表 --------

def league(path: Path) -> Path:
    """The view from above (`kaohe run --all-units`): 总排名 (every unit's total, 折算得分 and
    place, with last month's place), 分类得分 (a block per category, units by score), 指标排名
    (a block per indicator, units by rank: value, target, score, colour, change). Blocks are
    lists, not a units × indicators matrix, so 5 units or 120 print the same way."""
    wb = new_book()
    ws = wb.active
    ws.title = "总排名"
    widths(ws, [6, 16, 12, 8, 10, 8, 8, 6, 6, 6, 8, 30])  # (测算得分 to six places: 39.753382)
    merged(ws, 1, 1, 12, "{{ system_title }}综合排名（截至{{ month_label }}）", "title", 52)
    merged(ws, 2, 1, 12, "参评单位{{ rows | length }}个。各单位按本单位的目标、分值测算得分（标「---」的指标不计入该单位满分），"
                         "按折算得分（得分÷满分×100）排名；发生约束条件事项的单位不参与排名。"
                         "{% if prev_month_label %}位次变化与{{ prev_month_label }}相比。{% endif %}", "summary", 44)
    row(ws, 3, ["名次", "单位", "测算得分", "满分", "折算得分", "上月\n名次", "位次\n变化", "绿", "黄", "红", "未计分", "说明"],
        "header", 32)
    control(ws, 4, "{%row for r in rows %}")
    row(ws, 5, ["{{ r.rank }}", "{{ r.unit }}", "{{ r.total }}", "{{ r.total_points }}", "{{ r.rate }}",
                "{{ r.prev_rank }}", "{{ r.rank_change }}", "{{ r.green }}", "{{ r.yellow }}", "{{ r.red }}",
                "{{ r.unscored }}", "{{ r.note }}"], ["body"] * 11 + ["body_left"], ROW1,
        formats={5: "0.00"})  # 折算得分 as the summary prints it: 58.10
    control(ws, 6, "{%row endfor %}")
    merged(ws, 7, 1, 12, "{{ rule_note }}", "note", 36)
    signoff_row(ws, 8, ((1, 4), (5, 9), (10, 12)))
    rank_cf(ws, "A5:A5", "A", 5)
    ws.freeze_panes = "C4"
    print_setup(ws, landscape=True, last_col=12, last_row=8, title_rows="3:3")

    wc = wb.create_sheet("分类得分")
    widths(wc, [6, 20, 12, 12, 12])
    merged(wc, 1, 1, 5, "{{ system_title }}分类得分（截至{{ month_label }}）", "title", 52)
    control(wc, 2, "{%row for c in categories %}")
    merged(wc, 3, 1, 5, "{%row keep %}{{ c.label }}", "heading", 28)
    row(wc, 4, ["名次", "单位", "得分", "满分", "得分率"], "header", 26)
    control(wc, 5, "{%row for u in c.units %}")
    row(wc, 6, ["{{ u.rank }}", "{{ u.unit }}", "{{ u.score }}", "{{ u.points }}", "{{ u.rate }}"], "body", ROW1,
        formats={5: "0.00"})
    control(wc, 7, "{%row endfor %}")
    wc.row_dimensions[8].height = 12
    control(wc, 9, "{%row endfor %}")
    signoff_row(wc, 10, ((1, 2), (3, 4), (5, 5)))
    print_setup(wc, landscape=False, last_col=5, last_row=10, title_rows=None)

    wi = wb.create_sheet("指标排名")
    widths(wi, [6, 16, 15, 12, 7, 10, 8, 8, 8])  # (得分 to six places: 4.571429)
    merged(wi, 1, 1, 9, "{{ system_title }}分项指标排名（截至{{ month_label }}）", "title", 52)
    control(wi, 2, "{%row for i in indicators %}")
    merged(wi, 3, 1, 9, "{%row keep %}{{ i.heading }}", "heading_wrap", 28)  # a long name wraps, never runs off
    row(wi, 4, ["名次", "单位", "截至本月底\n完成情况", "目标", "分值", "得分", "预警\n提示", "上月\n名次", "位次\n变化"],
        "header", 32)
    control(wi, 5, "{%row for c in i.cells %}")
    row(wi, 6, ["{{ c.rank }}", "{{ c.unit }}", "{{ c.display }}", "{{ c.target }}", "{{ c.points }}", "{{ c.score }}",
                "{{ c.warning }}", "{{ c.prev_rank }}", "{{ c.rank_change }}"], "body", ROW1)
    control(wi, 7, "{%row endfor %}")
    wi.row_dimensions[8].height = 12
    control(wi, 9, "{%row endfor %}")
    signoff_row(wi, 10, ((1, 3), (4, 6), (7, 9)))
    text_cf(wi, "A6:A6", "$G6", WARN_COLOURS, 'A6<>""')
    text_cf(wi, "G6:G6", "G6", WARN_COLOURS)
    print_setup(wi, landscape=False, last_col=9, last_row=10, title_rows=None)
    wb.save(path)
    return path


BUILDERS = {
    "完成情况一览表.xlsx": overview,
    "预警通报.xlsx": bulletin,
    "报送情况.xlsx": status,
    "得分测算.xlsx": scores,
    "部门考核.xlsx": departments,
    "校验报告.xlsx": problems,
    "排名总表.xlsx": league,
}


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [fn(out / name) for name, fn in BUILDERS.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成报表模板（templates/ 下的 .xlsx）")
    ap.add_argument("--out", type=Path, default=OUT, help="输出目录（默认：templates）")
    args = ap.parse_args(argv)
    for p in build(args.out):
        print(f"已生成模板：{p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
