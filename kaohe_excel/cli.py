"""The command line: wires read -> assess -> write and talks to the clerk.

Heavy libraries (calamine, xlrd, jinja2) are imported inside commands so
that `kaohe --help` stays fast.
"""

from __future__ import annotations

import contextlib

import json
import sys
from pathlib import Path

import click

from kaohe_excel.fsutil import write_crash_log as _write_crash_log  # the same log for kaohe watch's rebuilds

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2


def _utf8_stdout() -> None:
    """Chinese output must survive a Windows console or a pipe."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # a name no decoding saves prints as ?
        except (AttributeError, ValueError):
            pass


# Click's own words (usage line, section titles, errors for a missing option or file) in Chinese:
# a clerk who types the command wrong should not be answered in English.
_CLICK_ZH = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看帮助：{command} {option}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name}",
    "No such command {name!r}.": "没有命令 {name}",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不用写值。",
    "Aborted!": "已取消。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在（请检查路径和文件名）。",
    "{name} {filename!r} is a file.": "「{filename}」是文件，这里应为文件夹。",
    "{name} {filename!r} is a directory.": "「{filename}」是文件夹，这里应为文件。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」无法读取（没有权限）。",
}
_CLICK_ZH_N = {
    "Got unexpected extra argument ({args})": "多出了参数（{args}）：月份要写成 --month 2023-08；文件名中有空格时整个文件名加英文双引号",
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值。",
    "Did you mean {possibility}?": "是不是想写 {possibility}？",
}


def _zh(text: str) -> str:
    return _CLICK_ZH.get(text, text)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return _CLICK_ZH_N.get(singular) or (singular if n == 1 else plural)


def _localize_click() -> None:
    import importlib

    for name in ("core", "formatting", "exceptions", "types", "parser", "decorators"):
        mod = importlib.import_module(f"click.{name}")
        if hasattr(mod, "_"):
            mod._ = _zh
        if hasattr(mod, "ngettext"):
            mod.ngettext = _zh_n


def _no_such_message(self) -> str:
    """'没有选项 --josn，是不是想写 --json？': one sentence, no English quotes."""
    msg = self.message.rstrip("。.")
    if not self.possibilities:
        return msg + "。"
    return f"{msg}，是不是想写 {' 或 '.join(self.possibilities)}？"


_localize_click()
click.exceptions.NoSuchOption.format_message = _no_such_message


def _zh_help(opt):
    if opt is not None:
        opt.help = "显示本帮助并退出"
    return opt


class _Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        return _zh_help(super().get_help_option(ctx))


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        return _zh_help(super().get_help_option(ctx))


_Group.group_class = _Group


class _Guarded(_Group):
    """No traceback reaches the clerk: an unexpected error becomes a Chinese message,
    and the details go to a log file the clerk can send to us."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the output went to `| head`, which stopped reading: not an error
            import os

            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            log = _write_crash_log(exc)
            click.echo(f"[错误] kaohe 遇到意外错误（{type(exc).__name__}：{str(exc)[:200]}）。"
                       f"输入文件没有被修改。详细信息已写入 {log}，请把它发给维护人员。", err=True)
            sys.exit(EXIT_BAD_INPUT)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaohe-excel", message="kaohe-excel %(version)s", help="显示版本并退出")
def main() -> None:
    """考核 Excel 报表生成器：读取任务分工表、月报和六县市数据，校验、测算并生成报表。"""
    from kaohe_excel import collector

    _utf8_stdout()
    if click.get_current_context().invoked_subcommand in ("serve", "watch"):  # (they run for days)
        collector.long_running()
    else:
        collector.batch_collector(freeze=_ENTRY["command"])


