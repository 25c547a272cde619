"""Issue 6 item 5: every workbook the tool writes opens in a real spreadsheet program.

The demo workspace (the repo's input/, copied) is run as a clerk runs it, then
LibreOffice converts EVERY output .xlsx to PDF. The test fails on a conversion
error, a missing PDF, a PDF without pages, or a page without content of its own
(a page that holds only the repeated print titles, the 演示数据 header or the page
number counts as empty). Skipped only where LibreOffice is not installed and this
is not CI; in CI (CI set) a missing LibreOffice or poppler is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(*names: str) -> str | None:
    for n in names:
        found = shutil.which(n)
        if found:
            return found
    return None


SOFFICE = _tool("soffice", "libreoffice")
PDFTOTEXT = _tool("pdftotext")
PDFINFO = _tool("pdfinfo")


def _require_tools() -> None:
    missing = [n for n, p in (("soffice", SOFFICE), ("pdftotext", PDFTOTEXT), ("pdfinfo", PDFINFO)) if not p]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must install LibreOffice and poppler (missing: {', '.join(missing)}); see .ci/run")
    pytest.skip(f"not installed here: {', '.join(missing)}")


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _demo_workspace(ws: Path) -> list[str]:
    """Copy the repo's demo input/ (and kaohe.toml, templates/ if any); build a month if
    the demo has none yet. Returns the months to run."""
    from kaohe_excel.read.month_files import month_folders

    src = ROOT / "input"
    if src.is_dir():
        shutil.copytree(src, ws / "input")
    else:
        (ws / "input").mkdir(parents=True)
    for extra in ("kaohe.toml",):
        if (ROOT / extra).is_file():
            shutil.copy2(ROOT / extra, ws / extra)
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", ws / "templates")
    months = sorted(month_folders(ws / "input", 2023))
    if not months:
        from tests.month_fixtures import build_ye_month, write_system_xlsx

        inp = ws / "input"
        if not any(p.suffix == ".xlsx" for p in inp.iterdir() if p.is_file()):
            write_system_xlsx(inp / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx")
        build_ye_month(inp, month=7, conflict=False, duplicate=None)
        build_ye_month(inp, month=8)
        months = sorted(month_folders(inp, 2023))
    return months


def _kaohe(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120, env=_env(), cwd=str(ROOT))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[Path]:
    ws = tmp_path_factory.mktemp("demo_ws")
    months = _demo_workspace(ws)
    runs = [["run", "-w", ws]]  # the demo run: the latest month
    runs += [["run", "-w", ws, "--month", m] for m in months[:-1]]
    latest = months[-1]
    q = (int(latest[5:]) - 1) // 3 + 1
    runs += [["run", "-w", ws, "--quarter", f"{latest[:4]}Q{q}"], ["run", "-w", ws, "--year", latest[:4]]]
    for args in runs:
        proc = _kaohe(*args)
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
        assert proc.returncode in (0, 1), (args, proc.returncode, proc.stderr[-3000:])
    files = sorted((ws / "output").rglob("*.xlsx"))
    files = [f for f in files if not f.name.startswith((".", "~$"))]
    assert len(files) >= 6 * len(months), files
    return files


def _page_count(pdf: Path) -> int:
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, timeout=60)
    assert info.returncode == 0, (pdf.name, info.stderr)
    m = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert m, (pdf.name, info.stdout)
    return int(m.group(1))


def _page_text(pdf: Path, page: int) -> str:
    proc = subprocess.run([PDFTOTEXT, "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, (pdf.name, page, proc.stderr)
    return proc.stdout.decode("utf-8", "replace")


_BOILERPLATE = re.compile(r"演示数据|第\s*\d+\s*页|共\s*\d+\s*页|\bPage\s*\d+\b|\bof\s*\d+\b")


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"\s+", _BOILERPLATE.sub(" ", text)) if t and not re.fullmatch(r"[\d/\-.]+", t)}


def test_every_output_converts_to_pdf_with_content_on_every_page(outputs, tmp_path):
    _require_tools()
    pdf_dir = tmp_path / "pdf"
    profile = (tmp_path / "lo_profile").as_uri()  # private profile: parallel runs never share one
    # the same names appear in several month folders: convert each folder's files in one call
    failures = []
    by_folder: dict[Path, list[Path]] = {}
    for f in outputs:
        by_folder.setdefault(f.parent, []).append(f)
    expected: dict[Path, Path] = {}
    for i, (folder, files) in enumerate(sorted(by_folder.items())):
        out = pdf_dir / str(i)
        out.mkdir(parents=True)
        proc = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=150)
        log = proc.stdout + proc.stderr
        if proc.returncode != 0 or re.search(r"^Error", log, re.M):
            failures.append(f"soffice failed in {folder.name} (exit {proc.returncode}): {log[-1500:]}")
        for f in files:
            expected[f] = out / (f.stem + ".pdf")
    for src, pdf in expected.items():
        name = f"{src.parent.name}/{src.name}"
        if not pdf.exists() or pdf.stat().st_size == 0:
            failures.append(f"{name}: no PDF")
            continue
        n = _page_count(pdf)
        if n == 0:
            failures.append(f"{name}: PDF has no pages")
            continue
        pages = [_tokens(_page_text(pdf, i)) for i in range(1, n + 1)]
        common = set.intersection(*pages) if n > 1 else set()
        for i, toks in enumerate(pages, 1):
            if not toks:
                failures.append(f"{name}: page {i} of {n} has no text")
            elif n > 1 and not (toks - common):
                failures.append(f"{name}: page {i} of {n} holds only what every page repeats: {sorted(toks)[:12]}")
        if not any("叶县" in t for t in pages[0]) and not any(re.search(r"[\u4e00-\u9fff]", t) for t in pages[0]):
            failures.append(f"{name}: first page carries no Chinese text")
    assert not failures, "\n".join(failures)
    print(f"{len(expected)} workbooks converted, {sum(_page_count(p) for p in expected.values())} pages")
