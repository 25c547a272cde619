"""The view from above on a city unlike the others (tests/jizhou.py, helper-24's review): every
unit's rank, colour, score, full marks, total, 折算得分 and place, each month, against the
figures worked out by hand (jizhou.hand_month); and what that review found the tool got wrong:
a 一票否决 with no points assessed for nobody, `—` across a bonus's targets taking the item
away, `(高新区6)` for 霁州高新区 ignored, units as rows with 数值 | 位次 pairs unread, a month
nobody could read printed as an eight-way tie for 第1名, 已完成 / 未完成 / 无 read as gaps."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.assess.ranking import best_first, place_at
from kaohe_excel.read.values import as_rate_of, parse_value
from tests import jizhou as jz
from tests.kaohe_cli import cli, cli_json

SYSTEM = "附件1：霁州市2024年度县（市、区）高质量发展综合绩效考核任务分工表.xlsx"


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    return jz.build(tmp_path_factory.mktemp("jizhou") / "ws")


def _league(root: Path, month: str) -> dict:
    return cli_json(root, "assess", "--all-units", "--month", month)


def _against_hand(js: dict, month: str) -> list[str]:
    """Every difference between the league and the hand figures, said."""
    hand = jz.hand_month(month)
    out = []
    for row in js["rows"]:
        h = hand[row["unit"]]
        got = (row["rank"], round(row["total"], 6), row["total_points"], round(row["rate"], 4))
        want = (h["place"], round(float(h["total"]), 6), float(h["full"]), round(float(h["rate"]), 4))
        if got != want:
            out.append(f"{month} {row['unit']}: {got} != {want}")
    for ind in js["indicators"]:
        if ind["no"] > 14:
            continue
        for c in ind["cells"]:
            rank, colour, score, points = hand[c["unit"]]["items"][ind["no"]]
            got = (c["rank"], c["colour"], None if c["score"] is None else round(c["score"], 6), c["points"])
            want = (rank, colour, None if score is None else round(float(score), 6),
                    None if points is None else float(points))
            if got != want:
                out.append(f"{month} 第{ind['no']}项 {c['unit']}: {got} != {want}")
    return out


@pytest.mark.parametrize("month", [jz.M4, jz.M5, jz.M6])
def test_every_figure_of_the_league_is_the_hand_figure(city, month):
    js = _league(city, month)
    assert [r["unit"] for r in js["rows"]] and not _against_hand(js, month)
    errors = [p for p in js["problems"] if p["level"] == "error"]
    assert not errors, errors


def test_the_system_as_the_city_wrote_it(city):
    spec = cli_json(city, "spec", str(city / "input" / SYSTEM))
    full = spec["total_points_by_unit"]
    assert full == {"霁城区": 40, "东湖区": 36, "西岭区": 40, "霁州县": 40, "南屏县": 37, "北塬县": 39, "青溪县": 40,
                    "霁州高新区": 40}  # 4 (高新区6) and 2（高新区3分） are 霁州高新区's; `---` leaves 4, 2, 3
    by_no = {i["no"]: i for i in spec["indicators"]}
    assert by_no[1]["points_by_unit"]["霁州高新区"] == 6 and "高新区" not in by_no[1]["points_by_unit"]
    veto = by_no[17]
    assert veto["kind"] == "constraint" and None not in veto["points_by_unit"].values()  # nobody is `---` on it
    assert not any(v is None for v in by_no[15]["points_by_unit"].values())  # the bonus: `—` over every target
    said = [p for p in spec["problems"] if p["cell"] == "E24"]
    assert said and "都写的是「—」" in said[0]["message"] and said[0]["level"] == "warning"


def test_a_short_name_no_column_has_is_said_with_its_cell(tmp_path):
    root = jz.build(tmp_path / "ws")
    f = root / "input" / SYSTEM
    r = jz.edit_row(f, 3, {3: "3（开发区5）"})
    spec = cli_json(root, "spec", str(f))
    said = [p for p in spec["problems"] if p["cell"] == f"C{r}"]
    assert said and "「开发区」不是本表列出的单位" in said[0]["message"]
    assert spec["total_points_by_unit"]["霁城区"] == 40  # the others keep the row's 3


def test_the_veto_and_the_events_as_the_units_wrote_them(city):
    js = _league(city, jz.M6)
    rows = {r["unit"]: r for r in js["rows"]}
    assert rows["北塬县"]["rank"] is None  # 未完成 the 耕地保有量 task: 一票否决
    assert sorted(r["rank"] for r in js["rows"] if r["rank"]) == [1, 2, 3, 4, 5, 6, 7]
    cells = {i["no"]: {c["unit"]: c for c in i["cells"]} for i in js["indicators"]}
    assert cells[17]["东湖区"]["display"] == "已完成" and cells[17]["北塬县"]["display"] == "未完成"
    assert cells[15]["东湖区"]["display"] == "无" and cells[15]["东湖区"]["score"] == 0
    assert cells[15]["霁州高新区"]["score"] == 2  # 3项, capped at 2
    assert cells[16]["青溪县"]["score"] == -4  # 发生3起, 2 each, at most 4
    said = " ".join(p["message"] for p in js["problems"])
    assert "无人报送" not in said and "第 15 项" not in said  # 无 is a figure, not a gap
    assert cells[9]["北塬县"]["actual"] == -1.2  # 上升1.2% of a reduction rate


@pytest.mark.parametrize("april", ["rows", "short"])
def test_units_as_rows_in_the_bureaus_words(tmp_path, april):
    root = jz.build(tmp_path / "ws", april=april)
    js = _league(root, jz.M4)
    assert not _against_hand(js, jz.M4)
    assert not [p for p in js["problems"] if p["level"] == "error"]


def test_a_month_nobody_could_read_gives_no_places_and_no_place_to_compare_with(tmp_path):
    root = jz.build(tmp_path / "ws", april="unreadable")
    april = _league(root, jz.M4)
    assert [r["rank"] for r in april["rows"]] == [None] * len(jz.U)
    assert [p for p in april["problems"] if p["level"] == "error"]  # the headings no system names are named
    may = _league(root, jz.M5)
    assert not _against_hand(may, jz.M5)
    assert all(r["prev_rank"] is None and r["rank_change"] is None for r in may["rows"]), \
        [(r["unit"], r["prev_rank"], r["rank_change"]) for r in may["rows"]]
    p = cli(root, "run", "--all-units", "--month", jz.M4)
    assert p.returncode == 1 and "第 1 名" not in p.stdout and "不参与排名" in p.stdout


def test_a_gap_names_its_cell_and_a_mistyped_figure_is_an_error(tmp_path):
    root = jz.build(tmp_path / "ws", gaps=True)
    js = cli_json(root, "check", "--all-units", "--month", jz.M6)
    problems = js["problems"]
    gap = [p for p in problems if p["file"].startswith("霁城区") and "第 3 项" in p["message"]]
    assert gap and gap[0]["cell"] == "E7"
    typo = [p for p in problems if p["file"].startswith("东湖区") and p["cell"] == "E9"]
    assert typo and typo[0]["level"] == "error" and "5..5" in typo[0]["message"]


def test_reaching_a_value_two_units_share_is_their_place():
    values = {"甲": 25.0, "乙": 29.0, "丙": 29.0, "丁": 35.0}
    ordered = best_first(values, "lower")
    assert place_at(ordered, 29.0, leave_out="丁") == 2 and place_at(ordered, 25.0, leave_out="丁") == 1


def test_the_bulletin_of_a_unit_says_the_shared_place(city):
    p = cli(city, "run", "--all-units", "--unit-reports", "all", "--month", jz.M5)
    assert p.returncode in (0, 1), p.stderr
    (book,) = (city / "output" / jz.M5 / "东湖区").glob("*预警通报.xlsx")
    notes = [str(v) for ws in openpyxl.load_workbook(book) for row in ws.iter_rows(values_only=True) for v in row
             if v and "追平" in str(v)]
    pm = [n for n in notes if n.startswith("降至30")]
    # 北塬县 and 青溪县 share 第2 (30): the first of the tie is named, as 第一名 names the first of a tie
    assert pm and "追平目前第2位的北塬县）可升至第2名" in pm[0], notes


@pytest.mark.parametrize("raw, rate, growth", [("下降3.2%", 3.2, -3.2), ("上升1.2%", -1.2, 1.2), ("3.2%", 3.2, 3.2),
                                                ("增长0.5%", -0.5, 0.5), ("-1.5", -1.5, -1.5)])
def test_a_reduction_rate_written_as_what_happened(raw, rate, growth):
    assert as_rate_of("单位地区生产总值能耗降低率（%）", parse_value(raw)).value == rate
    assert as_rate_of("地区生产总值增速", parse_value(raw)).value == growth


def test_the_league_workbook_prints_the_hand_figures_as_excel_rounds_them(city):
    p = cli(city, "run", "--all-units", "--month", jz.M6)
    assert p.returncode in (0, 1), p.stderr
    (book,) = (city / "output" / jz.M6).glob("*排名总表.xlsx")
    ws = openpyxl.load_workbook(book)["总排名"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] in jz.U}
    hand = jz.hand_month(jz.M6)
    for u, h in hand.items():
        place, unit, total, full, rate = rows[u][:5]
        half_up = Decimal(h["rate"].numerator) / Decimal(h["rate"].denominator)
        assert (place, float(total), float(full), float(rate)) == (
            h["place"] if h["place"] else "不参与排名", float(h["total"]), float(h["full"]),
            float(half_up.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))), u
    assert float(rows["霁州高新区"][4]) == 96.38  # 38.55 / 40 × 100 = 96.375: Excel's ROUND says 96.38
    assert "未完成（约束条件）" in rows["北塬县"][-1]  # the veto as the unit wrote it, not 发生1起
    heads = [c for row in openpyxl.load_workbook(book)["分类得分"].iter_rows(values_only=True) for c in row
             if isinstance(c, str) and c.startswith("一、")]
    assert heads == ["一、经济发展"]  # not 经济发展（17分） over units whose 满分 is 13 or 19
    assert "折算 96.38" in p.stdout


def test_a_county_table_s_short_override_is_the_peer_data_s_unit():
    from fractions import Fraction

    from kaohe_excel.model import Indicator, unit_points

    ind = Indicator(no=1, row=5, path=[], name="地区生产总值增速", name_raw="地区生产总值增速", points=4.0,
                    points_by_unit={"高新区": 6.0})
    assert unit_points(ind, "霁州高新区")[0] == Fraction(6) and unit_points(ind, "霁城区")[0] == Fraction(4)
    two = Indicator(no=1, row=5, path=[], name="x", name_raw="x", points=4.0, points_by_unit={"州高新区": 6.0, "高新区": 5.0})
    assert unit_points(two, "霁州高新区")[0] == Fraction(4)  # two names it holds: neither is sure


def test_three_hyphens_across_every_unit_still_mean_not_assessed(tmp_path):
    root = jz.build(tmp_path / "ws")
    f = root / "input" / SYSTEM
    r = jz.edit_row(f, 11, {c: "---" for c in range(5, 5 + len(jz.U))})
    spec = cli_json(root, "spec", str(f))
    item = next(i for i in spec["indicators"] if i["no"] == 11)
    assert set(item["points_by_unit"].values()) == {None}  # `---` is said in so many words
    assert not [p for p in spec["problems"] if p["cell"] == f"E{r}"]
    assert spec["total_points_by_unit"]["霁城区"] == 38  # 40 without item 11's 2


# ---- what the review of this change found (helper-25), each as the county's own run meets it

@pytest.mark.parametrize("raw, kind, events", [
    ("尚未完成，正在推进", "constraint", None), ("未达到红色预警线", "constraint", None), ("未完成", "constraint", 1),
    ("已完成", "constraint", 0), ("未达到扣分标准", "deduction", None), ("全年目标12项，已完成10项", "deduction", None),
    ("发生1起", "deduction", 1), ("未发生", "deduction", 0), ("未完成", "bonus", None), ("已完成", "bonus", None),
    ("获得2项", "bonus", 2), ("无", "bonus", 0), ("良好", None, None)])
def test_event_words_only_where_they_are_a_count(raw, kind, events):
    from kaohe_excel.text import events_from_text

    assert events_from_text(raw, kind) == events


@pytest.mark.parametrize("raw, status", [("5..5", "text"), ("6.2.1%", "text"), ("3..", "text"), ("2024.6.30", "ok"),
                                         ("8.1（截至2024.6.30）", "ok"), ("已于2024.3.15开工建设", "ok"), ("6.2", "ok")])
def test_only_a_whole_cell_mistyped_is_no_figure(raw, status):
    assert parse_value(raw).status == status


@pytest.mark.parametrize("raw, rate", [("3.5%，较上月提高0.3个百分点", 3.5), ("3.5%（同比提高0.3个百分点）", 3.5),
                                       ("上升至3.2%", 3.2), ("下降-1.2%", -1.2)])
def test_a_reduction_rate_s_remark_is_not_its_change(raw, rate):
    assert as_rate_of("单位地区生产总值能耗降低率（%）", parse_value(raw)).value == rate


SIX = ["舞钢市", "汝州市", "宝丰县", "叶县", "鲁山县", "郏县"]


def _system(*names_by_no):
    from kaohe_excel.model import Indicator, IndicatorSystem

    return IndicatorSystem("t", "f", "s", indicators=[Indicator(no=no, row=no + 3, path=["x"], name=n, name_raw=n, points=5.0)
                                                      for no, n in names_by_no])


def _units_as_rows(path: Path, layout: list) -> Path:
    """Counties as rows; each (heading, sub-headings) merged over its sub-columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, "平顶山市2023年1-8月各县（市）主要指标完成情况")
    ws.cell(2, 1, "县（市）")
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    c = 2
    for name, subs in layout:
        ws.cell(2, c, name)
        if len(subs) > 1:
            ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + len(subs) - 1)
        for k, sub in enumerate(subs):
            ws.cell(3, c + k, sub)
        c += len(subs)
    for j, u in enumerate(SIX):
        ws.cell(4 + j, 1, u)
        c = 2
        for name, subs in layout:
            for k, sub in enumerate(subs):
                ws.cell(4 + j, c + k, j + 1 if sub.endswith(("位次", "排名")) else f"{5 + j / 10}（{j + 1}）"
                        if "（位次）" in sub else 5.0 + j / 10 if "增" in sub else 100 + j)
            c += len(subs)
    wb.save(path)
    return path


