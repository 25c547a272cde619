"""The files of a workspace month found and told apart: which workbook is the indicator
system, which holds peer data (六县市数据), which are departments' monthly sheets, and what
cannot be used and why (each recorded on the MonthInput as a Problem and a FileRead).

The top of read/: it opens each file once (grid), finds its tables and hands them to the
readers of a system, a month sheet or peer data. Deciding between what was read (whose
file counts, whose figure, who is late) is assess/intake's; walking it all is workspace's."""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_excel.fsutil import file_digest
from kaohe_excel.model import (EVENT_KINDS, FileRead, IndicatorSystem, MonthInput, PeerRow, PeerTable, Submission,
                               months_span)
from kaohe_excel.problems import ERROR, WARNING, InputError, Problem, cell_ref, human_name
from kaohe_excel.read.columns import resolve_columns
from kaohe_excel.read.grid import sheet_cell_flags
from kaohe_excel.read.peers import find_peer_table, merged_peers, peers_from_table, sheets_together
from kaohe_excel.read.safety import content_kind
from kaohe_excel.read.submission import SENDER_WORDS, find_submission_table, month_from_text, month_report_of
from kaohe_excel.read.system import (SYSTEM_REQUIRED, SYSTEM_ROLES, add_sibling_sheets, names_at_most,
                                    system_from_table)
from kaohe_excel.read.tables import best_table, head_roles
from kaohe_excel.text import abbreviates, cn_to_int, compact, county_key, fold_width, peer_data_word
from kaohe_excel.read.workbook import read_peers, read_submissions, read_workbook
from kaohe_excel.units import OWNER_AFTER, DepartmentIndex

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


_QUIET = {"thumbs.db", "desktop.ini", ".ds_store"}


_NOT_EXCEL_HINT = {".et": "WPS 表格格式（.et）", ".ett": "WPS 表格模板（.ett）", ".csv": "CSV 文本",
                   ".ods": "OpenDocument 表格（.ods）", ".numbers": "Numbers 表格"}


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


_PLACE_TOKEN = re.compile(r"[\u4e00-\u9fa5]{1,6}?(?:自治县|自治旗|县|区|市|旗)")


_NOT_COUNTY_WORDS = re.compile(r"^(附件|关于|全|各|本|我|县|区|市|旗|县域|城区|市区|辖区|园区|地区|社区)|县市|县区|市县|乡镇|"
                               r"^[一二三四五六七八九十两0-9]+个?(县|区|市)$")


def _title_head(text: str) -> str:
    """A title or file name from where it names whose it is: 附件1： and a leading （…） left out."""
    t = compact(fold_width(text or ""))
    t = re.sub(r"^附件[0-9一二三四五六七八九十]*[:：、.．\-_ ]*", "", t)
    return re.sub(r"^[（(【\[][^）)】\]]*[）)】\]]", "", t)


def _places_in(text: str) -> list[str]:
    """Place names leading a title or file name: '附件1：郏县2024年度…' -> ['郏县'],
    '平顶山市郏县…' -> ['平顶山市', '郏县'], '郏县发改委2024年5月…' -> ['郏县']."""
    t = _title_head(text)
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


_HEAD_ROWS = 3  # a sheet's title rows (附件2 / the title / 填报单位：…) above its table
_FOOT_ROWS = 12  # the rows its sign-off lines are looked for in (填报单位（盖章）：…)


@dataclass(frozen=True)
class _Said:
    """One place a file names for itself: where (文件名, 标题, 表头的填报单位 above the table, or
    the sign-off line 落款 below it), the sheet and cell, and the text it was read from."""
    place: str
    where: str
    sheet: str | None = None
    cell: str | None = None
    text: str = ""

    @property
    def head(self) -> bool:
        return self.where != "落款"


def _said(f: "Opened") -> list[_Said]:
    """Every place the file names for itself, with where it says so."""
    out = [_Said(p[-1], "文件名", text=f.path.stem) for p in [_places_in(f.path.stem)] if p]
    for g in f.grids:
        for r in range(g.nrows):
            if _HEAD_ROWS <= r < g.nrows - _FOOT_ROWS:
                continue
            texts = g.row_texts(r)
            if r < _HEAD_ROWS:
                line = " ".join(t for t in texts if t)
                places = _places_in(line)
                if places:
                    out.append(_Said(places[-1], "标题", g.sheet, None, line))
            for c, t in enumerate(texts):
                if not g.is_merge_origin(r, c):  # (a merged line's text stands in each of its cells)
                    continue
                m = _UNIT_LINE.search(compact(t or ""))
                places = _places_in(m.group(2)) if m else []
                if places:
                    out.append(_Said(places[-1], "表头的填报单位" if r < _HEAD_ROWS else "落款", g.sheet, cell_ref(r, c),
                                     t.strip()))
    return out


