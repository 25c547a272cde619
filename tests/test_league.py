"""Issue #14, the view from above: `kaohe assess --all-units --json` and `kaohe run --all-units`
on the invented city 汀澜市 (tests/league_city.py), checked against the figures worked out by
hand there: every unit's rank, score, points, colour and change per indicator, category
subtotals, totals, full marks, 折算得分, overall place and last month's. The written 排名总表
is read back with openpyxl; each unit's reports from the all-units run are compared with what a
county run for that unit writes from the same input/; a unit's own 一览表 joins the city's
sheet as its column. The code under test runs only as separate processes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests import league_city as lc
from tests.kaohe_cli import cli, cli_json

JUNE, MAY = lc.JUNE, lc.MAY


# ------------------------------------------------------------------ the runs (each once)
class Space:
    def __init__(self, root: Path, **kw):
        self.root = root
        self.built = lc.build_workspace(root, **kw)
        self._cache: dict = {}

    def league(self, month: str = JUNE) -> dict:
        if month not in self._cache:
            self._cache[month] = cli_json(self.root, "assess", "--all-units", "--month", month)
        return self._cache[month]

    def run(self) -> tuple[Path, str]:
        """`kaohe run --all-units --unit-reports all`: (output/2024-06, what it printed)."""
        if "run" not in self._cache:
            p = cli(self.root, "run", "--all-units", "--unit-reports", "all", "-w", str(self.root), "--month", JUNE)
            assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
            assert p.returncode in (0, 1), p.stdout + p.stderr
            self._cache["run"] = (self.root / "output" / JUNE, p.stdout)
        return self._cache["run"]

    def league_book(self) -> Path:
        found = sorted(self.run()[0].glob("*排名总表*.xlsx"))
        assert len(found) == 1, [f.name for f in self.run()[0].iterdir()]
        return found[0]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Space:
    return Space(tmp_path_factory.mktemp("tinglan"))


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> Space:
    """澜山县 sent its own 一览表; the city's June sheet lacks its figure for 1."""
    return Space(tmp_path_factory.mktemp("tinglan_own"), own_report=True)


def _num(x) -> Fraction | None:
    return None if x is None else Fraction(str(x))


def _same(got, want) -> bool:
    """A figure of record equals the hand-worked one exactly (both read as decimals)."""
    if want is None or got is None:
        return got is None and want is None
    return _num(got) == _num(want)


def _problems(js: dict) -> str:
    return "\n".join(f"{p.get('file')} {p.get('cell')} {p.get('level')}: {p.get('message')}" for p in js["problems"])


# ================================================================== the JSON league
def check_rows(js: dict, month: str) -> None:
    rows = js["rows"]
    assert [r["unit"] for r in rows] == lc.ORDER[month], [r["unit"] for r in rows]
    for r in rows:
        u = r["unit"]
        got = (r["rank"], _num(r["total"]), _num(r["total_points"]), r["excluded"])
        want = (lc.PLACES[month][u], _num(lc.TOTALS[month][u]), _num(lc.FULL_MARKS[u]), lc.PLACES[month][u] is None)
        assert got == want, (month, u, got, want)
        assert abs(Fraction(r["rate"]) - lc.RATES[month][u]) < Fraction(1, 10**9), (month, u, r["rate"])
        subs = {s["category"]: (_num(s["score"]), _num(s["points"])) for s in r["subtotals"]}
        want_subs = {c: (_num(lc.SUBTOTALS[month][u][c]), _num(lc.CATEGORY_POINTS[u][c])) for c in lc.CATEGORIES}
        assert subs == want_subs, (month, u, subs, want_subs)
        # a leader adding up the categories gets the total
        assert sum(s for s, _p in subs.values()) == _num(r["total"]), (month, u)
        assert sum(p for _s, p in subs.values()) == _num(r["total_points"]), (month, u)


def check_indicators(js: dict, month: str) -> None:
    by_no = {i["no"]: i for i in js["indicators"]}
    assert sorted(by_no) == [row[0] for row in lc.SYSTEM_ROWS]
    for no, ranks in lc.RANKS[month].items():
        cells = by_no[no]["cells"]
        got = {c["unit"]: c["rank"] for c in cells}
        assert got == ranks, (month, no, got, ranks)
        # best place first, the unit not assessed last
        placed = [c["rank"] for c in cells if c["rank"] is not None]
        assert placed == sorted(placed) and all(c["rank"] is None for c in cells[len(placed):]), (month, no, cells)
        for c in cells:
            u = c["unit"]
            out = (no, u) in lc.NOT_ASSESSED
            assert c["not_assessed"] is out, (month, no, u)
            want_colour = None if out else lc.COLOUR_OF_RANK[ranks[u]]
            assert c["colour"] == want_colour, (month, no, u, c["colour"], want_colour)
            assert _same(c["points"], lc.POINTS[no][u]), (no, u, c["points"])
            if out:
                assert c["display"] == "不考核" and c["score"] is None, (no, u, c)


