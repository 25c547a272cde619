"""Issue #10 acceptance on five more unseen workspaces (tests/exact_more.py).

Every expected figure is written by hand in tests/exact_more.py from the numbers put in
the cells (competition ranks, thirds of N, rank steps, efficacy, completion, per-unit and
shared points, `---`, deductions, unreported events). The code under test runs only as a
separate process: `kaohe assess --json` (and `kaohe spec --json` once).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import exact_more as M

CASES = {c.key: c for c in M.CASES}
EPS = 1e-6  # figures of record have six decimals (scoring.PLACES)


from tests.kaohe_cli import cli as _cli, cli_json as _json  # noqa: E402


class Space:
    def __init__(self, root: Path, case: M.Case):
        self.root, self.case = root, case
        case.build(root)
        self._assess: dict | None = None

    def assess(self) -> dict:
        if self._assess is None:
            self._assess = _json(self.root, "assess", "--month", self.case.month)
        return self._assess


_SPACES: dict[str, Space] = {}


@pytest.fixture(params=list(CASES), scope="module")
def space(request, tmp_path_factory) -> Space:
    key = request.param
    if key not in _SPACES:
        _SPACES[key] = Space(tmp_path_factory.mktemp(key), CASES[key])
    return _SPACES[key]


def _space(key: str, tmp_path_factory) -> Space:
    if key not in _SPACES:
        _SPACES[key] = Space(tmp_path_factory.mktemp(key), CASES[key])
    return _SPACES[key]


def _find(result: dict, key) -> dict:
    for i in result["indicators"]:
        if isinstance(key, int):
            try:
                if int(str(i.get("no")).strip()) == key:
                    return i
            except ValueError:
                continue
        elif i.get("name") == key:
            return i
    raise AssertionError(f"indicator {key!r} not in the result: "
                         f"{[(i.get('no'), i.get('name')) for i in result['indicators']]}")


def _same(exp, got) -> bool:
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - exp) < EPS
    return exp == got


def _mismatches(space: Space, fields: tuple[str, ...]) -> dict:
    res = space.assess()
    wrong = {}
    for key, truth in space.case.ind.items():
        try:
            got = _find(res, key)
        except AssertionError as e:
            wrong[key] = str(e)
            continue
        bad = {f: (truth[f], got.get(f)) for f in fields if f in truth and not _same(truth[f], got.get(f))}
        if bad:
            wrong[key] = bad
    return wrong


def _problems(res: dict) -> str:
    return "\n".join(f"{p.get('file')} {p.get('cell')} {p.get('level')}: {p.get('message')}"
                     for p in res.get("problems", []))


# ------------------------------------------------------------------ per workspace
def test_county(space):
    assert space.assess()["county"] == space.case.county


def test_group(space):
    res, case = space.assess(), space.case
    if case.group is not None:
        assert res["group"] == case.group, res.get("notes")
    else:
        assert len(res["group"]) == case.group_size, (res["group"], res.get("notes"))
    assert str(res["group_label"]).startswith(case.label_prefix), res["group_label"]
    if case.group_label is not None:
        assert res["group_label"] == case.group_label


def test_group_size_on_items(space):
    res, case = space.assess(), space.case
    wrong = {k: i.get("group_size") for k in case.ind
             for i in [_find(res, k)] if i.get("kind") == "scored" and i.get("group_size") != case.group_size}
    assert not wrong, wrong


def test_points(space):
    assert not _mismatches(space, ("points", "not_assessed", "kind")), _problems(space.assess())


def test_ranks(space):
    assert not _mismatches(space, ("rank", "rank_source", "direction")), _problems(space.assess())


def test_colours(space):
    assert not _mismatches(space, ("colour",)), _problems(space.assess())


def test_scores(space):
    assert not _mismatches(space, ("score",)), _problems(space.assess())


def test_values_and_display(space):
    assert not _mismatches(space, ("actual", "target", "display", "qualitative", "unreported", "vetoed")), \
        _problems(space.assess())


def test_peer_ranks(space):
    res = space.assess()
    wrong = {}
    for key, truth in space.case.ind.items():
        got = _find(res, key).get("peer_ranks") or {}
        if "peer_ranks" in truth and got != truth["peer_ranks"]:
            wrong[key] = (truth["peer_ranks"], got)
        if "peer_ranks_by_short" in truth:  # headers written short (柏溪 for 柏溪县)
            short = {next((s for s in truth["peer_ranks_by_short"] if str(u).startswith(s)), u): r
                     for u, r in got.items()}
            if short != truth["peer_ranks_by_short"]:
                wrong[key] = (truth["peer_ranks_by_short"], got)
    assert not wrong, wrong


def test_subtotals(space):
    res = space.assess()
    got = {s["category"]: (s["points"], s["score"]) for s in res["subtotals"]}
    exp = space.case.subtotals
    assert set(got) == set(exp), (exp, got)
    wrong = {c: (exp[c], got[c]) for c in exp
             if not (_same(exp[c][0], got[c][0]) and _same(exp[c][1], got[c][1]))}
    assert not wrong, wrong


def test_total_and_full_marks(space):
    res, case = space.assess(), space.case
    assert (res["total_points"], res["total"]) == pytest.approx((case.total_points, case.total), abs=EPS)


def test_unreported_events(space):
    res, case = space.assess(), space.case
    assert [int(str(k)) for k in res["unreported_events"]] == case.unreported_events
    assert res["points_at_stake"] == pytest.approx(case.points_at_stake, abs=EPS)


# ------------------------------------------------------------------ one-off checks
def test_c_spec_full_marks_by_unit(tmp_path_factory):
    sp = _space("C_per_unit_points", tmp_path_factory)
    system = next((sp.root / "input").glob("附件1*.xlsx"))
    spec = _json(sp.root, "spec", str(system))
    assert spec["total_points_by_unit"] == pytest.approx(M.C_TOTAL_POINTS_BY_UNIT, abs=EPS)


def test_d_both_sheets_read(tmp_path_factory):
    """共性指标 and 个性指标 are one system of 12 items (the 个性 sheet is not a separate one)."""
    sp = _space("D_two_sheets_xls_seven", tmp_path_factory)
    nos = [int(str(i["no"])) for i in sp.assess()["indicators"]]
    assert nos == list(range(1, 13))


@pytest.mark.parametrize("key", ["B_nine_short_efficacy", "B_nine_full_names"])
def test_b_city_columns_not_compared(key, tmp_path_factory):
    """全市 and 岱州市本级 are the city's own figures, never a compared county: nine counties."""
    group = _space(key, tmp_path_factory).assess()["group"]
    assert len(group) == 9 and not [g for g in group if "全市" in g or "本级" in g or g.startswith("岱州")], group