def _evidence(f: "Opened") -> set[str]:
    """Place names a department's file gives for itself: its file name, its sheets' titles
    (first rows) and their 填报单位 lines. One vote per file, however often it says so."""
    return {s.place for s in _said(f)}


def detect_county(mi: MonthInput, opened: list["Opened"], units: list[str]) -> tuple[str | None, list[str], str]:
    """Without `county` in kaohe.toml: (the unit the files are about, the candidates, how it
    was found). Evidence: the indicator system's title and file name, and the departments'
    own files (names, sheet titles, 填报单位) — never the peer sheet, whose title names the
    superior city. With peer data only a compared unit (`units`) counts. None when it is not certain
    (nothing names a unit, or two tie): then the caller stops and asks for county = "…"."""
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
    return bool(re.search(re.escape(place) + r".{0,8}?" + OWNER_AFTER, compact(text)))


def county_unknown_message(candidates: list[str]) -> str:
    example = candidates[0] if candidates else "某某县"
    listed = f"候选：{'、'.join(candidates)}" if candidates else "文件中没有找到可用的县（市、区）名称"
    return (f"无法确定本县（本单位）是哪一个：{listed}。请在工作区的 kaohe.toml 中写一行 "
            f"county = \"{example}\"（改为本县名称）后重新运行")


def system_year(system: IndicatorSystem | None) -> int | None:
    if system is None:
        return None
    m = re.search(r"(20[0-9]{2})", (system.title or "") + " " + system.file)
    return int(m.group(1)) if m else None


MAX_MONTH_FILES = 2000  # entries walked in one month folder


MAX_FOLDER_DEPTH = 12  # sub-folder levels read below a month folder


def month_files(folder: Path, mi: MonthInput) -> list[Path]:
    """Every file under the month folder, down to MAX_FOLDER_DEPTH levels (mail attachments
    land in 邮件附件/张三/8月/…), links to files included, broken links too (named by the
    caller); linked folders are not followed, so a link loop cannot hang. Walked without
    recursion (a folder 1,000 levels deep is named, not a crash). A folder that cannot be
    opened makes the month unusable: reports built without it would show its units as 未报送;
    so does a month folder of more than MAX_MONTH_FILES entries, of which nothing is read."""
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
            elif not e.name.startswith("."):  # a pipe, a device, a link to a folder: never opened, but said
                mi.problems.append(Problem(human_name(p.relative_to(folder).as_posix()), None, None, WARNING,
                                           "这不是普通文件（可能是管道、设备或指向文件夹的链接），未读取；"
                                           "请放入 Excel 文件本身"))
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


def quiet_name(n: str) -> bool:
    """A file name no run reads, nor mentions: Office's lock file (~$月报.xlsx), LibreOffice's
    (.~lock.月报.xlsx#), hidden files, the folder files Windows and macOS leave."""
    return n.startswith(("~$", ".")) or n.lower() in _QUIET or n.endswith("#")


def _is_quiet(p: Path) -> bool:
    return quiet_name(p.name)


def _open(path: Path, display: str, mi: MonthInput, *, roles: bool = False):
    """Grids of a workbook, or None after recording why it cannot be used. `roles`: a month
    file, whose sheets' roles are kept with its read (sheet_roles)."""

    notes: list[Problem] = []  # sheets skipped, parts repaired
    cache = mi.read_cache
    try:
        kept = cache.get(path, None, path.name) if cache is not None else None
        if kept is not None:
            grids, notes = kept
        else:
            grids = read_workbook(path, problems=notes)
            if cache is not None and cache.write:  # (check and assess keep nothing: no roles or flags for it)
                found = _roles_to_keep([g for g in grids if _not_blank(g)]) if roles else None
                cache.put(path, None, grids, notes, sheet_cell_flags(path), roles=found)
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


def read_root(inp: Path, files: list[Path], mi: MonthInput):
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

    sys_table = best_table(grids, SYSTEM_ROLES, required=SYSTEM_REQUIRED)
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
        pt = peers_from_table(t, None, peers=mi.config.peers or None, file_name=p.name, all_units=mi.all_units)
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

        fixed = []
        for pt, mt, mon in peer_tables:
            try:
                fixed.append((read_peers(inp / pt.file, system, peers=mi.config.peers or None, all_units=mi.all_units),
                              mt, mon))
            except Exception:
                fixed.append((pt, mt, mon))
        peer_tables = fixed
    return system, peer_tables


