"""What one file (or one folder) can cost, whatever it holds (issue 12, point 5).

Run: python bench/bench_inputs.py [--only 0,a,b,c,d] [--keep DIR] [--src DIR]
     (prints figures and ratios; asserts nothing; --src runs kaohe from another
     source tree, e.g. `git archive main | tar -x -C /tmp/main`, for before/after)

Inputs are made the way an attacker or a careless clerk would make them, each in
a workspace copied from the repo's demo input/, and `kaohe check --month 2023-08`
is timed as a whole process (wall time and the process's own peak RSS, VmHWM):

  0  the demo workspace as it is (what every case below adds to)
  a  a department's progress sheet in input/2023-08/: 17 sheets x 20,000 rows of
     plausible rows (indicators of the system, figures, ranks, problem texts)
  b  a progress sheet whose shared-string table is about 4 MB (every 存在问题 /
     下步举措 cell a different sentence), and b2: the same size of table that no
     cell uses, beside the demo's rows
  c  a month folder with 10,000 small files (copies of one department's report)
  d  indicator systems (附件2 一览表 layout, the demo's indicators first, then more)
     of 1,000, 2,000 and 5,000 indicators: `check` on the demo month, where the
     发改委 hands in the whole 一览表 (so the month grows with the system too), and
     `spec` on the file alone; time per indicator above the demo's own time, and the
     ratio 5k/1k of that time (linear is about 5)

Goals: a-c within 5 s and 400 MB each; d linear (5k/1k at most about 6), 5k well
under a minute.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2023-08"
SYSTEM_NAME = "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx"
HEADER = ["序号", "指标内容", "分值", "责任单位", "2022年度完成情况（位次）", "2023年度县定目标",
          "截至本月底完成情况", "六县市排名", "预警提示", "存在问题", "下步举措"]
WORDS = ["项目", "投资", "企业", "产业", "资金", "政策", "市场", "服务", "建设", "推进", "落实", "协调",
         "进度", "审批", "要素", "保障", "土地", "融资", "订单", "环保", "用工", "招商", "运行", "分析"]


# ------------------------------------------------------------------ helpers

def demo_workspace(dst: Path) -> Path:
    """input/ as in the repo: the system and the 2023-07 and 2023-08 folders."""
    shutil.copytree(ROOT / "input", dst / "input")
    return dst


def demo_indicators() -> list[tuple[int, str, str]]:
    """(序号, 指标内容, 责任单位) of the demo system."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(ROOT / "input" / SYSTEM_NAME))
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    out = []
    for r in rows:
        if r and isinstance(r[0], float) and str(r[1]).strip():
            out.append((int(r[0]), str(r[1]), str(r[3]).replace("\n", "")))
    return out


def sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"


def progress_row(rng: random.Random, ind: tuple[int, str, str], pool: list[str], unique: int | None = None) -> list:
    """One indicator's row as a department fills it in: texts from a clerk's usual
    few phrases (`pool`), or with `unique` a long text of its own in each text cell."""
    no, name, dept = ind
    last = f"{no % 15}.{no % 10}%（{no % 6 + 1}）"  # last year's and the target stay per indicator
    if unique is None:  # last year's, the target, problems and measures written for one row in ten
        if rng.random() >= 0.1:
            return [no, name, "", dept, "", "", f"{rng.randint(0, 15)}.{rng.randint(0, 9)}%", rng.randint(1, 6)]
        issue, step = rng.choice(pool), rng.choice(pool)
    else:
        issue, step = (f"第{unique}条{what}：{sentence(rng, 160)}" for what in ("问题", "举措"))
    return [no, name, "", dept, last, f"{no % 7 + 5}%", f"{rng.randint(0, 15)}.{rng.randint(0, 9)}%",
            rng.randint(1, 6), "", issue, step]


