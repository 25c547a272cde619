"""The command line talks Chinese, never shows a traceback, and exits with the documented codes."""

import os
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


def test_the_command_collects_nothing_it_imported(tmp_path):
    """The installed command (pyproject's console script) sets the collector before it imports
    anything and freezes what it imported once the job is a one-off (kaohe_excel.collector): with
    Python's defaults, importing click, Jinja and the package alone ran dozens of collections."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    script = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["kaohe"]
    module, func = script.split(":")
    src = ("import atexit, gc, sys\n"
           "gc.set_threshold(700, 10, 10)\n"
           "seen = []\n"
           # (before the command's first line: compiling kaohe_excel.command where no bytecode is kept)
           "gc.callbacks.append(lambda phase, info: phase == 'start' and gc.get_threshold()[0] != 700"
           " and seen.append(info['generation']))\n"
           "atexit.register(lambda: print('collections', len(seen), 'frozen', gc.get_freeze_count(),"
           " 'thresholds', *gc.get_threshold()))\n"
           f"sys.argv = ['kaohe', 'check', '-w', {str(tmp_path / '不存在')!r}]\n"
           f"from {module} import {func}\n{func}()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    p = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, encoding="utf-8",
                       cwd=root, env={**env, "PYTHONPATH": str(root)}, timeout=120)
    assert p.returncode == 2, p.stderr
    words = p.stdout.split()
    at = words.index("collections")
    assert int(words[at + 1]) == 0, p.stdout
    assert int(words[at + 3]) > 10_000, p.stdout  # click and the package, frozen
    from kaohe_excel.collector import THRESHOLDS

    assert tuple(int(w) for w in words[at + 5:at + 8]) == THRESHOLDS
    main = (root / "kaohe_excel" / "__main__.py").read_text(encoding="utf-8")
    assert f"from {module} import {func}" in main  # `python -m kaohe_excel` starts the same way


def _entry(code: str) -> subprocess.CompletedProcess:
    """`kaohe`'s own entry point in a fresh process, after `code` ran in it."""
    root = Path(__file__).resolve().parents[1]
    src = f"import sys\n{code}\nfrom kaohe_excel.cli import entry\nentry()\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as on a clerk's machine
    return subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, encoding="utf-8",
                          cwd=root, env={**env, "PYTHONPATH": str(root)}, timeout=120)


def test_the_command_exits_with_its_code_and_all_it_said(tmp_path):
    # the quick exit: exit handlers still run, the output is all there, the code is the command's
    said = "".join(f"第{i}行；" for i in range(20_000))  # more than any pipe buffer
    p = _entry("import atexit\natexit.register(lambda: print('handler ran', end=''))\n"
               "print(''.join(f'第{i}行；' for i in range(20_000)))\n"
               f"sys.argv = ['kaohe', 'check', '-w', {str(tmp_path / '不存在')!r}]")
    assert p.returncode == 2, p.stderr
    assert said in p.stdout and p.stdout.rstrip().endswith("handler ran")
    assert "不存在" in p.stderr or "不存在" in p.stdout
    ok = _entry("sys.argv = ['kaohe', '--version']")
    assert ok.returncode == 0 and "kaohe-excel" in ok.stdout


def test_a_thread_still_running_gets_the_usual_exit():
    # a non-daemon thread is waited for, as Python always does: its last words are printed
    p = _entry("import threading, time\n"
               "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done', flush=True))).start()\n"
               "sys.argv = ['kaohe', '--version']")
    assert p.returncode == 0 and "thread done" in p.stdout, p.stdout + p.stderr
