"""The workspace month: everything `input/` holds for one month, read and reconciled.

Layout (a workspace is any folder with an `input/` folder):

    input/                     the indicator system workbook(s) (任务分工表 / 一览表)
    input/2023-08/             the month's files: departments' monthly sheets (月报) and the
                               六县市数据, whatever they are called, in sub-folders too
    input/2023-07/             earlier months, read for history (rank changes)

Accepted month-folder names (full-width digits and spaces are ignored):
    2023-08  2023-8  2023_08  2023.08  202308  2023年8月  2023年08月  2023年8月份
    2023年8月月报 (any words after 月)  8月  08月  8月份  八月
A folder without a year (8月) takes the year of the indicator system's title
(“2023年…”), else of the other dated month folders, else the current year.

What is read is recognised by content, not by name: a sheet with one column per
county is peer data; a sheet with 序号/指标/完成情况/排名 columns is a monthly sheet.
Office lock files (`~$…`, `.~lock…`), hidden files and empty extra sheets are
skipped quietly; a file that cannot be used becomes a Problem and every other file
is still read. Two files from one department: the newer wins (填报日期, else the
file's modification time). One indicator reported by two departments with different
values: a problem naming both cells; the value used is chosen by the conflict rule
(kaohe.toml [conflict] rule, default the lead department).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.model import Entry, IndicatorSystem, PeerTable, Submission, months_span, written_no
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, human_name
from kaohe_excel.read.text import cn_to_int, compact, county_key, fold_width

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_QUIET = {"thumbs.db", "desktop.ini", ".ds_store"}
_NOT_EXCEL_HINT = {".et": "WPS 表格格式（.et）", ".ett": "WPS 表格模板（.ett）", ".csv": "CSV 文本",
                   ".ods": "OpenDocument 表格（.ods）", ".numbers": "Numbers 表格"}


# --- month folders --------------------------------------------------------------

def month_of_folder(name: str, default_year: int | None = None) -> str | None:
    """'2023-08', '2023年8月', '202308', '8月' … -> 'YYYY-MM' (see the module doc)."""
    t = compact(fold_width(name))
    m = (re.fullmatch(r"(20[0-9]{2})[-_.．/]?(0?[1-9]|1[0-2])", t)
         or re.fullmatch(r"(20[0-9]{2})年(0?[1-9]|1[0-2]|[一二三四五六七八九十]{1,2})月.*", t))
    if m:
        mon = int(m.group(2)) if m.group(2).isdigit() else cn_to_int(m.group(2))
        if mon and 1 <= mon <= 12:
            return f"{int(m.group(1)):04d}-{mon:02d}"
        return None
    m = re.fullmatch(r"(0?[1-9]|1[0-2]|[一二三四五六七八九十]{1,2})月.*", t)
    if m:
        mon = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        if mon and 1 <= mon <= 12:
            year = default_year or _dt.date.today().year
            return f"{year:04d}-{mon:02d}"
    return None


def normalize_month(text: str | None, default_year: int | None = None) -> str | None:
    """A --month argument: '2023-08', '2023-8', '2023年8月', '8月' -> 'YYYY-MM'."""
    if not text:
        return None
    return month_of_folder(str(text), default_year)


def month_folders(input_dir: Path, default_year: int | None = None) -> dict[str, list[Path]]:
    """'YYYY-MM' -> the folders under input/ named for that month."""
    out: dict[str, list[Path]] = {}
    if not input_dir.is_dir():
        return out
    for p in sorted(input_dir.iterdir()):
        if p.is_dir() and not p.name.startswith("."):
            m = month_of_folder(human_name(p.name), default_year)  # 2023年9月 unzipped in GBK bytes too
            if m:
                out.setdefault(m, []).append(p)
    return out


# --- results ---------------------------------------------------------------------

@dataclass
class FileRead:
    """What became of one input file."""

    def __post_init__(self):
        self.file = human_name(self.file)

    file: str  # path relative to input/
    kind: str  # 'system' | 'submission' | 'peers' | 'bad' | 'skipped'
    sheets: list[str] = field(default_factory=list)
    used: bool = True
    note: str = ""  # why not used / what was decided
    submissions: list[Submission] = field(default_factory=list)


@dataclass
class DepartmentStatus:
    department: str
    owed: list[int] = field(default_factory=list)  # indicator numbers it leads
    sent: bool = False
    file: str | None = None
    submitted: str | None = None  # ISO date used to judge lateness
    basis: str | None = None  # 填报日期 | 首次读取时间 | 文件修改时间（推定） | 报送时间不明（文件是截止后放入的）
    late: bool = False
    blank: bool = False  # a form sent back with nothing filled in: 未填报, not 已报送
    reported: list[int] = field(default_factory=list)  # owed indicators with a value or rank
    not_available: list[int] = field(default_factory=list)  # rows present, value not yet available
    absent: list[int] = field(default_factory=list)  # owed indicators missing from its sheet

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        for k in ("owed", "absent", "reported", "not_available"):  # 序号 as written, not Indicator.key
            d[k] = [written_no(n) for n in d.get(k) or []]
        return d


@dataclass
class SubmissionStatus:
    month: str | None
    deadline: str | None  # ISO date, the last on-time day
    departments: list[DepartmentStatus] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)  # sent back a blank form (also in not_sent)
    extra: list[str] = field(default_factory=list)  # sent but owing nothing in the system
    indicators_total: int = 0
    reported: int = 0  # indicators with a value (or rank) this month
    not_available: int = 0  # reported as not yet available
    not_reported: int = 0  # no row in any sheet

    def to_json(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "departments"}
        d["departments"] = [x.to_json() for x in self.departments]
        return d


@dataclass
class MonthInput:
    workspace: Path
    month: str | None
    folder: Path | None = None
    system: IndicatorSystem | None = None
    submissions: list[Submission] = field(default_factory=list)  # the ones used
    superseded: list[Submission] = field(default_factory=list)  # older duplicates, not used
    peers: PeerTable | None = None
    entries: dict[int, Entry] = field(default_factory=dict)  # indicator no -> entry used
    problems: list[Problem] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # which file / value was used and why
    files: list[FileRead] = field(default_factory=list)
    status: SubmissionStatus | None = None
    months: list[str] = field(default_factory=list)  # every month folder found
    history: dict[str, "MonthInput"] = field(default_factory=dict)  # earlier months
    config: Any = None
    fatal: str | None = None  # why nothing can be assessed (whom we serve is not certain, …)

    @property
    def all_entries(self) -> list[Entry]:
        """Entries of every used submission (several per indicator when departments overlap)."""
        return [e for s in self.submissions for e in s.entries]

    @property
    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        if self.system is not None:
            out += [p for p in self.system.problems if p not in out]
        for s in self.submissions + self.superseded:
            out += [p for p in s.problems if p not in out]
        if self.peers is not None:
            out += [p for p in self.peers.problems if p not in out]
        return out

    @property
    def has_errors(self) -> bool:
        return any(p.level == ERROR for p in self.all_problems)


# --- loading -----------------------------------------------------------------------

def _config(workspace: Path, config, county, peers, deadline_day, deadline_month, prefer_lead, problems):
    from dataclasses import replace

    from kaohe_excel.config import Config, load_config

    if config is None:
        try:
            config = load_config(workspace)
        except InputError as exc:
            problems.append(exc.problem)
            config = Config()
    over: dict[str, Any] = {}
    if county is not None:
        over["county"] = county
    if peers is not None:
        over["peers"] = list(peers)
    if deadline_day is not None:
        over["deadline_day"] = deadline_day
    if deadline_month is not None:
        over["deadline_month"] = deadline_month
    if prefer_lead is not None:
        over["conflict_rule"] = "lead" if prefer_lead else "latest"
    return replace(config, **over) if over else config


def load_month(workspace: str | Path, month: str | None = None, *, config=None, county: str | None = None,
               peers: list[str] | None = None, deadline_day: int | None = None, deadline_month: str | None = None,
               prefer_lead: bool | None = None, with_history: bool = True) -> MonthInput:
    """Read the workspace's indicator system and one month's files (default: the latest month).

    Never raises for bad inputs: every unusable file is a Problem in the result."""
    ws = Path(workspace)
    problems: list[Problem] = []
    cfg = _config(ws, config, county, peers, deadline_day, deadline_month, prefer_lead, problems)
    inp = ws / "input"
    mi = MonthInput(workspace=ws, month=None, problems=problems, config=cfg)
    if not inp.is_dir():
        problems.append(Problem("", None, None, ERROR, (f"工作区文件夹「{ws.resolve()}」不存在；请检查 --workspace 后面的路径" if not ws.is_dir() else
                                 f"工作区「{ws.resolve()}」中没有 input 文件夹；请在含 input/ 的工作区文件夹中运行 kaohe，"
                                 f"或用 --workspace 指定它（指标体系和各月文件放在 input/ 下）")))
        return mi

    root_files = [p for p in sorted(inp.iterdir()) if p.is_file()]
    system, root_peers = _read_root(inp, root_files, mi)
    mi.system = system
    if system is not None and with_history and getattr(cfg, "indicators", None):
        for key in cfg.unmatched_indicator_keys([system]):
            what = f"序号为 {key} 的指标" if key.isdigit() else f"名称含「{key}」的指标"
            problems.append(Problem("kaohe.toml", None, None, WARNING,
                                    f"kaohe.toml 中 [indicators.\"{key}\"] 的设置没有生效：指标体系中没有{what}；"
                                    f"请改为指标体系中的序号（如 \"28\"）或指标名称"))
        for key in (k for k in cfg.indicators if k.isdigit()):
            same = system.numbered(int(key))
            if len(same) > 1:  # 序号 restarting per category: the key reaches every one of them
                names = "、".join(f"「{i.name}」" for i in same)
                problems.append(Problem("kaohe.toml", None, None, WARNING,
                                        f"kaohe.toml 中 [indicators.\"{key}\"] 对应指标体系中序号同为 {key} 的 {len(same)} 项指标"
                                        f"（{names}），设置对它们都生效；只想设其中一项时，请改用指标名称作键"))
    year = _system_year(system)
    folders = month_folders(inp, year)
    if year is None:
        years = {int(m[:4]) for m in folders}
        if len(years) == 1:
            folders = month_folders(inp, years.pop())
    mi.months = sorted(folders)
    if month is not None:
        target = normalize_month(month, year)
        if target is None:
            problems.append(Problem("--month", None, None, ERROR,
                                    f"--month 后面写的月份「{month}」无法识别，应写成 2023-08、2023年8月 或 8月"))
            return mi
    else:
        target = mi.months[-1] if mi.months else None
    mi.month = target
    if target is None:
        problems.append(Problem("input", None, None, ERROR,
                                "input/ 下没有月份文件夹；应新建如 input/2023-08/ 的文件夹并放入各单位月报"))
        return mi
    if target not in folders:
        have = "、".join(mi.months) or "（无）"
        problems.append(Problem("input", None, None, ERROR,
                                f"没有 {target} 的月份文件夹（input/ 下的月份：{have}）；"
                                f"请新建 input/{target}/ 并放入当月各单位月报，或用 --month 选择已有的月份"))
        return mi
    if len(folders[target]) > 1:
        problems.append(Problem("input", None, None, WARNING,
                                f"{target} 有多个文件夹：{'、'.join(p.name for p in folders[target])}，其中的文件都已读取"))
    mi.folder = folders[target][0]
    county_given = county is not None or "county" in (getattr(cfg, "raw", None) or {})
    # every file opened once; then systems, peer data, whom we serve, and last the
    # departments' sheets (a reported rank is checked against the real group's size)
    opened: list[_Opened] = []
    for folder in folders[target]:
        opened.extend(_open_month_folder(inp, folder, mi))
    opened = _take_systems(inp, opened, mi)
    peer_tables: list[tuple[PeerTable, float]] = []
    opened = _take_peers(opened, target, mi, peer_tables)
    for pt, mt, mon in root_peers:  # peer data saved at the root for this month
        if mon in (None, target):
            peer_tables.append((pt, mt))
    _choose_peers(mi, peer_tables, target)
    _copied_from_last_month(mi, folders, target)
    if not county_given:
        found, candidates, how = _detect_county(mi, opened)
        if found is None:
            mi.fatal = _county_unknown_message(candidates)
            problems.append(Problem("kaohe.toml", None, None, ERROR, mi.fatal))
            return mi
        _use_county(mi, found)
        mi.decisions.append(f"kaohe.toml 未设置本县（county），按{how}识别本县为「{found}」；"
                            f"如不对，请在 kaohe.toml 中写 county = \"县名\"")
    subs = _read_month_submissions(opened, target, mi)
    _resolve(mi, subs)
    mi.status = submission_status(mi.system, mi.submissions, target, cfg, superseded=mi.superseded,
                                  arrivals=read_arrivals(ws / "output" / target))
    _readiness(mi, target)
    if with_history:
        for m in mi.months:
            if m < target:
                try:
                    mi.history[m] = load_month(ws, m, config=cfg, with_history=False,
                                               county=None if county_given else mi.config.county)
                except Exception as exc:  # history is a bonus: never stop the month for it
                    problems.append(Problem(m, None, None, WARNING,
                                            f"读取 {m} 的历史数据时出错（{type(exc).__name__}），位次变化不含该月"))
    return mi


def _readiness(mi: MonthInput, month: str) -> None:
    """A month that is not ready says so (a problem, so the exit code is 1): no peer data,
    or most units not reported, and what that costs."""
    label = f"{int(month[:4])}年{int(month[5:])}月"
    if mi.peers is None and mi.system is not None:
        mi.problems.append(Problem(f"input/{month}", None, None, WARNING,
                                   f"{label}没有六县市数据：无法按六县市数据计算排名和红黄绿预警（只能用月报填报的排名），"
                                   f"无法估算总分位次；请把市里发布的六县市数据放进 input/{month}/"))
    st = mi.status
    if st is None:
        return
    owed = len(st.sent) + len(st.not_sent)
    if owed and len(st.not_sent) * 2 > owed:
        blank = f"（其中交回空表 {len(st.blank)} 个：{'、'.join(st.blank)}）" if st.blank else ""
        mi.problems.append(Problem(f"input/{month}", None, None, WARNING,
                                   f"{label}应报 {owed} 个单位，{len(st.not_sent)} 个未报送{blank}："
                                   f"{'、'.join(st.not_sent)}；这些单位的指标本月为无数据，报表尚不完整"))
    elif st.blank:
        mi.problems.append(Problem(f"input/{month}", None, None, WARNING,
                                   f"{'、'.join(st.blank)} 交回的月报是空表（一项也没有填写），按未填报统计"))


# A place name ending in 县/区/市/旗 (郏县, 雁江区, 汝州市, 平顶山市郏县 -> both).
_PLACE_TOKEN = re.compile(r"[\u4e00-\u9fa5]{1,6}?(?:自治县|自治旗|县|区|市|旗)")
_NOT_COUNTY_WORDS = re.compile(r"^(附件|关于|全|各|本|我|县|区|市|旗|县域|城区|市区|辖区|园区|地区|社区)|县市|县区|市县|乡镇|"
                               r"^[一二三四五六七八九十两0-9]+个?(县|区|市)$")


def _places_in(text: str) -> list[str]:
    """Place names leading a title or file name: '附件1：郏县2024年度…' -> ['郏县'],
    '平顶山市郏县…' -> ['平顶山市', '郏县'], '郏县发改委2024年5月…' -> ['郏县']."""
    t = compact(fold_width(text or ""))
    t = re.sub(r"^附件[0-9一二三四五六七八九十]*[:：、.．\-_ ]*", "", t)
    t = re.sub(r"^[（(【\[][^）)】\]]*[）)】\]]", "", t)
    head = re.split(r"20[0-9]{2}|[0-9一二三四五六七八九十]+月|年度|高质量|关于", t, maxsplit=1)[0]
    out = []
    pos = 0
    while True:
        m = _PLACE_TOKEN.match(head, pos)
        if m is None:
            break
        tok = m.group(0)
        if _NOT_COUNTY_WORDS.search(tok):
            break
        out.append(tok)
        pos = m.end()
    return out


_UNIT_LINE = re.compile(r"(填报单位|填表单位|报送单位|编制单位|单位名称)[（(]?[^）)：:]*[）)]?[:：]\s*(\S+)")


def _evidence(f: "_Opened") -> set[str]:
    """Place names a department's file gives for itself: its file name, its sheets' titles
    (first rows) and their 填报单位 lines. One vote per file, however often it says so."""
    texts = [f.path.stem]
    for g in f.grids:
        for r in range(min(3, g.nrows)):
            texts.append(" ".join(t for t in g.row_texts(r) if t))
        for r in range(max(0, g.nrows - 12), g.nrows):
            for t in g.row_texts(r):
                m = _UNIT_LINE.search(compact(t or ""))
                if m:
                    texts.append(m.group(2))
    out: set[str] = set()
    for t in texts:
        places = _places_in(t)
        if places:
            out.add(places[-1])
    return out


def _detect_county(mi: MonthInput, opened: list["_Opened"]) -> tuple[str | None, list[str], str]:
    """Without `county` in kaohe.toml: (the unit the files are about, the candidates, how it
    was found). Evidence: the indicator system's title and file name, and the departments'
    own files (names, sheet titles, 填报单位) — never the peer sheet, whose title names the
    superior city. With peer data only a compared unit counts. None when it is not certain
    (nothing names a unit, or two tie): then the caller stops and asks for county = "…"."""
    from kaohe_excel.assess import peer_units

    units = peer_units(mi.peers, mi.system) if mi.peers is not None else []

    def in_peers(name: str) -> str | None:
        key = county_key(name)
        return next((c for c in units if county_key(c) == key), None) if key else None

    # the system's own title (or file name) says whose system it is: it outweighs any
    # number of month files named after a neighbour (宝丰县… sheets forwarded by mistake)
    if mi.system is not None:
        for text in (mi.system.title or "", Path(mi.system.file).stem):
            places = _places_in(text)
            own = (in_peers(places[-1]) if units else None) if places else None
            if own:
                return own, [own], "指标体系标题"
    votes: dict[str, float] = {}
    from_title: set[str] = set()
    if mi.system is not None and not units:  # a system titled 平顶山市… names no county when peers say otherwise
        for text, w in ((mi.system.title or "", 3.0), (Path(mi.system.file).stem, 2.0)):
            places = _places_in(text)
            if places and not _owns_units(places[-1], text):  # 岱川市…各县（市）…: the city assessing, not us
                votes[places[-1]] = votes.get(places[-1], 0.0) + w
                from_title.add(places[-1])
    for f in opened:
        for place in _evidence(f):
            votes[place] = votes.get(place, 0.0) + 1.0
    if units:
        merged: dict[str, float] = {}
        for name, w in votes.items():
            c = in_peers(name)
            if c is not None:
                merged[c] = merged.get(c, 0.0) + w
        votes = merged
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None, units, ""
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1]:
        return None, [c for c, w in ranked if w >= ranked[0][1]], ""
    how = "指标体系标题" if ranked[0][0] in from_title else "各单位月报（文件名、表头、填报单位）"
    return ranked[0][0], [c for c, _w in ranked], how


def _owns_units(place: str, text: str) -> bool:
    """The title names `place` as the office over units (岱川市2024年度各县（市）…, 某某市市辖区…)."""
    from kaohe_excel.assess.month import OWNER_AFTER  # the same words the peer columns are judged by

    return bool(re.search(re.escape(place) + r".{0,8}?" + OWNER_AFTER, compact(text)))


def _county_unknown_message(candidates: list[str]) -> str:
    example = candidates[0] if candidates else "某某县"
    listed = f"候选：{'、'.join(candidates)}" if candidates else "文件中没有找到可用的县（市、区）名称"
    return (f"无法确定本县（本单位）是哪一个：{listed}。请在工作区的 kaohe.toml 中写一行 "
            f"county = \"{example}\"（改为本县名称）后重新运行")


def _use_county(mi: MonthInput, county: str | None) -> None:
    from dataclasses import replace

    if county and county != mi.config.county:
        mi.config = replace(mi.config, county=county)


def _system_year(system: IndicatorSystem | None) -> int | None:
    if system is None:
        return None
    m = re.search(r"(20[0-9]{2})", (system.title or "") + " " + system.file)
    return int(m.group(1)) if m else None


MAX_MONTH_FILES = 2000  # entries walked in one month folder


MAX_FOLDER_DEPTH = 12  # sub-folder levels read below a month folder


def _month_files(folder: Path, mi: MonthInput) -> list[Path]:
    """Every file under the month folder, down to MAX_FOLDER_DEPTH levels (mail attachments
    land in 邮件附件/张三/8月/…), links to files included, broken links too (named by the
    caller); linked folders are not followed, so a link loop cannot hang. Walked without
    recursion (a folder 1,000 levels deep is named, not a crash). A folder that cannot be
    opened makes the month unusable: reports built without it would show its units as 未报送;
    so does a month folder of more than MAX_MONTH_FILES entries, of which nothing is read."""
    import os

    out: list[Path] = []
    seen = 0
    unreadable: list[str] = []
    too_deep: list[str] = []
    stack = [(folder, 0)]
    while stack and seen <= MAX_MONTH_FILES:
        here, depth = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            unreadable.append(human_name(here.relative_to(folder.parent).as_posix()))
            continue
        subdirs = []
        for e in entries:
            seen += 1
            if seen > MAX_MONTH_FILES:
                break
            p = Path(e.path)
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if depth + 1 > MAX_FOLDER_DEPTH:
                    too_deep.append(human_name(p.relative_to(folder.parent).as_posix()))
                else:
                    subdirs.append((p, depth + 1))
            elif p.is_file() or (p.is_symlink() and not p.exists()):
                out.append(p)
        stack.extend(reversed(subdirs))
    if seen > MAX_MONTH_FILES:
        # Not a month's reports (a mail archive, a whole drive copied in): none of it is read.
        # Reading the first entries took minutes (10,000 files: 2,000 workbooks, 400 s) and
        # reports built on part of a folder would show the other units as 未报送.
        what = (f"月份文件夹中的文件和子文件夹超过 {MAX_MONTH_FILES} 个，不像是一个月的月报，未读取其中的任何文件；"
                "请只放本月各单位的月报和六县市数据（其他材料请另存他处）后重试")
        mi.problems.append(Problem(f"input/{folder.name}", None, None, ERROR, what))
        mi.fatal = mi.fatal or f"文件夹「input/{folder.name}」：{what}"
        return []
    if too_deep:
        mi.problems.append(Problem(f"input/{too_deep[0].rsplit('/', 1)[0]}", None, None, ERROR,
                                   f"文件夹层级过深（超过 {MAX_FOLDER_DEPTH} 层），更深处的文件没有读取；"
                                   "请把月报直接放在本月文件夹中"))
    for name in unreadable:
        what = ("无法打开该文件夹（没有读取权限、已损坏或正被占用），其中的月报没有读取；"
                "本月报表不能据此生成（会把其中的单位算作未报送），请检查该文件夹后重试")
        mi.problems.append(Problem(f"input/{name}", None, None, ERROR, what))
        mi.fatal = mi.fatal or f"文件夹「input/{name}」：{what}"
    return sorted(out)


def _suffix(p: Path) -> str:
    """The extension as Windows sees it: trailing spaces and dots do not count
    ('月报.xlsx ' from a mail attachment is an .xlsx)."""
    return Path(p.name.rstrip(" .\u3000")).suffix.lower()


def _is_quiet(p: Path) -> bool:
    n = p.name
    return n.startswith("~$") or n.startswith(".~lock") or n.startswith(".") or n.lower() in _QUIET or n.endswith("#")


def _open(path: Path, display: str, mi: MonthInput):
    """Grids of a workbook, or None after recording why it cannot be used."""
    from kaohe_excel.read.workbook import read_workbook

    notes: list[Problem] = []  # sheets skipped, parts repaired
    try:
        grids = read_workbook(path, problems=notes)
    except InputError as exc:
        p = exc.problem
        mi.problems.append(Problem(display, p.sheet, p.cell, p.level, p.message))
        return None
    except Exception as exc:  # never a traceback for the clerk
        mi.problems.append(Problem(display, None, None, ERROR, f"无法读取该文件，文件可能已损坏（{type(exc).__name__}）"))
        return None
    for p in notes:
        mi.problems.append(Problem(display, p.sheet, p.cell, p.level, p.message))
    return [g for g in grids if _not_blank(g)]


def _not_blank(grid) -> bool:
    return any(str(v).strip() for row in grid.cells for v in row if v is not None)


def _read_root(inp: Path, files: list[Path], mi: MonthInput):
    """The indicator system (the best of the root workbooks) and any root peer tables."""
    systems: list[tuple[IndicatorSystem, Path]] = []
    peer_tables = []
    for p in files:
        if _is_quiet(p) or _suffix(p) not in EXCEL_SUFFIXES:
            continue
        grids = _open(p, p.name, mi)
        if grids is None:
            mi.files.append(FileRead(p.name, "bad", used=False))
            continue
        if not grids:
            mi.problems.append(Problem(p.name, None, None, WARNING, "文件中没有任何内容，已跳过"))
            mi.files.append(FileRead(p.name, "skipped", used=False, note="空文件"))
            continue
        try:
            kind = _classify_root(p, grids, mi, systems, peer_tables)
        except Exception as exc:  # never a traceback for the clerk
            mi.problems.append(Problem(p.name, None, None, ERROR, f"读取该文件时出错（{type(exc).__name__}），其余文件照常读取"))
            mi.files.append(FileRead(p.name, "bad", used=False))
            continue
        if kind is None:
            mi.problems.append(Problem(p.name, None, None, WARNING,
                                       "input/ 下的这个文件既不是指标体系（任务分工表），也不是六县市数据，已跳过；"
                                       "各单位月报应放在月份文件夹（如 input/2023-08/）中"))
            mi.files.append(FileRead(p.name, "skipped", used=False, note="不是指标体系"))
    return _pick_system(inp, systems, peer_tables, mi)


def _classify_root(p: Path, grids, mi: MonthInput, systems: list, peer_tables: list) -> str | None:
    from kaohe_excel.read.peers import find_peer_table, peers_from_table
    from kaohe_excel.read.submission import month_from_text, month_report_of
    from kaohe_excel.read.system import SYSTEM_ROLES, add_sibling_sheets, system_from_table
    from kaohe_excel.read.tables import best_table

    sys_table = best_table(grids, SYSTEM_ROLES)
    report = month_report_of(grids)
    # a department's report dropped beside the system (not a system with a filled example sheet)
    if report is not None and (sys_table is None or sys_table.grid.sheet == report[1]):
        report = report[0]
        mon = month_from_text(report + " " + p.stem)
        where = f"input/{mon}/" if mon else "该月的月份文件夹（如 input/2023-08/）"
        mi.problems.append(Problem(p.name, None, None, WARNING,
                                   f"这是单位月报（{report}），放在了 input/ 下，未读取；请移到 {where}"))
        mi.files.append(FileRead(p.name, "skipped", used=False, note=f"单位月报，应放在 {where}"))
        return "report"
    if sys_table is not None and (sys_table.has("points") or sys_table.has("lead")):
        system = system_from_table(sys_table)
        add_sibling_sheets(system, sys_table, grids)  # 共性 | 个性 on two sheets, as spec reads them
        if system.indicators:
            systems.append((system, p))
            mi.files.append(FileRead(p.name, "system", [sys_table.grid.sheet]))
            return "system"
    pts = [t for t in (find_peer_table(g) for g in grids) if t is not None]
    if pts:
        t = max(pts, key=lambda t: len(t.body_rows))
        pt = peers_from_table(t, None, peers=mi.config.peers or None, file_name=p.name)
        mon = month_from_text(p.stem + " " + " ".join(t.grid.row_texts(0)))
        peer_tables.append((pt, p.stat().st_mtime, mon))
        mi.files.append(FileRead(p.name, "peers", [t.grid.sheet]))
        return "peers"
    return None


def _pick_system(inp: Path, systems: list, peer_tables: list, mi: MonthInput):
    if not systems:
        mi.problems.append(Problem("input", None, None, ERROR,
                                   "input/ 下没有找到指标体系（任务分工表/一览表）：应有一个表头含「序号」「指标名称」「分值」「责任单位」的工作簿；"
                                   "月报中的指标无法核对"))
        return None, peer_tables
    systems.sort(key=lambda sp: -len(sp[0].indicators))
    system, path = systems[0]
    for other, op in systems[1:]:
        mi.problems.append(Problem(op.name, other.sheet, None, WARNING,
                                   f"input/ 下有多个指标体系；采用指标最多的「{path.name}」（{len(system.indicators)} 项），"
                                   f"本文件（{len(other.indicators)} 项）未采用"))
        for fr in mi.files:
            if fr.file == op.name:
                fr.used, fr.note = False, f"采用了「{path.name}」"
    # matching needs the system: re-read root peer tables against it
    if peer_tables:
        from kaohe_excel.read.workbook import read_peers

        fixed = []
        for pt, mt, mon in peer_tables:
            try:
                fixed.append((read_peers(inp / pt.file, system, peers=mi.config.peers or None), mt, mon))
            except Exception:
                fixed.append((pt, mt, mon))
        peer_tables = fixed
    return system, peer_tables


@dataclass
class _Opened:
    """One month file opened (its grids kept for the passes that follow)."""

    path: Path
    rel: str  # relative to the month folder (problems)
    shown: str  # relative to input/ (the file list)
    grids: list
    sub_grids: list = field(default_factory=list)
    fr: FileRead | None = None


def _open_month_folder(inp: Path, folder: Path, mi: MonthInput) -> list[_Opened]:
    """Every workbook of the month folder opened once; what cannot be opened is named."""
    out: list[_Opened] = []
    for p in _month_files(folder, mi):
        rel = human_name(p.relative_to(folder).as_posix())
        shown = human_name(p.relative_to(inp).as_posix())
        if _is_quiet(p) or any(part.startswith(".") for part in p.relative_to(folder).parts[:-1]):
            continue
        if not p.exists():  # a link whose target is gone
            mi.problems.append(Problem(rel, None, None, ERROR, "这是一个链接（快捷方式），它指向的文件不存在，未读取；请放入文件本身"))
            mi.files.append(FileRead(shown, "bad", used=False))
            continue
        suffix = _suffix(p)
        if suffix not in EXCEL_SUFFIXES:
            from kaohe_excel.read.safety import content_kind

            kind, inside = content_kind(p)
            if kind == "workbook":
                mi.problems.append(Problem(rel, None, None, WARNING,
                                           f"文件扩展名是「{suffix or '（无扩展名）'}」，但内容是 Excel 工作簿，已按 Excel 读取；"
                                           "建议另存为 .xlsx 后报送"))
            elif kind in ("zip", "archive"):
                what = "zip" if kind == "zip" else inside[0]
                listed = (f"，其中有 {len(inside)} 个 Excel 文件（{'、'.join(inside[:5])}{'等' if len(inside) > 5 else ''}）"
                          if kind == "zip" and inside else "")
                mi.problems.append(Problem(rel, None, None, ERROR,
                                           f"该文件是压缩包（{what}）{listed}，未读取；请解压后把其中的 Excel 文件放进本月文件夹"))
                mi.files.append(FileRead(shown, "bad", used=False, note="压缩包"))
                continue
            elif suffix in _NOT_EXCEL_HINT:
                mi.problems.append(Problem(rel, None, None, ERROR,
                                           f"该文件是{_NOT_EXCEL_HINT[suffix]}，不是 Excel 工作簿，未读取；请另存为 .xlsx 后重新报送"))
                mi.files.append(FileRead(shown, "bad", used=False))
                continue
            else:
                mi.problems.append(Problem(rel, None, None, WARNING, "不是 Excel 文件（.xlsx/.xls），已跳过"))
                mi.files.append(FileRead(shown, "skipped", used=False, note="不是 Excel 文件"))
                continue
        grids = _open(p, rel, mi)
        if grids is None:
            mi.files.append(FileRead(shown, "bad", used=False))
            continue
        if not grids:
            mi.problems.append(Problem(rel, None, None, ERROR, "文件中没有任何内容（所有工作表都是空的），请重新报送"))
            mi.files.append(FileRead(shown, "bad", used=False, note="空文件"))
            continue
        out.append(_Opened(p, rel, shown, grids))
    return out


def _system_in(f: _Opened, mi: MonthInput):
    """The indicator system when this month file is one (a copy of the task-division table,
    or a blank 附件2 overview): a points or units column, most of the system's indicators
    (all of them when there is no system yet), and no figures filled in for the month."""
    from kaohe_excel.read.system import SYSTEM_ROLES, names_at_most, system_from_table
    from kaohe_excel.read.tables import best_table

    table = best_table(f.grids, SYSTEM_ROLES)
    if table is None or not (table.has("points") and (table.has("lead") or mi.system is None)):
        return None
    names = {compact(i.name) for i in mi.system.indicators} if mi.system is not None else set()
    if mi.system is not None and names_at_most(table, names) < 0.8 * len(mi.system.indicators):
        return None  # a department's sheet: too few of the system's names to be a copy of it (no parse)
    try:
        system = system_from_table(table)
    except Exception:  # noqa: BLE001 - not a system after all: read as a month file
        return None
    if len(system.indicators) < 3:
        return None
    if mi.system is not None:
        same = sum(1 for i in system.indicators if compact(i.name) in names)
        if same < 0.8 * len(mi.system.indicators):
            return None
    from kaohe_excel.read.columns import resolve_columns
    from kaohe_excel.read.submission import find_submission_table

    sub = find_submission_table(table.grid)
    year = re.search(r"(20[0-9]{2})", system.title or "")
    c = resolve_columns(sub, int(year.group(1)) if year else None).actual if sub is not None else None
    if c is not None:  # 截至本月底完成情况 (not last year's 完成值 beside it)
        filled = sum(1 for i in system.indicators if table.grid.text(i.row - 1, c).strip())
        # a department fills its own few rows of the whole 一览表: any figure makes it a report
        # (only where the system is known: a system only in the month folder may be an old one)
        if filled > (0 if mi.system is not None else 0.2 * len(system.indicators)):
            return None
    return system, table


def _take_systems(inp: Path, opened: list[_Opened], mi: MonthInput) -> list[_Opened]:
    """An indicator system lying in a month folder is the system (used when input/ has
    none), never a department's report; the clerk is told to move it to input/."""
    rest = []
    for f in opened:
        got = _system_in(f, mi)
        if got is None:
            rest.append(f)
            continue
        system, table = got
        if mi.system is None:
            system.file = f.rel
            system.assign_keys()
            mi.system = system
            mi.problems[:] = [p for p in mi.problems if not (p.file == "input" and "没有找到指标体系" in p.message)]
            note, used = "用作指标体系", True
            msg = (f"这是指标体系（{system.title or table.grid.sheet}，{len(system.indicators)} 项），放在了月份文件夹中，"
                   "已用作指标体系；请把它移到 input/ 下（与月份文件夹并列），月份文件夹只放各单位月报和六县市数据")
        else:
            note, used = "指标体系的副本", False
            msg = ("这是指标体系（或空白的一览表）的副本，不是单位月报，未读取；请把它移出月份文件夹"
                   "（指标体系放在 input/ 下）")
        mi.problems.append(Problem(f.rel, table.grid.sheet, None, WARNING, msg))
        mi.files.append(FileRead(f.shown, "system", [table.grid.sheet], used=used, note=note))
    return rest