def test_the_group_is_the_five_units_not_the_city(city):
    js = city.league()
    assert js["units"] == lc.UNITS, js["units"]  # 汀澜市（全市） is the city's own figure, not a unit
    assert js["month"] == JUNE and js["prev_month"] == MAY
    assert js["categories"] == lc.CATEGORIES
    assert js["group_label"] == "五县区"


def test_june_overall_rows(city):
    """Places by 折算得分: 云栖 87.92 ahead of 澜山 83.5 although 澜山's raw total 16.7 is the
    highest; 鹭溪县 (a 重大群体性事件 happened) keeps its total but has no place."""
    js = city.league()
    check_rows(js, JUNE)
    lx = next(r for r in js["rows"] if r["unit"] == lc.LX)
    assert any("重大群体性事件" in why for why in lx["exclusion_reasons"]), lx


def test_june_places_against_may(city):
    rows = {r["unit"]: r for r in city.league()["rows"]}
    for u in lc.UNITS:
        assert rows[u]["prev_rank"] == lc.PLACES[MAY][u], (u, rows[u]["prev_rank"])
        assert rows[u]["rank_change"] == lc.PLACE_CHANGES[u], (u, rows[u]["rank_change"])


def test_may_league_by_itself(city):
    """May (.xls peer sheet): no constraint happened, all five placed; the May ranks per item."""
    js = city.league(MAY)
    assert js["prev_month"] is None
    check_rows(js, MAY)
    check_indicators(js, MAY)


def test_june_ranks_colours_points_per_indicator(city):
    """Including: 2, where 汀西区 is `---` but the city's sheet prints the best figure (12.6):
    the four assessed units are ranked among themselves (1–4); 6, a tie at 3 (next place 5);
    7 逆向; 9, 云栖高新区 `---` with no figure."""
    check_indicators(city.league(), JUNE)


def test_june_scores_per_indicator(city):
    by_no = {i["no"]: i for i in city.league()["indicators"]}
    for no, scores in lc.SCORES.items():
        got = {c["unit"]: c["score"] for c in by_no[no]["cells"]}
        bad = {u: (got[u], want) for u, want in scores.items() if not _same(got[u], want)}
        assert not bad, (no, bad)


def test_june_rank_changes_per_indicator(city):
    by_no = {i["no"]: i for i in city.league()["indicators"]}
    for no, ranks in lc.RANKS[JUNE].items():
        for c in by_no[no]["cells"]:
            u = c["unit"]
            if (no, u) in lc.NOT_ASSESSED:
                assert c["prev_rank"] is None and c["rank_change"] is None, (no, u, c)
                continue
            assert c["prev_rank"] == lc.RANKS[MAY][no][u], (no, u, c["prev_rank"])
            assert c["rank_change"] == lc.RANK_CHANGES.get(no, {}).get(u, 0), (no, u, c["rank_change"])


def test_targets_are_each_units_own(city):
    by_no = {i["no"]: i for i in city.league()["indicators"]}
    for no, targets in lc.TARGETS.items():
        got = {c["unit"]: c["target"] for c in by_no[no]["cells"]}
        assert all(_same(got[u], t) for u, t in targets.items()), (no, got, targets)
    assert all(c["target"] is None for c in by_no[3]["cells"])  # 按全市平均水平比较考核: words
    assert all(c["target_text"] == "按全市平均水平比较考核" for c in by_no[3]["cells"])  # shown as written


