"""The command line talks Chinese, never shows a traceback, and exits with the documented codes."""

import shutil
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from kaohe_excel import cli

REPO = Path(__file__).resolve().parents[1]


def _kaohe(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=300)


def test_help_lists_commands_in_chinese():
    proc = _kaohe("--help")
    assert proc.returncode == 0
    for cmd in ("run", "check", "spec", "sign", "template"):
        assert cmd in proc.stdout
    assert "报表" in proc.stdout


def _demo_copy(tmp_path):
    ws = tmp_path / "工作区"
    shutil.copytree(REPO / "input", ws / "input")
    return ws


def test_bad_config_names_the_key(tmp_path):
    ws = _demo_copy(tmp_path)
    (ws / "kaohe.toml").write_text('[warning]\nrule = "abc"\n', encoding="utf-8")
    for cmd in ("run", "check"):
        proc = _kaohe(cmd, "-w", str(ws))
        assert proc.returncode == 2, (cmd, proc.stdout, proc.stderr)
        assert "warning.rule" in proc.stderr and "Traceback" not in proc.stderr
    assert not (ws / "output" / "2023-08").exists() or not list((ws / "output" / "2023-08").glob("*.xlsx"))


def test_broken_workspace_template_is_named(tmp_path):
    ws = _demo_copy(tmp_path)
    (ws / "templates").mkdir()
    (ws / "templates" / "预警通报.xlsx").write_text("这不是工作簿", encoding="utf-8")
    proc = _kaohe("run", "-w", str(ws))
    assert proc.returncode == 2
    assert "预警通报.xlsx" in proc.stderr and "模板" in proc.stderr and "Traceback" not in proc.stderr


def test_unexpected_errors_become_a_chinese_message_and_a_log(tmp_path, monkeypatch):
    @cli.main.command("boom-test")
    def boom():
        raise RuntimeError("测试用的意外")

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    try:
        result = CliRunner().invoke(cli.main, ["boom-test"])
    finally:
        cli.main.commands.pop("boom-test", None)
    assert result.exit_code == 2
    assert "意外错误" in result.output and "Traceback" not in result.output
    logs = list(tmp_path.glob("kaohe-错误-*.log"))
    assert logs and "RuntimeError" in logs[0].read_text(encoding="utf-8")


def test_template_check_reports_missing_variables(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "{{ county }}{{ 不存在的变量 }}"
    f = tmp_path / "预警通报.xlsx"
    wb.save(f)
    proc = _kaohe("template", "check", str(f))
    assert proc.returncode == 1 and "不存在的变量" in proc.stdout
    shipped = REPO / "templates"
    for t in shipped.glob("*.xlsx"):
        proc = _kaohe("template", "check", str(t))
        assert proc.returncode == 0, (t.name, proc.stdout, proc.stderr)


def test_every_process_of_a_run_collects_garbage_seldom(tmp_path):
    """The CLI and each worker process set the collector's thresholds (kaohe_excel.collector): with
    Python's defaults a province's run spent about an eighth of its CPU collecting."""
    import gc

    from kaohe_excel.collector import THRESHOLDS
    from kaohe_excel.workspace import Workers

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's defaults (another test's CLI call may have set ours)
    try:
        for days in ("serve", "watch"):  # they run for days: Python's defaults
            assert CliRunner().invoke(cli.main, [days, "--help"]).exit_code == 0
            assert gc.get_threshold() == (700, 10, 10), days
        result = CliRunner().invoke(cli.main, ["check", "--workspace", str(tmp_path / "无此工作区")])
        assert result.exit_code == 2 and gc.get_threshold() == THRESHOLDS
    finally:
        gc.set_threshold(*before)
    with Workers() as workers:
        assert workers.start(1).submit(gc.get_threshold).result(timeout=120) == THRESHOLDS