def _take_peers(opened: list[_Opened], month: str, mi: MonthInput, peer_tables: list) -> list[_Opened]:
    """Peer sheets read (against the system); what else each file holds is kept for the
    departments' pass."""
    from kaohe_excel.read.peers import find_peer_table, peers_from_table
    from kaohe_excel.read.submission import find_submission_table, month_from_text
    from kaohe_excel.read.grid import sheet_cell_flags

    rest = []
    for f in opened:
        try:
            peer_grids = [(g, t) for g in f.grids if (t := find_peer_table(g)) is not None]
            # a peer sheet with 完成值 | 位次 under each county is not a department's sheet
            by_counties = {id(g) for g, t in peer_grids if getattr(t, "county_subcolumns", False)}
            f.sub_grids = [g for g in f.grids if id(g) not in by_counties and find_submission_table(g) is not None]
            f.fr = FileRead(f.shown, "submission", sheets=[g.sheet for g in f.sub_grids])
            if peer_grids:
                g, t = max(peer_grids, key=lambda gt: len(gt[1].body_rows))
                flags = sheet_cell_flags(f.path).get(g.sheet)
                pt = peers_from_table(t, mi.system, peers=mi.config.peers or None, flags=flags, file_name=f.rel)
                mon = month_from_text(f.path.stem + " " + " ".join(" ".join(g.row_texts(r)) for r in range(min(2, g.nrows))),
                                      int(month[:4]))
                pt.period, pt.path = mon or month, str(f.path)
                if mon and mon > month:  # figures from the future: a file put in the wrong folder
                    mi.problems.append(Problem(f.rel, g.sheet, None, ERROR,
                                               f"六县市数据标明的数据期是{months_span(mon)}，晚于本月（{month}），未采用；"
                                               f"请把它放进 {mon} 文件夹，本月放本月的六县市数据"))
                    mi.files.append(FileRead(f.shown, "peers", [g.sheet], used=False, note=f"属于{mon}"))
                    continue
                if mon and mon < month:  # statistics published late: used, and every report says so
                    mi.problems.append(Problem(f.rel, g.sheet, None, WARNING,
                                               f"六县市数据的数据期是{months_span(mon)}（早于本月 {month}，统计数据晚一个月公布属常见），"
                                               f"排名按该数据期计算，各报表的排名旁都注明数据期"))
                peer_tables.append((pt, f.path.stat().st_mtime))
                if not f.sub_grids:
                    mi.files.append(FileRead(f.shown, "peers", [g.sheet]))
                    continue
        except Exception as exc:  # noqa: BLE001 - a bad file (or a reader bug) must not hide the others
            _failed(mi, f, exc)
            continue
        rest.append(f)
    return rest


