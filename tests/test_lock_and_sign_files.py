"""Issue 12.7: a lock left damaged by a crash is cleared with a message saying what was
found (never a traceback, never a silent takeover); a lock that is not a file, or a FIFO
handed to `sign`, is refused without hanging."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    (tmp_path / "output").mkdir()
    return tmp_path


def _age(path: Path, seconds: float = 120) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.mark.parametrize("content, said", [
    (b"[]", "「[]」"), (b"null", "「null」"), (b"", "空文件"), (b"\xef\xbb\xbf{\"pid\": 1,", "无法识别的内容"),
    ("乱码".encode("gbk"), "无法识别的内容"),
])
def test_a_damaged_lock_is_cleared_and_said(tmp_path, content, said):
    ws = _demo(tmp_path)
    lock = ws / "output" / ".kaohe.lock"
    lock.write_bytes(content)
    _age(lock)
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    note = next((x for x in p.stdout.splitlines() if "锁文件" in x), "")
    assert "已损坏" in note and said in note and "已清除" in note, p.stdout
    assert not lock.exists()


def test_a_fresh_damaged_lock_is_a_busy_workspace(tmp_path):
    """Being written this very second, or garbage: within the grace period it is not touched."""
    ws = _demo(tmp_path)
    lock = ws / "output" / ".kaohe.lock"
    lock.write_bytes(b"[]")
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode == 2 and "另一个 kaohe 正在处理该工作区" in p.stderr and lock.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_lock_that_is_not_a_file_is_refused_without_hanging(tmp_path):
    ws = _demo(tmp_path)
    os.mkfifo(ws / "output" / ".kaohe.lock")
    t = time.monotonic()
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode == 2 and "不是 kaohe 写的锁文件" in p.stderr and time.monotonic() - t < 60


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_sign_refuses_a_fifo_in_output(tmp_path):
    ws = _demo(tmp_path)
    fifo = ws / "output" / "2023-08" / "叶县2023年8月预警通报.xlsx"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    t = time.monotonic()
    p = cli(ws, "sign", str(fifo), "--reviewer", "审核甲", "--issuer", "签发乙")
    assert p.returncode == 2 and "不是普通文件" in p.stderr and time.monotonic() - t < 60
