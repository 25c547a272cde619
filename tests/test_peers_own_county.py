"""A peer table that marks our own county (acceptance probe 27): 叶县（本县） as a column or a row,
or a column headed 本县 alone. It is our county's figure, ranked and scored as the table gives it
(before: the marked name was no unit, our department's own figure ranked instead, and a column
headed 本县 was ranked as a sixth competitor beside 叶县). Without kaohe.toml, the mark names
the county."""

from __future__ import annotations

import pytest

from tests.kaohe_cli import cli_json
from tests.month_fixtures import YE_PEERS, build_ye_month, write_peers_xlsx, write_system_xlsx


@pytest.mark.parametrize("written", ["叶县（本县）", "叶县(本县)", "本县"])
@pytest.mark.parametrize("toml", [True, False])
def test_the_marked_county_is_ours(tmp_path, written, toml):
    inp = tmp_path / "input"
    write_system_xlsx(inp / "叶县2023年度高质量发展综合绩效指标一览表.xlsx")
    truth = build_ye_month(inp, month=8, peers_file=False, duplicate=None, conflict=False)
    names = [written if p == "叶县" else p for p in YE_PEERS]
    values = {no: {(written if p == "叶县" else p): v for p, v in vals.items()} for no, vals in truth.peers.items()}
    for no in (13, 26):  # city data not yet out
        values[no] = {n: "—" for n in names}
    write_peers_xlsx(inp / "2023-08" / "六县市数据（2023年1-8月）.xlsx", values, peers=names)
    if toml:
        (tmp_path / "kaohe.toml").write_text('county = "叶县"\n', encoding="utf-8")
    js = cli_json(tmp_path, "assess", "--month", "2023-08")
    assert js["county"] == "叶县"
    by = {r["no"]: r for r in js["indicators"]}
    for no in (1, 7, 30, 33):
        assert by[no]["actual"] == pytest.approx(truth.values[no]), (no, by[no]["actual"])
        assert by[no]["rank"] == truth.ranks[no], (no, by[no]["rank"], by[no]["colour_reason"])
        assert by[no]["group_size"] == 6 and len(by[no]["peer_values"]) == 6, by[no]["peer_values"]
    assert not [p["message"] for p in js["problems"] if "没有本县" in p["message"]]


def test_the_marked_county_as_a_row(tmp_path):
    """A bureau's table with the counties as rows: 叶县（本县） is our row."""
    import openpyxl

    from tests.month_fixtures import ye_name

    inp = tmp_path / "input"
    write_system_xlsx(inp / "叶县2023年度高质量发展综合绩效指标一览表.xlsx")
    truth = build_ye_month(inp, month=8, peers_file=False, duplicate=None, conflict=False)
    items = [1, 7, 30]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平顶山市六县（市）主要指标（2023年1-8月，演示数据）"])
    ws.append(["县（市）", *[f"{k + 1}.{ye_name(no)}" for k, no in enumerate(items)]])
    for p in YE_PEERS:
        ws.append(["叶县（本县）" if p == "叶县" else p, *[truth.peers[no][p] for no in items]])
    wb.save(inp / "2023-08" / "六县市主要指标.xlsx")
    js = cli_json(tmp_path, "assess", "--month", "2023-08")
    assert js["county"] == "叶县"
    by = {r["no"]: r for r in js["indicators"]}
    for no in items:
        assert by[no]["actual"] == pytest.approx(truth.values[no]) and by[no]["rank"] == truth.ranks[no], by[no]
