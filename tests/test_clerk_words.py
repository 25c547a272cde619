"""Issue 11.8: every word Chinese and every label right.

A clerk reads: no English parser messages before 技术信息, no `'--month'` quotes or a
stray full stop from click, a wrong month is a 参数 and not a 文件, a workspace without
input/ is named as the workspace, and `template check` explains each field in Chinese
with an example, keeping the bare identifier list for --verbose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"


def _before_tech(text: str) -> str:
    """What a clerk reads before the technical part."""
    return text.split("技术信息", 1)[0]


def _no_english(text: str) -> None:
    words = re.findall(r"[A-Za-z]{4,}", re.sub(r"「[^」]*」", "", text))  # names in 「」 are the clerk's own
    allowed = {"kaohe", "check", "template", "templates", "README", "xlsx", "county", "name", "endfor", "endif",
               "verbose", "month", "json", "workspace", "input", "output", "indicators", "else", "Excel", "elif"}
    assert not [w for w in words if w not in allowed], (words, text)


def test_template_check_explains_fields_in_chinese_and_lists_names_only_when_verbose(tmp_path):
    p = cli(tmp_path, "template", "check", str(SHIPPED / "完成情况一览表.xlsx"))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "可以使用" in p.stdout
    assert "group_label：比较的县市组，如「六县市」" in p.stdout
    assert "actual：截至本月底完成情况，如「增长9.4%」" in p.stdout
    assert "{{ county }}" in p.stdout and "--verbose" in p.stdout
    assert "generated_at" not in p.stdout  # provided, not used: only under --verbose
    v = cli(tmp_path, "template", "check", str(SHIPPED / "完成情况一览表.xlsx"), "--verbose")
    assert v.returncode == 0 and "generated_at：生成时间" in v.stdout and "列表中每一项的字段" in v.stdout


def test_template_check_names_the_cell_and_suggests_the_right_name(tmp_path):
    wb = openpyxl.load_workbook(SHIPPED / "预警通报.xlsx")
    ws = wb.worksheets[0]
    ws["A1"] = "{{ countyy }}预警通报"
    wb.save(tmp_path / "预警通报.xlsx")
    p = cli(tmp_path, "template", "check", str(tmp_path / "预警通报.xlsx"))
    assert p.returncode == 1
    line = next(x for x in p.stdout.splitlines() if "countyy" in x)
    assert f"工作表「{ws.title}」单元格 A1：用了「countyy」" in line and "是不是想写 county" in line


@pytest.mark.parametrize("text, words", [
    ("{{ x }", "多了一个「}」"),
    ("{{ （county） }}", "英文半角"),
    ("{% endfo %}", "不认识的标记「endfo」"),
    ("{{ county county }}", "应该结束"),
])
def test_jinja_syntax_errors_are_told_in_chinese(tmp_path, text, words):
    wb = openpyxl.Workbook()
    wb.active["B3"] = text
    wb.save(tmp_path / "完成情况一览表.xlsx")
    p = cli(tmp_path, "template", "check", str(tmp_path / "完成情况一览表.xlsx"))
    assert p.returncode == 2
    assert words in p.stderr and "B3" in p.stderr and "技术信息" in p.stderr
    _no_english(_before_tech(p.stderr))


def test_a_file_that_is_not_a_workbook_is_told_in_chinese(tmp_path):
    (tmp_path / "完成情况一览表.xlsx").write_text("这不是表格", encoding="utf-8")
    p = cli(tmp_path, "template", "check", str(tmp_path / "完成情况一览表.xlsx"))
    assert p.returncode == 2 and "不是有效的 .xlsx 文件" in p.stderr and "另存为" in p.stderr
    _no_english(_before_tech(p.stderr))
    assert "BadZipFile" in p.stderr.split("技术信息", 1)[1]


def test_a_mistyped_option_is_one_chinese_sentence(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    p = cli(tmp_path, "assess", "--month", "2023-08", "--jsno")
    assert p.returncode == 2
    err = p.stderr.strip().splitlines()[-1]
    assert err == "错误：没有选项 --jsno，是不是想写 --json？", err


def test_a_wrong_month_is_a_parameter_and_a_bare_folder_is_the_workspace(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    p = cli(tmp_path, "run", "--month", "2023-13")
    assert p.returncode == 2 and "参数 --month" in p.stderr and "文件「--month」" not in p.stderr
    bare = tmp_path / "空工作区"
    bare.mkdir()
    for cmd in ("run", "check"):
        p = cli(tmp_path, cmd, "-w", str(bare))
        out = p.stdout + p.stderr
        assert p.returncode == 2 and "没有 input 文件夹" in out and "文件夹「input」" not in out, out
