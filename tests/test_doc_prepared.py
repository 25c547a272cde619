"""Issue 14: the bulletin renders from its template's sources prepared by an earlier run
(write/_doc_prepared), without python-docx, and writes what the whole docxtpl way writes:
the same document, headers and footers (byte for byte, and as canonical XML), the same errors; a
template the short way cannot render as docxtpl does (a table, Jinja in its properties, a
damaged kept entry) goes the whole docxtpl way."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import pytest
from docx import Document

from kaohe_excel import usercache
from kaohe_excel.write import _doc_prepared
from kaohe_excel.write._tpl_sheet import TemplateError
from kaohe_excel.write.document import render_document

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates" / "综合绩效考核情况通报.docx"

CONTEXT = {
    "title": "叶县2023年8月份综合绩效考核情况通报（演示数据）",
    "items": [{"name": "地区生产总值增速 & <规上工业>", "note": "第一行\n第二行\t（制表）"},
              {"name": "“一般公共预算收入”", "note": "分页\f之后\a新段落"}],
    "empty": None,
}
LINES = ["{{ title }}", "{%p for i in items %}", "{{ loop.index|cn }}、{{ i.name }}：{{ i.note }}", "{%p endfor %}",
         "{% if empty %}有{% else %}无{% endif %}：{{ empty }}。"]


def _template(path: Path, lines=LINES, *, table: bool = False, title: str = "通报模板") -> Path:
    doc = Document()
    for text in lines:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "指标", "说明"
        t.cell(1, 0).text, t.cell(1, 1).text = "{{ items[0].name }}", "{{ title }}"
    doc.sections[0].header.paragraphs[0].text = "{{ title }}（页眉）"
    doc.sections[0].footer.paragraphs[0].text = "第 1 页（页脚，无标签）"
    doc.core_properties.title = title
    doc.save(str(path))
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "user-cache"
    monkeypatch.setattr(usercache, "folder", lambda: folder)
    monkeypatch.setattr(_doc_prepared, "_LOADED", {})
    return folder


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("word/") and (n.endswith("document.xml")
                                                                     or "/header" in n or "/footer" in n)]
        return {n: canonicalize(z.read(n).decode("utf-8")) for n in names}


def _no_docxtpl(monkeypatch):
    import docxtpl

    def refuse(*_a, **_k):
        raise AssertionError("rendered the whole docxtpl way")

    monkeypatch.setattr(docxtpl, "DocxTemplate", refuse)


def _text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(c.text for t in doc.tables for r in t.rows
                                                                       for c in r.cells)


@pytest.mark.parametrize("which", ["shipped", "made"])
def test_the_prepared_way_writes_what_docxtpl_writes(cache, tmp_path, monkeypatch, which):
    tpl = SHIPPED if which == "shipped" else _template(tmp_path / "通报.docx")
    context = dict(CONTEXT)
    if which == "shipped":
        from tests.test_bulletin import _run, _ws  # the demo month's real bulletin context

        ws = _ws(tmp_path)
        got = {}
        real = render_document

        def grab(template, ctx, out):
            got["ctx"] = ctx
            return real(template, ctx, out)

        monkeypatch.setattr("kaohe_excel.write.document.render_document", grab)
        _run(ws)
        monkeypatch.undo()
        monkeypatch.setattr(usercache, "folder", lambda: cache)
        context = got["ctx"]
    slow = tmp_path / "slow.docx"
    render_document(tpl, context, slow)  # nothing kept yet: docxtpl, and its sources kept
    assert _doc_prepared.kept(tpl.read_bytes()) is not None and list((cache / "docx").glob("*.bin"))
    _doc_prepared._LOADED.clear()  # as a later run finds them: in the user's cache folder
    fast = tmp_path / "fast.docx"
    with monkeypatch.context() as m:
        _no_docxtpl(m)
        render_document(tpl, context, fast)
    assert _parts(fast) == _parts(slow) and len(_parts(fast)) >= 3
    with zipfile.ZipFile(fast) as f, zipfile.ZipFile(slow) as s:  # byte for byte, but for the properties
        assert [n for n in f.namelist() if n != "docProps/core.xml" and f.read(n) != s.read(n)] == []
    text = _text(fast)
    if which == "made":
        assert "地区生产总值增速 & <规上工业>" in text and "第一行\n第二行\t（制表）" in text and "无：。" in text
        assert "{{" not in text and "{%" not in text
    with zipfile.ZipFile(fast) as z, zipfile.ZipFile(tpl) as t:
        assert z.namelist() == t.namelist()  # every part the template has, none added
        assert z.testzip() is None


def test_the_prepared_way_never_imports_python_docx(tmp_path):
    """The saving itself: a later run's bulletin without python-docx or lxml."""
    tpl = _template(tmp_path / "通报.docx")
    code = ("import sys, pathlib; from kaohe_excel.write.document import render_document; "
            f"render_document(pathlib.Path({str(tpl)!r}), {CONTEXT!r}, pathlib.Path(sys.argv[1])); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'docxtpl', 'lxml')))")
    env = {"KAOHE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(out: str) -> str:
        p = subprocess.run([sys.executable, "-c", code, str(tmp_path / out)], env=env, capture_output=True,
                           text=True, encoding="utf-8", timeout=120)
        assert p.returncode == 0, p.stderr
        return p.stdout.strip()

    assert run("a.docx") != "[]"  # the first run: docxtpl
    assert run("b.docx") == "[]"  # a later one: its kept sources
    assert _parts(tmp_path / "a.docx") == _parts(tmp_path / "b.docx")


def test_a_table_goes_the_docxtpl_way_and_is_filled(cache, tmp_path, monkeypatch):
    tpl = _template(tmp_path / "表格.docx", table=True)
    slow, again = tmp_path / "slow.docx", tmp_path / "again.docx"
    render_document(tpl, CONTEXT, slow)
    calls = []
    real = _doc_prepared.render
    monkeypatch.setattr(_doc_prepared, "render", lambda *a: calls.append(real(*a)) or calls[-1])
    render_document(tpl, CONTEXT, again)
    assert calls == [False]  # tried, declined: docxtpl re-counts a table's columns
    assert _parts(again) == _parts(slow)
    assert "地区生产总值增速 & <规上工业>" in _text(again)


def test_jinja_in_the_document_properties_is_never_prepared(cache, tmp_path):
    tpl = _template(tmp_path / "标题.docx", title="{{ title }}")
    render_document(tpl, CONTEXT, tmp_path / "a.docx")
    assert _doc_prepared.kept(tpl.read_bytes()) is None
    render_document(tpl, CONTEXT, tmp_path / "b.docx")
    assert Document(str(tmp_path / "b.docx")).core_properties.title == CONTEXT["title"]


def test_a_template_error_is_said_the_same_both_ways(cache, tmp_path):
    tpl = _template(tmp_path / "错误.docx", lines=["正文", "{{ items[0].missing.deeper }}"])
    said = []
    for out in ("a.docx", "b.docx"):
        with pytest.raises(TemplateError) as exc:
            render_document(tpl, CONTEXT, tmp_path / out)
        said.append(str(exc.value))
    assert _doc_prepared.kept(tpl.read_bytes()) is not None  # the second was the prepared way
    assert said[0] == said[1] and "错误.docx" in said[0]


def test_a_damaged_kept_entry_is_rendered_the_docxtpl_way(cache, tmp_path):
    tpl = _template(tmp_path / "通报.docx")
    render_document(tpl, CONTEXT, tmp_path / "a.docx")
    (entry,) = (cache / "docx").glob("*.bin")
    for damaged in (b"garbage", entry.read_bytes()[:-10]):
        entry.write_bytes(damaged)
        _doc_prepared._LOADED.clear()
        assert _doc_prepared.kept(tpl.read_bytes()) is None
        render_document(tpl, CONTEXT, tmp_path / "b.docx")
        assert _parts(tmp_path / "b.docx") == _parts(tmp_path / "a.docx")