def write_progress_book(path: Path, sheets: int, rows: int, *, unique_texts: bool = False, seed: int = 1) -> None:
    """A 附件2 progress workbook of `sheets` sheets, each `rows` rows of the demo's indicators."""
    import xlsxwriter

    rng = random.Random(seed)
    inds = demo_indicators()
    pool = [sentence(rng, 8) for _ in range(40)]
    wb = xlsxwriter.Workbook(str(path))  # a shared-string table, as Excel and WPS save
    k = 0
    for s in range(sheets):
        ws = wb.add_worksheet(f"Sheet{s + 1}")
        ws.write_row(0, 0, ["附件2"])
        ws.write_row(1, 0, [f"叶县发改委2023年1-8月高质量发展综合绩效指标进展情况表（{s + 1}）"])
        ws.write_row(2, 0, HEADER)
        ws.write_row(3, 0, ["一、重点指标"])
        for r in range(rows):
            k += 1
            ws.write_row(4 + r, 0, progress_row(rng, inds[r % len(inds)], pool, k if unique_texts else None))
        ws.write_row(4 + rows, 0, ["填报单位（盖章）：叶县发改委", "", "", "主要负责人：（演示）", "", "填报人：（演示）"])
    wb.close()


def write_unused_strings_book(path: Path, strings: int, seed: int = 2) -> None:
    """The demo's 发改委 report (saved with a shared-string table) plus `strings`
    shared strings that no cell uses: spreadsheet programs only store strings a
    cell uses, so this is made by hand, the way an attacker would."""
    import zipfile

    import python_calamine as pc
    import xlsxwriter

    rng = random.Random(seed)
    src = ROOT / "input" / MONTH / "叶县发改委2023年8月指标进展情况.xlsx"
    cb = pc.CalamineWorkbook.from_path(str(src))
    rows = cb.get_sheet_by_name(cb.sheet_names[0]).to_python()
    plain = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(plain))
    ws = wb.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                extra = "".join(f"<si><t>多余{i}：{sentence(rng, 6)}</t></si>" for i in range(strings))
                head, tail = text.rsplit("</sst>", 1)
                data = (head + extra + "</sst>" + tail).encode("utf-8")
            zout.writestr(info, data)
    plain.unlink()


def system_rows(n: int, seed: int = 3) -> list[tuple[int, str, str] | str]:
    """The rows of an indicator system of `n` indicators: the demo's first (so the demo
    month still matches), then more under new categories (a str is a category row),
    each led by a demo department."""
    rng = random.Random(seed)
    demo = demo_indicators()
    depts = sorted({d for _no, _name, d in demo})
    cats = "一二三四五六七八九十"
    rows: list[tuple[int, str, str] | str] = ["一、重点指标"]
    for i in range(1, n + 1):
        if i <= len(demo):
            rows.append(demo[i - 1])
            continue
        if (i - len(demo)) % 50 == 1:
            c = (i - len(demo)) // 50 + 2
            rows.append(f"{cats[c % 10]}、第{c}类指标")
        rows.append((i, f"{rng.choice(WORDS)}{rng.choice(WORDS)}第{i}项{rng.choice(WORDS)}指标增速", rng.choice(depts)))
    return rows


def write_system(path: Path, n: int, filled_by: str | None = None) -> None:
    """An 附件2 一览表 of `n` indicators; with `filled_by`, the same 一览表 as that
    department hands it in: every indicator listed, its own rows filled in, signed."""
    import xlsxwriter

    rng = random.Random(4)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("一览表")
    ws.write_row(0, 0, ["附件2"])
    who = f"叶县{filled_by}2023年1-8月" if filled_by else "叶县2023年度"
    ws.write_row(1, 0, [f"{who}高质量发展综合绩效指标完成情况一览表（{n}项，基准测试）"])
    ws.write_row(2, 0, ["序号", "指标内容", f"总分{n * 2}分", "责任单位", "2022年度\n完成情况\n(位次)",
                        "2023年度\n县定目标", "截至本月底\n完成情况", "六县市\n排名", "预警\n提示"])
    r = 3
    for row in system_rows(n):
        if isinstance(row, str):
            ws.write_row(r, 0, [row])
        else:
            no, name, dept = row
            mine = filled_by is not None and dept == filled_by
            ws.write_row(r, 0, [no, name, 2, dept] + ([f"{rng.randint(1, 9)}.{rng.randint(0, 9)}%（{rng.randint(1, 6)}）",
                                                       "8%", f"{rng.randint(0, 15)}.{rng.randint(0, 9)}%",
                                                       rng.randint(1, 6)] if mine else []))
        r += 1
    if filled_by:
        ws.write_row(r, 0, [f"填报单位（盖章）：叶县{filled_by}", "", "", "填报日期：2023年9月5日"])
    wb.close()


