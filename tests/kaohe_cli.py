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
