"""What the page (`kaohe serve`) shows, gathered by the same functions the commands use.

    home_view(workspace) -> dict        the indicator system and every month at a glance
    month_view(workspace, month) -> dict   each file read, its problems, 报送情况, the outputs
    forms_view(workspace) -> dict       which month's forms come next, and their deadline
    outputs(workspace, month) -> list   the reports written for a month, signed or not
    output_file(workspace, month, name) -> Path | None   one of them, never outside output/

Nothing here computes a figure: counts and colours come from assess (MonthResult.
colour_counts, the same numbers `kaohe run` prints), 报送情况 from the month's
SubmissionStatus, the problems from flows.check.checked_problems (what `kaohe check`
lists). Only reads; the web layer renders the dicts.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

_MONTH = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")
# what a run writes that a clerk downloads, prints and signs: the workbooks and the bulletin
REPORT_SUFFIXES = (".xlsx", ".docx")


def month_label(month: str | None) -> str:
    if not month:
        return ""
    return f"{month[:4]}年{int(month[5:])}月"


def valid_month(month: str) -> bool:
    return bool(_MONTH.match(month or ""))


def _config(workspace: Path):
    """(config, None) or (None, the Chinese message of a bad kaohe.toml)."""
    from kaohe_excel.config import ConfigError, load_config

    try:
        return load_config(workspace), None
    except ConfigError as exc:
        p = exc.problem
        return None, (f"{p.where()}：{p.message}" if p.where() else p.message)


def _load(ws: Path, month: str | None, view: dict):
    """The month's input as the commands read it, or None with view['fatal'] (a bad kaohe.toml)."""
    from kaohe_excel.workspace import load_month

    config, bad = _config(ws)
    if bad:
        view["fatal"] = bad
        return None
    mi = load_month(ws, month, config=config)
    view["county"] = mi.config.county if mi.config else ""
    return mi


def _problem_dict(p) -> dict:
    return {"level": "错误" if p.level == "error" else "提示", "file": p.file, "sheet": p.sheet or "",
            "cell": p.cell or "", "message": p.message, "where": p.where()}


def home_view(workspace: Path) -> dict:
    from kaohe_excel.flows.run import assess_loaded
    from kaohe_excel.problems import ERROR
    from kaohe_excel.write.reports import points_text

    ws = Path(workspace)
    view = {"workspace": str(ws.resolve()), "system": None, "months": [], "problems": [], "fatal": None,
            "county": "", "total_points": None}
    mi = _load(ws, None, view)
    if mi is None:
        return view
    if mi.system is None:
        view["problems"] = [_problem_dict(p) for p in mi.problems if p.level == ERROR]
        return view
    results = {}
    if mi.month is not None and mi.folder is not None and not mi.fatal:
        try:
            result, history = assess_loaded(mi, mi.config)
            results = {**history, mi.month: result}
        except Exception:  # noqa: BLE001 - the month page and run say what is wrong
            results = {}
    latest = results.get(mi.month)
    sys_ = mi.system
    view["system"] = {
        "title": sys_.title or sys_.file, "file": sys_.file, "count": len(sys_.indicators),
        # full marks as the reports carry them: the county's own (assess), else the system's
        "total_points": _tidy(latest.total_points if latest is not None else sys_.total_points),
        "indicators": [{"no": i.no if i.no is not None else i.no_raw, "name": i.name,
                        "category": i.path[0] if i.path else "", "points": points_text(i, mi.config.county),
                        "departments": "、".join(list(i.lead) + [u for u in (i.support or []) if u not in i.lead])}
                       for i in sys_.indicators],
    }
    view["fatal"] = mi.fatal
    for m in reversed(mi.months):
        mm = mi if m == mi.month else mi.history.get(m)
        st = mm.status if mm is not None else None
        r = results.get(m)
        counts = r.colour_counts() if r is not None else None
        view["months"].append({
            "month": m, "label": month_label(m),
            "sent": len(st.sent) if st else None, "owed": (len(st.sent) + len(st.not_sent)) if st else None,
            "late": len(st.late) if st else 0,
            "red": counts["red"] if counts else None, "yellow": counts["yellow"] if counts else None,
            "green": counts["green"] if counts else None,
            "last_run": _last_run(ws / "output" / m),
        })
    return view


