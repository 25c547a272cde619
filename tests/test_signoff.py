"""A report counts as signed only when a name stands after 签发：."""

import openpyxl

from kaohe_excel.write.signoff import is_signed, output_path, sign


def _report(path, line):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "完成情况一览表"
    wb.active["A30"] = line
    wb.save(path)
    return path


def test_empty_signoff_line_is_not_signed(tmp_path):
    for line in ("审核：　　签发：　　日期：", "审核：      签发：      日期：", "签发：", "签发人："):
        f = _report(tmp_path / "一览表.xlsx", line)
        assert not is_signed(f), line
        assert output_path(f) == f


def test_a_name_after_signoff_is_signed(tmp_path):
    for line in ("审核：甲　签发：乙　日期：2023-09-06", "签发：王某某", "签发人：乙"):
        f = _report(tmp_path / "一览表.xlsx", line)
        assert is_signed(f), line
        assert output_path(f).name == "一览表（第2版）.xlsx"


def test_registry_marks_signed_and_versions_count_up(tmp_path):
    f = _report(tmp_path / "一览表.xlsx", "签发：")
    sign(f, "审核甲", "签发乙")
    assert is_signed(f)
    v2 = output_path(f)
    assert v2.name == "一览表（第2版）.xlsx"
    _report(v2, "签发：")
    sign(v2, "审核甲", "签发乙")
    assert output_path(f).name == "一览表（第3版）.xlsx"