@dataclass
class Opened:
    """One month file opened (its grids kept for the passes that follow)."""

    path: Path
    rel: str  # relative to the month folder (problems)
    shown: str  # relative to input/ (the file list)
    grids: list
    sub_grids: list = field(default_factory=list)
    fr: FileRead | None = None
    roles: dict | None = None  # what each sheet is (sheet_roles), worked out or kept once


def sheet_roles(f: Opened, mi: MonthInput, ask: str) -> dict:
    """What each sheet of the file is, as the month's passes ask it (`ask`): "system", the
    roles its head names (a system has points and responsible units); "peers", whether it
    holds peer data ("by counties" when 完成值 | 位次 stand under each county) and whether it
    holds a department's table ("sub"). Each is a search of the sheet's rows. Kept with the
    file's read (see _open), so a re-run does not search an unchanged file again; else worked
    out when first asked, inside the pass that asks (a failure is that pass's)."""
    cache = mi.read_cache
    sheets = [g.sheet for g in f.grids]
    if f.roles is None:
        f.roles = (cache.kept_roles(f.path, sheets) if cache is not None else None) or {}
    if ask == "system" and "system" not in f.roles:
        f.roles["system"] = [set(head_roles(g, SYSTEM_ROLES)) for g in f.grids]
    elif ask == "peers" and "peer" not in f.roles:
        f.roles.update(_peer_roles(f.grids))
        if cache is not None and "system" in f.roles:  # a read kept before its roles were (an older kaohe)
            cache.put_roles(f.path, {"sheets": sheets, "system": [sorted(r) for r in f.roles["system"]],
                                     "peer": f.roles["peer"], "sub": f.roles["sub"]})
    return f.roles


def _peer_roles(grids: list) -> dict:
    peer, sub = [], []
    for g in grids:
        t = find_peer_table(g)
        peer.append("" if t is None else "by counties" if getattr(t, "county_subcolumns", False) else "peers")
        sub.append(peer[-1] != "by counties" and find_submission_table(g) is not None)
    return {"peer": peer, "sub": sub}


def _roles_to_keep(grids: list) -> dict | None:
    """Every sheet role of a month file read just now (sheet_roles), to keep with its read;
    None when a search fails (the pass that asks says why)."""
    try:
        return {"sheets": [g.sheet for g in grids], "system": [sorted(head_roles(g, SYSTEM_ROLES)) for g in grids],
                **_peer_roles(grids)}
    except Exception:  # noqa: BLE001 - worked out again, and reported, by the pass that asks
        return None


def open_month_folder(inp: Path, folder: Path, mi: MonthInput) -> list[Opened]:
    """Every workbook of the month folder opened once; what cannot be opened is named."""
    out: list[Opened] = []
    for p in month_files(folder, mi):
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
        grids = _open(p, rel, mi, roles=True)
        if grids is None:
            mi.files.append(FileRead(shown, "bad", used=False))
            continue
        if not grids:
            mi.problems.append(Problem(rel, None, None, ERROR, "文件中没有任何内容（所有工作表都是空的），请重新报送"))
            mi.files.append(FileRead(shown, "bad", used=False, note="空文件"))
            continue
        out.append(Opened(p, rel, shown, grids))
    return out


def _system_in(f: Opened, mi: MonthInput):
    """The indicator system when this month file is one (a copy of the task-division table,
    or a blank 附件2 overview): a points or units column, most of the system's indicators
    (all of them when there is no system yet), and no figures filled in for the month."""

    needed = {"points"} if mi.system is None else {"points", "lead"}
    if not any(needed <= roles for roles in sheet_roles(f, mi, "system")["system"]):
        return None  # no sheet names those columns (a unit's own report in the view from above): no search
    table = best_table(f.grids, SYSTEM_ROLES, required=SYSTEM_REQUIRED)
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


def take_systems(inp: Path, opened: list[Opened], mi: MonthInput) -> list[Opened]:
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