def _tidy(x):
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _last_run(folder: Path) -> str:
    times = [p.stat().st_mtime for p in folder.glob("*.xlsx") if not p.name.startswith((".", "~$"))] \
        if folder.is_dir() else []
    return _dt.datetime.fromtimestamp(max(times)).strftime("%Y-%m-%d %H:%M") if times else ""


def month_view(workspace: Path, month: str) -> dict:
    from kaohe_excel.flows.check import checked_problems
    from kaohe_excel.flows.run import _status_rows
    from kaohe_excel.problems import ERROR

    ws = Path(workspace)
    view = {"month": month, "label": month_label(month), "files": [], "problems": [], "status": None,
            "status_rows": [], "fatal": None, "outputs": outputs(ws, month), "decisions": [], "county": "",
            "system": None, "peers": None}
    mi = _load(ws, month, view)
    if mi is None:
        return view
    problems = checked_problems(mi)
    view["fatal"] = mi.fatal or (None if mi.folder is not None else
                                 "；".join(p.message for p in mi.problems if p.level == ERROR) or None)
    if mi.system is not None:
        view["system"] = {"file": mi.system.file, "count": len(mi.system.indicators)}
    if mi.peers is not None:
        view["peers"] = {"file": mi.peers.file, "counties": len(mi.peers.counties), "rows": len(mi.peers.rows)}
    placed = set()
    for fr in mi.files:
        if fr.kind == "system":
            continue
        mine = [p for p in problems if p.file and (fr.file == p.file or fr.file.endswith("/" + p.file))]
        placed.update(id(p) for p in mine)
        what = {"submission": "单位月报", "peers": "六县市数据", "bad": "无法使用", "skipped": "已跳过"}.get(fr.kind, fr.kind)
        view["files"].append({
            "file": fr.file.split("/", 1)[1] if mi.folder is not None and fr.file.startswith(mi.folder.name + "/")
            else fr.file,
            "kind": what, "used": fr.used, "note": fr.note,
            "units": [{"sheet": s.sheet, "department": s.department or "（未能确定）", "month": month_label(s.month),
                       "rows": len(s.entries), "filled": sum(1 for e in s.entries if e.has_report),
                       "date": s.filled_date or ""} for s in fr.submissions],
            "errors": sum(1 for p in mine if p.level == ERROR),
            "problems": [_problem_dict(p) for p in sorted(mine, key=lambda p: p.level != ERROR)],
        })
    view["problems"] = [_problem_dict(p) for p in problems if id(p) not in placed]
    view["problem_counts"] = {"errors": sum(1 for p in problems if p.level == ERROR),
                              "warnings": sum(1 for p in problems if p.level != ERROR)}
    st = mi.status
    if st is not None:
        view["status"] = {"deadline": st.deadline or "", "sent": len(st.sent), "not_sent": list(st.not_sent),
                          "late": list(st.late), "owed": len(st.sent) + len(st.not_sent), "blank": list(st.blank)}
        view["status_rows"] = _status_rows(mi)  # the rows of 报送情况.xlsx
    view["decisions"] = list(mi.decisions)
    return view


