"""The shipped report templates, rendered with the sample contexts and read back with
openpyxl (and as zip XML for charts): values in the right cells, one conditional-
formatting range per rule over the whole loop, print setup, sign-off, charts."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kaohe_excel.write.engine import render, template_variables  # noqa: E402
from kaohe_excel.write.signoff import is_signed  # noqa: E402
from tools import sample_contexts as sc  # noqa: E402

TEMPLATES = ROOT / "templates"


def _render(tmp_path: Path, key: str, ctx: dict | None = None, name: str | None = None):
    tpl, make = sc.SAMPLES[key]
    out = tmp_path / (name or f"out-{tpl}")
    render(TEMPLATES / tpl, ctx if ctx is not None else make(), out)
    return out, openpyxl.load_workbook(out)


def _cf(ws) -> dict[str, list[str]]:
    """sqref -> formulas of its rules (a one-cell range written A4:A4)."""
    out: dict[str, list[str]] = {}
    for rng in ws.conditional_formatting:
        sq = " ".join(p if ":" in p else f"{p}:{p}" for p in str(rng.sqref).split())
        out.setdefault(sq, []).extend(f for r in rng.rules for f in (r.formula or []))
    return out


def _find_rows(ws, col: int, pred) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if pred(ws.cell(r, col).value)]


def _print_ok(ws, *, landscape: bool | None, title_rows: str | None, last_col: str):
    ps = ws.page_setup
    assert str(ps.paperSize) == "9"
    if landscape is not None:
        assert ps.orientation == ("landscape" if landscape else "portrait")
    # any number of pages tall, or one page fewer where the last would hold a few rows
    assert str(ps.fitToWidth) == "1" and str(ps.fitToHeight).isdigit()
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    area = ws.print_area if isinstance(ws.print_area, str) else ",".join(ws.print_area)
    m = re.search(r"\$A\$1:\$([A-Z]+)\$(\d+)", area)
    assert m, area
    assert m.group(1) == last_col
    assert int(m.group(2)) >= ws.max_row - 1  # the area grew with the loops
    if title_rows:
        assert ws.print_title_rows == title_rows


def _signoff(ws) -> dict[str, int]:
    rows = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                for k in ("审核：", "签发：", "日期："):
                    if c.value.startswith(k):
                        rows[k] = c.row
    assert set(rows) == {"审核：", "签发：", "日期："}, rows
    return rows


# ------------------------------------------------------------------ all templates

@pytest.mark.parametrize("key", list(sc.SAMPLES))
def test_template_uses_only_documented_keys(key):
    """Every variable a template needs is in its (documented) context."""
    tpl, make = sc.SAMPLES[key]
    missing = template_variables(TEMPLATES / tpl) - set(make())
    assert not missing, f"{tpl} uses {missing}"


@pytest.mark.parametrize("key", list(sc.SAMPLES))
def test_fonts_follow_print_conventions(key, tmp_path):
    _, wb = _render(tmp_path, key)
    fonts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value not in (None, ""):
                    fonts.add(c.font.name)
    assert "仿宋_GB2312" in fonts and "黑体" in fonts and "方正小标宋简体" in fonts
    assert fonts <= {"仿宋_GB2312", "黑体", "方正小标宋简体"}, fonts


@pytest.mark.parametrize("key", list(sc.SAMPLES))
def test_no_template_tags_left(key, tmp_path):
    out, wb = _render(tmp_path, key)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and ("{{" in c.value or "{%" in c.value)), (ws.title, c.coordinate)
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.endswith(".xml"):
                assert "{%" not in z.read(n).decode("utf-8"), n


@pytest.mark.parametrize("key", list(sc.SAMPLES))
def test_empty_signoff_is_not_signed_but_a_name_is(key, tmp_path):
    out, _ = _render(tmp_path, key)
    assert not is_signed(out)
    ctx = sc.SAMPLES[key][1]()
    ctx["signoff"] = {"reviewer": "张三", "issuer": "李四", "date": "2023-09-06"}
    out2, wb = _render(tmp_path, key, ctx, name="signed.xlsx")
    assert is_signed(out2)
    rows = _signoff(wb.worksheets[0])
    ws = wb.worksheets[0]
    assert any(ws.cell(rows["签发："], c).value == "签发：李四" for c in range(1, ws.max_column + 1))


# ------------------------------------------------------------------ 一览表

def test_overview_layout_and_values(tmp_path):
    ctx = sc.overview()
    _, wb = _render(tmp_path, "overview", ctx)
    ws = wb["一览表"]
    assert ws["A1"].value == "附件2" and ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16
    assert ws["A2"].value == "叶县2023年度高质量发展综合绩效指标完成情况一览表（截至8月底）"
    assert ws["A2"].font.name == "方正小标宋简体" and ws["A2"].font.sz == 20
    assert "A2:I2" in {str(r) for r in ws.merged_cells.ranges}
    header = [ws.cell(3, c).value for c in range(1, 10)]
    assert header == ["序号", "指标内容", "总分\n116分", "责任单位", "2022年度\n完成情况\n（位次）",
                      "2023年度\n县定目标", "截至本月底\n完成情况", "六县市\n排名", "预警\n提示"]
    assert all(ws.cell(3, c).font.name == "黑体" for c in range(1, 10))
    # 7 section rows merged across, 49 indicator rows, in order
    sections = _find_rows(ws, 1, lambda v: isinstance(v, str) and "、" in v and v[0] in "一二三四五六七")
    assert [ws.cell(r, 1).value for r in sections] == [c["label"] for c in ctx["categories"]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert all(f"A{r}:I{r}" in merged for r in sections)
    ind_rows = _find_rows(ws, 1, lambda v: isinstance(v, int))
    assert len(ind_rows) == 49 and [ws.cell(r, 1).value for r in ind_rows] == list(range(1, 50))
    assert sections[0] == 4 and ind_rows[0] == 5
    first = ctx["categories"][0]["indicators"][0]
    r = ind_rows[0]
    assert [ws.cell(r, c).value for c in range(1, 10)] == [
        first["no"], first["name"], first["points"], first["departments"], first["last_year"], first["target"],
        first["actual"], first["rank"], first["warning"]]
    assert isinstance(ws.cell(r, 8).value, int)  # ranks stay numbers, for the colour rules
    assert ws.cell(r, 2).font.name == "仿宋_GB2312" and ws.cell(r, 2).font.sz == 12
    assert ws.cell(r, 2).alignment.wrap_text and ws.cell(r, 2).border.left.style == "thin"
    last = ind_rows[-1]
    assert ws.cell(last + 1, 1).value == ctx["rule_note"]
    assert _signoff(ws)["签发："] == last + 2


def test_overview_colour_rules_cover_the_whole_table_once(tmp_path):
    _, wb = _render(tmp_path, "overview")
    ws = wb["一览表"]
    ind_rows = _find_rows(ws, 1, lambda v: isinstance(v, int))
    cf = _cf(ws)
    rank = cf.get(f"H4:H{ind_rows[-1]}")
    warn = cf.get(f"I4:I{ind_rows[-1]}")
    assert rank and warn, cf.keys()
    assert len(cf) == 2  # one range per column, not one rule per cell
    # the rank cell is coloured as its row's 预警提示 (a formula on the rank for rank-coloured items,
    # the text assess gave for the others): one colour a row, whatever its rule, and none without a rank
    assert [re.search(r'TRIM\(\$I4\)="(.)"', f).group(1) for f in rank] == ["绿", "黄", "红"], rank
    assert all('H4<>""' in f for f in rank), rank
    assert [re.search(r'"(.)"', f).group(1) for f in warn] == ["绿", "黄", "红"]
    fills = [r.dxf.fill.bgColor.rgb[-6:] for rng in ws.conditional_formatting for r in rng.rules]
    assert set(fills) == {"C6EFCE", "FFEB9C", "FFC7CE"}  # light: legible printed in grey


def test_overview_print_setup(tmp_path):
    _, wb = _render(tmp_path, "overview")
    ws = wb["一览表"]
    _print_ok(ws, landscape=True, title_rows="$3:$3", last_col="I")
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert sum(widths) <= 130  # A4 landscape at (nearly) full size
    assert ws.freeze_panes == "A4"


def test_overview_rows_follow_the_categories(tmp_path):
    ctx = sc.overview()
    ctx["categories"] = ctx["categories"][:2]
    ctx["categories"][1]["indicators"] = ctx["categories"][1]["indicators"][:1]
    _, wb = _render(tmp_path, "overview", ctx)
    ws = wb["一览表"]
    assert [ws.cell(r, 1).value for r in range(4, 13)] == ["一、项目建设", 1, 2, 3, 4, 5, 6, "二、创新驱动", 7]
    assert ws.cell(13, 1).value == ctx["rule_note"]
    assert set(_cf(ws)) == {"H4:H12", "I4:I12"}


# ------------------------------------------------------------------ 预警通报

def test_bulletin_groups_red_first(tmp_path):
    ctx = sc.bulletin()
    _, wb = _render(tmp_path, "bulletin", ctx)
    ws = wb["预警通报"]
    c = ctx["counts"]
    assert f"红色预警{c['red']}项" in ws["A2"].value and f"黄色预警{c['yellow']}项" in ws["A2"].value
    heads = _find_rows(ws, 1, lambda v: isinstance(v, str) and v.endswith("项）"))
    assert [ws.cell(r, 1).value.split("（")[0] for r in heads] == [g["department"] for g in ctx["groups"]]
    items = _find_rows(ws, 1, lambda v: isinstance(v, int))
    assert len(items) == sum(len(g["items"]) for g in ctx["groups"])
    g0 = ctx["groups"][0]
    r = heads[0] + 1
    it = g0["items"][0]
    assert [ws.cell(r, k).value for k in range(1, 9)] == [it["no"], it["name"], it["warning"], it["actual"], it["rank"],
                                                         it["rank_change"], it["value_to_reach"], it["reach_note"]]
    warnings = [ws.cell(r, 3).value for r in items[: len(g0["items"])]]
    assert warnings == sorted(warnings, key=lambda w: w != "红")
    # the department's own 存在问题 / 下步举措 stand beside each item
    for g in ctx["groups"]:
        for it in g["items"]:
            row = next(r for r in items if ws.cell(r, 1).value == it["no"] and ws.cell(r, 2).value == it["name"])
            text = ws.cell(row, 9).value or ""
            assert (it["issues"] in text) and (it["next_steps"] in text)
            assert bool(text) == bool(it["issues"] or it["next_steps"])
    assert set(_cf(ws)) == {f"C{heads[0]}:C{items[-1]}"}
    _print_ok(ws, landscape=True, title_rows="$3:$3", last_col="I")


def test_bulletin_without_warnings(tmp_path):
    ctx = sc.bulletin()
    ctx["groups"] = []
    _, wb = _render(tmp_path, "bulletin", ctx)
    ws = wb["预警通报"]
    assert ws["A4"].value == "本月没有红色、黄色预警指标。"


# ------------------------------------------------------------------ 报送情况

def test_status_rows_and_colours(tmp_path):
    ctx = sc.status()
    _, wb = _render(tmp_path, "status", ctx)
    ws = wb["报送情况"]
    assert "9月6日前" in ws["A2"].value and f"未报送{ctx['counts']['missing']}个" in ws["A2"].value
    rows = ctx["rows"]
    last = 3 + len(rows)
    assert [ws.cell(r, 2).value for r in range(4, last + 1)] == [x["department"] for x in rows]
    assert [ws.cell(r, 6).value for r in range(4, last + 1)] == [x["status"] for x in rows]
    assert isinstance(ws["C4"].value, int)
    cf = _cf(ws)
    assert list(cf) == [f"F4:F{last}"] and len(cf[f"F4:F{last}"]) == 3
    assert {re.search(r'"(.+)"', f).group(1) for f in cf[f"F4:F{last}"]} == {"已报送", "逾期报送", "未报送"}
    _print_ok(ws, landscape=True, title_rows="$3:$3", last_col="I")


# ------------------------------------------------------------------ 得分测算

def _chart_refs(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as z:
        return [re.findall(r"<(?:c:)?f>(.*?)</(?:c:)?f>", z.read(n).decode("utf-8"))
                for n in sorted(z.namelist()) if re.match(r"xl/charts/chart\d+\.xml$", n)]


def test_scores_summary_tables_formulas_and_charts(tmp_path):
    ctx = sc.scores()
    out, wb = _render(tmp_path, "scores", ctx)
    assert wb.sheetnames == ["得分汇总", "指标得分", "失分排序"]
    ws = wb["得分汇总"]
    assert f"测算总分{ctx['total']}分" in ws["A2"].value and "第2名" in ws["A2"].value
    n = len(ctx["categories"])
    first, last = 6, 5 + n
    assert [ws.cell(r, 2).value for r in range(first, last + 1)] == [c["name"] for c in ctx["categories"]]
    assert ws.cell(first, 7).value == f'=IF(N(C{first})-N(F{first})>0,N(D{first})/(N(C{first})-N(F{first})),"")'
    tot = last + 1
    assert ws.cell(tot, 2).value == "合计" and ws.cell(tot, 3).value == f"=SUM(C{first}:C{last})"
    assert ws.cell(tot, 6).value == f"=SUM(F{first}:F{last})"  # 未计分: 分值 = 得分 + 失分 + 未计分
    t1 = tot + 4
    tn = t1 + len(ctx["trend"]) - 1
    assert ws.cell(t1, 2).value == "1月" and ws.cell(tn, 2).value == "8月" and ws.cell(tn, 4).value == 2
    refs = _chart_refs(out)
    assert len(refs) == 2
    bar, line = refs
    assert f"'得分汇总'!$C${first}:$C${last}" in bar and f"'得分汇总'!$D${first}:$D${last}" in bar
    assert f"'得分汇总'!$B${first}:$B${last}" in bar
    assert f"'得分汇总'!$D${t1}:$D${tn}" in line and f"'得分汇总'!$B${t1}:$B${tn}" in line
    with zipfile.ZipFile(out) as z:
        kinds = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert re.search(r"<(c:)?barChart>", kinds) and re.search(r"<(c:)?lineChart>", kinds)
    # the charts start on a new printed page, under the tables
    assert [b.id for b in ws.row_breaks.brk] == [tn + 1]
    _print_ok(ws, landscape=False, title_rows=None, last_col="G")


def test_scores_indicator_sheet(tmp_path):
    ctx = sc.scores()
    _, wb = _render(tmp_path, "scores", ctx)
    ws = wb["指标得分"]
    n = len(ctx["indicators"])
    assert ws["A3"].value == 1 and ws.cell(2 + n, 1).value == 49
    x = ctx["indicators"][0]
    assert [ws.cell(3, c).value for c in range(1, 13)] == [x["no"], x["name"], x["category"], x["points"], x["method"],
                                                          x["score"], x["lost"], x["unscored"] or None, x["leader"],
                                                          x["leader_score"], x["rank"], x["warning"]]
    assert ws.cell(3 + n, 4).value == f"=SUM(D3:D{2 + n})"
    assert set(_cf(ws)) == {f"K3:K{2 + n}", f"L3:L{2 + n}"}
    _print_ok(ws, landscape=True, title_rows="$2:$2", last_col="L")
    wa = wb["失分排序"]
    # (against the first, not 分值 − 得分 as 失分 is on the other sheets: a bonus read −1 there, +1 here)
    assert wa.cell(3, 4).value == "比第一名\n少得分"
    asks = ctx["asks"]
    assert [wa.cell(r, 2).value for r in range(4, 4 + len(asks))] == [a["no"] for a in asks]
    losts = [wa.cell(r, 4).value for r in range(4, 4 + len(asks))]
    assert losts == sorted(losts, reverse=True)
    _print_ok(wa, landscape=False, title_rows="$3:$3", last_col="H")


# ------------------------------------------------------------------ 部门考核

def test_departments_every_unit_on_one_sheet_in_kept_blocks(tmp_path):
    """各单位明细: a block per unit (heading with its counts, a header, its lines with what it
    reported), several units a page; a manual break only ever falls right before a heading."""
    ctx = sc.departments()
    _, wb = _render(tmp_path, "departments", ctx)
    names = [c["department"] for c in ctx["cards"]]
    assert wb.sheetnames == ["考核汇总", "奖惩名单", "各单位明细"]
    ws = wb["考核汇总"]
    assert [ws.cell(r, 2).value for r in range(4, 4 + len(names))] == names
    assert set(_cf(ws)) == {f"F4:F{3 + len(names)}"}
    wd = wb["各单位明细"]
    col_a = [wd.cell(r, 1).value for r in range(1, wd.max_row + 1)]
    heads = [r for r, v in enumerate(col_a, 1) if isinstance(v, str) and re.match(r"^\d+\. ", v)]
    assert [col_a[r - 1].split("：")[0] for r in heads] == [f"{i}. {n}" for i, n in enumerate(names, 1)]
    for r, card in zip(heads, ctx["cards"]):
        assert f"绿色{card['green']}项" in col_a[r - 1]
        assert wd.cell(r + 1, 4).value == "本期报送"
        n = len(card["lines"])
        assert [wd.cell(r + 2 + k, 1).value for k in range(n)] == [ln["no"] for ln in card["lines"]]
        assert [wd.cell(r + 2 + k, 4).value or "" for k in range(n)] == [ln["shown"] for ln in card["lines"]]
    breaks = [b.id for b in wd.row_breaks.brk]
    assert all(b + 1 in heads for b in breaks), (breaks, heads)
    _print_ok(wd, landscape=False, title_rows=None, last_col="I")
    _signoff(wd)


def test_departments_reward_and_criticism_lists(tmp_path):
    ctx = sc.departments()
    _, wb = _render(tmp_path, "departments", ctx)
    wl = wb["奖惩名单"]
    items = [wl.cell(r, 3).value for r in range(1, wl.max_row + 1)]
    for entry in ctx["reward"] + ctx["criticism"]:
        for it in entry["items"].split("；"):
            assert it in items
    # the department is merged over its indicators
    merged = {str(r) for r in wl.merged_cells.ranges}
    first = ctx["reward"][0]
    k = len(first["items"].split("；"))
    assert wl["B5"].value == first["department"]
    if k > 1:
        assert f"B5:B{4 + k}" in merged and f"A5:A{4 + k}" in merged
    ctx["reward"] = []
    _, wb = _render(tmp_path, "departments", ctx, name="noreward.xlsx")
    assert wb["奖惩名单"]["A5"].value == "无"


# ------------------------------------------------------------------ 校验报告

def test_problems_report(tmp_path):
    ctx = sc.problems()
    _, wb = _render(tmp_path, "problems", ctx)
    ws = wb["校验报告"]
    rows = ctx["rows"]
    assert [ws.cell(r, 6).value for r in range(4, 4 + len(rows))] == [x["message"] for x in rows]
    assert [ws.cell(r, 5).value or "" for r in range(4, 4 + len(rows))] == [x["cell"] for x in rows]
    cf = _cf(ws)
    assert list(cf) == [f"A4:F{3 + len(rows)}"] and '"错误"' in cf[f"A4:F{3 + len(rows)}"][0]
    rule = next(iter(ws.conditional_formatting)).rules[0]
    assert rule.dxf.font.color.rgb.endswith("C00000")
    _print_ok(ws, landscape=True, title_rows="$3:$3", last_col="F")
    ctx["rows"] = []
    _, wb = _render(tmp_path, "problems", ctx, name="none.xlsx")
    assert wb["校验报告"]["A4"].value == "未发现问题。"


def test_make_templates_rebuilds_the_shipped_set(tmp_path):
    from tools import make_templates

    built = make_templates.build(tmp_path)
    # the six reports (the fill-in forms beside them are built by tools/make_form_template.py)
    assert sorted(p.name for p in built) == sorted(make_templates.BUILDERS)
    assert {p.name for p in built} <= {p.name for p in TEMPLATES.glob("*.xlsx")}
    for p in built:
        a, b = openpyxl.load_workbook(p), openpyxl.load_workbook(TEMPLATES / p.name)
        assert a.sheetnames == b.sheetnames, p.name
        for wa, wb_ in zip(a.worksheets, b.worksheets):
            va = [[c.value for c in r] for r in wa.iter_rows()]
            vb = [[c.value for c in r] for r in wb_.iter_rows()]
            assert va == vb, f"{p.name}/{wa.title}: run tools/make_templates.py and commit the templates"


def _lines_at_least(text: str, width: float) -> int:
    """Printed lines of CJK text at 小四 (16 px a character) in a column `width` wide
    (7 px a unit + 5 px, less about 6 px of cell margin; LibreOffice prints 6 characters
    a line in the 14-wide 目标 column): a lower bound the row must hold."""
    per_line = max(int((width * 7 + 5 - 6) // 16), 1)
    return -(-len(text) // per_line)


def test_long_texts_get_taller_rows(tmp_path):
    """LibreOffice does not grow rows to fit wrapped text: the loop rows carry
    {%row autofit %}, so the engine sizes them from the rendered text."""
    ctx = sc.overview()
    inds = ctx["categories"][0]["indicators"]
    inds[1]["name"] = "规模以上工业企业研发费用支出增速及研发经费投入强度和高新技术企业数量"  # 34 chars: 3 lines
    inds[2]["target"] = "按全省平均水平比较考核，并完成市定目标任务，力争进入全市第一方阵"  # many lines
    _, wb = _render(tmp_path, "overview", ctx)
    ws = wb["一览表"]
    h = {r: ws.row_dimensions[r].height for r in (5, 6, 7)}
    assert h[5] == 33, h  # short texts: the template's two-line height
    assert _lines_at_least(inds[1]["name"], ws.column_dimensions["B"].width) == 3
    # 小四 lines: 15.4 pt apart in 仿宋, 17.4 pt in Noto Sans CJK (LibreOffice's stand-in on Linux)
    assert 3 * 15.5 <= h[6] <= 3 * 17.4 + 3, h
    assert h[7] >= _lines_at_least(inds[2]["target"], ws.column_dimensions["F"].width) * 15.5 > h[6], h
    assert ws["B6"].value == inds[1]["name"] and ws["F7"].value == inds[2]["target"]
    ctx = sc.problems()
    ctx["rows"][0]["message"] = "很长的问题说明" * 20
    _, wb = _render(tmp_path, "problems", ctx, name="p.xlsx")
    ws = wb["校验报告"]
    assert ws.row_dimensions[4].height >= _lines_at_least(ctx["rows"][0]["message"], 70) * 15.5
    assert ws.row_dimensions[5].height == 36.75  # a file name on two lines: two lines of 17.4 pt, no more


def test_overview_rank_colours_follow_the_configured_thresholds():
    """A rank-coloured item's 预警提示 is a formula on its rank at the configured thresholds (1 / 3
    here: rank 2 is yellow, not the default's green), and the rank cell is coloured as that cell:
    a rank corrected by hand turns both."""
    from types import SimpleNamespace

    from kaohe_excel.write.reports import Formula, rank_warning

    r = SimpleNamespace(colour_label="黄", rule="rank", rank=2, group_size=6)
    got = rank_warning(r, (1, 3))
    assert isinstance(got, Formula) and "<=1," in got.text and "<=3," in got.text, got
    other = SimpleNamespace(colour_label="绿", rule="progress", rank=9, group_size=9)  # coloured by progress
    assert rank_warning(other, (3, 6)) == "绿"
    tpl = openpyxl.load_workbook(TEMPLATES / sc.SAMPLES["overview"][0])["一览表"]
    rank = next(fs for rng, fs in _cf(tpl).items() if rng.startswith("H"))
    assert all("TRIM($I5)" in f for f in rank), rank


def test_problems_report_lists_errors_first():
    from kaohe_excel.problems import ERROR, WARNING, Problem
    from kaohe_excel.write.reports import problems_context

    ctx = problems_context([Problem("a.xlsx", "S", "A1", WARNING, "提示一"), Problem("b.xlsx", "S", "B2", ERROR, "错误一"),
                            Problem("c.xlsx", "S", None, WARNING, "提示二"), Problem("d.xlsx", "S", "D4", ERROR, "错误二")])
    assert [r["message"] for r in ctx["rows"]] == ["错误一", "错误二", "提示一", "提示二"]
    assert ctx["counts"] == {"errors": 2, "warnings": 2}


def test_peer_figures_keep_the_peer_sheets_unit():
    """预警通报's 需达到 beside 完成情况 '-2.9%': the figure to beat carries the % the city wrote."""
    from types import SimpleNamespace

    from kaohe_excel.write.reports import _peer_figure

    assert _peer_figure(-1.4, SimpleNamespace(peer_raw="-2.9%")) == "-1.4%"
    assert _peer_figure(3940, SimpleNamespace(peer_raw="3292")) == 3940  # no unit: stays a number
    assert _peer_figure(12.5, SimpleNamespace(peer_raw="下降8.0%")) == "12.5%"
    assert _peer_figure(None, SimpleNamespace(peer_raw="8%")) is None
    assert _peer_figure(7, SimpleNamespace(peer_raw="")) == 7