def take_peers(opened: list[Opened], month: str, mi: MonthInput, peer_tables: list) -> list[Opened]:
    """Peer sheets read (against the system); what else each file holds is kept for the
    departments' pass."""

    rest = []
    for f in opened:
        try:
            roles = sheet_roles(f, mi, "peers")
            peer_grids = [(g, find_peer_table(g)) for g, p in zip(f.grids, roles["peer"]) if p]
            # (a peer sheet with 完成值 | 位次 under each county is not a department's sheet)
            f.sub_grids = [g for g, sub in zip(f.grids, roles["sub"]) if sub]
            f.fr = FileRead(f.shown, "submission", sheets=[g.sheet for g in f.sub_grids])
            if peer_grids:
                flags = sheet_cell_flags(f.path)
                sheets = []
                for g, t in peer_grids:
                    pt = peers_from_table(t, mi.system, peers=mi.config.peers or None, flags=flags.get(g.sheet),
                                          file_name=f.rel, all_units=mi.all_units)
                    pt.period = month_from_text(f.path.stem + " " + " ".join(" ".join(g.row_texts(r))
                                                                            for r in range(min(2, g.nrows))),
                                                int(month[:4])) or month
                    pt.path = str(f.path)
                    sheets.append(pt)
                pt = sheets_together(sheets)  # a workbook by category: its sheets as one table
                merged = all(pt is not s for s in sheets)  # (by identity: a table's == compares every row)
                mon, shown = pt.period, [s.sheet for s in sheets] if merged else [pt.sheet]
                if mon > month:  # figures from the future: a file put in the wrong folder
                    mi.problems.append(Problem(f.rel, pt.sheet, None, ERROR,
                                               f"{peer_data_word(mi.all_units)}标明的数据期是{months_span(mon)}，晚于本月（{month}），未采用；"
                                               f"请把它放进 {mon} 文件夹，本月放本月的{peer_data_word(mi.all_units)}"))
                    mi.files.append(FileRead(f.shown, "peers", shown, used=False, note=f"属于{mon}"))
                    continue
                if mon < month:  # statistics published late: used, and every report says so
                    mi.problems.append(Problem(f.rel, pt.sheet, None, WARNING,
                                               f"{peer_data_word(mi.all_units)}的数据期是{months_span(mon)}（早于本月 {month}，统计数据晚一个月公布属常见），"
                                               f"排名按该数据期计算，各报表的排名旁都注明数据期"))
                peer_tables.append((pt, f.path.stat().st_mtime))
                if not f.sub_grids:
                    mi.files.append(FileRead(f.shown, "peers", shown))
                    continue
        except Exception as exc:  # noqa: BLE001 - a bad file (or a reader bug) must not hide the others
            failed(mi, f, exc)
            continue
        rest.append(f)
    return rest


def failed(mi: MonthInput, f: Opened, exc: Exception) -> None:
    """A file that could not be read: named, with why; the other files are read as usual."""
    if isinstance(exc, InputError):
        mi.problems.append(exc.problem)
    else:
        mi.problems.append(Problem(f.rel, None, None, ERROR,
                                   f"读取该文件时出错（{type(exc).__name__}: {str(exc)[:80]}），其余文件照常读取"))
    mi.files.append(FileRead(f.shown, "bad", used=False))


def read_month_submissions(opened: list[Opened], month: str, mi: MonthInput, n_peers: int,
                           units: list[str] | None = None) -> list[Submission]:
    """The departments' sheets of the files left after systems and peer data were taken;
    `n_peers`: how many units are compared (a reported 第7名 is valid among seven); `units`: the
    units compared, whose own reports are not our departments'."""
    depts = DepartmentIndex.from_system(mi.system, mi.config.county)
    subs: list[Submission] = []
    same = f"{_parse_depends(mi, n_peers, month)}\0{mi.config.county}"
    for f in opened:
        if not f.sub_grids:
            sheets = "、".join(g.sheet for g in f.grids)
            mi.problems.append(Problem(f.rel, f.grids[0].sheet if len(f.grids) == 1 else None, None, ERROR,
                                       "没有找到月报表格：表头应含「序号」「指标内容/指标名称」「截至本月底完成情况」「排名」等列"
                                       f"（已查看工作表：{sheets}）；也不是六县市数据（应有各县市名称列）"))
            mi.files.append(FileRead(f.shown, "bad", [g.sheet for g in f.grids], used=False, note="不是月报"))
            continue
        if units and _another_unit_s(f, units, mi):
            continue
        try:
            got = _kept_parse(f, mi, same, lambda f=f: read_submissions(
                f.path, mi.system, n_peers=n_peers, folder_month=month, county=mi.config.county, departments=depts,
                grids=f.sub_grids, display_name=f.rel))
        except Exception as exc:  # noqa: BLE001 - a bad file (or a reader bug) must not hide the others
            failed(mi, f, exc)
            continue
        fr = f.fr or FileRead(f.shown, "submission")
        got = of_this_month(got, month, mi, fr)
        fr.submissions = got
        fr.sheets = [s.sheet for s in got]
        subs.extend(got)
        mi.files.append(fr)
    return subs