def _failed(mi: MonthInput, f: _Opened, exc: Exception) -> None:
    """A file that could not be read: named, with why; the other files are read as usual."""
    if isinstance(exc, InputError):
        mi.problems.append(exc.problem)
    else:
        mi.problems.append(Problem(f.rel, None, None, ERROR,
                                   f"读取该文件时出错（{type(exc).__name__}: {str(exc)[:80]}），其余文件照常读取"))
    mi.files.append(FileRead(f.shown, "bad", used=False))


def _group_size(mi: MonthInput) -> int:
    """How many units are compared this month: a reported 第7名 is valid among seven."""
    from kaohe_excel.assess import comparison_group

    if mi.peers is not None:
        group, _notes = comparison_group(mi.peers, mi.config, mi.system)
        if group:
            return len(group)
    return len(mi.config.peers) or mi.config.group_size


def _read_month_submissions(opened: list[_Opened], month: str, mi: MonthInput) -> list[Submission]:
    from kaohe_excel.read.submission import DepartmentIndex
    from kaohe_excel.read.workbook import read_submissions

    depts = DepartmentIndex.from_system(mi.system, mi.config.county)
    n_peers = _group_size(mi)
    subs: list[Submission] = []
    for f in opened:
        if not f.sub_grids:
            sheets = "、".join(g.sheet for g in f.grids)
            mi.problems.append(Problem(f.rel, f.grids[0].sheet if len(f.grids) == 1 else None, None, ERROR,
                                       "没有找到月报表格：表头应含「序号」「指标内容/指标名称」「截至本月底完成情况」「排名」等列"
                                       f"（已查看工作表：{sheets}）；也不是六县市数据（应有各县市名称列）"))
            mi.files.append(FileRead(f.shown, "bad", [g.sheet for g in f.grids], used=False, note="不是月报"))
            continue
        try:
            got = read_submissions(f.path, mi.system, n_peers=n_peers, folder_month=month, county=mi.config.county,
                                   departments=depts, grids=f.sub_grids, display_name=f.rel)
        except Exception as exc:  # noqa: BLE001 - a bad file (or a reader bug) must not hide the others
            _failed(mi, f, exc)
            continue
        fr = f.fr or FileRead(f.shown, "submission")
        got = _of_this_month(got, month, mi, fr)
        fr.submissions = got
        fr.sheets = [s.sheet for s in got]
        subs.extend(got)
        mi.files.append(fr)
    return subs


