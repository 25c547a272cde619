"""Issue 12.3 (names): a file or month folder whose name is GBK bytes, as unzipping a
Windows zip leaves them, is named readably and read — not an 意外错误 that stops every
command, and a GBK-named month folder is recognised, not passed over for last month."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.kaohe_cli import cli as _cli

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows names are always Unicode")


def test_a_gbk_file_name_is_read_and_named(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    month = os.fsencode(tmp_path / "input" / "2023-08")
    os.rename(month + "/叶县司法局2023年8月指标进展情况.xlsx".encode(), month + "/".encode() + "司法局8月月报.xlsx".encode("gbk"))
    p = _cli(tmp_path, "check", "--json")
    assert "Traceback" not in p.stderr and "意外错误" not in p.stderr
    d = json.loads(p.stdout)
    assert any(f["file"] == "2023-08/司法局8月月报.xlsx" and f["kind"] == "submission" for f in d["files"])
    assert "司法局" in d["status"]["sent"]
    assert _cli(tmp_path, "run").returncode in (0, 1)


def test_a_gbk_month_folder_is_recognised(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    src = os.fsencode(tmp_path / "input" / "2023-08")
    os.rename(src, os.fsencode(tmp_path / "input") + "/".encode() + "2023年8月".encode("gbk"))
    d = json.loads(_cli(tmp_path, "check", "--json").stdout)
    assert d["month"] == "2023-08" and len(d["status"]["sent"]) >= 19
