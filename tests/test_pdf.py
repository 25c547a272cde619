"""Issue 16.2: PDFs of the month's reports through LibreOffice (kaohe run --pdf, kaohe pdf).

Pages as printed: every PDF's pages are numbered 1..N in its own footer (第k页共N页 on the
workbooks, — k — on the bulletin), the 一览表 is landscape A4 one page wide (each page
carries the whole header row, first column to last, and every indicator stands on exactly
one page), the bulletin is portrait A4 and ends on the page with its date."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kaohe_excel.cli import main

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _need_soffice() -> None:
    if SOFFICE:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must install LibreOffice (calc and writer); see .ci/run")
    pytest.skip("LibreOffice is not installed here")


def _pages(pdf: Path) -> list[str]:
    """Each page's text without white space (a wrapped cell reads as one string)."""
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(str(pdf)).pages]


def _sizes(pdf: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(str(pdf)).pages]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    _need_soffice()
    ws = tmp_path_factory.mktemp("pdf") / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    res = CliRunner().invoke(main, ["run", "--month", "2023-08", "-w", str(ws), "--pdf"])
    assert res.exit_code == 1, res.output  # the demo's inputs carry deliberate problems; the PDFs are all there
    return ws / "output" / "2023-08", res.output


def test_run_pdf_makes_one_pdf_per_report(converted):
    out, said = converted
    reports = sorted(p.stem for p in out.iterdir() if p.suffix in (".xlsx", ".docx") and not p.name.startswith("."))
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert len(reports) == 7 and pdfs == reports
    assert "已生成 PDF 7 个" in said
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]


def test_every_pdf_numbers_its_pages_one_to_n(converted):
    out, _ = converted
    for pdf in out.glob("*.pdf"):
        pages = _pages(pdf)
        n = len(pages)
        assert n >= 1, pdf.name
        for k, text in enumerate(pages, 1):
            mark = f"—{k}—" if "情况通报" in pdf.name else f"第{k}页共{n}页"
            assert mark in text, (pdf.name, k, text[:120])


def test_the_overview_prints_one_page_wide_with_its_header_on_every_page(converted):
    out, _ = converted
    pdf = next(out.glob("*一览表*.pdf"))
    pages = _pages(pdf)
    assert len(pages) >= 2  # 49 indicators do not fit one landscape page: the header must repeat
    assert all(w > h and round(w) == 842 and round(h) == 595 for w, h in _sizes(pdf))  # A4 landscape
    for text in pages:  # the first and the last column's headings on every page: nothing spilled right
        assert "序号" in text and "指标内容" in text and "预警提示" in text
    wb = openpyxl.load_workbook(pdf.with_suffix(".xlsx"))
    names = [re.sub(r"\s+", "", r[1]) for r in wb.worksheets[0].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(names) == 49
    for name in names:  # every indicator printed, once
        assert sum(name in t for t in pages) == 1, name


def test_the_bulletin_prints_portrait_and_ends_with_its_date(converted):
    out, _ = converted
    pdf = next(out.glob("*情况通报（稿）.pdf"))
    pages = _pages(pdf)
    assert 2 <= len(pages) <= 6
    assert all(h > w and round(w) == 595 for w, h in _sizes(pdf))  # A4 portrait
    assert "综合绩效考核情况通报（稿）" in pages[0] and "一、总体情况" in pages[0]
    assert "领导小组办公室" in pages[-1] and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", pages[-1])


def test_kaohe_pdf_converts_the_month_again_and_names_a_missing_month(converted, tmp_path):
    out, _ = converted
    ws = out.parent.parent
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    for p in out.glob("*.pdf"):
        p.unlink()
    res = CliRunner().invoke(main, ["pdf", "-w", str(ws)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(before)
    res = CliRunner().invoke(main, ["pdf", "-w", str(ws), "--month", "2023-05"])
    assert res.exit_code == 2 and "没有报表" in res.output and "kaohe run --month 2023-05" in res.output


def test_without_libreoffice_kaohe_pdf_says_how_to_install_it(tmp_path, monkeypatch):
    import kaohe_excel.write.pdf as P

    ws = tmp_path / "ws"
    (ws / "output" / "2023-08").mkdir(parents=True)
    shutil.copyfile(ROOT / "templates" / "预警通报.xlsx", ws / "output" / "2023-08" / "叶县2023年8月预警通报.xlsx")
    monkeypatch.setattr(P, "find_soffice", lambda: None)
    res = CliRunner().invoke(main, ["pdf", "-w", str(ws)])
    assert res.exit_code == 2
    assert "未找到 LibreOffice" in res.output and "Windows" in res.output
    assert "apt-get install libreoffice-calc-nogui libreoffice-writer-nogui" in res.output
    assert not list((ws / "output" / "2023-08").glob("*.pdf"))


def test_run_pdf_without_libreoffice_keeps_the_reports_and_says_so(tmp_path, monkeypatch):
    import kaohe_excel.write.pdf as P

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    monkeypatch.setattr(P, "find_soffice", lambda: None)
    res = CliRunner().invoke(main, ["run", "--month", "2023-08", "-w", str(ws), "--pdf"])
    assert res.exit_code == 1 and "未找到 LibreOffice" in res.output
    assert len(list((ws / "output" / "2023-08").glob("*.xlsx"))) == 6


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX stand-ins for soffice")
@pytest.mark.parametrize("script, suffix, said", [
    ("sleep 600", ".xlsx", ["超过 1 秒"]),  # hangs: stopped, with its children
    ("echo 'Error: source file could not be loaded'; exit 0", ".docx", ["没有生成 PDF", "could not be loaded"]),
])
def test_a_hung_or_failing_conversion_is_reported(tmp_path, script, suffix, said):
    from kaohe_excel.write.pdf import to_pdf

    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    report = tmp_path / f"报表{suffix}"
    report.write_bytes(b"PK")
    [done] = to_pdf([report], soffice=str(fake), timeout=1)
    assert done.pdf is None and all(w in done.error for w in said), done.error
    assert not report.with_suffix(".pdf").exists()
