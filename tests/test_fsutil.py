"""Outputs written atomically, one run per workspace, digests for "inputs never change"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kaohe_excel.fsutil import (LOCK_NAME, WorkspaceBusy, atomic_output, atomic_write_bytes,
                                file_digest, tree_digest, workspace_lock)

ROOT = Path(__file__).resolve().parents[1]


def test_atomic_write_replaces_whole(tmp_path):
    target = tmp_path / "out" / "报表.xlsx"
    atomic_write_bytes(target, b"v1")
    atomic_write_bytes(target, b"v2" * 1000)
    assert target.read_bytes() == b"v2" * 1000
    assert [p.name for p in target.parent.iterdir()] == ["报表.xlsx"]


def test_atomic_output_failure_keeps_old_and_leaves_no_temp(tmp_path):
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            assert tmp.parent == target.parent and tmp != target
            tmp.write_bytes(b"half")
            raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]


def test_killed_mid_write_leaves_no_half_file(tmp_path):
    """A real process killed while writing: the report's name never holds a half file."""
    target = tmp_path / "预警通报.xlsx"
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from kaohe_excel.fsutil import atomic_output
        with atomic_output({str(target)!r}) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(b"x" * 1000)
                fh.flush()
                print("writing", flush=True)
                time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    proc.wait(10)
    assert not target.exists()  # a leftover .tmp may stay, never under the report's name


def test_lock_second_run_gets_chinese_message(tmp_path):
    with workspace_lock(tmp_path) as lock:
        assert lock == tmp_path / "output" / LOCK_NAME
        owner = json.loads((tmp_path / "output" / (LOCK_NAME + ".owner")).read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid()
        with pytest.raises(WorkspaceBusy) as info:
            with workspace_lock(tmp_path):
                pass
        msg = str(info.value)
        assert "另一个 kaohe 正在处理该工作区" in msg and f"进程 {os.getpid()}" in msg and "开始于" in msg
    assert not (tmp_path / "output" / (LOCK_NAME + ".owner")).exists()
    with workspace_lock(tmp_path):  # free again
        pass


def test_lock_from_another_live_process(tmp_path):
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from kaohe_excel.fsutil import workspace_lock
        with workspace_lock({str(tmp_path)!r}):
            print("locked", flush=True)
            time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(WorkspaceBusy, match=f"进程 {proc.pid}"):
            with workspace_lock(tmp_path):
                pass
    finally:
        proc.kill()
        proc.wait(10)
    # killed without cleanup: its files remain, the operating system let go of the lock
    assert (tmp_path / "output" / LOCK_NAME).exists()
    with workspace_lock(tmp_path):
        owner = json.loads((tmp_path / "output" / (LOCK_NAME + ".owner")).read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid()


def test_busy_message_names_another_computer(tmp_path):
    """A holder on another computer (a shared folder) is named by the note it left."""
    from kaohe_excel.fsutil import _busy_message

    msg = _busy_message({"pid": 1, "host": "另一台电脑", "started": "2023-10-06 09:00:00"}, tmp_path / LOCK_NAME)
    assert "计算机 另一台电脑" in msg and "开始于 2023-10-06 09:00:00" in msg


def test_digests_see_any_change(tmp_path):
    (tmp_path / "a").mkdir()
    f = tmp_path / "a" / "月报.xlsx"
    f.write_bytes(b"1234")
    before = tree_digest(tmp_path)
    assert before == {"a/月报.xlsx": file_digest(f)}
    f.write_bytes(b"1235")
    assert tree_digest(tmp_path) != before
    f.write_bytes(b"1234")
    assert tree_digest(tmp_path) == before
    (tmp_path / "new.xls").write_bytes(b"")
    assert set(tree_digest(tmp_path)) == {"a/月报.xlsx", "new.xls"}


def test_busy_outputs_asks_without_touching(tmp_path):
    """Free files and missing ones are not busy, and asking leaves the bytes and the time alone."""
    from kaohe_excel.fsutil import busy_outputs

    free = tmp_path / "一览表.xlsx"
    free.write_bytes(b"PK old report")
    stamp = free.stat().st_mtime_ns
    assert busy_outputs([free, tmp_path / "未生成.xlsx"]) == []
    assert free.read_bytes() == b"PK old report" and free.stat().st_mtime_ns == stamp


def test_remove_stale_temps_only_takes_our_hidden_temps(tmp_path):
    from kaohe_excel.fsutil import remove_stale_temps

    ours = [tmp_path / ".叶县一览表.xlsx.ab12cd.tmp", tmp_path / "2023-08" / "..预警通报.xlsx.x1.tmp.y2.tmp",
            tmp_path / "2023-08" / ".叶县8月份情况通报（稿）.docx.k9.tmp", tmp_path / "2023-08" / ".叶县一览表.pdf.q1.tmp",
            # what a killed run or sign leaves beside them (helper-33): the lock's owner note, a record
            tmp_path / "..kaohe.lock.owner.zz12.tmp", tmp_path / "2023-08" / ".签发记录.json.ab1.tmp"]
    theirs = [tmp_path / "草稿.tmp", tmp_path / ".~lock.一览表.xlsx#", tmp_path / "一览表.xlsx",
              tmp_path / ".hidden.tmp"]
    for p in ours + theirs:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    assert sorted(remove_stale_temps(tmp_path)) == sorted(ours)
    assert all(p.exists() for p in theirs) and not any(p.exists() for p in ours)
    assert remove_stale_temps(tmp_path / "无此目录") == []


def test_a_busy_report_names_the_program_it_is_open_in():
    from pathlib import Path

    from kaohe_excel.fsutil import busy_message

    assert "正在被 Excel 或 WPS 打开" in busy_message([Path("一览表.xlsx")])
    assert "正在被 Word 或 WPS 打开" in busy_message([Path("情况通报（稿）.docx")])
    assert "正在被 Excel、Word 或 WPS 打开" in busy_message([Path("一览表.xlsx"), Path("情况通报（稿）.docx")])