@main.command("spec")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", default=None, metavar="工作表", help="工作表名称（默认自动查找指标表）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON（UTF-8）输出完整指标体系")
def spec_cmd(file: Path, sheet: str | None, as_json: bool) -> None:
    """读取指标体系（任务分工表）文件并输出摘要或 JSON。只读，不写任何文件。

    退出码：0 正常；1 读出指标但有错误；2 文件无法使用或不是指标表。
    """
    from kaohe_excel.problems import InputError
    from kaohe_excel.read.workbook import read_system
    from kaohe_excel.flows.report_text import system_summary

    from kaohe_excel.problems import ERROR, Problem
    from kaohe_excel.read.workbook import read_workbook
    from kaohe_excel.read.submission import month_from_text, month_report_of

    try:
        notes: list = []
        grids = read_workbook(file, sheet, notes=notes)  # read once, for the system and the report check
        system = read_system(file, sheet=sheet, grids=grids)
        system.problems[:0] = notes
        report = month_report_of([g for g in grids if g.sheet == system.sheet])
        if report is not None:  # the sheet the "system" was read from is a department's report
            report = report[0]
            month = month_from_text(report + " " + file.stem)
            where = f"input/{month}/" if month else "input/ 下该月的文件夹（如 input/2023-08/）"
            raise InputError(Problem(file.name, None, None, ERROR,
                                     f"这是单位月报（{report}），不是指标体系（任务分工表）：表中填了完成情况，没有分值。"
                                     f"月报请放进 {where}，用 kaohe check 校验；kaohe spec 用来查看任务分工表"))
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


@main.group("template")
def template_group() -> None:
    """报表模板相关命令。"""


