"""How long the main job takes on the demo workspace, and how it grows with the months
kept in input/ (each earlier month is read and assessed for rank changes and trends).

Run: python bench/bench_run.py [--repeat 3]   (prints figures and ratios; asserts nothing)

The demo's 2023-08 folder (21 departments' files, .xlsx and .xls, peer data) is copied
as 1, 4 and 12 months of one year; `kaohe check` and `kaohe run` are timed as whole
processes, the way a clerk runs them.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def workspace(dst: Path, months: int) -> Path:
    """The demo system plus `months` copies of 2023-08 named 2023-01 … (the newest is 2023-MM)."""
    inp = dst / "input"
    inp.mkdir(parents=True)
    for p in (ROOT / "input").iterdir():
        if p.is_file():
            shutil.copy2(p, inp / p.name)
    for m in range(13 - months, 13):
        shutil.copytree(ROOT / "input" / "2023-08", inp / f"2023-{m:02d}")
    return dst


def timed(args: list[str], cwd: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "kaohe_excel", *args], cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            raise SystemExit(f"kaohe {' '.join(args)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for months in (1, 4, 12):
            ws = workspace(Path(tmp) / f"m{months}", months)
            files = sum(1 for p in (ws / "input").rglob("*") if p.is_file())
            check = timed(["check", "-w", str(ws)], ws, args.repeat)
            run = timed(["run", "-w", str(ws)], ws, args.repeat)
            rows.append((months, files, check, run))
    base = rows[0]
    print(f"{'months':>6} {'files':>6} {'check s':>8} {'run s':>7} {'run/1-month':>12} {'run per month s':>16}")
    for months, files, check, run in rows:
        print(f"{months:>6} {files:>6} {check:>8.2f} {run:>7.2f} {run / base[3]:>12.2f} {run / months:>16.3f}")
    print("(median of", args.repeat, "runs each; growth with months should stay about linear)")


if __name__ == "__main__":
    main()
