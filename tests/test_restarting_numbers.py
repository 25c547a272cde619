"""序号 restarting in every category (一、经济发展 1 2 3, 二、民生保障 1 2 3), as many
county tables number them: each indicator keeps its own month entry, peer row, rank
and colour; nothing of 「1 城镇新增就业人数」 lands on 「1 地区生产总值增速」."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.model import Indicator, IndicatorKey, IndicatorSystem

ROOT = Path(__file__).resolve().parents[1]
ECON = [(1, "地区生产总值增速", 5, "发改委"), (2, "固定资产投资增速", 5, "发改委"), (3, "一般公共预算收入增速", 4, "财政局")]
LIFE = [(1, "城镇新增就业人数", 3, "人社局"), (2, "居民人均可支配收入增速", 4, "统计局"), (3, "PM2.5平均浓度", 4, "生态环境局")]
COUNTIES = ["叶县", "宝丰县", "郏县", "鲁山县", "汝州市", "舞钢市"]
# (category, 序号, name, 方向, values in COUNTIES order) -> 叶县's rank
PEERS = [
    ("一、经济发展", 1, "地区生产总值增速", "正向", [6.1, 6.5, 5.0, 4.0, 7.0, 3.0], 3),
    ("一、经济发展", 2, "固定资产投资增速", "正向", [8.0, 9.0, 7.0, 6.0, 5.0, 4.0], 2),
    ("一、经济发展", 3, "一般公共预算收入增速", "正向", [5.0, 6.0, 7.0, 8.0, 9.0, 1.0], 5),
    ("二、民生保障", 1, "城镇新增就业人数", "正向", [3200, 3000, 2800, 2600, 2400, 2200], 1),
    ("二、民生保障", 2, "居民人均可支配收入增速", "正向", [6.6, 6.8, 6.9, 7.0, 7.1, 7.2], 6),
    ("二、民生保障", 3, "PM2.5平均浓度", "逆向", [45, 40, 50, 55, 60, 38], 3),
]


def _book(path: Path, title: str, header: list, rows: list) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r in rows:
        ws.append(r)
        if len(r) == 1:
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    w = tmp_path_factory.mktemp("restart")
    month = w / "input" / "2023-08"
    month.mkdir(parents=True)
    _book(w / "input" / "叶县2023年度高质量发展综合绩效指标任务分工表.xlsx", "叶县2023年度高质量发展综合绩效指标任务分工表",
          ["序号", "指标名称", "分值", "责任单位"], [["一、经济发展"], *map(list, ECON), ["二、民生保障"], *map(list, LIFE)])
    by_dept: dict[str, list] = {}
    for (no, name, pts, dept), value in zip(ECON + LIFE, ["6.1%", "8.0%", "5.0%", "3200人", "6.6%", "45"]):
        by_dept.setdefault(dept, []).append([no, name, pts, dept, value, ""])  # ranks left to the peer sheet
    for dept, rows in by_dept.items():
        _book(month / f"叶县{dept}2023年8月指标进展情况.xlsx", f"叶县{dept}2023年1-8月指标进展情况表",
              ["序号", "指标内容", "分值", "责任单位", "截至本月底完成情况", "六县市排名"], rows)
    rows, last = [], None
    for cat, no, name, d, vals, _rank in PEERS:
        if cat != last:
            rows.append([cat])
            last = cat
        rows.append([no, name, d, *vals])
    _book(month / "六县市数据（2023年1-8月）.xlsx", "2023年1-8月六县（市）主要指标", ["序号", "指标名称", "方向", *COUNTIES], rows)
    return w


def _kaohe(ws: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *args, "-w", str(ws)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def test_each_indicator_keeps_its_own_figures(ws):
    p = _kaohe(ws, "assess", "--month", "2023-08", "--json")
    assert "Traceback" not in p.stderr, p.stderr
    got = [(i["no"], i["name"], i["actual"], i["rank"]) for i in json.loads(p.stdout)["indicators"]]
    want = [(no, name, v, rank) for (_c, no, name, _d, (v, *_), rank) in PEERS]
    assert got == want


def test_check_lists_every_entry_under_its_written_number(ws):
    p = _kaohe(ws, "check", "--month", "2023-08", "--json")
    out = json.loads(p.stdout)
    entries = sorted((e["no"], e["name"], e["actual"]) for e in out["entries"])
    assert entries == sorted((no, name, v) for (_c, no, name, _d, (v, *_), _r) in PEERS)
    assert sorted(r["no"] for r in out["peers"]["rows"]) == [1, 1, 2, 2, 3, 3]
    owed = {d["department"]: d["owed"] for d in out["status"]["departments"]}
    assert owed["人社局"] == [1] and owed["统计局"] == [2] and owed["生态环境局"] == [3]  # not 10001…
    assert not [x for x in out["problems"] if x["level"] == "error"], out["problems"]


def test_overview_rows(ws):
    p = _kaohe(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stderr
    (path,) = (ws / "output" / "2023-08").glob("*一览表*.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[0], r[1], r[7]) for r in rows] == [(no, name, rank) for (_c, no, name, _d, _v, rank) in PEERS]


def test_keys_only_where_numbers_repeat():
    s = IndicatorSystem("t", "f", "s", indicators=[Indicator(n, k, [], f"指标{k}", "") for k, n in
                                                   enumerate([1, 2, 1, 3, 1], 3)])
    s.assign_keys()
    keys = [i.key for i in s.indicators]
    assert [(k.no, k.repeat) for k in keys] == [(1, 0), (2, 0), (1, 1), (3, 0), (1, 2)]
    assert [k.no for k in keys] == [1, 2, 1, 3, 1] and len(set(keys)) == 5  # 序号 as written, each its own key
    assert keys[0] == IndicatorKey(1) and keys[2] != IndicatorKey(1) and keys[2] == IndicatorKey(1, 1)
    assert [k.no for k in sorted(s.by_key())] == [1, 2, 3, 1, 1] and len(s.numbered(1)) == 3
    unnumbered = Indicator(None, 9, [], "党建工作", "").key
    assert unnumbered.no is None and unnumbered.to_json() == "党建工作" and keys[2].to_json() == 1


def test_messages_and_status_show_the_written_number(ws, tmp_path):
    """A conflict on the second 「1」 and a unit that left out the second 「3」 are named
    第 1 项 / 3, never by anything but the 序号 as written."""
    import shutil

    from kaohe_excel.flows.run import _status_rows
    from kaohe_excel.workspace import load_month

    w = tmp_path / "w"
    shutil.copytree(ws, w, ignore=shutil.ignore_patterns("output"))
    month = w / "input" / "2023-08"
    head = ["序号", "指标内容", "分值", "责任单位", "截至本月底完成情况", "六县市排名"]
    _book(month / "叶县统计局2023年8月指标进展情况.xlsx", "叶县统计局2023年1-8月指标进展情况表", head,
          [[1, "城镇新增就业人数", 3, "统计局", "3100人", ""], [2, "居民人均可支配收入增速", 4, "统计局", "6.6%", ""]])
    _book(month / "叶县生态环境局2023年8月指标进展情况.xlsx", "叶县生态环境局2023年1-8月指标进展情况表", head,
          [[1, "城镇新增就业人数", 3, "生态环境局", "3200人", ""]])
    mi = load_month(w, "2023-08")
    conflict = [p.message for p in mi.all_problems if "不同数值" in p.message]
    assert conflict and all("10001" not in m and "第 1 项「城镇新增就业人数」" in m for m in conflict), conflict
    notes = {r["department"]: r["note"] for r in _status_rows(mi)}
    assert "缺报指标：3" in notes["生态环境局"] and "10003" not in notes["生态环境局"], notes


def test_a_number_key_in_kaohe_toml_that_reaches_two_indicators_is_said(ws, tmp_path):
    import shutil

    w = tmp_path / "w"
    shutil.copytree(ws / "input", w / "input")
    (w / "kaohe.toml").write_text('[indicators."1"]\ndirection = "higher"\n', encoding="utf-8")
    out = json.loads(_kaohe(w, "check", "--month", "2023-08", "--json").stdout)
    (warn,) = [p for p in out["problems"] if '[indicators."1"]' in p["message"]]
    assert "地区生产总值增速" in warn["message"] and "城镇新增就业人数" in warn["message"] and "指标名称" in warn["message"]