def _another_unit_s(f: Opened, units: list[str], mi: MonthInput) -> bool:
    """A county's month: a file whose name, titles and 填报单位 name another unit of the group
    for itself (a neighbour's 一览表 forwarded, the office above's folder copied) is that unit's
    report, not one of our departments': never read as ours, and said."""
    county = mi.config.county
    if not county:
        return False
    unit = unit_of_file(f, list(units) + [county]).unit
    if unit is None or county_key(unit) == county_key(county):
        return False
    mi.problems.append(Problem(f.rel, f.sub_grids[0].sheet, None, ERROR,
                               f"这份报表的文件名、标题或填报单位写的是「{unit}」，不是本县（{county}）部门的月报，未读取；"
                               f"其他县市的数据请放在六县市数据中，如确是本县部门的报表，请改正其中的单位名称"))
    mi.files.append(FileRead(f.shown, "bad", [g.sheet for g in f.sub_grids], used=False, note=f"{unit}的报表"))
    return True


def _parse_depends(mi: MonthInput, n_peers, month: str) -> str:
    """What a sheet's parse depends on besides its bytes and the county it is read for (the
    departments follow from the system and the county), as one digest; '' when nothing is kept."""
    if mi.read_cache is None:
        return ""
    return hashlib.sha256(f"{n_peers}\0{month}\0{mi.system!r}".encode("utf-8", "surrogatepass")).hexdigest()


def _kept_parse(f: Opened, mi: MonthInput, same: str, parse) -> list[Submission]:
    """The file's Submissions as parsed: kept by its content and `same` (read/cache.py), so a
    re-run parses only the files that changed."""
    cache = mi.read_cache
    what = f"{same}\0{f.rel}\0{[g.sheet for g in f.sub_grids]!r}"
    got = cache.get_submissions(f.path, what) if cache is not None else None
    if got is not None:
        mtime = f.path.stat().st_mtime
        for s in got:
            s.mtime = mtime
        return got
    got = parse()
    if cache is not None:
        cache.put_submissions(f.path, what, got)
    return got


def of_this_month(got: list[Submission], month: str, mi: MonthInput, fr: FileRead) -> list[Submission]:
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
                                       f"如确是本月月报，请改正表内标题、工作表名或文件名中的月份；如要照常采用，请在 kaohe.toml 中写 "
                                       "accept_other_month = true"))
            fr.used, fr.note = False, f"属于{said}"
            continue
        keep.append(s)
    return keep


def copied_from_last_month(mi: MonthInput, folders: dict[str, list[Path]], month: str) -> None:
    """This month's peer file byte for byte last month's: a copy, not new figures."""

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
                                       f"本月的{peer_data_word(mi.all_units)}与 {earlier[-1]} 文件夹中的「{human_name(same.name)}」完全相同，"
                                       f"可能是复制了上月的文件，未采用；请放入本月的{peer_data_word(mi.all_units)}"))
            mi.peers = None
            return


def choose_peers(mi: MonthInput, tables: list[tuple[PeerTable, float]], month: str) -> None:
    """The month's peer table: files that each hold other indicators (one per category) as one
    table, else the newest (with rows) and the others named as not used."""
    if not tables:
        return
    if len(tables) > 1:
        merged = merged_peers([t for t, _ in tables])
        if merged is not None:
            files = "、".join(f"「{t.file}」" for t, _ in tables)
            merged.notes.append(f"{peer_data_word(mi.all_units)}分在 {len(tables)} 个文件中（{files}），各有不同的指标，合在一起使用")
            mi.peers = merged
            return
    tables.sort(key=lambda t: (len(t[0].rows) > 0, t[1]))
    mi.peers = tables[-1][0]
    for pt, _mt in tables[:-1]:
        mi.problems.append(Problem(pt.file, pt.sheet, None, WARNING,
                                   f"{month} 有多份{peer_data_word(mi.all_units)}；采用较新的「{mi.peers.file}」，本文件未采用"))
        for fr in mi.files:
            if fr.file.endswith(pt.file):
                fr.used, fr.note = False, f"采用了「{mi.peers.file}」"