def test_a_target_in_words_is_printed_in_the_league_and_each_units_overview(city):
    """Item 3's 按全市平均水平比较考核 (merged over every unit's target) is no number to score by, and
    is printed as the system writes it: in 指标排名 and in the unit's own 一览表 (市定目标)."""
    wb = openpyxl.load_workbook(city.league_book())
    ws = wb["指标排名"]
    texts = [_t(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert texts.count("按全市平均水平比较考核") == len(lc.UNITS), texts.count("按全市平均水平比较考核")
    for u in lc.UNITS:
        book = next((city.run()[0] / u).glob("*一览表*.xlsx"))
        sheet = openpyxl.load_workbook(book).worksheets[0]
        row = next(r for r in sheet.iter_rows() if any(_t(c.value) == "固定资产投资增速" for c in r))
        assert "按全市平均水平比较考核" in [_t(c.value) for c in row], (u, [c.value for c in row])


def test_events(city):
    """10 happened once in 鹭溪县 (red, 0 points); 11 is in nobody's figures: 未报送 for every
    unit, no score, its point still in the full marks, and said so; 12: 汀西区 2 events, −2."""
    js = city.league()
    by_no = {i["no"]: i for i in js["indicators"]}
    for no, colours in lc.EVENT_COLOURS.items():
        got = {c["unit"]: c["colour"] for c in by_no[no]["cells"]}
        assert got == colours, (no, got)
        got_scores = {c["unit"]: c["score"] for c in by_no[no]["cells"]}
        assert all(_same(got_scores[u], s) for u, s in lc.SCORES[no].items()), (no, got_scores)
    assert {c["display"] for c in by_no[11]["cells"]} == {"未报送"}
    assert any("重大环境污染事件" in p["message"] and "无人报送" in p["message"] for p in js["problems"]), _problems(js)


# ================================================================== the written 排名总表
def _t(v) -> str:
    return re.sub(r"\s+", "", str(v if v is not None else ""))


def _header(ws, *words) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        texts = {_t(c.value): c.column for c in row if c.value is not None}
        if all(w in texts for w in words):
            return row[0].row, texts
    raise AssertionError(f"{ws.title}: no header row with {words}")


def _dec(v) -> Decimal:
    return Decimal(str(v))


def test_written_overall_sheet(city):
    wb = openpyxl.load_workbook(city.league_book())
    ws = wb["总排名"]
    hrow, cols = _header(ws, "名次", "单位", "测算得分", "满分", "折算得分")
    lines = []
    for r in range(hrow + 1, ws.max_row + 1):
        unit = ws.cell(r, cols["单位"]).value
        if unit not in lc.UNITS:
            continue
        lines.append({k: ws.cell(r, c).value for k, c in cols.items()})
    assert [x["单位"] for x in lines] == lc.ORDER[JUNE]
    for x in lines:
        u = x["单位"]
        place = lc.PLACES[JUNE][u]
        assert x["名次"] == (place if place is not None else "不参与排名"), (u, x["名次"])
        assert _dec(x["测算得分"]) == _dec(lc.TOTALS[JUNE][u]), (u, x["测算得分"])
        assert _dec(x["满分"]) == _dec(lc.FULL_MARKS[u]), (u, x["满分"])
        assert _dec(x["折算得分"]) == _dec(lc.RATES_PRINTED[JUNE][u]), (u, x["折算得分"])
        assert x["上月名次"] == lc.PLACES[MAY][u], (u, x["上月名次"])
        assert _t(x["位次变化"]) == lc.CHANGE_TEXT[u], (u, x["位次变化"])
    lx = next(x for x in lines if x["单位"] == lc.LX)
    assert "重大群体性事件" in _t(lx["说明"]), lx


def test_overall_place_column_is_coloured_by_rules(city):
    """The 名次 column carries conditional-formatting rules over every unit's row (a clerk who
    corrects a place by hand sees the colour follow)."""
    ws = openpyxl.load_workbook(city.league_book())["总排名"]
    hrow, cols = _header(ws, "名次", "单位")
    letter = openpyxl.utils.get_column_letter(cols["名次"])
    covered = set()
    for cf in ws.conditional_formatting:
        for rng in cf.sqref.ranges:
            if rng.min_col == rng.max_col == cols["名次"] and cf.rules:
                covered |= set(range(rng.min_row, rng.max_row + 1))
    rows = [r for r in range(hrow + 1, ws.max_row + 1) if ws.cell(r, cols["单位"]).value in lc.UNITS]
    assert set(rows) <= covered, (letter, rows, sorted(covered))
    formulas = [f for cf in ws.conditional_formatting for rule in cf.rules for f in (rule.formula or [])]
    assert any("<=2" in f for f in formulas) and any(">4" in f for f in formulas), formulas


def _category_blocks(ws) -> dict[str, dict[str, dict]]:
    """category -> unit -> {名次, 得分, 满分} from the 分类得分 sheet's blocks."""
    blocks: dict[str, dict[str, dict]] = {}
    cat = cols = None
    for r in range(1, ws.max_row + 1):
        first = _t(ws.cell(r, 1).value)
        m = re.fullmatch(r"[一二三四五六七八九十]+、(.+)", first)
        if m:
            cat, cols = m.group(1), None
            blocks[cat] = {}
            continue
        texts = {_t(ws.cell(r, c).value): c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value is not None}
        if "名次" in texts and "单位" in texts:
            cols = texts
            continue
        if cat and cols and ws.cell(r, cols["单位"]).value in lc.UNITS:
            blocks[cat][ws.cell(r, cols["单位"]).value] = {k: ws.cell(r, cols[k]).value
                                                          for k in ("名次", "得分", "满分", "得分率") if k in cols}
    return blocks


def test_written_category_sheet_adds_up_to_each_total(city):
    """A leader adding up a unit's category scores on 分类得分 gets its total on 总排名; each
    block's places are by the share of the category's points (ties shared)."""
    wb = openpyxl.load_workbook(city.league_book())
    blocks = _category_blocks(wb["分类得分"])
    assert list(blocks) == lc.CATEGORIES, list(blocks)
    for u in lc.UNITS:
        total = sum(_dec(blocks[c][u]["得分"]) for c in lc.CATEGORIES)
        assert total == _dec(lc.TOTALS[JUNE][u]), (u, total)
        full = sum(_dec(blocks[c][u]["满分"]) for c in lc.CATEGORIES)
        assert full == _dec(lc.FULL_MARKS[u]), (u, full)
    for c in lc.CATEGORIES:
        got = {u: (x["名次"] if x["名次"] not in ("", None) else None) for u, x in blocks[c].items()}
        assert got == lc.CATEGORY_PLACES[c], (c, got)
        scores = {u: _dec(x["得分"]) for u, x in blocks[c].items()}
        assert scores == {u: _dec(lc.SUBTOTALS[JUNE][u][c]) for u in lc.UNITS}, (c, scores)


def test_written_indicator_sheet(city):
    ws = openpyxl.load_workbook(city.league_book(), data_only=True)["指标排名"]  # (a formula's value as written)
    blocks: dict[int, dict[str, dict]] = {}
    headings: dict[int, str] = {}
    no = cols = None
    for r in range(1, ws.max_row + 1):
        m = re.match(r"(\d+)\.", _t(ws.cell(r, 1).value))
        if m and ws.cell(r, 2).value is None:
            no, cols = int(m.group(1)), None
            blocks[no] = {}
            headings[no] = _t(ws.cell(r, 1).value)
            continue
        texts = {_t(ws.cell(r, c).value): c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value is not None}
        if "名次" in texts and "单位" in texts:
            cols = texts
            continue
        if no and cols and ws.cell(r, cols["单位"]).value in lc.UNITS:
            blocks[no][ws.cell(r, cols["单位"]).value] = {k: ws.cell(r, c).value for k, c in cols.items()}
    assert sorted(blocks) == [row[0] for row in lc.SYSTEM_ROWS]
    # what each block is: an event item says so (a constraint has no 正向), 8 says how it is scored
    # (its 1.12 at 4th above 1 at 3rd reads right only then), 7 says 逆向
    assert "约束条件" in headings[10] and "正向" not in headings[10], headings[10]
    assert "减分项" in headings[12] and "逆向" not in headings[12], headings[12]
    assert "按目标完成比例计分" in headings[8] and "逆向" in headings[7], (headings[8], headings[7])
    for n, ranks in lc.RANKS[JUNE].items():
        got = {u: x["名次"] for u, x in blocks[n].items()}
        assert got == ranks, (n, got)
        order = [u for u, x in blocks[n].items()]
        assert order == sorted(order, key=lambda u: (ranks[u] is None, ranks[u] or 0)), (n, order)
        for u, x in blocks[n].items():
            if (n, u) in lc.NOT_ASSESSED:
                assert _t(x["分值"]) == "不考核" and x["得分"] in (None, ""), (n, u, x)
                continue
            assert _dec(x["得分"]) == _dec(lc.SCORES[n][u]), (n, u, x["得分"])
            assert _dec(x["分值"]) == _dec(lc.POINTS[n][u]), (n, u, x["分值"])
            assert _t(x["预警提示"]) == {"green": "绿", "yellow": "黄", "red": "红"}[lc.COLOUR_OF_RANK[ranks[u]]]
            assert x["上月名次"] == lc.RANKS[MAY][n][u], (n, u, x["上月名次"])
    # the place column of every block is coloured by rules too
    assert any(rng.min_col == rng.max_col == 1 for cf in ws.conditional_formatting for rng in cf.sqref.ranges)


def test_a_rank_corrected_by_hand_in_the_league_turns_its_warning(city):
    """A rank-coloured cell's 预警提示 in 指标排名 is a formula on the 名次 beside it (as in each unit's
    一览表), written with its value: a clerk who corrects a place sees the word and the colour follow."""
    path = city.league_book()
    formulas = openpyxl.load_workbook(path)["指标排名"]
    values = openpyxl.load_workbook(path, data_only=True)["指标排名"]
    live = 0
    for r in range(1, formulas.max_row + 1):
        g = formulas.cell(r, 7).value
        if isinstance(g, str) and g.startswith("="):
            assert f"A{r}" in g and "绿" in g and "红" in g, (r, g)
            assert values.cell(r, 7).value in ("绿", "黄", "红") and isinstance(values.cell(r, 1).value, int), r
            live += 1
    ranked = sum(1 for n, ranks in lc.RANKS[JUNE].items() for u, k in ranks.items()
                 if k is not None and (n, u) not in lc.NOT_ASSESSED)  # (every item here is coloured by rank)
    assert live == ranked, (live, ranked)


def test_league_file_is_named_as_headed(city):
    """…综合绩效考核2024年6月排名总表, not …指标及目标任务2024年6月排名总表."""
    name = city.league_book().name
    assert name == "汀澜市2024年度区县（园区）高质量发展综合绩效考核2024年6月排名总表.xlsx", name


def test_leader_score_is_the_leaders(city):
    """得分测算's 第一名得分 on 4 is 云栖高新区's 1.5 (1st, 1.5 × 100 %), not 澜山县's 1.6
    (5th, but 2 × 80 % with its own points)."""
    out, _printed = city.run()
    wb = openpyxl.load_workbook(next((out / lc.TX).glob("*得分测算*.xlsx")))
    ws = wb["指标得分"]
    hrow, cols = _header(ws, "序号", "第一名", "第一名得分")
    row = next(r for r in range(hrow + 1, ws.max_row + 1) if ws.cell(r, cols["序号"]).value == 4)
    assert ws.cell(row, cols["第一名"]).value == lc.YQ
    assert _dec(ws.cell(row, cols["第一名得分"]).value) == _dec(lc.SCORES[4][lc.YQ])


def test_an_item_scored_by_events_names_who_leads_it(city):
    """汀西区 lost 2 points on the deduction item 12 (two accidents): its 失分排序 names the unit
    with the best score and its figure, and 指标得分 the same first unit (they named no one beside
    「少2分」)."""
    out, _printed = city.run()
    wb = openpyxl.load_workbook(next((out / lc.TX).glob("*得分测算*.xlsx")))
    first = next(u for u, v in zip(lc.UNITS, next(p for p in lc.PEERS[JUNE] if p[0] == 12)[3]) if v == 0)
    ws = wb["失分排序"]
    hrow, cols = _header(ws, "指标序号", "比第一名少得分", "第一名县市", "第一名完成值", "本县完成情况")
    row = next(r for r in range(hrow + 1, ws.max_row + 1) if ws.cell(r, cols["指标序号"]).value == 12)
    assert _dec(ws.cell(row, cols["比第一名少得分"]).value) == 2
    assert ws.cell(row, cols["第一名县市"]).value == first
    assert ws.cell(row, cols["第一名完成值"]).value == "0起"
    assert ws.cell(row, cols["本县完成情况"]).value not in (None, "")
    ws = wb["指标得分"]
    hrow, cols = _header(ws, "序号", "第一名")
    row = next(r for r in range(hrow + 1, ws.max_row + 1) if ws.cell(r, cols["序号"]).value == 12)
    assert ws.cell(row, cols["第一名"]).value == first


def test_run_prints_the_top_of_the_league(city):
    _out, printed = city.run()
    assert "第 1 名：云栖高新区 15.825/18 分，折算 87.92，持平" in printed, printed
    assert "第 2 名：澜山县 16.7/20 分，折算 83.50，↑1" in printed, printed
    assert "不参与排名：鹭溪县 14.545/19 分" in printed, printed


# ================================================================== one truth: county runs
_STAMP = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}|\d{1,2}:\d{2}:\d{2}|生成于|生成时间|打印时间")


def _cells(path: Path) -> dict:
    """sheet -> {cell: value} (time stamps left out) and the merged ranges."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row
                 if c.value is not None and not (isinstance(c.value, str) and _STAMP.search(c.value))}
        out[ws.title] = (cells, sorted(str(m) for m in ws.merged_cells.ranges))
    return out


@pytest.fixture(scope="module", params=[lc.LS, lc.TX, lc.LX])
def county_run(request, city, tmp_path_factory) -> tuple[str, Path]:
    """`kaohe run` with county = X in kaohe.toml on the same input/: 澜山县 (its own points on
    4–5), 汀西区 (`---` on 2, the deduction), 鹭溪县 (the constraint that happened)."""
    unit = request.param
    ws = lc.copy_input(city.root, tmp_path_factory.mktemp("county"), county=unit)
    p = cli(ws, "run", "-w", str(ws), "--month", JUNE)
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return unit, ws / "output" / JUNE


@pytest.mark.parametrize("word", ["一览表", "得分测算", "预警通报"])
def test_unit_reports_match_a_county_run(city, county_run, word):
    unit, county_out = county_run
    league_out, _printed = city.run()
    mine = sorted(county_out.glob(f"*{word}*.xlsx"))
    theirs = sorted((league_out / unit).glob(f"*{word}*.xlsx"))
    assert len(mine) == 1 and len(theirs) == 1, (mine, theirs)
    assert mine[0].name == theirs[0].name
    a, b = _cells(mine[0]), _cells(theirs[0])
    assert list(a) == list(b), (list(a), list(b))
    for sheet in a:
        ca, cb = a[sheet][0], b[sheet][0]
        diff = {k: (ca.get(k), cb.get(k)) for k in set(ca) | set(cb) if ca.get(k) != cb.get(k)}
        assert not diff, (unit, word, sheet, sorted(diff.items())[:8])
        assert a[sheet][1] == b[sheet][1], (unit, word, sheet)


def test_county_run_of_a_unit_agrees_with_the_hand_worked_line(county_run):
    """The county run's own 得分测算 headline: the same total and full marks as the league line."""
    unit, county_out = county_run
    wb = openpyxl.load_workbook(next(county_out.glob("*得分测算*.xlsx")))
    text = " ".join(_t(c.value) for ws in wb.worksheets for row in ws.iter_rows(max_row=4) for c in row if c.value)
    total, full = lc.TOTALS[JUNE][unit], lc.FULL_MARKS[unit]
    assert f"测算总分{total:g}分（满分{full:g}分）" in text, text[:300]


# ================================================================== a unit's own report
def test_own_report_fills_the_figure_the_city_sheet_lacks(own):
    """The city's June sheet says — for 澜山县 on 1; 澜山县's 一览表 says 7.3%: its column gets 7.3,
    so every hand-worked figure holds (澜山县 2nd on 1, 1.9)."""
    js = own.league()
    check_rows(js, JUNE)
    check_indicators(js, JUNE)
    no, unit = lc.OWN_REPORT_MISSING
    cell = next(c for i in js["indicators"] if i["no"] == no for c in i["cells"] if c["unit"] == unit)
    assert (cell["actual"], cell["rank"], cell["display"]) == (7.3, 2, "7.3%"), cell
    assert _same(cell["score"], lc.SCORES[no][unit])
    missing = [p for p in js["problems"] if unit in p["message"] and "缺少" in p["message"]]
    assert not missing, _problems(js)
    # the sender is the unit itself, not one of the system's departments: nothing to say about it
    sender = [p for p in js["problems"] if "报送单位" in p["message"] or "责任单位不一致" in p["message"]]
    assert not sender, _problems(js)


def test_own_report_that_differs_is_named_with_file_and_cell(own):
    """5: the 一览表 says 增长15.0%, the city's sheet 15.8: the city's figure is used (澜山县
    1st, 2 points) and the difference named with the file and the cell."""
    js = own.league()
    cell = next(c for i in js["indicators"] if i["no"] == lc.OWN_REPORT_DIFFERS for c in i["cells"]
                if c["unit"] == lc.LS)
    assert (cell["actual"], cell["rank"]) == (15.8, 1) and _same(cell["score"], 2), cell
    hits = [p for p in js["problems"] if p["file"] and lc.OWN_REPORT_FILE in p["file"]
            and p["cell"] == lc.OWN_REPORT_DIFFERS_CELL]
    assert hits, _problems(js)
    msg = hits[0]["message"]
    assert "15.8" in msg and "15.0" in msg and lc.LS in msg and lc.PEER_FILES[JUNE] in msg, msg


def test_a_unit_with_no_figure_this_month_has_no_place_anywhere_and_says_why(tmp_path):
    """汀西区's June column left empty (nothing sent to the city yet): no overall place and no place in
    any category (it is not last with 0 分), the reason in its 说明 and in --json, and each of its
    cells in 指标排名 says 无数据 instead of a blank a leader could read as zero."""
    built = lc.build_workspace(tmp_path)
    book = openpyxl.load_workbook(next((built.root / "input" / lc.JUNE).glob("*.xlsx")))
    ws = book.worksheets[0]
    col = next(c.column for row in ws.iter_rows(max_row=6) for c in row if str(c.value or "").strip() == lc.TX)
    rows = [r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, (int, float))]
    assert len(rows) >= len(lc.SYSTEM_ROWS) - 2  # (the peer sheet has the items with figures)
    for r in rows:
        ws.cell(r, col).value = None
    td = next(c.column for row in ws.iter_rows(max_row=6) for c in row if str(c.value or "").strip() == lc.TD)
    ws.cell(rows[0], td).value = None  # 汀东区 lacks one figure: placed, and told why its full marks count it
    book.save(next((built.root / "input" / lc.JUNE).glob("*.xlsx")))

    js = cli_json(built.root, "assess", "--all-units", "--json", "--month", lc.JUNE)
    row = next(r for r in js["rows"] if r["unit"] == lc.TX)
    assert row["rank"] is None and "没有可计分的数据" in row["note"], row
    td_row = next(r for r in js["rows"] if r["unit"] == lc.TD)
    assert td_row["rank"] is not None and td_row["note"].startswith("1项指标（共") and "本月未计分" in td_row["note"], td_row
    assert all(s["rank"] is None for s in row["subtotals"]), row["subtotals"]
    others = [r for r in js["rows"] if r["unit"] != lc.TX]
    for k, cat in enumerate(lc.CATEGORIES):
        placed = sorted(r["subtotals"][k]["rank"] for r in others if r["subtotals"][k]["rank"] is not None)
        assert not placed or placed[0] == 1 and placed[-1] <= len(others), (cat, placed)
    for ind in js["indicators"]:
        cell = next(c for c in ind["cells"] if c["unit"] == lc.TX)
        if not cell["not_assessed"] and ind["kind"] == "scored":
            assert cell["display"] == "无数据" and cell["rank"] is None, (ind["no"], cell)

    p = cli(built.root, "run", "--all-units", "--month", lc.JUNE, "-w", str(built.root))
    assert p.returncode in (0, 1), p.stdout + p.stderr
    league = openpyxl.load_workbook(next((built.root / "output" / lc.JUNE).glob("*排名总表*.xlsx")))
    overall = league["总排名"]
    head_r, cols = _header(overall, "名次", "单位", "说明")
    line = next(r for r in range(head_r + 1, overall.max_row + 1) if overall.cell(r, cols["单位"]).value == lc.TX)
    assert overall.cell(line, cols["名次"]).value == "不参与排名"
    assert "没有可计分的数据" in str(overall.cell(line, cols["说明"]).value)
    for cat, block in _category_blocks(league["分类得分"]).items():
        assert block[lc.TX]["名次"] in (None, "") and block[lc.TX]["得分率"] in (None, ""), (cat, block[lc.TX])
    # the unit's own 一览表 says what the league says of each of its cells (it left them blank)
    (overview,) = (built.root / "output" / lc.JUNE / lc.TX).glob("*一览表*.xlsx")
    sheet = openpyxl.load_workbook(overview).worksheets[0]
    head_r, cols = _header(sheet, "指标内容")
    figure = next(c for t, c in cols.items() if "截至本月" in t)
    shown = {_t(sheet.cell(r, cols["指标内容"]).value): sheet.cell(r, figure).value
             for r in range(head_r + 1, sheet.max_row + 1) if sheet.cell(r, cols["指标内容"]).value}
    league_says = {_t(ind["name"]): next(c for c in ind["cells"] if c["unit"] == lc.TX)["display"]
                   for ind in js["indicators"]}
    assert list(league_says.values()).count("无数据") >= 5
    assert {n: shown.get(n) for n in league_says} == league_says


