"""(Re)build the demo workspace `input/`: Ye county's 2023 indicator system, and
month by month what its departments send in. All data is synthetic (演示数据).

    python tools/make_demo.py            # rebuild into ./input
    python tools/make_demo.py --clean    # empty input/ first
    python tools/make_demo.py --input other/folder

Adding a month: write a function that takes the input folder, writes that
month's files into `input/YYYY-MM/` and returns the paths it wrote, and
register it with `@month("YYYY-MM", "一句话说明")`. `main` builds the system
first, then every registered month in order, then the 说明 file listing them.
The output is deterministic (fixed document timestamps), so rebuilding without
changes leaves the committed files byte-identical.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import Book  # noqa: E402
from tests.fixtures.systems import layout_seed001  # noqa: E402

COUNTY = "叶县"
YEAR = 2023
SYSTEM_TITLE = f"{COUNTY}{YEAR}年度高质量发展综合绩效指标完成情况一览表"
SYSTEM_FILE = f"附件2：{SYSTEM_TITLE}.xlsx"
README_FILE = "说明（演示数据）.txt"

# month 'YYYY-MM' -> (builder, one-line description in Chinese)
MONTHS: dict[str, tuple[Callable[[Path], list[Path]], str]] = {}


def month(key: str, description: str):
    """Register a month builder: fn(input_dir) -> [paths written]."""

    def register(fn: Callable[[Path], list[Path]]):
        MONTHS[key] = (fn, description)
        return fn

    return register


def build_system(input_dir: Path) -> Path:
    """附件2 一览表 as the county office keeps it: styled, A4 landscape, ready to print."""
    book = Book(title=SYSTEM_TITLE)
    layout_seed001(book, title=SYSTEM_TITLE, label="附件2", sheet_name="一览表")
    return book.save(input_dir / SYSTEM_FILE)


# ----------------------------------------------------------------------------- months
# One function per month, e.g.
#
# @month("2023-08", "8月月报：各责任单位报送的指标进展情况表、六县市数据")
# def month_2023_08(input_dir: Path) -> list[Path]:
#     folder = input_dir / "2023-08"
#     ...
#     return [written paths]


from make_demo_month import register as _register_months  # noqa: E402  (months live in their own module)

_register_months(month)


# ----------------------------------------------------------------------------- 说明

def write_readme(input_dir: Path, written: dict[str, list[Path]]) -> Path:
    lines = [
        "说明（演示数据）",
        "",
        "本文件夹（input/）中的全部文件均为演示数据（合成数据），仅用于体验和测试 kaohe-excel，",
        "不代表任何单位的真实工作情况，不得作为统计数据引用。",
        "",
        f"一、指标体系：{SYSTEM_FILE}",
        "    依据公开发布的《叶县2023年度高质量发展综合绩效推进方案》附件2整理，共49项指标、总分116分；",
        "    指标名称、分值和责任单位照录原表（包括原表中的笔误“固定值产 投资增速”和换行）。",
    ]
    for i, key in enumerate(sorted(MONTHS), start=2):
        _, description = MONTHS[key]
        lines.append(f"{_cn(i)}、{key}：{description}")
        for p in written.get(key, []):
            lines.append(f"    {p.relative_to(input_dir).as_posix()}")
    if MONTHS:
        lines.append("    各月完成情况、排名和六县市数据均为虚构数字。")
    lines += [
        "",
        "文件中不含任何真实人员姓名、电话号码或电子邮箱：各表签字栏的主要负责人、填报人和联系电话均为“（演示）”占位。",
        "",
        "重新生成：在仓库根目录运行  python tools/make_demo.py",
        "",
    ]
    path = input_dir / README_FILE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="重新生成演示工作区 input/（全部为演示数据）")
    parser.add_argument("--input", type=Path, default=ROOT / "input", help="输出目录（默认：仓库中的 input/）")
    parser.add_argument("--clean", action="store_true", help="先清空输出目录")
    args = parser.parse_args(argv)
    input_dir: Path = args.input
    if args.clean and input_dir.exists():
        shutil.rmtree(input_dir)
    input_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}
    system = build_system(input_dir)
    print(f"已生成指标体系：{system.relative_to(input_dir.parent) if input_dir.parent in system.parents else system}")
    for key in sorted(MONTHS):
        fn, _ = MONTHS[key]
        written[key] = fn(input_dir)
        print(f"已生成 {key}：{len(written[key])} 个文件")
    readme = write_readme(input_dir, written)
    print(f"已生成说明：{readme.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
