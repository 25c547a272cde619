"""A clerk's edits to the shipped templates, and a clerk's mistakes with them.

Each edited template is built from a shipped one by changing its XML the way Excel,
WPS or LibreOffice would write the edit; outputs are read back with openpyxl.
"""

import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl drops the x14 rules it reads

from kaohe_excel.write.engine import Template, TemplateError, render
from kaohe_excel.write.reports import template_path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from tools import sample_contexts as sc  # noqa: E402

SHIPPED = ROOT / "templates"
OVERVIEW = SHIPPED / "完成情况一览表.xlsx"


def edited(src: Path, dst: Path, fn, part: str = "xl/worksheets/sheet1.xml") -> Path:
    """A copy of template `src` with `fn` applied to the text of one part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                new = fn(data.decode("utf-8"))
                assert new != data.decode("utf-8"), "the edit did not apply"
                data = new.encode("utf-8")
            zout.writestr(info, data)
    return dst


# ---------------------------------------------------------------- edits that must keep working

def test_totals_counts_and_excel_extensions_follow_the_loop(tmp_path):
    """Excel-written edits to 一览表: a total row filled right (one shared formula), a
    running count with a mixed reference, a shared formula across two new loop columns,
    and an Excel 2010 data bar plus an x14 formula rule on the loop row."""
    guid = "{5B1C0F3E-1111-2222-3333-444455556666}"

    def fn(s):
        s = re.sub(r'(<row r="7"[^>]*>.*?)(</row>)',
                   lambda m: m.group(1) + '<c r="J7"><f t="shared" ref="J7:K7" si="1">IF(H7&lt;&gt;"",H7*2,"")</f>'
                   '</c><c r="K7"><f t="shared" si="1"/></c>' + m.group(2), s, count=1, flags=re.S)
        total = ('<row r="12"><c r="B12" t="inlineStr"><is><t>合计</t></is></c>'
                 '<c r="C12"><f t="shared" ref="C12:H12" si="0">SUM(C7:C7)</f><v>0</v></c>'
                 + "".join(f'<c r="{c}12"><f t="shared" si="0"/><v>0</v></c>' for c in "DEFGH")
                 + '<c r="I12"><f>COUNTIF(I$7:I7,"红")</f><v>0</v></c></row>')
        s = s.replace("</sheetData>", total + "</sheetData>")
        s = s.replace("<conditionalFormatting",
                      f'<conditionalFormatting sqref="H7"><cfRule type="dataBar" priority="10"><dataBar>'
                      f'<cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst>'
                      f'<ext uri="{{B025F937-C7B1-47D3-B67F-A62EFF666E3E}}" xmlns:x14="http://schemas.microsoft.com/'
                      f'office/spreadsheetml/2009/9/main"><x14:id>{guid}</x14:id></ext></extLst></cfRule>'
                      f"</conditionalFormatting><conditionalFormatting", 1)
        ext = (f'<extLst><ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="http://schemas.microsoft.com/'
               f'office/spreadsheetml/2009/9/main"><x14:conditionalFormattings><x14:conditionalFormatting '
               f'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="dataBar" id="{guid}">'
               f'<x14:dataBar><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule>'
               f'<xm:sqref>H7</xm:sqref></x14:conditionalFormatting><x14:conditionalFormatting '
               f'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="expression" '
               f'priority="11" id="{{00000000-0000-0000-0000-000000000001}}"><xm:f>$I7="红"</xm:f></x14:cfRule>'
               f"<xm:sqref>A7:I7</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>")
        return s.replace("</worksheet>", ext + "</worksheet>")

    tpl = edited(OVERVIEW, tmp_path / "完成情况一览表.xlsx", fn)
    ctx = sc.overview()
    out = render(tpl, ctx, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out).active
    rows = {}  # indicator no -> output row
    for r in range(1, ws.max_row + 1):
        if isinstance(ws.cell(r, 1).value, int):
            rows[ws.cell(r, 1).value] = r
    n = sum(len(c["indicators"]) for c in ctx["categories"])
    first, last = min(rows.values()), max(rows.values())
    assert len(rows) == n
    total = ws.max_row
    assert ws.cell(total, 2).value == "合计"
    assert first > 4  # the first category row comes before it
    assert [ws.cell(total, c).value for c in range(3, 10)] == \
        [f"=SUM({col}{first}:{col}{last})" for col in "CDEFGH"] + [f'=COUNTIF(I${first}:I{last},"红")']
    for no, r in rows.items():
        assert ws.cell(r, 10).value == f'=IF(H{r}<>"",H{r}*2,"")'
        assert ws.cell(r, 11).value == f'=IF(I{r}<>"",I{r}*2,"")'
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode("utf-8")
    bar = re.search(r'<conditionalFormatting sqref="([^"]+)"><cfRule type="dataBar"', xml).group(1)
    x14 = re.findall(r"<xm:sqref>([^<]+)</xm:sqref>", xml)
    covered = {int(m) for piece in bar.split() for m in _rows_of(piece)}
    assert covered == set(rows.values())  # every indicator row, no category row
    assert x14[0] == bar
    assert re.search(rf"<xm:f>\$I{x14[1].split()[0][1:].split(':')[0]}=", xml)


def _rows_of(piece: str):
    a, _, b = piece.partition(":")
    r1 = int(re.sub(r"\D", "", a))
    r2 = int(re.sub(r"\D", "", b or a))
    return range(r1, r2 + 1)


# ---------------------------------------------------------------- mistakes

def test_expression_hidden_under_a_merge_is_named(tmp_path):
    """LibreOffice can merge A2:I2 keeping E2's content hidden; the `{{ }}` there would
    never print. The error names the cell, the merge and the cell to move it to."""
    tpl = edited(OVERVIEW, tmp_path / "完成情况一览表.xlsx",
                 lambda s: s.replace('</t></is></c></row><row r="3"',
                                     '</t></is></c><c r="E2" s="2" t="inlineStr"><is><t>{{ county }}</t></is></c>'
                                     '</row><row r="3"', 1))
    with pytest.raises(TemplateError) as ei:
        Template(tpl)
    msg = str(ei.value)
    assert "完成情况一览表.xlsx" in msg and "一览表" in msg and "E2" in msg and "A2:I2" in msg
    assert "{{ county }}" in msg and "移到 A2" in msg
    # a plain (non-Jinja) hidden value is harmless and still renders
    ok = edited(OVERVIEW, tmp_path / "ok.xlsx",
                lambda s: s.replace('</t></is></c></row><row r="3"',
                                    '</t></is></c><c r="E2" s="2" t="inlineStr"><is><t>旧标题</t></is></c>'
                                    '</row><row r="3"', 1))
    out = render(ok, sc.overview(), tmp_path / "out.xlsx")
    assert "A2:I2" in {str(r) for r in openpyxl.load_workbook(out).active.merged_cells.ranges}


def test_wrong_format_empty_and_blank_templates_are_explained(tmp_path):
    ole = tmp_path / "完成情况一览表.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # .xls / .et saved under an .xlsx name
    with pytest.raises(TemplateError) as ei:
        Template(ole)
    assert "完成情况一览表.xlsx" in str(ei.value) and "另存为" in str(ei.value) and ".xls" in str(ei.value)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(TemplateError, match="0 字节"):
        Template(empty)
    blank = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(TemplateError, match="模板是空的"):
        Template(blank)
    only_style = tmp_path / "styled.xlsx"
    wb = openpyxl.Workbook()
    wb.active["B2"].font = openpyxl.styles.Font(bold=True)
    wb.save(only_style)
    with pytest.raises(TemplateError, match="模板是空的"):
        Template(only_style)
    # one static value is a template (a fixed sheet is allowed)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "说明"
    wb.save(tmp_path / "static.xlsx")
    Template(tmp_path / "static.xlsx")


def test_template_saved_in_another_format_is_an_error_not_ignored(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "完成情况一览表.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(TemplateError) as ei:
        template_path("完成情况一览表.xlsx", tmp_path)
    assert "完成情况一览表.xls" in str(ei.value) and "另存为" in str(ei.value)
    # other reports still use the shipped templates; an Excel lock file is not a template
    assert template_path("预警通报.xlsx", tmp_path) == SHIPPED / "预警通报.xlsx"
    (folder / "完成情况一览表.xls").unlink()
    (folder / "~$完成情况一览表.xlsx").write_bytes(b"\x06user")
    assert template_path("完成情况一览表.xlsx", tmp_path) == SHIPPED / "完成情况一览表.xlsx"
    shutil.copy(OVERVIEW, folder / "完成情况一览表.xlsx")
    (folder / "完成情况一览表.et").write_bytes(b"\xd0\xcf\x11\xe0")  # the .xlsx beside it wins
    assert template_path("完成情况一览表.xlsx", tmp_path) == folder / "完成情况一览表.xlsx"


def test_a_broken_late_template_leaves_the_last_run_whole(tmp_path):
    """The sixth of seven reports's template fails: none of this run's reports replace last run's,
    and nothing half-made (hidden or not) is left in output/."""
    from kaohe_excel.flows.run import run_workspace

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    first = run_workspace(ws)
    assert first.fatal is None and len(first.written) == 7  # six workbooks and the bulletin
    out_dir = first.written[0].parent
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    (ws / "templates").mkdir()
    wb = openpyxl.load_workbook(SHIPPED / "校验报告.xlsx")
    wb.active["A1"] = "{{ no_such_name }}"
    wb.save(ws / "templates" / "校验报告.xlsx")
    second = run_workspace(ws)
    assert second.fatal and "校验报告.xlsx" in second.fatal and "A1" in second.fatal
    assert "没有写入任何报表" in second.fatal
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def _keys_below_top(ctx: dict) -> set[str]:
    keys: set[str] = set()

    def walk(v):
        if isinstance(v, dict):
            keys.update(v)
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    for v in ctx.values():
        walk(v)
    return keys


def test_field_lists_cover_what_a_run_really_gives(tmp_path, monkeypatch):
    """`kaohe template check` flags fields outside reports.provided_fields: those lists
    must hold every key a real run puts in each report's data, or a correct template
    would be reported as misspelt."""
    from kaohe_excel.flows.run import run_workspace
    from kaohe_excel.write import reports as R

    seen: dict[str, set] = {}
    real = R.stage_report

    def grab(spec, ctx, *a, **k):
        seen.setdefault(spec.key, set()).update(_keys_below_top(ctx))
        return real(spec, ctx, *a, **k)

    monkeypatch.setattr(R, "stage_report", grab)
    shutil.copytree(ROOT / "input", tmp_path / "ws" / "input")
    assert run_workspace(tmp_path / "ws").fatal is None
    assert set(seen) == {s.key for s in R.REPORTS}
    for key, fields in seen.items():
        assert fields <= R.provided_fields(key), (key, fields - R.provided_fields(key))


def test_template_check_names_a_misspelt_field_and_its_cell(tmp_path):
    from click.testing import CliRunner

    from kaohe_excel.cli import main

    for shipped in SHIPPED.glob("*.xlsx"):  # the shipped templates pass
        res = CliRunner().invoke(main, ["template", "check", str(shipped)])
        assert res.exit_code == 0, (shipped.name, res.output)
    wb = openpyxl.load_workbook(OVERVIEW)
    wb.active["B7"] = "{{ x.nmae }}"
    wb.active["A6"] = "{%row for x in c.indicator %}"
    wb.active["C7"] = "{{ x['points'] }}{{ loop.index }}{{ x.name.strip() }}"  # fine: a key, loop, a method
    wb.save(tmp_path / "完成情况一览表.xlsx")
    res = CliRunner().invoke(main, ["template", "check", str(tmp_path / "完成情况一览表.xlsx")])
    assert res.exit_code == 1, res.output
    todo = [x for x in res.output.splitlines() if "报表数据里没有这一项" in x]
    assert len(todo) == 2, res.output  # x['points'], loop.index and .strip() are fine
    assert "工作表「一览表」单元格 B7：用了「.nmae」" in todo[1] and "是不是想写 name（指标名称）" in todo[1]
    assert "工作表「一览表」单元格 A6：用了「.indicator」" in todo[0] and "是不是想写 indicators" in todo[0]
    assert "有 2 处需要修改" in res.output and "--verbose" in res.output
    assert "nmae" not in CliRunner().invoke(main, ["template", "check", str(OVERVIEW)]).output