# --- the office above: one report per unit ------------------------------------------

@dataclass
class FileUnit:
    """Whose report a file is (unit_of_file): the unit, or None with why — `candidates`, the
    units its head names (two or more: which is unknown); `unknown`, the places it names that
    are no unit of the group. `overruled`: sign-off lines naming another unit than the one taken."""
    unit: str | None
    candidates: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    overruled: list[_Said] = field(default_factory=list)
    said_by: list[str] = field(default_factory=list)  # where the head names the unit (文件名, 标题, …)


def _unit_named(place: str, units: list[str]) -> str | None:
    """The unit of `units` a written place is: the same name up to its ending (白岩县, 白岩苗族自治县),
    else the one unit whose name holds it (高新区 for 青岚高新区) or that it is the short name of
    (翠屏高新区 for 翠屏高新技术产业开发区); "" for a short form several
    units hold; None for a place that is no unit of the group."""
    if not units:
        return place
    key = county_key(place)
    same = [u for u in units if county_key(u) == key]
    if same:
        return max(same, key=lambda u: (len(u), u))
    short = compact(place)
    held = [u for u in units if len(short) >= 3 and short in compact(u)]
    if not held:  # 翠屏高新区, the short name of 翠屏高新技术产业开发区 (text.abbreviates)
        held = [u for u in units if abbreviates(short, u)]
    return held[0] if len(held) == 1 else ("" if held else None)


def unit_of_file(f: Opened, units: list[str], above: tuple[str, ...] = ()) -> FileUnit:
    """The unit a file reports for, among `units` when they are known. The head (file name, sheet
    titles, the 填报单位 line above the table) is where the sender says whose report it is; the
    sign-off line below the table (填报单位（盖章）) comes with the template and stays stale when
    a neighbour's file is copied, so it decides only when the head names no place. A head naming
    two units is not guessed between; a head naming only a place outside the group (not the
    office above, `above` or named as over its units) is that unknown unit's, never the unit a
    sign-off line names."""
    said = _said(f)
    over = {county_key(a) for a in above if _unit_named(a, units) is None}

    def named(s: _Said) -> str | None:
        if county_key(s.place) in over or _owns_units(s.place, s.text):
            return ""  # the city assessing the units, in a copied title: names no unit
        return _unit_named(s.place, units)

    for tier in ([s for s in said if s.head], [s for s in said if not s.head]):
        hits = {s: named(s) for s in tier}
        found = {h for h in hits.values() if h}
        strangers = sorted({s.place for s, h in hits.items() if h is None})
        if len(found) > 1:
            return FileUnit(None, sorted(found))
        if found:
            unit = found.pop()
            return FileUnit(unit, overruled=[s for s in said if not s.head and named(s) not in ("", unit)],
                            said_by=list(dict.fromkeys(s.where for s, h in hits.items() if h == unit)))
        if strangers:
            return FileUnit(None, unknown=strangers)
    return _short_named(f, units)


def _short_named(f: Opened, units: list[str]) -> FileUnit:
    """A head naming its unit without 县/区 (澜溪2025年1-6月指标完成情况一览表, a sheet named 澜溪)
    names it, when exactly one unit of the group has that short name: the file was refused as
    nobody's, and 澜溪县 counted as not reported."""
    keys = {u: county_key(u) for u in units}
    texts = [("文件名", f.path.stem)] + [("标题", " ".join(t for t in g.row_texts(r) if t))
                                          for g in f.grids for r in range(min(_HEAD_ROWS, g.nrows))]
    texts += [("工作表名", g.sheet) for g in f.grids]
    found: dict[str, list[str]] = {}
    for where, text in texts:
        t = _title_head(text)
        if _places_in(t):  # a place written in full (the city's 渠州市…) was weighed above, never its prefix here
            continue
        hits = [u for u, k in keys.items() if k and len(k) >= 2 and t.startswith(k)]
        if len(hits) == 1:
            found.setdefault(hits[0], []).append(where)
    if len(found) == 1:
        unit, where = found.popitem()
        return FileUnit(unit, said_by=list(dict.fromkeys(where)))
    return FileUnit(None, sorted(found)) if found else FileUnit(None)