def outputs(workspace: Path, month: str) -> list[dict]:
    """The reports in output/<month>/ (newest version last), each with its signings."""
    from kaohe_excel.write.signoff import RecordError, is_signed, read_registry

    folder = Path(workspace) / "output" / month
    if not valid_month(month) or not folder.is_dir():
        return []
    try:
        registry = read_registry(folder)
    except RecordError:
        registry = {}
    out = []
    for p in sorted((p for p in folder.iterdir() if p.suffix.lower() in REPORT_SUFFIXES), key=lambda p: p.name):
        if p.name.startswith((".", "~$")) or not p.is_file():
            continue
        try:
            signed = is_signed(p)
        except RecordError:
            signed = True  # a record that cannot be read protects the report (signoff's rule)
        out.append({"name": p.name, "signed": signed, "signings": registry.get(p.name, []),
                    "size_kb": max(1, p.stat().st_size // 1024),
                    "time": _dt.datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")})
    return out


def output_file(workspace: Path, month: str, name: str) -> Path | None:
    """output/<month>/<name> when it is one of the month's reports (or their PDF): the name
    is looked up among the folder's files, never joined as a path."""
    folder = Path(workspace) / "output" / month
    if not valid_month(month) or not folder.is_dir():
        return None
    for p in folder.iterdir():
        if p.name == name and p.is_file() and not p.is_symlink() and not name.startswith(".") \
                and p.suffix.lower() in (*REPORT_SUFFIXES, ".pdf"):
            return p
    return None


def overview_file(workspace: Path, month: str) -> Path | None:
    """The month's 一览表 as last written: its newest version (…（第2版）.xlsx beside a signed one)."""
    from kaohe_excel.write.reports import REPORTS
    from kaohe_excel.write.signoff import version_of

    spec = next(s for s in REPORTS if s.key == "overview")
    folder = Path(workspace) / "output" / month
    if not valid_month(month) or not folder.is_dir():
        return None
    marker = f"（截至{int(month[5:])}月底）"
    found = [p for p in folder.glob("*.xlsx") if not p.name.startswith((".", "~$")) and marker in p.name
             and spec.title in p.name]
    if not found:
        return None
    # the newest name by file time (the county's name may have changed), then that name's highest
    # version: signing rewrites the signed file (its sheets protected), and clocks step, so a file
    # time alone may put a signed report after the 第2版 written beside it
    base = version_of(max(found, key=lambda p: p.stat().st_mtime_ns))[0]
    return max((p for p in found if version_of(p)[0] == base), key=lambda p: version_of(p)[1])


def forms_view(workspace: Path) -> dict:
    """The month `kaohe forms` would write now (the one after the latest month folder) and its
    deadline; the forms already written for it."""
    from kaohe_excel.read.month_files import month_folders
    from kaohe_excel.write.forms import next_month

    ws = Path(workspace)
    view = {"month": None, "label": "", "deadline": "", "written": [], "fatal": None}
    config, bad = _config(ws)
    if bad:
        view["fatal"] = bad
        return view
    inp = ws / "input"
    months = sorted(month_folders(inp, None)) if inp.is_dir() else []
    if not months:
        view["fatal"] = "input/ 下没有月份文件夹，无法确定下个月；请先在首页新建月份"
        return view
    target = next_month(months[-1])
    view.update(month=target, label=month_label(target), source=month_label(months[-1]))
    d = config.deadline_for(target)
    view["deadline"] = f"{d.year}年{d.month}月{d.day}日"
    folder = ws / "output" / "填报表" / target
    if folder.is_dir():
        view["written"] = sorted(p.name for p in folder.glob("*.xlsx") if not p.name.startswith((".", "~$")))
    return view


def forms_zip(workspace: Path, month: str) -> bytes | None:
    """output/填报表/<month>/*.xlsx as one zip (UTF-8 names), or None when there are none."""
    import io
    import zipfile

    folder = Path(workspace) / "output" / "填报表" / month
    if not valid_month(month) or not folder.is_dir():
        return None
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith((".", "~$")) and p.is_file()
                   and not p.is_symlink())
    if not files:
        return None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in files:
            zf.write(p, f"{month}填报表/{p.name}")
    return buf.getvalue()


def sign_list(workspace: Path) -> list[dict]:
    """Every month's reports, newest month first, for the sign-off page."""
    out_dir = Path(workspace) / "output"
    months = sorted((p.name for p in out_dir.iterdir() if p.is_dir() and valid_month(p.name)), reverse=True) \
        if out_dir.is_dir() else []
    return [{"month": m, "label": month_label(m), "reports": outputs(workspace, m)} for m in months]


__all__ = ["home_view", "month_view", "forms_view", "forms_zip", "outputs", "output_file", "overview_file",
           "sign_list", "month_label", "valid_month"]