def test_units_as_rows_with_an_amount_a_growth_and_a_rank_under_one_heading(tmp_path):
    from kaohe_excel.read.workbook import read_peers

    system = _system((1, "地区生产总值增速"), (2, "一般公共预算收入"), (3, "营商环境评价"), (4, "规模以上工业增加值增速"))
    f = _units_as_rows(tmp_path / "a.xlsx", [("地区生产总值", ["总量", "增速", "位次"]), ("一般公共预算收入", ["数值", "位次"]),
                                             ("营商环境评价", ["位次"]), ("规模以上工业增加值增速", ["数值", "位次"])])
    got = {r.key.no: r.values["叶县"] for r in read_peers(f, system).rows if r.key is not None}
    assert got == {1: 5.3, 2: 103, 3: 4, 4: 103}  # the growth ranked on its 增速; the place the only figure given


def test_units_as_rows_with_a_value_written_with_its_rank(tmp_path):
    from kaohe_excel.read.workbook import read_peers

    names = ["地区生产总值增速", "一般公共预算收入增速", "固定资产投资增速"]
    f = _units_as_rows(tmp_path / "b.xlsx", [(n, ["完成值（位次）"]) for n in names])
    pt = read_peers(f, _system(*enumerate(names, 1)))
    assert {r.key.no: r.values["叶县"] for r in pt.rows} == {1: 5.3, 2: 5.3, 3: 5.3}