# `python -m kaohe_excel …` that writes its own peak RSS (VmHWM) to a file on exit: the
# ru_maxrss a parent gets from wait4 carries this (large) bench process's own peak.
_MEASURED = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def hwm():
    try:
        with open("/proc/self/status") as fh:
            kb = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM"))
    except (OSError, StopIteration):
        import resource
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    with open(out, "w") as fh:
        fh.write(str(kb))
atexit.register(hwm)
sys.argv[0] = "kaohe"
runpy.run_module("kaohe_excel", run_name="__main__", alter_sys=True)
"""


SRC: str | None = None  # --src: the kaohe_excel to run (default: the one installed)


def run_check(ws: Path, args: list[str] | None = None) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MB of the process, exit code, what it printed) of one kaohe run."""
    env = dict(os.environ, PYTHONPATH=SRC) if SRC else None
    with tempfile.TemporaryDirectory() as td:
        hwm = Path(td) / "hwm"
        cmd = [sys.executable, "-c", _MEASURED, str(hwm), *(args or ["check", "--month", MONTH, "-w", str(ws)])]
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=ws, capture_output=True, env=env)
        wall = time.perf_counter() - t
        text = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        rss = int(hwm.read_text()) / 1024 if hwm.exists() else float("nan")
    return wall, rss, p.returncode, text


def said(text: str, *needles: str) -> str:
    """The first output line holding any needle, shortened."""
    for line in text.splitlines():
        if any(n in line for n in needles):
            return line.strip()[:110]
    return ""


# ------------------------------------------------------------------ cases

def case_0(tmp: Path) -> list[tuple]:
    ws = demo_workspace(tmp / "demo")
    wall, rss, rc, text = run_check(ws)
    return [("0 the demo month as it is", "", wall, rss, rc, "")]


def case_a(tmp: Path) -> list[tuple]:
    ws = demo_workspace(tmp / "a")
    f = ws / "input" / MONTH / "叶县发改委2023年8月指标进展情况（汇总17表）.xlsx"
    write_progress_book(f, 17, 20000)
    wall, rss, rc, text = run_check(ws)
    return [("a 17 sheets x 20,000 rows", f"{f.stat().st_size / 1e6:.1f} MB", wall, rss, rc,
             said(text, "汇总17表）.xlsx」"))]


def case_b(tmp: Path) -> list[tuple]:
    import zipfile

    rows = []
    ws = demo_workspace(tmp / "b")
    f = ws / "input" / MONTH / "叶县发改委2023年8月指标进展情况（问题清单）.xlsx"
    write_progress_book(f, 1, 2000, unique_texts=True)
    sst = zipfile.ZipFile(f).getinfo("xl/sharedStrings.xml").file_size
    wall, rss, rc, text = run_check(ws)
    rows.append(("b 4 MB string table, used", f"{f.stat().st_size / 1e6:.1f} MB, sst {sst / 1e6:.1f} MB",
                 wall, rss, rc, said(text, "问题清单")))
    ws = demo_workspace(tmp / "b2")
    f = ws / "input" / MONTH / "叶县发改委2023年8月指标进展情况（多余字符串）.xlsx"
    write_unused_strings_book(f, 70000)
    sst = zipfile.ZipFile(f).getinfo("xl/sharedStrings.xml").file_size
    wall, rss, rc, text = run_check(ws)
    rows.append(("b2 4 MB string table, unused", f"{f.stat().st_size / 1e6:.1f} MB, sst {sst / 1e6:.1f} MB",
                 wall, rss, rc, said(text, "多余字符串")))
    return rows


