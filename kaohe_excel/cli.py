"""The command line: wires read -> assess -> write and talks to the clerk.

Heavy libraries (pandas, openpyxl, calamine) are imported inside commands so
that `kaohe --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2


def _utf8_stdout() -> None:
    """Chinese output must survive a Windows console or a pipe."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaohe-excel", message="kaohe-excel %(version)s")
def main() -> None:
    """考核 Excel 报表生成器：读取任务分工表、月报和六县市数据，校验、测算并生成报表。"""
    _utf8_stdout()


@main.command("spec")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", default=None, help="工作表名称（默认自动查找指标表）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON（UTF-8）输出完整指标体系")
def spec_cmd(file: Path, sheet: str | None, as_json: bool) -> None:
    """读取指标体系（任务分工表）FILE 并输出摘要或 JSON。只读，不写任何文件。

    退出码：0 正常；1 读出指标但有错误；2 文件无法使用或不是指标表。
    """
    from kaohe_excel.problems import InputError
    from kaohe_excel.read.system import read_system
    from kaohe_excel.report_text import system_summary

    try:
        system = read_system(file, sheet=sheet)
    except InputError as exc:
        if as_json:
            click.echo(json.dumps({"error": exc.problem.to_dict()}, ensure_ascii=False))
        click.echo(str(exc.problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    if as_json:
        click.echo(json.dumps(system.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(system_summary(system))
    sys.exit(EXIT_PROBLEMS if any(p.level == "error" for p in system.problems) else EXIT_OK)


if __name__ == "__main__":
    main()
