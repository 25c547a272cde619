"""Issue 12.1 (part): templates are data, not programs. A template from anyone (a copy in
the workspace's templates/) is rendered in Jinja's immutable sandbox: attributes starting
with `_`, unsafe callables and huge ranges fail with the cell named, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.fsutil import tree_digest
from tests.kaohe_cli import cli as _cli

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates" / "完成情况一览表.xlsx"


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ annex_label.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ range(10**9) | list | length }}",
    "{{ categories.append(1) }}",
], ids=["subclasses", "dunder", "globals", "huge range", "mutation"])
def test_a_hostile_template_runs_nothing_and_writes_nothing(tmp_path, payload):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    (tmp_path / "templates").mkdir()
    wb = openpyxl.load_workbook(SHIPPED)
    wb.active["A1"] = payload
    wb.save(tmp_path / "templates" / SHIPPED.name)
    before = tree_digest(tmp_path / "input")
    p = _cli(tmp_path, "run")
    assert p.returncode == 2, p.stdout + p.stderr
    assert "模板" in p.stderr and "A1" in p.stderr
    assert "Traceback" not in p.stderr
    assert not list((tmp_path / "output").rglob("*.xlsx"))
    assert tree_digest(tmp_path / "input") == before