def case_c(tmp: Path) -> list[tuple]:
    ws = demo_workspace(tmp / "c")
    folder = ws / "input" / MONTH
    src = folder / "叶县发改委2023年8月指标进展情况.xlsx"
    data = src.read_bytes()
    for i in range(10000):
        (folder / f"副本{i:05d}.xlsx").write_bytes(data)
    wall, rss, rc, text = run_check(ws)
    n = sum(1 for _ in folder.iterdir())
    return [("c month folder of 10,000 files", f"{n} files", wall, rss, rc, said(text, "超过 2000 个", "超过 2000"))]


def case_d(tmp: Path) -> list[tuple]:
    """The system grows, and so does what the month holds of it: the 发改委 hands in the
    whole 一览表 (every indicator listed, its own rows filled in) instead of its sheet."""
    rows = []
    for n in (1000, 2000, 5000):
        ws = demo_workspace(tmp / f"d{n}")
        (ws / "input" / SYSTEM_NAME).unlink()
        f = ws / "input" / f"附件2：叶县2023年度指标一览表（{n}项）.xlsx"
        write_system(f, n)
        (ws / "input" / MONTH / "叶县发改委2023年8月指标进展情况.xlsx").unlink()
        write_system(ws / "input" / MONTH / "叶县发改委2023年8月完成情况一览表.xlsx", n, filled_by="发改委")
        wall, rss, rc, text = run_check(ws)
        rows.append((f"d check, {n} indicators", f"{f.stat().st_size / 1e6:.2f} MB", wall, rss, rc, n))
        wall, rss, rc, text = run_check(ws, ["spec", str(f)])
        rows.append((f"d spec, {n} indicators", "", wall, rss, rc, n))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="0,a,b,c,d", help="cases to run, e.g. 0,d")
    ap.add_argument("--keep", help="build the workspaces in this folder and keep them (for profiling)")
    ap.add_argument("--src", help="run kaohe_excel from this source tree (PYTHONPATH)")
    args = ap.parse_args()
    global SRC
    SRC = args.src
    cases = {"0": case_0, "a": case_a, "b": case_b, "c": case_c, "d": case_d}
    wanted = [c.strip() for c in args.only.split(",") if c.strip()]
    results: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(args.keep) if args.keep else Path(tmpd)
        tmp.mkdir(parents=True, exist_ok=True)
        print(f"{'case':<32} {'input':<26} {'wall s':>7} {'peak MB':>8} {'exit':>4}  note", flush=True)
        for c in wanted:
            for name, size, wall, rss, rc, note in cases[c](tmp):
                results.append((name, size, wall, rss, rc, note))
                if isinstance(note, int):  # indicators: time above the demo's own (check) per indicator
                    base = next((w for n, _s, w, *_ in results if n.startswith("0 ")), 0) if "check" in name else 0
                    note = f"{(wall - base) / note * 1000:.2f} ms/indicator" + (" above the demo's" if base else "")
                print(f"{name:<32} {size:<26} {wall:>7.2f} {rss:>8.0f} {rc:>4}  {note}", flush=True)
    d = {name: wall for name, _s, wall, *_ in results}
    base = d.get("0 the demo month as it is", 0)
    for what in ("check", "spec"):
        one, five = d.get(f"d {what}, 1000 indicators"), d.get(f"d {what}, 5000 indicators")
        if one and five:
            b = base if what == "check" else 0
            print(f"d {what}: 5k/1k = {five / one:.2f} whole, {(five - b) / max(one - b, 1e-9):.2f} "
                  f"above the demo's {b:.2f} s (linear is about 5)")
    print("goals: a-c within 5 s and 400 MB each; d 5k/1k at most about 6, 5k well under a minute")


if __name__ == "__main__":
    main()