def test_a_city_s_own_numbers_in_the_names_do_not_beat_the_names(tmp_path):
    from kaohe_excel.read.workbook import read_peers

    system = _system((1, "固定资产投资增速"), (2, "工业投资占固定资产投资比重"), (28, "PM2.5平均浓度"), (30, "地区生产总值增速"),
                     (31, "规模以上工业增加值增速"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, "平顶山市1-8月主要指标")
    ws.cell(2, 1, "指标名称")
    for j, u in enumerate(SIX):
        ws.cell(2, 2 + j, u)
    for i, n in enumerate(["1.地区生产总值增速", "2.规上工业增加值增速", "3.固定资产投资增长", "4.细颗粒物浓度"]):
        ws.cell(3 + i, 1, n)
        for j in range(6):
            ws.cell(3 + i, 2 + j, 10 * i + j)
    wb.save(tmp_path / "c.xlsx")
    pt = read_peers(tmp_path / "c.xlsx", system)
    assert [r.key.no for r in pt.rows] == [30, 31, 1, 28]
    assert not [p for p in pt.problems if p.level == "error"]


def test_reaching_a_shared_place_may_skip_a_colour():
    from kaohe_excel.assess.month import assess_month
    from kaohe_excel.config import Config
    from kaohe_excel.model import HIGHER, IndicatorKey, PeerTable
    from tests.test_assess_month import entry, ind, peer
    from kaohe_excel.model import IndicatorSystem

    system = IndicatorSystem("t", "f", "s", indicators=[ind(1, "固定资产投资增速", 5)])
    peers = PeerTable("p.xlsx", "8月", SIX, rows=[peer(1, "固定资产投资增速", [50, 45, 45, 38, 45, 40], HIGHER)])
    r = assess_month(system, {1: entry(1, 38)}, peers, Config(county="叶县"), "2023-08").by_key()[IndicatorKey(1)]
    assert r.colour == "red" and r.reach_note.endswith("可升至第2名，转为绿色")  # 1-2 绿 of six: not 黄


def test_units_as_rows_with_a_heading_merged_down_beside_value_rank_pairs(tmp_path):
    """An acceptance probe's April (helper-31, 岚州市): 数值 | 位次 under each heading, and the event
    items' headings merged down over both header rows. The pairs were not seen (the merged-down
    cells read as a third kind of sub-heading), so every 位次 column was read as the item again:
    17 false 「本行重复」 hints, and the sheet's ranks taken for figures."""
    from kaohe_excel.read.workbook import read_peers

    names = ["地区生产总值增速", "一般公共预算收入"]
    f = _units_as_rows(tmp_path / "d.xlsx", [(n, ["数值", "位次"]) for n in names])
    wb = openpyxl.load_workbook(f)
    ws = wb.active
    ws.cell(2, 6, "生产安全事故（起）")
    ws.merge_cells(start_row=2, start_column=6, end_row=3, end_column=6)
    for j in range(len(SIX)):
        ws.cell(4 + j, 6, j % 2)
    wb.save(f)
    pt = read_peers(f, _system((1, names[0]), (2, names[1]), (3, "生产安全事故")))
    assert {r.key.no: r.values["叶县"] for r in pt.rows if r.key is not None} == {1: 103, 2: 103, 3: 1}
    assert not [p for p in pt.problems if "重复" in p.message], [p.message for p in pt.problems]
