"""Issue 12.1: a template is data, not a program. Whatever a colleague's edited copy in
templates/ carries, `kaohe run` ends quickly with a Chinese message naming the template
and cell and writes nothing; `template check` names the cell; a template file that is a
FIFO, a device or a zip bomb is refused before it is read."""

from __future__ import annotations

import os
import shutil
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kaohe_excel.write.engine import TemplateError, make_environment, render
from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"

PAYLOADS = [
    "{{ 'x' * 10**9 }}",
    "{{ 9 ** 999999999 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 'a' | center(999999999) }}",
    "{{ range(10**9) | list }}",
    "{{ [['a'] * 32767] * 32767 }}",  # each repeat within bounds, the nested whole a thousand million (helper-33)
    "{{ [[[[]] * 1000] * 1000] * 1000 }}",
    "{{ (['a' * 32767] * 32767) | join }}",
    "{% for a in 'x' * 30000 %}{% for b in 'x' * 30000 %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "{% set ns = namespace(s='x') %}{{ ns.s }}",
    "{{ ().__class__.__mro__[1].__subclasses__() }}",
    "{{ county.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    # helper-55: what got through before
    "{% set a = 'a' * 30000 %}{% set a = a ~ a %}{% set a = a ~ a %}{{ a | length }}",  # ~ joins, unweighed
    "{{ '%*d' % (2 * 10**9, 1) }}",  # a width handed in by the '*'
    "{{ '{:>{w}}'.format('x', w='1999999999') }}",  # a width handed in as text
    "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",  # Jinja's parser recursed past Python's limit
    "{{ 'a'" + " | upper" * 5000 + " }}",
]


def _workspace_with(tmp_path: Path, payload: str) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    (ws / "templates").mkdir()
    wb = openpyxl.load_workbook(SHIPPED / "预警通报.xlsx")
    wb.worksheets[0]["A2"] = payload
    wb.save(ws / "templates" / "预警通报.xlsx")
    return ws


@pytest.mark.parametrize("payload", PAYLOADS)
def test_run_stops_quickly_names_the_cell_and_writes_nothing(tmp_path, payload):
    ws = _workspace_with(tmp_path, payload)
    t = time.monotonic()
    p = cli(ws, "run", "--month", "2023-08")
    took = time.monotonic() - t
    assert p.returncode == 2, p.stdout + p.stderr
    assert "预警通报.xlsx" in p.stderr and "A2" in p.stderr and "Traceback" not in p.stderr
    assert not list((ws / "output").rglob("*.xlsx")) if (ws / "output").exists() else True
    assert took < 120, took  # a bound, not a benchmark: the unbounded payloads run for hours or fill memory


@pytest.mark.parametrize("payload", PAYLOADS[:9])
def test_template_check_names_the_cell(tmp_path, payload):
    """What can be seen without data (sizes written as constants, loops in loops, macros,
    namespace) is named by `template check` itself."""
    ws = _workspace_with(tmp_path, payload)
    p = cli(ws, "template", "check", str(ws / "templates" / "预警通报.xlsx"))
    assert p.returncode in (1, 2), p.stdout + p.stderr
    out = p.stdout + p.stderr
    assert "A2" in out, out


def test_ordinary_expressions_still_work(tmp_path):
    env = make_environment()
    src = ("{{ 'ab' * 3 }}|{{ 2 ** 10 }}|{{ '%.1f' % 3.14159 }}|{{ '{:.1f}'.format(2.345) }}|"
           "{{ ['甲', '乙'] | join('、') }}|{% for x in range(3) %}{{ loop.index }}{% endfor %}|{{ 'a' | center(5) }}")
    assert env.from_string(src).render() == "ababab|1024|3.1|2.3|甲、乙|123|  a  "


def test_a_cell_longer_than_excel_holds_is_cut(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "{{ t }}"
    wb.save(tmp_path / "t.xlsx")
    out = render(tmp_path / "t.xlsx", {"t": "字" * 40000}, tmp_path / "o.xlsx")
    v = openpyxl.load_workbook(out).active["A1"].value
    assert len(v) == 32767 and v.endswith("…")


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
def test_a_fifo_or_device_named_xlsx_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "预警通报.xlsx"
    os.mkfifo(fifo)
    t = time.monotonic()
    with pytest.raises(TemplateError) as e:
        render(fifo, {}, tmp_path / "o.xlsx")
    assert "不是普通文件" in str(e.value) and time.monotonic() - t < 5
    link = tmp_path / "零.xlsx"
    link.symlink_to("/dev/zero")
    with pytest.raises(TemplateError) as e:
        render(link, {}, tmp_path / "o.xlsx")
    assert "不是普通文件" in str(e.value)


def test_a_zip_bomb_template_is_refused_before_inflating(tmp_path):
    """A part declaring 8 GB (zipfile never reads more than a part declares) and a 2 MB
    file of highly compressible parts that together inflate past the limit."""
    bomb = tmp_path / "完成情况一览表.xlsx"
    shutil.copy(SHIPPED / "完成情况一览表.xlsx", bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        chunk = b"\0" * (64 * 1024 * 1024)
        for k in range(5):  # 5 x 64 MB = 320 MB inflated, ~300 KB on disk
            z.writestr(f"xl/media/pad{k}.bin", chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    t = time.monotonic()
    with pytest.raises(TemplateError) as e:
        render(bomb, {}, tmp_path / "o.xlsx")
    assert "压缩炸弹" in str(e.value) and time.monotonic() - t < 10


def test_row_loops_that_write_nothing_still_stop_on_time(tmp_path, monkeypatch):
    """{%row for %} inside {%row for %} whose filter lets nothing through writes no row, so no row's
    count stops it: the clock does (helper-55: it ran past two minutes; the bound was 300 s)."""
    from kaohe_excel.write import _tpl_layout

    monkeypatch.setattr(_tpl_layout, "RENDER_SECONDS", 1.0)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "{%row for c in range(20000) %}", "{%row for x in range(20000) if x < 0 %}", "{{ x }}"
    ws["A4"], ws["A5"] = "{%row endfor %}", "{%row endfor %}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", {}, tmp_path / "o.xlsx")
    assert "秒" in str(e.value) and not (tmp_path / "o.xlsx").exists()


def test_nested_loops_of_a_word_template_that_write_nothing_stop_on_time(tmp_path, monkeypatch):
    """Three loops of 2,000 in the bulletin, nothing inside: eight thousand million turns writing
    nothing, so the size of what is written never stops them; the clock does."""
    from kaohe_excel.write import _tpl_sandbox

    monkeypatch.setattr(_tpl_sandbox, "RENDER_SECONDS", 1.0)
    env = make_environment(document=True)
    src = "{% for i in range(2000) %}{% for j in range(2000) %}{% for k in range(2000) %}{% endfor %}{% endfor %}{% endfor %}"
    with pytest.raises(Exception) as e:
        env.from_string(src).render()
    assert "秒" in str(e.value)


def test_a_hundred_and_fifty_row_ifs_inside_each_other_are_named_not_a_crash(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(150):
        ws.cell(i + 1, 1, "{%row if true %}")
    ws.cell(151, 1, "{{ 1 }}")
    for i in range(150):
        ws.cell(152 + i, 1, "{%row endif %}")
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError) as e:
        render(tmp_path / "t.xlsx", {}, tmp_path / "o.xlsx")
    assert "嵌套太深" in str(e.value)