def test_check_names_the_units_run_assesses_never_the_city_s_own_column(tmp_path):
    """`check --all-units` called the city's own column (汀澜市, the title names it as the units'
    superior) 本月新出现的单位, a 提示 run never gives, and counted it among the units compared."""
    built = lc.build_workspace(tmp_path)
    p = cli(built.root, "check", "--all-units", "--month", lc.MAY)
    assert p.returncode in (0, 1), p.stdout + p.stderr
    assert "新出现的单位" not in p.stdout, p.stdout
    assert "各单位数据：" in p.stdout and f"{len(lc.UNITS)} 个单位（另有「{lc.CITY}」列不参与比较）" in p.stdout, p.stdout


def test_a_unit_misspelt_in_the_peer_table_is_named_with_the_unit_it_looks_like(tmp_path):
    """澜杉县 for 澜山县 in June's header (a helper's probe wrote 青罗县 for 青萝县): the new name and
    the missing one are each told of the other, and 澜山县's own report says what it names
    (it said 没有可识别的单位名称)."""
    built = lc.build_workspace(tmp_path, own_report=True)
    peers = next((built.root / "input" / lc.JUNE).glob("汀澜市*.xlsx"))
    book = openpyxl.load_workbook(peers)
    for row in book.worksheets[0].iter_rows(max_row=8):
        for c in row:
            if isinstance(c.value, str) and c.value.strip() == lc.LS:
                c.value = "澜杉县"
    book.save(peers)
    p = cli(built.root, "check", "--all-units", "--month", lc.JUNE)
    assert "「澜杉县」是本月新出现的单位（指标体系和以前各月都没有它；是不是「澜山县」？）" in p.stdout, p.stdout
    assert "（本月的数据中有「澜杉县」，是不是写错了？）" in p.stdout, p.stdout
    own = [line for line in p.stdout.splitlines() if lc.OWN_REPORT_FILE in line and "无法确定" in line]
    assert own and "写的是「澜山县」，但本月参评单位中没有它" in own[0], p.stdout


