"""The demo months of Ye county (演示数据): `input/2023-07/` and `input/2023-08/`.

`register(month)` adds both months to tools/make_demo.py's registry:

    python tools/make_demo_month.py          # system + months + 说明 (same options as make_demo.py)
    python tools/make_demo.py                # once make_demo.py calls register(month)

August is a realistic mess: twenty of the twenty-one departments report (水利局 does
not), 商务局 reports after the deadline (填报日期 9月9日, due 9月6日), 农业农村局 and 人社局
send old .xls files, 工信局 sends a draft and then a corrected file, 发改委 and 财政局
both report indicator 15 with different values, ranks are written eight ways, one
sheet has a #DIV/0! cell and one a rank of 7 among six counties, names carry line-wrap
spaces and a typo, sheets are renamed, blank rows and empty extra sheets abound. July
is the previous month (for rank changes): every department but 水利局, on time.
All numbers are synthetic; no real names or phone numbers (示例填报人, 示例电话).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tools"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from tests.month_fixtures import build_ye_month  # noqa: E402


def _written(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def month_2023_07(input_dir: Path) -> list[Path]:
    build_ye_month(input_dir, 7, duplicate=None, conflict=False, late=None, mess=False, junk=False)
    return _written(input_dir / "2023-07")


def month_2023_08(input_dir: Path) -> list[Path]:
    build_ye_month(input_dir, 8, mess=True, junk=False)
    return _written(input_dir / "2023-08")


def register(month) -> None:
    """Register both months with make_demo's `month` decorator. make_demo.py calls

        from make_demo_month import register; register(month)

    after defining `month`, so `python tools/make_demo.py` builds them too."""
    month("2023-07", "7月月报（上月，用于位次变化）：20个责任单位的指标进展情况表（水利局未报）、六县市数据")(month_2023_07)
    month("2023-08", "8月月报：20个责任单位的指标进展情况表（水利局未报，商务局迟报，农业农村局和人社局为 .xls，"
                     "工信局先后报送两份，发改委与财政局对第15项报数不一致，含错误值和超范围排名）、六县市数据")(month_2023_08)


if __name__ == "__main__":
    import make_demo

    if not make_demo.MONTHS:
        register(make_demo.month)
    sys.exit(make_demo.main())