def _of_this_month(got: list[Submission], month: str, mi: MonthInput, fr: FileRead) -> list[Submission]:
    """A sheet that says it is another month's (July's report renamed into the August folder)
    is an error and is not used, unless kaohe.toml says accept_other_month = true."""
    if getattr(mi.config, "accept_other_month", False):
        return got
    keep = []
    # a folder named 8月 gets its year from elsewhere (a guess): then the month alone must agree
    guessed_year = mi.folder is not None and not re.search(r"(19|20)[0-9]{2}", fold_width(mi.folder.name))
    for s in got:
        if s.month and (s.month[5:] != month[5:] if guessed_year else s.month != month):
            said = f"{int(s.month[:4])}年{int(s.month[5:])}月"
            mi.problems.append(Problem(s.file, s.sheet, None, ERROR,
                                       f"本表写明是{said}的月报，却放在 {month} 文件夹中，未采用（以免把别月的数据算进本月）；"
                                       f"如确是本月月报，请改正表内标题或文件名中的月份；如要照常采用，请在 kaohe.toml 中写 "
                                       "accept_other_month = true"))
            fr.used, fr.note = False, f"属于{said}"
            continue
        keep.append(s)
    return keep


def _copied_from_last_month(mi: MonthInput, folders: dict[str, list[Path]], month: str) -> None:
    """This month's peer file byte for byte last month's: a copy, not new figures."""
    from kaohe_excel.fsutil import file_digest

    if mi.peers is None or not mi.peers.path:
        return
    earlier = sorted(m for m in folders if m < month)
    if not earlier:
        return
    mine = Path(mi.peers.path)
    try:
        size, digest = mine.stat().st_size, file_digest(mine)
    except OSError:
        return
    for folder in folders[earlier[-1]]:
        try:
            same = next((q for q in folder.iterdir() if q.is_file() and q.stat().st_size == size
                         and file_digest(q) == digest), None)
        except OSError:
            continue
        if same is not None:
            mi.problems.append(Problem(mi.peers.file, mi.peers.sheet, None, ERROR,
                                       f"本月的六县市数据与 {earlier[-1]} 文件夹中的「{human_name(same.name)}」完全相同，"
                                       "可能是复制了上月的文件，未采用；请放入本月的六县市数据"))
            mi.peers = None
            return