def test_a_constraint_nobody_reported_is_said_never_credited(tmp_path):
    """Item 11 (a constraint) is in neither month's sheet: whether it happened is unknown. Each
    placed unit's 说明 says so and counts it 未计分, as its 得分测算 and the run's summary say."""
    ws = lc.build_workspace(tmp_path / "city").root
    js = cli_json(ws, "assess", "--all-units", "--month", JUNE)
    said = "约束条件「重大环境污染事件」无人报送，是否发生不明（如已发生，不参与排名）"
    for row in js["rows"]:
        assert said in row["note"], row
        assert row["unscored"] == 1, row  # (every other item has a figure for every unit)
    p = cli(ws, "run", "--all-units", "--unit-reports", "得分测算", "--month", JUNE)
    assert "不参与排名：鹭溪县" in p.stdout and "「重大群体性事件」发生1起（约束条件），不参与排名" in p.stdout, p.stdout
    wb = openpyxl.load_workbook(next((ws / "output" / JUNE / lc.YQ).glob("*得分测算*.xlsx")))
    text = " ".join(str(c.value) for sh in wb.worksheets for row in sh.iter_rows() for c in row if c.value)
    assert said in text and "涉及0分" not in text


def test_first_places_score_on_a_completion_item_is_what_it_earned(tmp_path):
    """Item 8 is scored by completion of each unit's own target (2 points; June 3300/6000,
    2750/5000, 1500/3000, 1400/2500, 1100/2000). First by value is 汀东区, which earned
    2 × 55% = 1.1 (never the 2 points in full); the best share is 鹭溪县's 56%, so 澜山县
    (2 × 50% = 1.0) lost 2 × 56% − 1.0 = 0.12 against it, in its own run as in the league's."""
    ws = lc.build_workspace(tmp_path / "city").root
    county = lc.copy_input(ws, tmp_path / "county", county=lc.LS)
    item = next(i for i in cli_json(county, "assess", "--month", JUNE)["indicators"] if i["no"] == 8)
    assert (item["score"], item["leader"], item["leader_score"]) == (1.0, lc.TD, 1.1), item
    assert _same(item["points_lost"], Fraction("0.12")), item
    cli(ws, "run", "--all-units", "--unit-reports", "得分测算", "--month", JUNE)
    wb = openpyxl.load_workbook(next((ws / "output" / JUNE / lc.LS).glob("*得分测算*.xlsx")))
    row = next(r for sh in wb.worksheets for r in sh.iter_rows(values_only=True) if "城镇新增就业人数" in r)
    assert 1.1 in row and 2 in row and 1 in row, row  # 分值 2, 得分 1, 第一名得分 1.1


