"""Files that are no regular files where kaohe reads its own (an acceptance probe, helper-33):
kaohe.toml, a template or a record in output/ made a FIFO (the run hung) or a link to /dev/zero
(the run read gigabytes, then crashed). Each is now refused before anything is read, with a
message naming it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                                reason="FIFOs and /dev/zero are POSIX")


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    return ws


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_settings_file_that_is_no_file_is_refused(tmp_path, kind):
    ws = _workspace(tmp_path)
    if kind == "fifo":
        os.mkfifo(ws / "kaohe.toml")
    else:
        (ws / "kaohe.toml").symlink_to("/dev/zero")
    p = cli(ws, "check")
    assert p.returncode == 2 and "kaohe.toml" in p.stdout + p.stderr
    assert "不是普通文件" in p.stdout + p.stderr, p.stdout + p.stderr


def test_a_settings_file_too_big_for_settings_is_refused(tmp_path):
    ws = _workspace(tmp_path)
    with open(ws / "kaohe.toml", "wb") as fh:
        fh.truncate(3 * 1024 * 1024)
    p = cli(ws, "check")
    assert p.returncode == 2 and "文件过大" in p.stdout + p.stderr, p.stdout + p.stderr


def test_a_template_linked_to_a_device_is_refused_before_it_is_read(tmp_path):
    ws = _workspace(tmp_path)
    (ws / "templates").mkdir()
    (ws / "templates" / "预警通报.xlsx").symlink_to("/dev/zero")
    p = cli(ws, "run")
    assert p.returncode == 2, p.stdout + p.stderr
    assert "预警通报.xlsx" in p.stdout + p.stderr and "不是普通文件" in p.stdout + p.stderr
    assert not list((ws / "output" / "2023-08").glob("*.xlsx"))  # nothing written when a template is bad


@pytest.mark.parametrize("record", ["签发记录.json", ".kaohe-草稿.json", ".kaohe-到达记录.json"])
def test_a_record_in_output_linked_to_a_device_stops_nothing_it_should_not(tmp_path, record):
    ws = _workspace(tmp_path)
    out = ws / "output" / "2023-08"
    out.mkdir(parents=True)
    (out / record).symlink_to("/dev/zero")
    p = cli(ws, "run")
    assert "Traceback" not in p.stderr and "意外错误" not in p.stdout + p.stderr, p.stdout + p.stderr
    if record == "签发记录.json":  # the signing record must be read to protect signed reports: stop, say so
        assert p.returncode == 2 and "签发记录.json" in p.stdout + p.stderr
    else:  # our own notes: read as none
        assert p.returncode in (0, 1)


def test_what_is_no_file_in_a_month_folder_is_named_not_opened(tmp_path):
    """A FIFO, a link to /dev/zero and a link to a folder in the month folder were skipped without a
    word (helper-33): now each is named, never opened, and the month is read as before."""
    ws = _workspace(tmp_path)
    month = ws / "input" / "2023-08"
    os.mkfifo(month / "管道.xlsx")
    (month / "设备.xlsx").symlink_to("/dev/zero")
    (month / "上级").symlink_to(ws / "input")
    p = cli(ws, "check", "--month", "2023-08")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    for name in ("管道.xlsx", "设备.xlsx", "上级"):
        assert f"「{name}」：这不是普通文件" in p.stdout, p.stdout
    assert "20/21" in p.stdout or "已报 20 个" in p.stdout, p.stdout


def test_a_zips_member_names_as_the_sender_wrote_them():
    """Without the UTF-8 flag a name is UTF-8 from Info-ZIP (Linux, macOS) or GBK from Chinese
    Windows tools; zipfile decodes both as cp437 (helper-36: 8µ£êΣ╗╜… on the page)."""
    import zipfile

    from kaohe_excel.read.safety import _zip_name

    for codec in ("utf-8", "gbk"):
        info = zipfile.ZipInfo("x")
        info.filename = "8月份信访局月报.xlsx".encode(codec).decode("cp437")  # as zipfile reads it
        info.flag_bits = 0
        assert _zip_name(info) == "8月份信访局月报.xlsx", codec
    flagged = zipfile.ZipInfo("8月报.xlsx")
    flagged.flag_bits = 0x800
    assert _zip_name(flagged) == "8月报.xlsx"