def _choose_peers(mi: MonthInput, tables: list[tuple[PeerTable, float]], month: str) -> None:
    if not tables:
        return
    tables.sort(key=lambda t: (len(t[0].rows) > 0, t[1]))
    mi.peers = tables[-1][0]
    for pt, _mt in tables[:-1]:
        mi.problems.append(Problem(pt.file, pt.sheet, None, WARNING,
                                   f"{month} 有多份六县市数据；采用较新的「{mi.peers.file}」，本文件未采用"))
        for fr in mi.files:
            if fr.file.endswith(pt.file):
                fr.used, fr.note = False, f"采用了「{mi.peers.file}」"


def _when(s: Submission) -> tuple[str, str]:
    """(ISO date or datetime, basis) used to order files and judge lateness."""
    if s.filled_date:
        return s.filled_date, "填报日期"
    if s.mtime:
        return _dt.datetime.fromtimestamp(s.mtime).isoformat(timespec="minutes"), "文件修改时间"
    return "", "无"


ARRIVALS = ".kaohe-到达记录.json"


def read_arrivals(folder: Path) -> dict:
    """When each month file was first seen by a run, and when runs were made:
    {"runs": [iso…], "files": {name: {"sha256": …, "first_seen": iso}}}."""
    import json

    try:
        data = json.loads((Path(folder) / ARRIVALS).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {"runs": [], "files": {}}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {"runs": [], "files": {}}

    def iso(x) -> bool:  # a hand-edited record must not stop every command
        try:
            _dt.datetime.fromisoformat(str(x))
            return True
        except ValueError:
            return False

    files = {k: v for k, v in data["files"].items()
             if isinstance(k, str) and isinstance(v, dict) and iso(v.get("first_seen"))}
    runs = [r for r in data.get("runs") or [] if isinstance(r, str) and iso(r)]
    return {"runs": sorted(runs), "files": files}


def record_arrivals(folder: Path, mi: MonthInput, now: _dt.datetime | None = None) -> None:
    """Note the month's files as this run sees them (called by run, under the workspace lock):
    a file not seen before, or changed, arrives now."""
    import json

    from kaohe_excel.fsutil import atomic_write_bytes, file_digest

    now = now or _dt.datetime.now()
    data = read_arrivals(folder)
    stamp = now.isoformat(timespec="seconds")
    for s in list(mi.submissions) + list(mi.superseded):
        path = (mi.folder / s.file) if mi.folder is not None else None
        if path is None or not path.is_file():
            continue
        try:
            digest = file_digest(path)
        except OSError:
            continue
        seen = data["files"].get(s.file)
        if not isinstance(seen, dict):
            data["files"][s.file] = {"sha256": digest, "first_seen": stamp}
        elif seen.get("sha256") != digest:  # re-saved or corrected: it arrived when first seen, still
            seen["sha256"], seen["changed"] = digest, stamp
    data["runs"] = (list(data.get("runs") or []) + [stamp])[-200:]
    Path(folder).mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(Path(folder) / ARRIVALS, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _arrival(s: Submission, deadline: _dt.date | None, arrivals: dict,
             today: _dt.date) -> tuple[str | None, str | None, bool]:
    """(when, basis, late) for a returned form. Its 填报日期 when filled; else when a run
    first saw it (late only if a run after the deadline did not yet find it); else the file's
    time, said to be 推定 — and never late for a file put in today (copying is not reporting)."""
    if s.filled_date:
        when = s.filled_date
        return when, "填报日期", bool(deadline) and _dt.date.fromisoformat(when[:10]) > deadline
    seen = (arrivals.get("files") or {}).get(s.file)
    first = None
    if isinstance(seen, dict) and seen.get("first_seen"):
        first = seen["first_seen"]
        if deadline is None or _dt.date.fromisoformat(first[:10]) <= deadline:
            return first[:16], "首次读取时间", False
        missed = [r for r in arrivals.get("runs") or [] if r < first and _dt.date.fromisoformat(r[:10]) > deadline]
        if missed:  # a run after the deadline did not find it yet: it came late
            return first[:16], "首次读取时间", True
    if s.mtime:
        when = _dt.datetime.fromtimestamp(s.mtime)
        # put in (copied) the day a run first saw it, or today: that day says nothing about reporting
        put_in = when.date() >= today or (first is not None and when.date() >= _dt.date.fromisoformat(first[:10]))
        if put_in and deadline is not None and when.date() > deadline:
            return when.isoformat(timespec="minutes"), "报送时间不明（文件是截止后放入的）", False
        late = deadline is not None and when.date() > deadline
        return when.isoformat(timespec="minutes"), "文件修改时间（推定）", late
    return None, None, False


def _resolve(mi: MonthInput, subs: list[Submission]) -> None:
    """Duplicates (newer file of a department wins), then conflicts between departments."""
    from kaohe_excel.read.submission import DepartmentIndex

    by_dept: dict[str, list[Submission]] = {}
    used: list[Submission] = []
    for s in subs:
        if s.department is None:
            used.append(s)
        else:
            by_dept.setdefault(s.department, []).append(s)
    for dept, group in by_dept.items():
        if len(group) == 1:
            used.append(group[0])
            continue
        group.sort(key=lambda s: (s.filled_date or "", s.mtime or 0.0))
        newest = group[-1]
        used.append(newest)
        w_new, basis_new = _when(newest)
        olders = group[:-1]
        same_date = all(o.filled_date and o.filled_date == newest.filled_date for o in olders)
        why = ("填报日期较新" if newest.filled_date and not same_date and all(
            (o.filled_date or "") < newest.filled_date for o in olders) else "文件修改时间较新")
        for old in olders:
            mi.superseded.append(old)
            w_old, basis_old = _when(old)
            msg = (f"{dept}本月报送了两份月报：「{newest.file}」（{basis_new} {w_new}）和「{old.file}」（{basis_old} {w_old}）；"
                   f"采用「{newest.file}」（{why}），「{old.file}」未采用")
            mi.problems.append(Problem(old.file, old.sheet, None, WARNING, msg))
            mi.decisions.append(msg)
            for fr in mi.files:
                if old in fr.submissions and not any(s in used for s in fr.submissions):
                    fr.used, fr.note = False, f"被较新的「{newest.file}」取代（{why}）"
    used.sort(key=lambda s: (s.file, s.sheet))
    mi.submissions = used
    system = mi.system
    if system is None:
        for s in used:
            for e in s.entries:
                if e.indicator_no is not None and e.indicator_no not in mi.entries:
                    mi.entries[e.indicator_no] = e
        return
    depts = DepartmentIndex.from_system(system, mi.config.county)
    groups: dict[int, list[Entry]] = {}
    sub_of: dict[int, Submission] = {}
    for s in used:
        for e in s.entries:
            if e.indicator_no is not None:
                groups.setdefault(e.indicator_no, []).append(e)
                sub_of[id(e)] = s
    inds = system.by_no()
    for no, entries in sorted(groups.items()):
        ind = inds.get(no)
        owners = depts.of_indicator(ind) if ind else []
        if len(entries) == 1:
            e = entries[0]
            mi.entries[no] = e
            if ind is not None and owners and e.department and e.department not in owners and has_report(e):
                sub_of[id(e)].problems.append(Problem(e.file, e.sheet, e.cell or None, WARNING,
                                                      f"第 {ind.no} 项「{ind.name}」的责任单位是{'、'.join(owners)}，"
                                                      f"却由{e.department}填报；已采用该数值，请核实"))
            continue
        order = {d: i for i, d in enumerate(owners)}
        entries.sort(key=lambda e: order.get(e.department, len(order)))
        newest = max(entries, key=lambda e: (sub_of[id(e)].filled_date or "", sub_of[id(e)].mtime or 0.0))
        chosen_dept = mi.config.pick_department([e.department for e in entries],
                                                depts.leads(ind, first_is_lead=True) if ind else [], no, ind.name if ind else "",
                                                newest.department)
        chosen = next((e for e in entries if e.department == chosen_dept), entries[0])
        mi.entries[no] = chosen
        differ = len({(e.actual, e.rank) for e in entries}) > 1
        if differ:
            parts = "；".join(f"{e.department}在「{e.file}」工作表「{e.sheet}」{e.cell} 单元格填 {e.actual_raw or '（空）'}"
                             + (f"、排名 {e.rank_raw}" if e.rank_raw else "") for e in entries)
            rule = {"lead": "牵头单位", "latest": "较新文件", "first": "责任单位中排第一的"}.get(
                mi.config.conflict_rule, mi.config.conflict_rule)
            msg = (f"第 {ind.no if ind else written_no(no)} 项「{ind.name if ind else chosen.name}」有两个单位报送了不同数值：{parts}。"
                   f"按冲突规则（{rule}）采用{chosen.department}的数值，请两单位核对一致")
            mi.problems.append(Problem(chosen.file, chosen.sheet, chosen.cell or None, ERROR, msg))
            mi.decisions.append(msg)


def submission_status(system: IndicatorSystem | None, submissions: list[Submission], month: str | None,
                      config=None, *, superseded: list[Submission] | None = None, arrivals: dict | None = None,
                      today: _dt.date | None = None) -> SubmissionStatus:
    """报送情况: who owes indicators, who sent, who did not, who was late, and the counts."""
    from kaohe_excel.config import Config
    from kaohe_excel.read.submission import DepartmentIndex

    config = config or Config()
    deadline = None
    if month:
        try:
            deadline = config.deadline_for(month)
        except Exception:
            deadline = None
    st = SubmissionStatus(month=month, deadline=deadline.isoformat() if deadline else None)
    depts = DepartmentIndex.from_system(system, getattr(config, "county", None))
    owed: dict[str, list[int]] = {}
    if system is not None:
        for ind in system.indicators:
            units = depts.of_indicator(ind) if getattr(config, "include_support", False) else depts.leads(ind)
            for d in units:
                owed.setdefault(d, [])
                if ind.key is not None:
                    owed[d].append(ind.key)
    by_dept: dict[str, Submission] = {}
    for s in submissions:
        if s.department:
            by_dept.setdefault(s.department, s)
    for d in list(owed) + [d for d in by_dept if d not in owed]:
        ds = DepartmentStatus(department=d, owed=owed.get(d, []))
        s = by_dept.get(d)
        if s is not None:
            ds.sent, ds.file = True, s.file
            ds.submitted, ds.basis, ds.late = _arrival(s, deadline, arrivals or {}, today or _dt.date.today())
            present = {e.indicator_no: e for e in s.entries if e.indicator_no is not None}
            if not any((e.actual_raw or "").strip() or (e.rank_raw or "").strip() or e.issues_text or e.next_steps
                       for e in s.entries):
                ds.sent, ds.blank, ds.late = False, True, False  # the form came back empty: not reported
            for no in ds.owed:
                e = present.get(no)
                if e is None:
                    ds.absent.append(no)
                elif has_report(e):
                    ds.reported.append(no)
                else:
                    ds.not_available.append(no)
        st.departments.append(ds)
        if d not in owed:
            st.extra.append(d)
        elif ds.sent:
            st.sent.append(d)
            if ds.late:
                st.late.append(d)
        else:
            st.not_sent.append(d)
            if ds.blank:
                st.blank.append(d)
    if system is not None:
        st.indicators_total = len(system.indicators)
        got: dict[int, str] = {}
        for s in submissions:
            for e in s.entries:
                if e.indicator_no is None:
                    continue
                has = has_report(e)
                if has:
                    got[e.indicator_no] = "reported"
                else:
                    got.setdefault(e.indicator_no, "na")
        nos = [i.key for i in system.indicators if i.key is not None]
        st.reported = sum(1 for n in nos if got.get(n) == "reported")
        st.not_available = sum(1 for n in nos if got.get(n) == "na")
        st.not_reported = len(system.indicators) - st.reported - st.not_available
    return st


def has_report(e: Entry) -> bool:
    """The row says something: a figure, a rank, or words such as 正常推进 (not —, 暂无, #DIV/0!)."""
    return e.actual is not None or e.rank is not None or bool(e.actual_raw and not _missing_raw(e.actual_raw))


def _missing_raw(raw: str) -> bool:
    from kaohe_excel.read.values import is_error_text, is_missing_text

    return is_missing_text(raw) or is_error_text(raw)


__all__ = ["MonthInput", "FileRead", "SubmissionStatus", "DepartmentStatus", "load_month", "submission_status",
           "month_of_folder", "normalize_month", "month_folders"]
