"""A department typing the figure into the name cell (「农村居民人均可支配收入增速：8.7%」, 「固定资产投资增速7.4%」)
with the figure's own cell empty (acceptance probe 29): the figure is read, with a 提示 naming the cell;
it was matched and then left without a figure, unsaid. A name that holds a number of its own
(PM2.5年均浓度) keeps it."""

import pytest

from tests.kaohe_cli import cli_json
from tests.month_fixtures import Row, Sheet, write_sheet_xlsx, write_system_xlsx, ye_name


def _month(root, rows):
    inp = root / "input"
    write_system_xlsx(inp / "叶县2023年度高质量发展综合绩效指标一览表.xlsx")
    write_sheet_xlsx(inp / "2023-08" / "叶县发改委2023年8月指标进展情况.xlsx",
                     Sheet("发改委", rows, month=8, year=2023, filled="2023年9月4日"))
    return cli_json(root, "assess", "--month", "2023-08")


@pytest.mark.parametrize("name, figure", [(f"{ye_name(30)}：6.9%", 6.9), ("固定资产投资增速7.4%", 7.4),
                                          (f"{ye_name(30)}:增长6.9%", 6.9)])
def test_the_figure_in_the_name_cell_is_read_and_said(tmp_path, name, figure):
    no = 1 if name.startswith("固定") else 30
    js = _month(tmp_path, [Row(no, name, None, "", "", "8%")])
    r = next(i for i in js["indicators"] if i["no"] == no)
    assert r["actual"] == pytest.approx(figure), r
    said = [p for p in js["problems"] if "写在了指标名称一栏" in p["message"]]
    assert len(said) == 1 and said[0]["cell"].startswith("B"), said


def test_a_name_with_its_own_number_keeps_it(tmp_path):
    js = _month(tmp_path, [Row(28, "PM2.5年均浓度", "41.2", "", "", "45")])
    r = next(i for i in js["indicators"] if i["no"] == 28)
    assert r["actual"] == pytest.approx(41.2)
    assert not [p for p in js["problems"] if "写在了指标名称一栏" in p["message"]]
