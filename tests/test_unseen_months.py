"""Layouts nobody here wrote before (tests/unseen_months.py), read by `kaohe check --json`
and `kaohe assess --json` run as separate processes, against truth written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kaohe_cli import run_json

from tests import unseen_months as um



_run = run_json


def _check(tmp_path: Path, build) -> tuple[um.Truth, dict]:
    truth = build(tmp_path)
    _rc, out = _run(tmp_path, "check", "--month", truth.month)
    return truth, out


def _problems(out: dict) -> str:
    return "\n".join(f"{p['file']} {p['sheet']} {p['cell']} {p['level']}: {p['message']}" for p in out["problems"])


@pytest.mark.parametrize("build", um.MONTH_VARIATIONS, ids=lambda f: f.__name__)
def test_month_values_and_ranks(tmp_path, build):
    truth, out = _check(tmp_path, build)
    used = {e["no"]: e for e in out["entries"] if e.get("used", True)}
    got = {no: (used[no]["actual"], used[no]["rank"]) for no in truth.entries if no in used}
    want = {no: (None if a is None else float(a), r) for no, (a, r) in truth.entries.items()}
    got = {no: (None if a is None else float(a), r) for no, (a, r) in got.items()}
    assert got == want, _problems(out)
    for no, dept in truth.departments.items():
        assert used[no]["department"] == dept, (no, used[no])
    # nothing else was read as an indicator of this month
    extra = set(used) - set(truth.entries)
    assert not extra, (extra, _problems(out))


@pytest.mark.parametrize("build", um.MONTH_VARIATIONS, ids=lambda f: f.__name__)
def test_month_status(tmp_path, build):
    truth, out = _check(tmp_path, build)
    st = out["status"]
    assert set(st["sent"]) == truth.sent, _problems(out)
    assert set(st["not_sent"]) == truth.not_sent
    assert not st["extra"], st["extra"]
    assert out["month"] == truth.month


@pytest.mark.parametrize("build", um.MONTH_VARIATIONS, ids=lambda f: f.__name__)
def test_month_no_spurious_errors(tmp_path, build):
    """Layout alone is never an error: only the conflict (when there is one) is."""
    truth, out = _check(tmp_path, build)
    errors = [p for p in out["problems"] if p["level"] == "error"]
    if truth.conflict:
        assert len(errors) == 1, _problems(out)
    else:
        assert not errors, _problems(out)


def test_conflict_names_both_cells(tmp_path):
    truth, out = _check(tmp_path, um.v5_conflict_xls_and_xlsx)
    no, cells = truth.conflict
    msgs = [p["message"] for p in out["problems"] if p["level"] == "error" and f"第 {no} 项" in p["message"]]
    assert msgs, _problems(out)
    for ref in cells:
        f, c = ref.split("!")
        assert f in msgs[0] and c in msgs[0], (ref, msgs[0])


@pytest.mark.parametrize("build", um.PEER_VARIATIONS, ids=lambda f: f.__name__)
def test_peer_ranks_and_colours(tmp_path, build):
    truth = build(tmp_path)
    _rc, check = _run(tmp_path, "check", "--month", truth.month)
    assert check["peers"], _problems(check)
    _rc, out = _run(tmp_path, "assess", "--month", truth.month)
    inds = {i["no"]: i for i in out["indicators"]}
    got_r = {no: inds[no]["rank"] for no in truth.ranks}
    got_c = {no: inds[no]["colour"] for no in truth.colours}
    assert got_r == truth.ranks, [(no, inds[no]["peer_values"], inds[no]["direction"]) for no in truth.ranks]
    assert got_c == truth.colours
    for no, d in truth.directions.items():
        assert inds[no]["direction"] == d, (no, inds[no]["direction"])
    for no, vals in truth.peer_values.items():
        for county, v in vals.items():
            key = next(k for k in inds[no]["peer_values"] if k.startswith(county[:2]))
            assert inds[no]["peer_values"][key] == v
    # the city average is never a peer
    for no in truth.ranks:
        assert len(inds[no]["peer_values"]) == 6, inds[no]["peer_values"]


@pytest.mark.parametrize("raw,value,rank", [
    ("同比增长6.2%", 6.2, None), ("增长 6.2 个百分点", 6.2, None), ("-3.1%", -3.1, None), ("（3.1）", -3.1, None),
    ("(1,234.5)", -1234.5, None), ("4 120", 4120, None), ("6 .2", 6.2, None), ("  41.2 % ", 41.2, None),
    ("约6.2", 6.2, None), ("6.2（预计）", 6.2, None), ("暂无", None, None), ("待统计局反馈", None, None),
    ("未公布", None, None), ("统计局尚未反馈", None, None), ("6.2%（3）", 6.2, 3), ("6.2%，第3名", 6.2, 3),
    ("6.2% 第3", 6.2, 3), ("增长6.2%（并列第2）", 6.2, 2), ("下降1.5%（5）", -1.5, 5), ("已完成，第1名", None, 1),
    ("6.2%（六县市第3位）", 6.2, 3),
])
def test_values_written_every_way(raw, value, rank):
    from kaohe_excel.read.values import parse_value

    v = parse_value(raw)
    assert v.value == value and v.rank == rank, v
    assert not v.several


@pytest.mark.parametrize("raw", ["未发生", "正常推进", "未出现较大事故", "已完成年度任务"])
def test_words_stay_words(raw):
    from kaohe_excel.read.values import TEXT, parse_value

    assert parse_value(raw).status == TEXT


@pytest.mark.parametrize("raw,rank", [
    ("3", 3), ("第3", 3), ("第三名", 3), ("３/６", 3), ("3（并列）", 3), ("并列第2", 2), ("2并列", 2),
    ("六县市第3位", 3), ("六县（市）第3名", 3), ("在六县（市）中排第3位", 3), ("排第3", 3), ("位居第3", 3),
    ("（3）", 3), ("第3名↑1", 3), ("第3名（较上月上升1位）", 3), ("第3名，较上月持平", 3), ("倒数第2", 5),
    ("倒数第一", 6), ("第6名（末位）", 6),
])
def test_ranks_written_every_way(raw, rank):
    from kaohe_excel.read.values import parse_rank

    assert parse_rank(raw, 6).rank == rank


@pytest.mark.parametrize("raw", ["0", "7", "-1", "3.5", "持平", "↑2", "上升2位", "第10名", "倒数第7"])
def test_not_ranks(raw):
    from kaohe_excel.read.values import parse_rank

    assert parse_rank(raw, 6).rank is None


def test_missing_peer_value_names_its_cell_in_a_turned_sheet(tmp_path):
    """Counties as rows: 鲁山县's 固定资产投资增速 is C8 of the file, not a '第N行'."""
    truth = um.p2_transposed(tmp_path)
    _rc, out = _run(tmp_path, "assess", "--month", truth.month)
    hits = [p for p in out["problems"] if "缺少「鲁山县」" in p["message"]]
    assert len(hits) == 1 and hits[0]["cell"] == "C8", hits
    assert "行" not in hits[0]["message"].split("缺少")[0]


def test_check_reports_what_run_reports(tmp_path):
    """`kaohe check` lists the problems only the assessment finds (a county missing from the
    peer sheet), as the 校验报告 of `kaohe run` does."""
    truth = um.p2_transposed(tmp_path)
    _rc, check = _run(tmp_path, "check", "--month", truth.month)
    _rc, assess = _run(tmp_path, "assess", "--month", truth.month)
    key = lambda p: (p["file"], p["sheet"], p["cell"], p["message"])
    system_file = check["system"]["file"]
    about_month = {key(p) for p in assess["problems"] if p["file"] != system_file}
    assert about_month and about_month <= {key(p) for p in check["problems"]}
    assert any("缺少「鲁山县」" in p["message"] for p in check["problems"])