def units_own_reports(opened: list[Opened], mi: MonthInput) -> bool:
    """Is every month file one unit's own report, of two units or more of a system that names
    its units (a city's table with a column per unit)?"""
    units = list(mi.system.units) if mi.system is not None else []
    files = [f for f in opened if f.sub_grids]
    if len(units) < 3 or len(files) < 2:
        return False
    above = tuple(_places_in(mi.system.title or ""))
    owners = [unit_of_file(f, units, above).unit for f in files]
    return all(owners) and len(set(owners)) >= 2


def read_unit_reports(opened: list[Opened], month: str, mi: MonthInput, units: list[str]) -> list[str]:
    """`kaohe run --all-units`: every month file that is not peer data is one unit's report of
    its own figures (its filled 一览表 or 月报). Each joins the peer data as that unit's column,
    so every unit is ranked and scored from one table; where the peer data already has the unit's
    figure and the unit wrote another, the peer data (the statistics bureau's) is used and the
    difference named. Returns the units that reported."""
    by_unit: dict[str, list[Submission]] = {}
    same = _parse_depends(mi, len(units) or None, month)
    # the office assessing the units (青岚市 in the system's title): a report's copied title naming it names no unit
    above = tuple(_places_in(mi.system.title or "")) if mi.system is not None else ()
    for f in opened:
        if not f.sub_grids:
            mi.problems.append(Problem(f.rel, None, None, ERROR,
                                       "没有找到报表表格：应是某单位填报的完成情况表（含「序号」「指标名称」「截至本月底完成情况」等列），"
                                       "或含各单位数值列的汇总数据"))
            mi.files.append(FileRead(f.shown, "bad", [g.sheet for g in f.grids], used=False, note="不是单位报表"))
            continue
        whose = unit_of_file(f, units, above)
        unit, candidates = whose.unit, whose.candidates
        if unit is None:
            others = whose.unknown if units else []
            said = (f"文件中出现了多个单位：{'、'.join(candidates)}" if candidates else
                    f"文件名、表头或填报单位写的是{'、'.join(f'「{o}」' for o in others)}，但本月参评单位中没有它；"
                    f"本月单位：{'、'.join(units)}" if others else "文件名、表头和填报单位中都没有可识别的单位名称")
            mi.problems.append(Problem(f.rel, f.sub_grids[0].sheet, None, ERROR,
                                       f"无法确定这份报表是哪个单位的（{said}），未读取；请在文件名中写明单位，如「某某县{month[:4]}年"
                                       f"{int(month[5:])}月完成情况.xlsx」"))
            mi.files.append(FileRead(f.shown, "bad", [g.sheet for g in f.sub_grids], used=False, note="单位不明"))
            continue
        for s in whose.overruled:  # a sign-off line left from the file it was copied from
            mi.problems.append(Problem(f.rel, s.sheet, s.cell, WARNING,
                                       f"本表落款的填报单位写的是「{s.place}」，而{'、'.join(whose.said_by)}写的是「{unit}」，"
                                       f"按{unit}的报表读取；如确是{unit}的报表，请改正落款中的单位"))
        try:
            got = _kept_parse(f, mi, f"{same}\0{unit}", lambda f=f, unit=unit: (
                read_submissions(f.path, mi.system, n_peers=len(units) or None, folder_month=month, county=unit,
                                 grids=f.sub_grids, display_name=f.rel, sender=unit)))
        except Exception as exc:  # noqa: BLE001 - a bad file must not hide the others
            failed(mi, f, exc)
            continue
        fr = FileRead(f.shown, "submission", sheets=[s.sheet for s in got], submissions=got, note=f"{unit}的报表")
        got = of_this_month(got, month, mi, fr)
        for s in got:
            s.department = unit
            # the sender is the unit (named above), not one of the system's departments: what the
            # department reader says about who sent it (报送单位「政府办」不是…责任单位) is beside the point
            s.problems = [p for p in s.problems if not p.message.startswith(SENDER_WORDS)]
        by_unit.setdefault(unit, []).extend(got)
        mi.files.append(fr)
    if not by_unit:
        return []
    table = mi.peers
    built = table is None  # no peer data: the units' own figures are the table
    if built:
        system = mi.system
        table = PeerTable(file="各单位报表", sheet="", counties=[], title="各单位报送的完成情况")
        if system is not None:
            table.rows = [PeerRow(no=i.no, name=i.name, direction=None, values={}, key=i.key) for i in system.indicators]
        mi.peers = table
    rows = {r.key: r for r in table.rows if r.key is not None}
    by_key = {i.key: i for i in mi.system.indicators} if mi.system is not None else {}

    def row_for(key):
        """The table's row of an indicator; one the table lacks (an item only the units' own reports
        give: a quarterly item, an event) is added, so their figures are ranked and scored, not dropped."""
        row = rows.get(key)
        if row is None and key in by_key:
            i = by_key[key]
            row = rows[key] = PeerRow(no=i.no, name=i.name, direction=None, values={}, key=key)
            table.rows.append(row)
        return row

    # a deduction, veto or bonus written 无 / 未发生 / 已完成: the unit's figure (0 events), not a gap
    events = {i.key: i.kind for i in mi.system.indicators if i.kind in EVENT_KINDS} if mi.system else {}
    for unit, subs in by_unit.items():
        # a unit's figures may come in several files (its departments' sheets, a corrected
        # resend): each indicator from the newest file that has it; two files that disagree
        # on one are named
        subs.sort(key=lambda s: (s.filled_date or "", s.mtime or 0.0))
        chosen: dict = {}
        gaps: dict = {}  # indicators the unit's files name without a figure
        targets: dict = {}  # the targets it states, used where the system sets this unit none
        for s in subs:
            mi.submissions.append(s)
            for e in s.entries:
                if e.key is not None and e.target is not None:  # (a number: the reader's parse_value)
                    targets[e.key] = e.target
                if e.key is None:
                    continue
                if not e.reports_as(events.get(e.key)):
                    if e.cell and e.key not in chosen:  # 待统计局反馈, —: where it was said, and what
                        gaps[e.key] = e
                    continue
                before = chosen.get(e.key)
                if before is not None and before.file != e.file and (before.actual, before.rank) != (e.actual, e.rank):
                    mi.problems.append(Problem(e.file, e.sheet, e.cell or None, WARNING,
                                               f"{unit}第 {e.key.no} 项在「{before.file}」中是 {before.actual_raw or '（空）'}，"
                                               f"在本文件中是 {e.actual_raw or '（空）'}；采用较新的本文件，请核对"))
                chosen[e.key] = e
        # its rows as its reports show them (上年, 目标, 存在问题): the newest file's, the one whose figure is used first
        mi.unit_entries[unit] = {**{e.key: e for s in subs for e in s.entries if e.key is not None}, **chosen}
        if unit not in table.counties:
            table.counties.append(unit)
        if built:  # a unit's figures are found, and named, in its own (newest) file
            table.sources[unit] = (subs[-1].file, subs[-1].sheet)
        for key, e in gaps.items():
            row = row_for(key)
            if row is not None and key not in chosen and row.values.get(unit) is None:
                row.cells[unit] = e.cell
                if e.actual_raw.strip():
                    row.raw[unit] = e.actual_raw
                    if e.words:  # 正常推进: reported, in words (as a department's in the county view)
                        row.words.add(unit)
        for e in chosen.values():
            row = row_for(e.key) if (e.actual is not None or e.actual_raw) else None
            if row is None:
                continue
            have = row.values.get(unit)
            if have is not None and not built:
                if e.actual is not None and abs(have - e.actual) > 1e-9 * max(1.0, abs(have)):
                    mi.problems.append(Problem(e.file, e.sheet, e.cell or None, WARNING,
                                               f"{unit}报送的第 {e.key.no} 项「{row.name}」为 {e.actual_raw}，"
                                               f"与「{table.file}」中的 {row.raw.get(unit) or have} 不一致；"
                                               f"采用「{table.file}」的数值，请核对"))
                continue
            row.values[unit] = e.actual
            row.raw[unit] = e.actual_raw
            if e.cell:
                row.cells[unit] = e.cell
        for key, target in targets.items():  # (after the figures: a row they added takes its target too)
            if key in rows:
                rows[key].targets[unit] = target
    if built:  # a unit of the system that sent nothing is still one of those compared: its column is
        # there, empty (as a unit's blank in the peer data), so the others' colours are out of all of them
        silent = [u for u in units if u not in table.counties]
        table.counties.extend(silent)
        for u in silent:
            mi.problems.append(Problem(mi.folder_shown(month), None, None, WARNING,
                                       f"指标体系中有「{u}」，本月没有它的数据（没有它的报表），按未报送计、不参与排名（其他单位的排名和"
                                       f"预警颜色仍按全部 {len(table.counties)} 个单位计）；如已报送，请把它的报表放进本月"
                                       f"文件夹（文件名中写明单位）"))
    for row in table.rows:
        for u in table.counties:
            row.values.setdefault(u, None)
    return sorted(by_unit)