def test_b_city_own_column_is_named_in_notes(tmp_path_factory):
    """The 岱州市本级 column is seen and left out with a word, like 全市 (README: 哪一列、为什么)."""
    notes = _space("B_nine_full_names", tmp_path_factory).assess()["notes"]
    assert any("全市" in n for n in notes) and any("岱州市本级" in n for n in notes), notes


# ------------------------------------------------------------------ the reports (kaohe run)
def _run(space: Space) -> Path:
    out = space.root / "output" / space.case.month
    if not getattr(space, "_ran", False):
        p = _cli(space.root, "run", "--month", space.case.month)
        assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
        assert p.returncode in (0, 1), p.stdout + p.stderr
        space._ran = True
    return out


def _report(space: Space, word: str):
    import openpyxl

    found = sorted(_run(space).glob(f"*{word}*.xlsx"))
    assert len(found) == 1, (word, [f.name for f in _run(space).iterdir()])
    return openpyxl.load_workbook(found[0])


def _flat(v) -> str:
    return "".join(str(v or "").split())


def _header_row(sheet, *words: str):
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=15, values_only=True), 1):
        texts = [_flat(v) for v in row]
        if all(any(w in t for t in texts) for w in words):
            return r, texts
    return None


def test_overview_headers_say_group_and_full_marks(space):
    """一览表: the rank column says the real group (五区排名, 九县市排名 …); 总分 is our own full marks."""
    case = space.case
    sheet = _report(space, "一览表").worksheets[0]
    found = _header_row(sheet, "序号", "排名")
    assert found, "一览表 has no header row with 序号 and 排名"
    _, texts = found
    rank_head = next(t for t in texts if "排名" in t)
    if case.group_label is not None:
        assert rank_head == f"{case.group_label}排名", rank_head
    else:
        assert rank_head.startswith(case.label_prefix), rank_head
    total_head = next((t for t in texts if "总分" in t), "")
    num = total_head.replace("总分", "").replace("分", "")
    assert num and float(num) == pytest.approx(case.total_points, abs=EPS), total_head