@template_group.command("check")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--report", default=None, metavar="报表", help="按哪张报表核对（如 一览表、预警通报；默认按文件名判断）")
@click.option("--verbose", "-v", is_flag=True, help="另外列出这张报表能提供的全部内容")
def template_check_cmd(file: Path, report: str | None, verbose: bool) -> None:
    """检查模板 FILE 里要填的内容报表能不能提供，并说明每一项是什么。只读。

    退出码：0 可以使用；1 有需要修改的地方；2 模板无法读取。
    """
    from kaohe_excel.write.engine import Template, TemplateError
    from kaohe_excel.write.field_help import meaning, suggestion
    from kaohe_excel.write.reports import ALL_REPORTS, provided_fields, provided_variables

    spec = next((s for s in ALL_REPORTS if s.key == report or s.title == report or (report and report in s.title)
                 or (report is None and s.title in file.stem)), None)
    try:
        if file.suffix.lower() == ".docx":  # the Word bulletin: its names (fields are checked when it renders)
            from kaohe_excel.write.document import template_variables

            used, fields, places = template_variables(file), {}, {}
        else:
            tpl = Template(file)
            used = tpl.variables()
            fields = tpl.attributes()
            places = tpl.name_places()
    except TemplateError as exc:
        click.echo(f"[错误] {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:  # a broken or non-xlsx file
        click.echo(f"[错误] 模板「{file.name}」无法读取；技术信息：{type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    from kaohe_excel.write import forms as F

    form_vars = None if spec else F.provided_variables(file.name)
    provided = set(form_vars) if form_vars is not None else provided_variables(spec.key if spec else None)
    known_fields = provided_fields(spec.key) if spec else set()
    kind = f"（{spec.title}）" if spec else ("（填报表）" if form_vars is not None else "（未识别是哪张报表，只核对各报表共有的内容）")
    click.echo(f"模板：{file.name}" + kind)
    todo = [f"{places.get(n, '模板中')}：用了「{n}」，报表没有这一项。{suggestion(n, provided)}"
            for n in sorted(used - provided)]
    # a misspelt field (x.nmae) passes the variable check but stops `kaohe run`
    if spec is not None:
        todo += [f"{where}：用了「.{n}」，报表数据里没有这一项。{suggestion(n, known_fields)}"
                 for n, where in sorted(fields.items(), key=lambda kv: kv[1]) if n not in known_fields]
    if todo:
        click.echo(f"检查结果：有 {len(todo)} 处需要修改（改好之前 kaohe run 会停下，不写任何报表）：")
        for i, t in enumerate(todo, 1):
            click.echo(f"  {i}. {t}")
    else:
        click.echo("检查结果：可以使用。模板里要填的每一项，报表都能提供。")
    shown = sorted(n for n in (used & provided) | (set(fields) & known_fields) if meaning(n))
    if shown:
        click.echo("模板里填的内容：")
        for n in shown:
            click.echo(f"  {n}：{meaning(n)}")
    click.echo("写法：在单元格里写 {{ county }}，生成的报表里就是「叶县」；逐行列出写 {%row for x in indicators %}，"
               "下一行写 {{ x.name }}，再下一行写 {%row endfor %}。详见 templates/README.md。")
    if verbose:
        click.echo("这张报表能提供的全部内容（变量名）：")
        for n in sorted(provided):
            click.echo(f"  {n}：{meaning(n) or '—'}")
        if known_fields:
            click.echo("列表中每一项的字段（写成 x.字段名）：")
            for n in sorted(known_fields):
                click.echo(f"  {n}：{meaning(n) or '—'}")
    else:
        click.echo("加 --verbose 可列出这张报表能提供的全部内容。")
    if todo:
        sys.exit(EXIT_PROBLEMS)


@main.command("sign")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--reviewer", required=True, metavar="姓名", help="审核人")
@click.option("--issuer", required=True, metavar="姓名", help="签发人")
@click.option("--date", default=None, metavar="日期", help="签发日期（默认今天）")
def sign_cmd(file: Path, reviewer: str, issuer: str, date: str | None) -> None:
    """登记报表文件（.xlsx 报表或 .docx 情况通报）已审核签发（写入同目录的「签发记录.json」）。

    签发时 .xlsx 报表的各工作表设为保护（不设密码，仍可调整格式），并记下签发文件的 SHA-256，
    以后用 kaohe verify 核对它是否被改动。已签发的报表以后不会被覆盖：数据有变化时，再次运行 kaohe run
    会在旁边生成「（第2版）」；数据没有变化时沿用已签发的报表。情况通报在 Word/WPS 中修改过（与 kaohe run
    写出时不同）也不会被覆盖。
    """
    from kaohe_excel.flows.signing import SignRefused, sign_output

    try:
        entry = sign_output(file, reviewer, issuer, date)
    except SignRefused as exc:
        click.echo(f"[错误] {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    kept = "各工作表已设为保护，" if file.suffix.lower() == ".xlsx" else "已记下文件的 SHA-256，"  # (a .docx has no sheets)
    click.echo(f"已登记签发：{file.name}（审核：{entry['审核']}，签发：{entry['签发']}，日期：{entry['日期']}）；"
               f"{kept}可用 kaohe verify 核对是否被改动")


class _Quiet:
    """The spinner's stand-in when nobody watches the terminal."""

    def update(self, *_args, **_kwargs) -> None:
        pass


@contextlib.contextmanager
def _status(message: str):
    """A spinner with the step at hand (rich) on an interactive terminal; nothing when the
    output goes to a file or a pipe (a scheduled task, `kaohe watch`'s rebuilds, a script),
    where rich is not even loaded."""
    if not sys.stderr.isatty():
        yield _Quiet()
        return
    from rich.console import Console

    with Console(stderr=True, highlight=False).status(message) as status:
        yield status


_ENTRY = {"command": False}  # True in the `kaohe` command itself (entry), not in a test's CliRunner


def _keep_cache_out(_ctx, _param, workspace: Path) -> Path:
    """What is kept per user (compiled template code and regular expressions, usercache) is
    never kept in the workspace: a file there comes from anyone and must not be able to run
    code or steer a parse. Once that folder is known, the command's own patterns and dataclass
    methods compile from the kept ones (compile_cache: a process-wide hook, so only in the
    command itself)."""
    from kaohe_excel.usercache import keep_out_of

    keep_out_of(workspace)
    if _ENTRY["command"]:
        from kaohe_excel import compile_cache

        compile_cache.install()
    return workspace


def _workspace_option(f):
    return click.option("--workspace", "-w", default=".", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path), callback=_keep_cache_out,
                        help="工作区文件夹（含 input/、output/，可选 templates/ 和 kaohe.toml）")(f)


_month_option = click.option("--month", "-m", default=None, metavar="月份",
                             help="月份，如 2023-08、2023年8月 或 8月（默认最新的月份文件夹）")


def _config_or_exit(workspace: Path):
    """kaohe.toml; a bad one ends the command with exit 2."""
    from kaohe_excel.config import ConfigError, load_config

    try:
        return load_config(workspace)
    except ConfigError as exc:
        click.echo(str(exc.problem), err=True)
        sys.exit(EXIT_BAD_INPUT)


def _load_month_or_exit(workspace: Path, month: str | None, *, all_units: bool = False, load_earlier: bool = True):
    """kaohe.toml and the month's inputs; a bad kaohe.toml ends the command with exit 2."""
    from kaohe_excel.workspace import load_month

    mi = load_month(workspace, month, config=_config_or_exit(workspace), all_units=all_units,
                    load_earlier=load_earlier)
    return mi.config, mi


@main.command("verify")
@click.option("--month", "-m", default=None, metavar="月份", help="只核对该月份，如 2023-08、2023年8月 或 8月（默认全部月份）")
@_workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON（UTF-8）输出每份已签发报表的核对结果")
def verify_cmd(month: str | None, workspace: Path, as_json: bool) -> None:
    """核对 output/ 中每份已签发的报表（签发记录.json 中登记的）是否与签发时相同：未改动 / 已改动 / 缺失。只读。

    不写 --month 时核对全部月份；签发过多次的报表按最近一次签发核对。

    退出码：0 全部未改动（或没有已签发的报表）；1 有已改动、缺失或无法核对的报表；2 签发记录无法读取或找不到 output/。
    """
    from kaohe_excel.flows.verify import verify_json, verify_text, verify_workspace

    summary = verify_workspace(workspace, month)
    if as_json:
        click.echo(json.dumps(verify_json(summary), ensure_ascii=False, indent=1))
    elif summary.fatal is None:
        click.echo(verify_text(summary))
    for message in summary.errors + ([summary.fatal] if summary.fatal else []):
        click.echo(f"[错误] {message}", err=True)
    if summary.fatal or summary.errors:
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_OK if summary.all_unchanged else EXIT_PROBLEMS)


@main.command("watch")
@_workspace_option
@click.option("--delay", default=2.0, show_default=True, type=click.FloatRange(0.2, 600), metavar="秒",
              help="文件停止变动多少秒后开始生成（一批文件一起放入只生成一次）")
@click.option("--all-units", is_flag=True, help="上级视角：每次重新生成排名总表和各单位报表（同 kaohe run --all-units）")
@click.option("--unit-reports", default=None, metavar="报表",
              help="--all-units 时每个单位生成哪些报表（同 kaohe run --unit-reports）")
def watch_cmd(workspace: Path, delay: float, all_units: bool, unit_reports: str | None) -> None:
    """监视 input/：有月报放入、改动或删除时，等文件复制完成、停止变动后，重新生成该月的全部报表（同 kaohe run；
    加 --all-units 时同 kaohe run --all-units）。

    每次生成打印一行（时间、月份、写出的报表数、红黄绿个数或出错原因）；某个文件有问题或生成出错时照常继续监视。
    Office 锁定文件（~$ 开头）、临时文件和隐藏文件不触发生成。按 Ctrl-C 停止。

    退出码：0 已停止；2 没有 input/ 文件夹。
    """
    from kaohe_excel.flows.watch import WatchError, all_units_rebuild, watch_workspace

    if unit_reports and not all_units:
        click.echo("[错误] --unit-reports 只能与 --all-units 一起使用", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if all_units:
        from kaohe_excel.flows.evaluate import unit_report_keys

        try:
            unit_report_keys(unit_reports)
        except ValueError as exc:
            click.echo(f"[错误] {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    inp = workspace / "input"
    if not inp.is_dir():
        click.echo(f"[错误] 工作区「{workspace.resolve()}」中没有 input 文件夹；请在含 input/ 的工作区文件夹中运行，"
                   "或用 --workspace 指定它", err=True)
        sys.exit(EXIT_BAD_INPUT)

    def say(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()  # a line as it happens, also into a pipe or a log file

    try:
        watch_workspace(workspace, delay=delay, say=say, rebuild=all_units_rebuild(unit_reports) if all_units else None,
                        ready=lambda: say(f"正在监视 {inp.resolve()}：文件放入或改动 {delay:g} 秒后重新生成该月报表，"
                                          "按 Ctrl-C 停止。"))
    except WatchError as exc:
        click.echo(f"[错误] {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    say("已停止监视。")
    sys.exit(EXIT_OK)


@main.command("check")
@_month_option
@_workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON（UTF-8）输出读到的数据、问题和报送情况")
@click.option("--all-units", is_flag=True, help="上级视角：各单位的报表和汇总数据（不识别本县）")
def check_cmd(month: str | None, workspace: Path, as_json: bool, all_units: bool) -> None:
    """校验 input/ 中某月的月报和六县市数据，列出每个问题（文件、工作表、单元格）和报送情况。只读。

    退出码：0 没有问题；1 有问题；2 无法读取工作区（如 kaohe.toml 有误、没有该月份文件夹）。
    """
    from kaohe_excel.flows.check import check_json, check_report, checked_problems

    # the view from above checks its month alone: no earlier month changes what its files say
    # (a province's other eleven months are 1,320 files)
    config, mi = _load_month_or_exit(workspace, month, all_units=all_units, load_earlier=not all_units)
    problems = checked_problems(mi)
    if as_json:
        click.echo(json.dumps(check_json(mi, problems), ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(check_report(mi, problems))
    if mi.folder is None or mi.fatal:  # no input/, no such month folder, whom we serve unknown
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.command("run")
@_month_option
@_workspace_option
@click.option("--quarter", default=None, metavar="季度", help="部门考核按季度汇总，如 2023Q3")
@click.option("--year", default=None, metavar="年份", help="部门考核按年度汇总，如 2023")
@click.option("--reviewer", default="", metavar="姓名", help="审核人（写入报表的审核栏）")
@click.option("--issuer", default="", metavar="姓名", help="签发人（写入报表的签发栏）")
@click.option("--all-units", is_flag=True, help="上级视角：测算数据中的每个单位，写排名总表和各单位的报表")
@click.option("--unit-reports", default=None, metavar="报表",
              help="--all-units 时每个单位生成哪些报表：完成情况一览表（默认）、得分测算、预警通报，逗号分隔，或 all；"
                   "单位文件夹中已有的（以前生成的）也一并更新")
@click.option("--pdf", "make_pdf", is_flag=True, help="另外把写出的每份报表转成 PDF（同名 .pdf，需要安装 LibreOffice）")
def run_cmd(month, workspace, quarter, year, reviewer, issuer, all_units, unit_reports, make_pdf) -> None:
    """读取 input/，校验、测算，并把全部报表写入 output/YYYY-MM/。

    不修改 input/ 中的任何文件；已签发的报表不会被覆盖（另存为第2版）。

    退出码：0 成功且没有问题；1 报表已生成但输入有错误（或 --pdf 时有 PDF 未能生成）；2 无法生成报表。
    """
    from kaohe_excel.flows.run import run_workspace

    if all_units and (quarter or year):  # the period is the 部门考核's, which the office above has no sheets for
        given = f"--quarter {quarter}" if quarter else f"--year {year}"
        click.echo(f"[错误] {given} 不能与 --all-units 同时使用：季度、年度汇总是本县部门考核的，上级视角（--all-units）"
                   "只按月测算各单位，本次没有写入任何报表；请去掉该选项，按月运行 kaohe run --all-units --month YYYY-MM",
                   err=True)
        sys.exit(EXIT_BAD_INPUT)
    if unit_reports and not all_units:  # (it would be ignored without a word: the county run writes its own set)
        click.echo("[错误] --unit-reports 只能与 --all-units 一起使用（本县运行总是生成全部报表），本次没有写入任何报表",
                   err=True)
        sys.exit(EXIT_BAD_INPUT)
    signoff = {"reviewer": reviewer, "issuer": issuer}
    with _status("正在处理…") as status:
        if all_units:  # the view from above: every unit, the league table
            from kaohe_excel.flows.evaluate import evaluate_workspace, summary_text

            summary = evaluate_workspace(workspace, month, unit_reports=unit_reports, signoff=signoff,
                                         progress=lambda msg: status.update(msg))
        else:
            from kaohe_excel.flows.run import summary_text

            summary = run_workspace(workspace, month, quarter=quarter, year=year, signoff=signoff,
                                    progress=lambda msg: status.update(msg))
    if summary.fatal:
        click.echo(f"[错误] {summary.fatal}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(summary_text(summary))
    pdf_ok = True
    if make_pdf:
        from kaohe_excel.flows.pdf import pdf_reports, pdf_text

        with _status("正在生成 PDF（LibreOffice）…"):
            done = pdf_reports(workspace, summary.written, summary.month)
        if done.fatal:
            click.echo(f"[错误] {done.fatal}", err=True)
        else:
            click.echo(pdf_text(done))
        pdf_ok = not done.fatal and not done.failed
    # the same rule as check and assess: any problem with the inputs (a warning too) is exit 1
    sys.exit(EXIT_PROBLEMS if summary.problems or not pdf_ok else EXIT_OK)


@main.command("pdf")
@_month_option
@_workspace_option
def pdf_cmd(month: str | None, workspace: Path) -> None:
    """把 output/YYYY-MM/ 中某月的全部报表（.xlsx 和通报 .docx）转成 PDF，写在报表旁边（同名 .pdf）。

    需要安装 LibreOffice；按报表模板的打印设置输出（A4、一览表一页宽、每页重复表头、页码）。
    只读报表，不修改它们；同名 PDF 会被替换。

    退出码：0 全部生成；1 有报表未能转换；2 没有 LibreOffice、没有该月报表或工作区被占用。
    """
    from kaohe_excel.flows.pdf import pdf_text, pdf_workspace

    with _status("正在生成 PDF（LibreOffice）…"):
        done = pdf_workspace(workspace, month)
    if done.fatal:
        click.echo(f"[错误] {done.fatal}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(pdf_text(done))
    sys.exit(EXIT_PROBLEMS if done.failed else EXIT_OK)


@main.command("assess")
@_month_option
@_workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON（UTF-8）输出每项指标的排名、颜色、得分")
@click.option("--all-units", is_flag=True, help="上级视角：输出各单位的综合排名和分项排名（排名总表的数据）")
def assess_cmd(month: str | None, workspace: Path, as_json: bool, all_units: bool) -> None:
    """测算某月：每项指标在六县市中的排名、红黄绿预警、位次变化和得分，打印到屏幕。只读，不写报表。

    退出码：0 没有问题；1 有问题（详见 kaohe check）；2 无法测算。
    """
    from kaohe_excel.flows.report_text import assessment_table
    from kaohe_excel.flows.run import _merge_problems, assess_loaded

    if all_units:
        from kaohe_excel.assess.league import league_of, rate_shown
        from kaohe_excel.assess.scoring import shown
        from kaohe_excel.flows.evaluate import absent_line, load_units, units_said

        # as run --all-units reads and assesses them (earlier months brief, several at once)
        mi, by_month = load_units(workspace, month, _config_or_exit(workspace))
        if not by_month.get(mi.month):
            for p in mi.problems:
                click.echo(str(p), err=True)
            sys.exit(EXIT_BAD_INPUT)
        league = league_of(by_month, mi.month)
        problems = list(mi.all_problems)
        for res in by_month[mi.month].values():
            _merge_problems(problems, res.problems)
        absent, said = units_said(by_month, mi.month, list(mi.system.units), mi.peers)  # (as run says them)
        problems.extend(said)
        if as_json:
            out = league.to_json()
            out["absent"] = absent
            out["problems"] = [p.to_dict() for p in problems]
            click.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        else:
            for r in league.rows:  # (one line a unit, four columns: read by scripts; the notes after them)
                place = f"第{r.rank}名" if r.rank is not None else "不参与排名"
                click.echo(f"{place}\t{r.unit}\t{shown(r.total)}/{shown(r.total_points)}\t折算{rate_shown(r.rate or 0):.2f}")
            for n in [f"{r.unit}：{r.note}" for r in league.rows if r.note] + league.notes:
                click.echo(f"说明：{n}")
            if absent:
                click.echo(f"说明：{absent_line(absent)}")
        sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)

    config, mi = _load_month_or_exit(workspace, month)
    if mi.system is None or mi.folder is None or mi.fatal:
        for p in mi.problems:
            click.echo(str(p), err=True)
        sys.exit(EXIT_BAD_INPUT)
    result, _ = assess_loaded(mi, config)
    problems = list(mi.all_problems)
    _merge_problems(problems, result.problems)
    if as_json:  # the month's read-stage problems too: a rejected row is never silently "not reported"
        out = result.to_json()
        out["problems"] = [p.to_dict() for p in problems]
        out["decisions"] = list(mi.decisions)
        click.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(assessment_table(result))
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.command("forms")
@click.option("--month", "-m", default=None, metavar="月份", help="填报表的月份，如 2023-09（默认 input/ 中最新月份的下一个月）")
@_workspace_option
def forms_cmd(month: str | None, workspace: Path) -> None:
    """生成下个月各责任单位的填报表（附件2 指标进展情况表），写入 output/填报表/YYYY-MM/。

    每个单位一个工作簿，预填序号、指标内容、分值、责任单位，以及取自最近一个月的上年完成情况（位次）、
    县定目标和上月情况（参考）；另附「填报表清单.xlsx」（各单位指标序号和报送截止日）。

    只读取 input/，不修改其中任何文件；同月已生成的填报表会被覆盖。

    退出码：0 已生成；2 无法生成（如没有指标体系、kaohe.toml 有误）。
    """
    from kaohe_excel.flows.forms import forms_summary_text, write_forms

    summary = write_forms(workspace, month)
    if summary.fatal:
        click.echo(f"[错误] {summary.fatal}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(forms_summary_text(summary))
    sys.exit(EXIT_OK)


@main.command("serve")
@_workspace_option
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听地址；默认只在本机（127.0.0.1）。写其他地址时页面对局域网开放，需带启动时显示的口令（token）访问")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
def serve_cmd(workspace: Path, port: int, host: str, no_browser: bool) -> None:
    """在浏览器里使用：放入各单位的文件、查看报送情况、生成报表、下载填报表、审核签发。

    在本机启动一个网页（默认 http://127.0.0.1:8765/，不联网、不需要账号）并自动打开浏览器；
    做的事与 kaohe run / check / forms / sign 相同。按 Ctrl-C 停止。
    """
    from kaohe_excel.web.server import ServeError, serve

    try:
        serve(workspace, host=host, port=port, open_browser=not no_browser, say=click.echo)
    except ServeError as exc:
        click.echo(f"[错误] {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


def entry() -> None:
    """The `kaohe` command. A one-off command's work is done when main returns; tearing the
    interpreter down after it (every module and object freed one by one) cost 40-70 ms of a
    0.5 s demo run. So: output flushed, exit handlers run, then the OS takes the process back
    at once. Only when nothing else runs in it (no thread, no worker process), else the
    usual exit. Tests call `main` (CliRunner) and are unaffected."""
    _ENTRY["command"] = True
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if code is not None and not isinstance(code, int):  # sys.exit("message")
            print(code, file=sys.stderr)
            code = 1
        _quick_exit(code or 0)
        sys.exit(code or 0)  # (said once above when it was a message)


def _quick_exit(code: int) -> None:
    import atexit
    import os
    import threading

    mp = sys.modules.get("multiprocessing")
    if threading.active_count() > 1 or (mp is not None and mp.active_children()):
        return
    atexit._run_exitfuncs()  # what the interpreter would run first (logging, futures, tempfile)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