def test_a_vetoed_units_scores_say_why_it_has_no_place(tmp_path):
    """鹭溪县's 重大群体性事件 happened in June: its 得分测算 says so where the place would be,
    never 暂无法估算位次."""
    ws = lc.build_workspace(tmp_path / "city").root
    cli(ws, "run", "--all-units", "--unit-reports", "得分测算", "--month", JUNE)
    wb = openpyxl.load_workbook(next((ws / "output" / JUNE / lc.LX).glob("*得分测算*.xlsx")))
    head = str(wb["得分汇总"]["A2"].value)
    assert "发生约束条件事项，不参与排名" in head and "暂无法估算位次" not in head, head


@pytest.mark.parametrize("period", [("--quarter", "2024Q2"), ("--year", "2024")])
def test_a_period_is_refused_in_the_view_from_above(tmp_path, period):
    """--quarter / --year sum up the county's 部门考核, which the office above has no sheets for:
    with --all-units they ran without a word (a month's league under a period's name); now
    refused, exit 2, saying which option and what to run instead, and nothing written."""
    ws = lc.build_workspace(tmp_path / "city").root
    p = cli(ws, "run", "--all-units", *period)
    assert p.returncode == 2, p.stdout + p.stderr
    assert f"{period[0]} {period[1]} 不能与 --all-units 同时使用" in p.stderr and "--month" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr and not p.stdout.strip(), p.stdout
    assert not (ws / "output" / JUNE).exists()


def test_unit_reports_without_all_units_is_refused_by_run(tmp_path):
    """`kaohe run --unit-reports all` without --all-units was ignored without a word."""
    ws = lc.build_workspace(tmp_path / "city", county=lc.TX).root
    p = cli(ws, "run", "--unit-reports", "all")
    assert p.returncode == 2 and "--unit-reports 只能与 --all-units 一起使用" in p.stderr, p.stdout + p.stderr
    assert not (ws / "output" / JUNE).exists()


def test_a_long_indicator_name_wraps_in_its_block_heading(city):
    """指标排名's block heading (3. 固定资产投资增速（不含…）（正向，单位：%）) wraps in its merged cell and
    its row grows, never running off the page's right edge."""
    ws = openpyxl.load_workbook(city.league_book())["指标排名"]
    heads = [c for row in ws.iter_rows(max_col=1) for c in row if re.match(r"\d+\.", _t(c.value))]
    assert heads and all(c.alignment.wrap_text for c in heads), [c.coordinate for c in heads if not c.alignment.wrap_text]
