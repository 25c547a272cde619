"""A system whose heading carries a gloss in brackets (一级指标 | 二级指标（考核内容）): the column keeps
its role. An acceptance probe's 霖川市 system named every indicator after its category (经济发展 ×7 …)
and `kaohe spec` said 未发现问题; a system read so is an ERROR at the header cell, never silent."""

import openpyxl
import pytest

from kaohe_cli import cli
from kaohe_excel.read.columns import SUBMISSION_ROLES, resolve_columns
from kaohe_excel.read.peers import PEER_ROLES
from kaohe_excel.read.submission import find_submission_table
from kaohe_excel.read.system import SYSTEM_ROLES
from kaohe_excel.read.tables import role_of
from kaohe_excel.read.workbook import read_submission, read_system, read_workbook

_ITEMS = [
    ("经济发展", [("地区生产总值增速", "%", 4, "市发展改革委"), ("规模以上工业增加值增速", "%", 3, "市工业和信息化局"),
                 ("固定资产投资增速", "%", 3, "市发展改革委"), ("一般公共预算收入", "亿元", 3, "市财政局")]),
    ("创新驱动", [("高新技术企业净增数", "家", 3, "市科学技术局"), ("技术合同成交额", "亿元", 2, "市科学技术局"),
                 ("规模以上工业企业研发费用增速", "%", 3, "市科学技术局")]),
    ("民生保障", [("城镇新增就业人数", "人", 3, "市人力资源和社会保障局"), ("居民人均可支配收入增速", "%", 3, "市统计局"),
                 ("城镇调查失业率", "%", 2, "市人力资源和社会保障局")]),
]
NAMES = [n for _cat, items in _ITEMS for n, *_ in items]


def _system(path, name_heading: str, category_heading: str = "一级指标"):
    """As a city office sends it: 附件1, a title merged across, the header (with a line break), each
    category merged down over its indicators, a 注 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核指标"
    ws.append(["附件1"])
    ws.append(["霖川市2024年度县（市、区）高质量发展综合绩效考核指标体系"])
    ws.merge_cells("A2:G2")
    ws.append(["序号", category_heading, name_heading, "计量\n单位", "分值", "牵头单位", "备注"])
    no = 0
    for cat, items in _ITEMS:
        top = ws.max_row + 1
        for name, unit, points, lead in items:
            no += 1
            ws.append([no, cat if ws.max_row + 1 == top else None, name, unit, points, lead, None])
        ws.merge_cells(start_row=top, start_column=2, end_row=ws.max_row, end_column=2)
    ws.append(["注：数据以市统计局反馈为准。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    wb.save(path)
    return path


@pytest.mark.parametrize("heading", ["二级指标（考核内容）", "二级指标\n（考核内容）", "二级指标(考核内容)", "考核内容（二级指标）",
                                     "指标名称（具体内容）", "三级指标（评价内容）"])
def test_a_heading_with_a_bracketed_gloss_names_its_column(tmp_path, heading):
    system = read_system(_system(tmp_path / "指标体系.xlsx", heading))
    assert [i.name for i in system.indicators] == NAMES, [i.name for i in system.indicators]
    assert [i.path for i in system.indicators][:2] == [["经济发展"], ["经济发展"]]
    assert [i.points for i in system.indicators][:3] == [4, 3, 3]
    assert not [p.message for p in system.problems], [p.message for p in system.problems]


@pytest.mark.parametrize("text, roles, role", [
    ("二级指标（考核内容）", SYSTEM_ROLES, "category"),  # (the deepest level beside 一级指标 names the indicator)
    ("一级指标（领域）", SYSTEM_ROLES, "category"),
    ("考核内容（二级指标）", SYSTEM_ROLES, "name"),
    ("属性（正向/逆向）", PEER_ROLES, "direction"),
    ("二级指标（考核内容）", SUBMISSION_ROLES, "name"),
    # a bracket that says something else keeps the heading unrecognized
    ("单位（县市区）", SYSTEM_ROLES, None),
    ("单位（县市区）", PEER_ROLES, None),
    ("二级指标（2024年版）", SYSTEM_ROLES, None),
    ("项目（已开工）", SYSTEM_ROLES, None),
])
def test_a_gloss_is_dropped_only_when_it_restates_a_column(text, roles, role):
    assert role_of(text, roles) == role


def test_a_departments_sheet_with_a_glossed_name_heading_reads_its_names(tmp_path):
    """The monthly sheet copied from such a system: the name column is found and resolved alike."""
    system = read_system(_system(tmp_path / "指标体系.xlsx", "二级指标"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["市发展改革委2024年7月指标进展情况表"])
    ws.append(["序号", "二级指标（考核内容）", "2024年目标", "截至7月底完成情况", "排名", "存在问题"])
    ws.append([None, "地区生产总值增速", "6%", "5.8%", 2, "无"])
    ws.append([None, "固定资产投资增速", "5%", "4.1%", 4, "项目储备不足"])
    wb.save(tmp_path / "发改委7月.xlsx")
    table = find_submission_table(read_workbook(tmp_path / "发改委7月.xlsx")[0])
    assert resolve_columns(table).name == 1
    sub = read_submission(tmp_path / "发改委7月.xlsx", system)
    assert [(e.no, e.actual) for e in sub.entries] == [(1, 5.8), (3, 4.1)], [(e.no, e.actual) for e in sub.entries]


def test_indicators_named_after_their_categories_are_an_error_at_the_header(tmp_path):
    """The column of names unrecognized (a heading the reader does not know): the category column is
    read as the names, and that is said at its header cell, naming the heading left unread."""
    system = read_system(_system(tmp_path / "指标体系.xlsx", "考核的具体项目与内容"))
    assert [i.name for i in system.indicators][:5] == ["经济发展"] * 4 + ["创新驱动"]  # (read as before)
    errors = [p for p in system.problems if p.level == "error"]
    assert len(errors) == 1 and errors[0].cell == "B3", [(p.cell, p.message) for p in system.problems]
    msg = errors[0].message
    assert "「一级指标」" in msg and "「经济发展」4 项" in msg and "「考核的具体项目与内容」（C3）" in msg, msg


def test_spec_does_not_pass_such_a_system(tmp_path):
    path = _system(tmp_path / "指标体系.xlsx", "考核的具体项目与内容")
    done = cli(tmp_path, "spec", str(path))
    assert done.returncode == 1 and "未发现问题" not in done.stdout, done.stdout
    assert "单元格 B3" in done.stdout, done.stdout


def test_a_system_whose_names_differ_raises_nothing(tmp_path):
    """A few indicators that repeat a name (an indicator split into sub-items) are no such system."""
    system = read_system(_system(tmp_path / "指标体系.xlsx", "指标名称"))
    assert not [p.message for p in system.problems], [p.message for p in system.problems]
