"""Issue 12.3: a month that cannot be read is not a clean month. A sub-folder (or the
month folder) that cannot be opened stops the run naming it, and last run's reports stay;
a folder nested deeper than anyone files mail attachments is named, not a crash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kaohe_excel.fsutil import tree_digest
from kaohe_excel.flows.run import run_workspace as run
from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def _refusing(target: Path):
    """os.scandir that fails on `target` as a folder without read permission does (the
    tests run as root, which reads everything)."""
    real = os.scandir

    def fake(path="."):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    return fake


def test_an_unreadable_sub_folder_stops_the_run_and_keeps_last_reports(tmp_path, monkeypatch):
    ws = _demo(tmp_path)
    month = ws / "input" / "2023-08"
    sub = month / "邮件附件"
    sub.mkdir()
    for f in list(month.glob("叶县财政局*")):
        shutil.move(str(f), sub / f.name)
    first = run(ws, "2023-08")
    assert first.fatal is None and first.written
    before = tree_digest(ws / "output")
    monkeypatch.setattr(os, "scandir", _refusing(sub))
    again = run(ws, "2023-08")
    assert again.fatal and "input/2023-08/邮件附件" in again.fatal and "无法打开该文件夹" in again.fatal
    assert not again.written and tree_digest(ws / "output") == before


def test_an_unreadable_month_folder_is_named(tmp_path, monkeypatch):
    ws = _demo(tmp_path)
    monkeypatch.setattr(os, "scandir", _refusing(ws / "input" / "2023-08"))
    s = run(ws, "2023-08")
    assert s.fatal and "input/2023-08" in s.fatal and not s.written


def test_a_folder_a_thousand_levels_deep_is_named_not_a_crash(tmp_path):
    ws = _demo(tmp_path)
    d = ws / "input" / "2023-08"
    os.chdir(d)  # build it relatively: absolute paths this deep pass PATH_MAX
    try:
        for _ in range(1000):
            os.mkdir("子")
            os.chdir("子")
    finally:
        os.chdir(tmp_path)
    try:
        p = cli(ws, "check", "--month", "2023-08")
        assert p.returncode in (1, 2) and "Traceback" not in p.stdout + p.stderr and "RecursionError" not in p.stdout
        assert "文件夹层级过深" in p.stdout, p.stdout[-2000:]
    finally:  # removed here, level by level: pytest's own clean-up recurses and would fail on it
        os.chdir(d)
        depth = 0
        while os.path.isdir("子"):
            os.chdir("子")
            depth += 1
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("子")
        os.chdir(tmp_path)
