"""PDFs of the reports beside them (LibreOffice), for kaohe pdf, kaohe run --pdf and the page.

    pdf_workspace(ws, month) -> PdfSummary    kaohe pdf: every report of a month
    pdf_reports(ws, reports) -> PdfSummary    kaohe run --pdf: the reports a run wrote
    report_pdf(report) -> Path                the page: one report on demand (PdfError)
    soffice_path() -> str | None

The conversion itself is write/pdf.py (one soffice per report, its own profile, a time
limit, the PDF moved into place whole); this flow picks the reports and holds the
workspace lock while it writes (never while a run replaces a report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = (".xlsx", ".docx")


class PdfError(Exception):
    """str() is the Chinese reason."""


def soffice_path() -> str | None:
    from kaohe_excel.write.pdf import find_soffice

    return find_soffice()


def report_pdf(report: Path) -> Path:
    """One report's PDF beside it (the page's download); a PDF newer than its report is reused."""
    from kaohe_excel.flows.signing import workspace_of_output

    report = Path(report)
    pdf = report.with_suffix(".pdf")
    if pdf.is_file() and pdf.stat().st_mtime_ns >= report.stat().st_mtime_ns:
        return pdf
    if soffice_path() is None:
        raise PdfError("本机没有安装 LibreOffice，无法转换 PDF；可以下载 Excel 文件后在 Excel/WPS 中打印或另存为 PDF")
    workspace = workspace_of_output(report)
    if workspace is None:
        raise PdfError(f"「{report.name}」不在 output/ 中")
    done = pdf_reports(workspace, [report])
    if done.fatal:
        raise PdfError(done.fatal)
    if done.failed:
        raise PdfError(f"「{report.name}」未能转换成 PDF：{done.failed[0][1]}")
    return done.written[0]


@dataclass
class PdfSummary:
    month: str | None
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # report, why
    fatal: str | None = None  # nothing was converted, and why


def month_reports(folder: Path) -> list[Path]:
    """The reports in output/YYYY-MM/ (not hidden temporaries, Office lock files, records)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def _output_month(workspace: Path, month: str | None) -> tuple[str | None, str | None]:
    """(YYYY-MM, None) or (None, why): the month asked for, else the latest in output/."""
    from kaohe_excel.read.month_files import normalize_month

    out = workspace / "output"
    have = sorted(p.name for p in out.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}", p.name)) \
        if out.is_dir() else []
    if month is None:
        if not have:
            return None, f"「{out}」中还没有生成的报表，请先运行 kaohe run"
        return have[-1], None
    m = normalize_month(month, int(have[-1][:4]) if have else None)
    if m is None:
        return None, f"月份「{month}」无法识别，应写成 2023-08、2023年8月 或 8月"
    if m not in have:
        return None, f"「{out / m}」中没有报表，请先运行 kaohe run --month {m}"
    return m, None


def pdf_reports(workspace: Path, reports: list[Path], month: str | None = None) -> PdfSummary:
    """Convert `reports` (paths in the workspace's output/) while holding the workspace lock."""
    from kaohe_excel.fsutil import WorkspaceBusy, workspace_lock
    from kaohe_excel.write.pdf import NoOffice, to_pdf

    summary = PdfSummary(month)
    try:
        with workspace_lock(workspace):
            done = to_pdf(reports)
    except NoOffice as exc:
        summary.fatal = str(exc)
        return summary
    except WorkspaceBusy as exc:
        summary.fatal = str(exc)
        return summary
    for c in done:
        if c.pdf is not None:
            summary.written.append(c.pdf)
        else:
            summary.failed.append((c.source, c.error))
    return summary


def pdf_workspace(workspace: Path, month: str | None = None) -> PdfSummary:
    """kaohe pdf: every report of the month in output/YYYY-MM/."""
    workspace = Path(workspace)
    m, why = _output_month(workspace, month)
    if m is None:
        return PdfSummary(month, fatal=why)
    reports = month_reports(workspace / "output" / m)
    if not reports:
        return PdfSummary(m, fatal=f"「{workspace / 'output' / m}」中没有报表（.xlsx / .docx），请先运行 kaohe run")
    return pdf_reports(workspace, reports, m)


def pdf_text(s: PdfSummary) -> str:
    """What kaohe pdf (and run --pdf) prints."""
    lines = [f"已生成 PDF {len(s.written)} 个："] if s.written else []
    lines += [f"    {p}" for p in s.written]
    if s.failed:
        lines.append(f"未能生成 PDF {len(s.failed)} 个：")
        lines += [f"    {p.name}：{why}" for p, why in s.failed]
    return "\n".join(lines)
