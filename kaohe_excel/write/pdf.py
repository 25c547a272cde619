"""Reports as printed: PDFs made by LibreOffice (soffice), when it is installed.

`to_pdf(reports)` converts each report (.xlsx, .docx) into a PDF beside it: the report is
copied into a private folder under a plain name (no Chinese path reaches soffice's
command line), converted there by one soffice process with its own profile (two run at
once: each soffice needs its own -env:UserInstallation, a second one sharing a profile
would hand its work to the first and exit), under a time limit (a hung soffice is
killed with its children), and the PDF is moved into place atomically. The print setup
is the template's own (page size, one page wide, repeated header rows, page numbers):
LibreOffice prints what Excel/WPS/Word would.

Standard library only; one small module a page or a command can call.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kaohe_excel.fsutil import atomic_write_bytes

WORKERS = 2  # soffice processes at once (each is one CPU-bound process)
TIMEOUT = 180.0  # seconds for one report

INSTALL_HINT = ("未找到 LibreOffice（soffice），无法生成 PDF（报表本身不受影响）。请先安装 LibreOffice："
                "Windows 到 LibreOffice 官网（zh-cn.libreoffice.org）下载安装程序，按默认位置安装；"
                "Debian/Ubuntu 运行 sudo apt-get install libreoffice-calc-nogui libreoffice-writer-nogui；"
                "安装后重新运行")


class NoOffice(Exception):
    """LibreOffice is not installed; str() says how to install it, in Chinese."""


@dataclass
class Converted:
    source: Path
    pdf: Path | None  # None when it failed
    error: str = ""  # why, in Chinese


def find_soffice() -> str | None:
    """soffice on PATH, else LibreOffice's usual place on Windows."""
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


def pdf_path(report: Path) -> Path:
    return Path(report).with_suffix(".pdf")


def to_pdf(reports: list[Path], *, soffice: str | None = None, workers: int = WORKERS,
           timeout: float = TIMEOUT) -> list[Converted]:
    """Each report converted to a PDF beside it (same name, .pdf), in the order given.
    NoOffice when LibreOffice is not installed."""
    exe = soffice or find_soffice()
    if not exe:
        raise NoOffice(INSTALL_HINT)
    reports = [Path(p) for p in reports]
    if not reports:
        return []
    with tempfile.TemporaryDirectory(prefix="kaohe-pdf-") as work:
        profiles: queue.Queue[Path] = queue.Queue()
        n = max(1, min(workers, len(reports)))
        for i in range(n):
            profiles.put(Path(work) / f"profile{i}")

        def one(job: tuple[int, Path]) -> Converted:
            k, report = job
            profile = profiles.get()
            try:
                return _convert(exe, report, profile, Path(work) / f"job{k}", timeout)
            finally:
                profiles.put(profile)

        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(one, enumerate(reports)))


def _convert(exe: str, report: Path, profile: Path, folder: Path, timeout: float) -> Converted:
    folder.mkdir()
    src = folder / ("report" + report.suffix.lower())
    try:
        shutil.copyfile(report, src)  # a snapshot: the report may be replaced while soffice reads
    except OSError as exc:
        return Converted(report, None, f"无法读取报表（{exc.strerror or exc}）")
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nologo", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(src)]
    new_group = {"start_new_session": True} if os.name == "posix" else \
        {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                **new_group)
    except OSError as exc:
        return Converted(report, None, f"无法启动 LibreOffice（{exc.strerror or exc}）")
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return Converted(report, None, f"LibreOffice 转换超过 {timeout:g} 秒未完成，已停止")
    made = folder / "report.pdf"
    if not made.is_file() or made.stat().st_size == 0 or not made.read_bytes()[:5] == b"%PDF-":
        said = (out or b"").decode("utf-8", "replace").strip().splitlines()
        return Converted(report, None, "LibreOffice 没有生成 PDF" + (f"（{said[-1][:200]}）" if said else ""))
    target = pdf_path(report)
    try:
        atomic_write_bytes(target, made.read_bytes())
    except PermissionError:
        return Converted(report, None, f"「{target.name}」正在被打开（或为只读），无法更新；请关闭后重试")
    return Converted(report, target)


def _kill(proc: subprocess.Popen) -> None:
    """soffice and whatever it started (oosplash -> soffice.bin)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # soffice.exe starts soffice.bin: the whole tree
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, timeout=30)
            proc.kill()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, OSError):
        pass
