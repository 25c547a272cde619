"""A report's PDF, made on demand with LibreOffice when it is installed.

    soffice_path() -> str | None
    report_pdf(xlsx) -> Path      PdfError (Chinese) when it cannot be made

The PDF goes beside the report in output/YYYY-MM/ (same name, .pdf), converted in a hidden
folder there and moved into place whole, under the workspace lock (never while a run
replaces the workbook). A PDF newer than its workbook is reused. LibreOffice runs with
its own profile folder (a clerk's open LibreOffice is not disturbed) and a time limit,
with the file name as one argument (no shell).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 180


class PdfError(Exception):
    """str() is the Chinese reason."""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if base:
            exe = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if exe.is_file():
                return str(exe)
    return None


def report_pdf(xlsx: Path) -> Path:
    from kaohe_excel.flows.signing import workspace_of_output
    from kaohe_excel.fsutil import WorkspaceBusy, workspace_lock

    xlsx = Path(xlsx)
    pdf = xlsx.with_suffix(".pdf")
    if pdf.is_file() and pdf.stat().st_mtime_ns >= xlsx.stat().st_mtime_ns:
        return pdf
    soffice = soffice_path()
    if soffice is None:
        raise PdfError("本机没有安装 LibreOffice，无法转换 PDF；可以下载 Excel 文件后在 Excel/WPS 中打印或另存为 PDF")
    workspace = workspace_of_output(xlsx)
    if workspace is None:
        raise PdfError(f"「{xlsx.name}」不在 output/ 中")
    profile = Path(tempfile.gettempdir()) / f"kaohe-libreoffice-{os.getpid()}"
    try:
        with workspace_lock(workspace):
            work = Path(tempfile.mkdtemp(prefix=".pdf-", dir=xlsx.parent))
            try:
                src = work / ("report" + xlsx.suffix)  # an ASCII name: no shell, no locale surprises
                shutil.copyfile(xlsx, src)
                cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                       "--convert-to", "pdf", "--outdir", str(work), str(src)]
                try:
                    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   timeout=TIMEOUT_S, check=False)
                except subprocess.TimeoutExpired:
                    raise PdfError(f"LibreOffice 转换「{xlsx.name}」超过 {TIMEOUT_S} 秒没有完成，请稍后再试") from None
                except OSError as exc:
                    raise PdfError(f"无法启动 LibreOffice（{exc.strerror or type(exc).__name__}）") from None
                made = work / "report.pdf"
                if not made.is_file() or made.stat().st_size == 0:
                    raise PdfError(f"LibreOffice 没能把「{xlsx.name}」转换成 PDF（可能有另一个 LibreOffice 窗口占用），请稍后再试")
                os.replace(made, pdf)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except WorkspaceBusy as exc:
        raise PdfError(str(exc)) from None
    return pdf


__all__ = ["PdfError", "report_pdf", "soffice_path"]
