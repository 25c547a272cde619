"""Run `kaohe … --json` as a clerk's machine would (a separate process) and parse what it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_json(ws: Path, *args: str) -> tuple[int, dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "kaohe_excel", *args, "--json"], cwd=ws, env=env,
                       capture_output=True, text=True, timeout=180)
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr
    return p.returncode, json.loads(p.stdout)


def cli(ws: Path, *args: str) -> subprocess.CompletedProcess:
    """`kaohe ARGS` in the workspace, as a separate process (stdout/stderr as text)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kaohe_excel", *args], cwd=ws, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=180)


def cli_json(ws: Path, *args: str) -> dict:
    """`kaohe ARGS --json` parsed; a traceback or no JSON fails the test with what was printed."""
    import pytest

    p = cli(ws, *args, "--json")
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"`kaohe {' '.join(args)} --json` exit {p.returncode}, no JSON:\n{p.stdout}\n{p.stderr}")
