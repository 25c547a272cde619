"""Issue 12.7 / 13.6: the workspace lock is an operating-system lock (flock / LockFile), so whatever a
crashed or killed run left behind holds nothing; a lock path that is not a file, or a FIFO
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


@pytest.mark.parametrize("content", [b"[]", b"null", b"", b"\xef\xbb\xbf{\"pid\": 1,", "乱码".encode("gbk")])
def test_whatever_a_crash_left_in_the_lock_file_the_next_run_goes_on(tmp_path, content):
    """The lock is the operating system's, not the file's content: what a killed run
    left behind holds nothing, however fresh, and the run says nothing about it."""
    ws = _demo(tmp_path)
    lock = ws / "output" / ".kaohe.lock"
    lock.write_bytes(content)
    (ws / "output" / ".kaohe.lock.owner").write_bytes(content)
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    assert "另一个 kaohe" not in p.stdout + p.stderr and list((ws / "output" / "2023-08").glob("*一览表*.xlsx"))
    assert not (ws / "output" / ".kaohe.lock.owner").exists()  # the run removed its own note of who held it


def test_a_run_killed_while_holding_the_lock_holds_nothing(tmp_path):
    import subprocess
    import textwrap

    ws = _demo(tmp_path)
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from kaohe_excel.fsutil import workspace_lock
        with workspace_lock({str(ws)!r}):
            print("locked", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        busy = cli(ws, "run", "--month", "2023-08")
        assert busy.returncode == 2 and f"进程 {proc.pid}" in busy.stderr and "开始于" in busy.stderr, busy.stderr
    finally:
        proc.kill()
        proc.wait(10)
    assert (ws / "output" / ".kaohe.lock.owner").exists()  # killed: its note stays, the lock does not
    p = cli(ws, "run", "--month", "2023-08")
    assert p.returncode in (0, 1) and "另一个 kaohe" not in p.stderr, p.stderr


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


def test_the_lock_holds_against_another_run_in_the_same_process_and_is_let_go(tmp_path):
    """`kaohe serve` runs jobs in threads of one process: a second run there is refused while
    the first holds the workspace, and the workspace is free again once it is done."""
    import threading

    from kaohe_excel.fsutil import WorkspaceBusy, workspace_lock

    ws = _demo(tmp_path)
    said: list[str] = []

    def second() -> None:
        try:
            with workspace_lock(ws):
                said.append("got it")
        except WorkspaceBusy as exc:
            said.append(str(exc))

    with workspace_lock(ws):
        t = threading.Thread(target=second)
        t.start()
        t.join(30)
    assert len(said) == 1 and "另一个 kaohe 正在处理该工作区" in said[0] and f"进程 {os.getpid()}" in said[0], said
    second()
    assert said[1] == "got it"
    assert not (ws / "output" / ".kaohe.lock.owner").exists()