def test_c_overview_not_assessed_says_buhekao(tmp_path_factory):
    """C, 一览表: items 5 (不考核) and 8 (---) show 不考核 in 截至本月底完成情况."""
    space = _space("C_per_unit_points", tmp_path_factory)
    keys = [k for k, t in space.case.ind.items() if t.get("not_assessed")]
    assert keys == [5, 8]
    sheet = _report(space, "一览表").worksheets[0]
    hr, texts = _header_row(sheet, "序号", "截至本月底")
    nc = texts.index("序号") + 1
    ac = next(i for i, t in enumerate(texts) if "截至本月底" in t) + 1
    got = {}
    for r in range(hr + 1, sheet.max_row + 1):
        no = sheet.cell(r, nc).value
        if isinstance(no, (int, float)) and int(no) in keys:
            got[int(no)] = _flat(sheet.cell(r, ac).value)
    assert got == {k: "不考核" for k in keys}, got


def test_score_report_points_column_adds_up_to_full_marks(space):
    """得分测算 (per indicator): the 分值 column sums to total_points."""
    wb = _report(space, "得分测算")
    for sheet in wb.worksheets:
        found = _header_row(sheet, "序号", "指标", "分值", "得分")
        if not found or "类别" == found[1][1]:
            continue
        hr, texts = found
        if not any(t == "指标" or t == "指标名称" or t == "指标内容" for t in texts):
            continue
        pc, name_c = texts.index("分值") + 1, next(i for i, t in enumerate(texts) if t.startswith("指标")) + 1
        total = 0.0
        for r in range(hr + 1, sheet.max_row + 1):
            name = _flat(sheet.cell(r, name_c).value)
            if name.startswith("合计") or _flat(sheet.cell(r, 1).value).startswith(("审核", "合计")):
                break
            v = sheet.cell(r, pc).value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                total += v
        assert total == pytest.approx(space.case.total_points, abs=1e-6), (sheet.title, total)
        return
    pytest.fail("得分测算 has no per-indicator sheet with 序号 | 指标 | 分值 | 得分")


def test_c_first_place_loses_nothing(tmp_path_factory):
    """C, item 1: 临空经济区 is first (9.5 %); nothing is lost against first place, in the JSON
    and in both 得分测算 sheets (乐丰县's 2.5-point override is not ours to reach)."""
    sp = _space("C_per_unit_points", tmp_path_factory)
    item = _find(sp.assess(), 1)
    assert item["rank"] == 1 and item.get("points_lost") == 0, (item.get("points_lost"), item.get("leader_score"))
    wb = _report(sp, "得分测算")
    lost = {}
    for sheet in wb.worksheets:
        found = _header_row(sheet, "失分", "指标")
        if not found or "失分" not in found[1]:
            continue
        hr, texts = found
        lc = texts.index("失分") + 1
        name_c = next((i for i, t in enumerate(texts) if t in ("指标", "指标名称")), None)
        if name_c is None:
            continue
        for r in range(hr + 1, sheet.max_row + 1):
            if _flat(sheet.cell(r, name_c + 1).value) == "地区生产总值增速":
                lost[sheet.title] = sheet.cell(r, lc).value
    assert lost and all(v in (0, None) for v in lost.values()), lost
