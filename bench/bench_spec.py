"""How long `kaohe spec` takes on a 60-indicator table, and `kaohe --help`.

Run: python bench/bench_spec.py   (prints figures; asserts nothing)
Goals from issue 2: spec well under 0.5 s, --help under 0.3 s (whole process).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_table(path: Path, n: int = 60) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["附件2"])
    ws.append([f"基准测试用指标体系（{n}项，演示数据）"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "指标\n属性", "指标名称", "分值", "数据来源", "责任单位"])
    thin = Side(style="thin")
    for i in range(1, n + 1):
        if i % 15 == 1:
            ws.append([f"{'一二三四五'[i // 15]}、第{i // 15 + 1}类指标"])
            r = ws.max_row
            ws.merge_cells(f"A{r}:F{r}")
        ws.append([i, "共性\n指标", f"测试指标{i}号增长率\n及升降幅度", f"{1 + i % 5}分", "县统计局",
                   "牵头：县发改局\n参与：县统计局、县财政局"])
        for c in ws[ws.max_row]:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            c.alignment = Alignment(wrap_text=True)
            c.font = Font(name="仿宋_GB2312", size=12)
    ws.append(["注：本表为基准测试数据。"])
    wb.save(path)


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    runs = 7
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "指标体系60项.xlsx"
        make_table(f)
        py = sys.executable
        base = timed([py, "-c", "pass"], runs)
        helpt = timed([py, "-m", "kaohe_excel", "--help"], runs)
        spec = timed([py, "-m", "kaohe_excel", "spec", str(f)], runs)
        specj = timed([py, "-m", "kaohe_excel", "spec", str(f), "--json"], runs)
        t0 = time.perf_counter()
        from kaohe_excel.read.workbook import read_system
        for _ in range(20):
            read_system(f)
        inproc = (time.perf_counter() - t0) / 20
    med = statistics.median
    print(f"python startup            {med(base):.3f} s")
    print(f"kaohe --help              {med(helpt):.3f} s   (goal < 0.3 s; {med(helpt) / 0.3:.2f} of goal)")
    print(f"kaohe spec (60 indicators) {med(spec):.3f} s   (goal < 0.5 s; {med(spec) / 0.5:.2f} of goal)")
    print(f"kaohe spec --json         {med(specj):.3f} s")
    print(f"read_system in process    {inproc * 1000:.1f} ms per file")


if __name__ == "__main__":
    main()
