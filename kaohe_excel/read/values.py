"""Reported values and ranks as departments write them, keeping the written text.

Pure functions returning small dataclasses. A value that is not yet available
(`—`, `/`, `-`, blank, 暂无…) is None with status MISSING, never zero; an Excel
error cell (#DIV/0!, #N/A…) has status ERROR; text that holds no number has
status TEXT (qualitative indicators are reported in words).

python-calamine returns Excel error cells as empty strings and does not expose
number formats, so `sheet_cell_flags` reads both from the file itself (a bounded
streaming scan of the sheet XML for .xlsx, xlrd for .xls): a cell formatted as a percentage that holds
0.062 was seen by the clerk as `6.2%` and is read as 6.2.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe_excel.problems import col_index
from kaohe_excel.read.grid import MAX_COLS, MAX_ROWS, open_xls_book
from kaohe_excel.read.text import cn_to_int, compact, fold_width

OK = "ok"
MISSING = "missing"  # not yet available: None, never zero
ERROR = "error"  # an Excel error cell
TEXT = "text"  # words without a number (qualitative progress)
INVALID = "invalid"  # a rank that is not a rank

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
_ERROR_RE = re.compile(r"^#(DIV/0!|N/?A|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
                       r"UNKNOWN!|CONNECT!|BUSY!)$", re.I)
# Cells meaning "not yet available".
_MISSING = {"", "-", "--", "---", "—", "——", "———", "/", "／", "//", "\\", "－", "–", "_", "__",
            "暂无", "无", "暂无数据", "无数据", "未出", "数据未出", "暂未出", "尚未出", "暂未公布", "未公布",
            "待定", "待公布", "待出", "未统计", "暂缺", "缺", "空", "NA", "N/A", "n/a", "na", "null", "None",
            "…", "...", "……", "x", "×", "*"}
_NUM_RE = re.compile(r"[-+−]?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[-+−]?\.[0-9]+")
_NEG_WORDS = ("下降", "减少", "降低", "负增长", "回落", "下滑", "减", "降")
_POS_WORDS = ("增长", "增加", "提高", "上升", "提升", "增")


@dataclass
class Value:
    value: float | None
    raw: str
    status: str = OK
    unit: str = ""  # '%', '万元', '个', '亩'… as written after the number
    rank: int | None = None  # a rank written beside the value: 39.5%（4）
    rank_raw: str = ""
    several: bool = False  # the text held more than one number; the first was taken

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def missing(self) -> bool:
        return self.status == MISSING

    @property
    def percent(self) -> bool:
        return self.unit.startswith("%") or self.unit.startswith("％")

    def message(self) -> str:
        """Chinese: what is wrong with this cell and what was expected ('' when fine)."""
        if self.status == ERROR:
            return f"单元格是 Excel 错误值「{self.raw}」（公式出错），应填写数值；尚无数据请填「—」"
        if self.several:
            return f"「{self.raw}」含多个数字，已取第一个 {fmt_num(self.value)}；应只填写一个数值"
        return ""


@dataclass
class Rank:
    rank: int | None
    raw: str
    status: str = OK
    of: int | None = None  # the N of '3/6'
    message: str = ""  # Chinese, when status is INVALID / ERROR

    @property
    def ok(self) -> bool:
        return self.status == OK


def fmt_num(x: float | None) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return f"{x:.10g}"


def _num(s: str) -> float:
    return float(s.replace(",", "").replace("−", "-").replace(" ", ""))


def _raw_text(cell: Any, percent_format: bool = False) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and cell != cell:
            return ""
        if percent_format:
            return fmt_num(round(float(cell) * 100, 10)) + "%"
        return fmt_num(float(cell)) if isinstance(cell, float) else str(cell)
    if isinstance(cell, (_dt.date, _dt.datetime)):
        return cell.isoformat()
    return str(cell)


# "Waiting for the statistics bureau": words without a number saying the figure is not out yet.
_PENDING_RE = re.compile(r"(?:待|未|尚未|暂未|还未|没有|正在|等待|暂无|尚无)[\u4e00-\u9fa5]{0,8}?"
                         r"(?:反馈|公布|发布|统计|下发|更新|核实|提供|核定|确认|出(?!现)|测算|数据)"
                         r"|^(?:数据)?(?:暂缺|缺失|空缺)$|^统计局.{0,6}(?:未|待)")


def is_missing_text(text: str) -> bool:
    t = compact(fold_width(text or "")).strip("'‘’\"")
    if t in _MISSING or bool(re.fullmatch(r"[-—－–_/／\\、.。…]+", t or "-")):
        return True
    return len(t) <= 20 and not re.search(r"[0-9]", t) and bool(_PENDING_RE.search(t))


def is_error_text(text: str) -> bool:
    return bool(_ERROR_RE.match(compact(text or "")))


def parse_value(cell: Any, *, percent_format: bool = False, error: str | None = None) -> Value:
    """A reported value: 6.2, '6.2%', '增长6.2%', '下降3.1%', '1,234.5', '12.5万元', '６.２',
    '—' (missing), '#DIV/0!' (error). `percent_format`: the cell is formatted as a
    percentage (0.062 shows as 6.2%); `error`: the error code the file holds for it."""
    if error:
        return Value(None, error, ERROR)
    raw = _raw_text(cell, percent_format)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and raw:
        v = float(cell) * 100 if percent_format else float(cell)
        return Value(round(v, 10), raw, OK, "%" if percent_format else "")
    if isinstance(cell, (_dt.date, _dt.datetime)):
        return Value(None, raw, TEXT)
    text = fold_width(raw).strip().strip("'‘’").strip()
    if is_missing_text(text):
        return Value(None, raw, MISSING)
    if is_error_text(text):
        return Value(None, raw, ERROR)
    text = _join_spaced_digits(text)
    acc = _ACCOUNTING_RE.fullmatch(text)
    if acc:  # (3.1) in accounting style: negative
        return Value(-_num(acc.group(1)), raw, OK, "%" if acc.group(2) else "")
    value_part, rank, rank_raw = _split_rank_suffix(text)
    nums = list(_NUM_RE.finditer(value_part))
    if not nums:
        if rank is not None and is_missing_text(value_part):
            return Value(None, raw, MISSING, rank=rank, rank_raw=rank_raw)
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    m = nums[0]
    v = _num(m.group(0))
    before = compact(value_part[:m.start()])
    if re.search(r"[\u4e00-\u9fa5]", before) and re.search(r"[，,；;。]", before):
        # 按时序推进，已承接事项86项: a sentence about progress with a figure inside it is
        # qualitative progress, shown as written, never the number 86
        return Value(None, raw, TEXT, rank=rank, rank_raw=rank_raw)
    if v > 0 and not m.group(0).lstrip().startswith("+") and any(before.endswith(w) for w in _NEG_WORDS):
        v = -v
    after = value_part[m.end():].strip()
    unit_m = re.match(r"(%|％|‰|个百分点|百分点|[\u4e00-\u9fa5A-Za-z²³/·]{1,6})", after)
    unit = unit_m.group(1) if unit_m else ""
    if unit == "％":
        unit = "%"
    several = len(nums) > 1
    return Value(round(v, 10), raw, OK, unit, rank, rank_raw, several)


_ACCOUNTING_RE = re.compile(r"[（(]\s*([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s*(%|％)?\s*[)）]")


def _join_spaced_digits(text: str) -> str:
    """'4 120' (a space for the thousands separator), '6 .2', '6. 2', '41.2 %' -> joined."""
    t = re.sub(r"(?<=[0-9])\s+(?=[0-9]{3}(?![0-9]))", "", text) if re.fullmatch(r"[-+−]?\s*[0-9][0-9\s]*(?:\.[0-9]+)?\s*\D{0,6}", text) else text
    t = re.sub(r"(?<=[0-9])\s+(?=\.[0-9])|(?<=[0-9]\.)\s+(?=[0-9])", "", t)
    return re.sub(r"(?<=[0-9])\s+(?=[%％])", "", t)


_RANK_WHERE = r"(?:全市|全省|六县[（(]?市[)）]?(?:中)?|六县市?(?:中)?|六县区)?"
_RANK_SUFFIX = re.compile(r"^(.*?)[（(]\s*" + _RANK_WHERE + r"(?:位次|排名|排序|排|居|列|位居|位列)?[:：]?\s*(?:并列)?\s*(?:第)?\s*"
                          r"([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?\s*(?:[,，、]?\s*并列)?\s*[)）]\s*$")
_RANK_SUFFIX2 = re.compile(r"^(.*?)[,，;；、\s]+" + _RANK_WHERE + r"(?:排名|位次|排序|排|居|位居|位列)?[:：]?\s*(?:并列)?\s*第\s*"
                           r"([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?\s*(?:[（(]?\s*并列\s*[)）]?)?\s*$")


def _split_rank_suffix(text: str) -> tuple[str, int | None, str]:
    """'39.5%（4）' -> ('39.5%', 4, '（4）'); '4.2%，第3名' -> ('4.2%', 3, '第3名')."""
    for rx in (_RANK_SUFFIX, _RANK_SUFFIX2):
        m = rx.match(text)
        # '39.5%（4）' needs a number before the bracket; '已完成，第1名' says 第…名 itself
        if m and m.group(1).strip() and (_NUM_RE.search(m.group(1)) or rx is _RANK_SUFFIX2
                                        or is_missing_text(m.group(1))):
            g = m.group(2)
            n = int(g) if g.isdigit() else cn_to_int(g)
            return m.group(1).strip(), n, text[len(m.group(1)):].strip()
    return text, None, ""


def parse_value_rank(cell: Any, *, percent_format: bool = False, error: str | None = None) -> Value:
    """上年完成情况(位次): '39.5%（4）' -> value 39.5, unit %, rank 4."""
    return parse_value(cell, percent_format=percent_format, error=error)


_RANK_PATTERNS = [
    re.compile(r"^(?:全市|六县市?|全省)?(?:排名|排序|位次|名次|居|列)?[:：]?\s*(?:并列)?第?\s*([0-9]+|[一二三四五六七八九十]+)\s*(?:名|位)?"
               r"\s*(?:[/／]\s*([0-9]+))?\s*(?:[（(].*[)）])?$"),
]


def parse_rank(cell: Any, n_peers: int | None = None, *, error: str | None = None) -> Rank:
    """A rank among the peer counties: 3, '3', "'3", '第3名', '第三名', '３', '3/6', '第3位',
    '排名3', '并列第2'. Blank and '—' are None (not yet ranked). Outside 1..n_peers,
    0, negative, fractional or words are INVALID with a Chinese message."""
    if error:
        return Rank(None, error, ERROR, message=f"单元格是 Excel 错误值「{error}」，应填写排名（1–{n_peers or 'N'} 的整数）")
    raw = _raw_text(cell)
    expect = f"应为 1–{n_peers} 的整数名次" if n_peers else "应为正整数名次"
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        f = float(cell)
        if not f.is_integer():
            return Rank(None, raw, INVALID, message=f"排名「{raw}」不是整数，{expect}")
        return _check_rank(int(f), raw, None, n_peers)
    text = compact(fold_width(raw)).strip("'‘’\"")
    if is_missing_text(text):
        return Rank(None, raw, MISSING)
    if is_error_text(text):
        return Rank(None, raw, ERROR, message=f"单元格是 Excel 错误值「{raw}」，{expect}")
    text = text.replace("−", "-").replace("－", "-")
    m = re.fullmatch(r"[+-]?[0-9]+(?:\.0+)?", text)
    if m:
        return _check_rank(int(float(text)), raw, None, n_peers)
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", text):
        return Rank(None, raw, INVALID, message=f"排名「{raw}」不是整数，{expect}")
    text, from_end = _rank_words_off(text)
    if from_end is not None:  # 倒数第2: counted from the last place
        if not n_peers:
            return Rank(None, raw, INVALID, message=f"排名「{raw}」是倒数名次，但不知道参评县市数；{expect}")
        return _check_rank(n_peers + 1 - from_end, raw, None, n_peers) if 1 <= from_end <= n_peers else \
            Rank(None, raw, INVALID, message=f"排名「{raw}」超出参评县市数（共 {n_peers} 个），{expect}")
    for rx in _RANK_PATTERNS:
        m = rx.match(text)
        if m:
            g = m.group(1)
            n = int(g) if g.isdigit() else cn_to_int(g)
            of = int(m.group(2)) if m.group(2) else None
            if n is None:
                break
            return _check_rank(n, raw, of, n_peers)
    return Rank(None, raw, INVALID, message=f"排名「{raw}」无法识别，{expect}（如 3、第3名、3/6）")


_CN_D = r"[0-9]+|[一二三四五六七八九十]+"
# Words around a rank that say nothing about its value: where (六县（市）中), the verb
# (排/位居), a tie (并列), the change since last month (↑1, 较上月上升1位), 末位.
_RANK_CHANGE = re.compile(r"[,;、]?[(]?(?:较上月|比上月|环比|较上期|同比)?(?:[↑↓]|上升|下降|前进|后退|提升|提高|下滑|回落)\s*(?:" + _CN_D
                          + r")?\s*(?:个)?(?:位次|位|名)?[)]?$|[,;、]?[(]?(?:较上月|比上月|环比)?持平[)]?$")
_RANK_LEAD = re.compile(r"^(?:在|于)?(?:全市|全省|六县\(?市\)?|六县区|六个?县(?:市|区)?|[一二三四五六七八九十]+个?县(?:\(?[市区]\)?)?|"
                        r"同类县(?:市|区)?|参评县(?:市|区)?)?(?:中|之中|里)?(?:的)?(?:排名|排序|位次|名次|排位|位居|位列|排在|排|居|列|处于|为)?[:：]?"
                        r"(?:第)?(?=(?:并列)?(?:第|倒数)?(?:" + _CN_D + r"))")


def _rank_words_off(text: str) -> tuple[str, int | None]:
    """'在六县（市）中排第3位' -> '第3位'; '第3名↑1' -> '第3名'; '(3)' -> '3'; '倒数第2' -> ('', 2)."""
    t = text
    m = re.fullmatch(r"[(]\s*(.*?)\s*[)]", t)
    if m:
        t = m.group(1)
    for _ in range(2):
        t2 = _RANK_CHANGE.sub("", t) if not _RANK_CHANGE.fullmatch(t) else t
        t2 = re.sub(r"[(](?:并列|末位|末尾|垫底|最后|倒数第?(?:" + _CN_D + r")?)[)]$", "", t2)
        t2 = re.sub(r"(?<=[0-9名位])(?:并列|,?并列)$", "", t2)
        t2 = _RANK_LEAD.sub("", t2, count=1)
        if t2 == t:
            break
        t = t2
    m = re.fullmatch(r"倒数第?(" + _CN_D + r")(?:名|位)?", t)
    if m:
        g = m.group(1)
        return "", int(g) if g.isdigit() else cn_to_int(g)
    return t, None


def _check_rank(n: int, raw: str, of: int | None, n_peers: int | None) -> Rank:
    expect = f"应为 1–{n_peers} 的整数名次" if n_peers else "应为正整数名次"
    if n <= 0:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」不是有效名次（{'0' if n == 0 else '负数'}），{expect}")
    if of is not None and n > of:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」的名次大于参评数 {of}，{expect}")
    if n_peers and n > n_peers:
        return Rank(None, raw, INVALID, of, f"排名「{raw}」超出参评县市数（共 {n_peers} 个），{expect}")
    if n_peers and of is not None and of != n_peers:
        return Rank(n, raw, OK, of, f"排名写作「{raw}」，参评县市数应为 {n_peers} 个")
    return Rank(n, raw, OK, of)


# --- dates -------------------------------------------------------------------

def parse_date(cell: Any, default_year: int | None = None) -> _dt.date | None:
    """填报日期: a date cell, '2023年9月5日', '2023.9.5', '2023-09-05', '2023/9/5', '9月5日'."""
    if isinstance(cell, _dt.datetime):
        return cell.date()
    if isinstance(cell, _dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 30000 < cell < 60000:  # an Excel serial date that lost its format
            return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(cell))
        s = str(int(cell)) if float(cell).is_integer() else ""
        m = re.fullmatch(r"(20[0-9]{2})([01][0-9])([0-3][0-9])", s)
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    t = compact(fold_width(str(cell or "")))
    m = re.search(r"(20[0-9]{2})\s*[年.\-/]\s*([0-9]{1,2})\s*[月.\-/]\s*([0-9]{1,2})", t)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"(20[0-9]{2})([01][0-9])([0-3][0-9])", t)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"(?<![0-9])([0-9]{1,2})月([0-9]{1,2})日", t)
    if m and default_year:
        return _safe_date(default_year, int(m.group(1)), int(m.group(2)))
    return None


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


# --- what calamine does not tell: error cells and percent formats -------------

@dataclass
class CellFlags:
    errors: dict[tuple[int, int], str]  # (row, col) 0-based -> '#DIV/0!'
    percent: set[tuple[int, int]]
    # What the clerk does not see (calamine reports none of it): rows and columns
    # hidden by hand or by a collapsed outline, 0-based, within the scan's caps;
    # `filtered`: the sheet has an active AutoFilter (its hidden rows may be
    # filtered out rather than hidden by hand); `state`: visible / hidden / veryHidden.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    filtered: bool = False
    state: str = "visible"


# The flags matter for the table at the top of a sheet; a sheet (or a workbook)
# of junk below or beside it is not scanned past these many cells.
MAX_FLAG_CELLS = 100_000  # per sheet
MAX_FLAG_TOTAL = 300_000  # per workbook


# grid.read_workbook scans a file for its hidden rows and columns and the reader
# of the same file asks again for its error and percent cells: one scan serves both.
# Kept for a month folder's worth of files (each was scanned twice, once per reader,
# when only 4 were kept), and no more cells than a few workbooks' worth.
_FLAG_CACHE: dict[tuple, dict[str, CellFlags]] = {}
_FLAG_CACHE_SIZE = 64
_FLAG_CACHE_CELLS = 400_000


def _flag_weight(flags: dict[str, CellFlags]) -> int:
    return 1 + sum(len(f.errors) + len(f.percent) + len(f.hidden_rows) + len(f.hidden_cols) for f in flags.values())


def sheet_cell_flags(path: str | Path, only: frozenset[str] | None = None) -> dict[str, CellFlags]:
    """Per sheet: Excel error cells, percent-formatted numeric cells, hidden rows
    and columns, and whether the sheet is hidden.

    Best effort: any failure gives no flags (the grid is still read). Bounded
    by MAX_FLAG_CELLS / MAX_FLAG_TOTAL whatever the file holds. With `only`, the
    other sheets are not scanned (grid.read_workbook left them out for size); the
    readers that ask again later get the same answer (they ask for sheets read)."""
    path = Path(path)
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _FLAG_CACHE:
        return _FLAG_CACHE[key]
    out: dict[str, CellFlags] = {}
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            out = _xlsx_flags(path, only)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            out = _xls_flags(path, only)
    except Exception:
        out = {}
    if key is not None:
        weight = _flag_weight(out)
        while _FLAG_CACHE and (len(_FLAG_CACHE) >= _FLAG_CACHE_SIZE
                               or weight + sum(map(_flag_weight, _FLAG_CACHE.values())) > _FLAG_CACHE_CELLS):
            _FLAG_CACHE.pop(next(iter(_FLAG_CACHE)))
        _FLAG_CACHE[key] = out
    return out


def _is_percent_format(fmt: str | None) -> bool:
    if not fmt:
        return False
    f = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)
    return "%" in f


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_flags(path: Path, only: frozenset[str] | None = None) -> dict[str, CellFlags]:
    """Streams each sheet part with iterparse and stops at the caps. (openpyxl,
    used before, parses every sheet in full when it opens a workbook whose
    sheets carry no <dimension>: 20 s for a junk sheet of 2.9M cells.)
    safety.check_file has refused DOCTYPE/ENTITY in every part beforehand."""
    import posixpath
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone
    import zipfile

    out: dict[str, CellFlags] = {}
    with zipfile.ZipFile(path) as zf:
        names = {n.replace("\\", "/").lower(): n for n in zf.namelist()}

        def part(name: str) -> str | None:
            return names.get(name.lstrip("/").lower())

        wb_part, rels_part = part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")
        if wb_part is None or rels_part is None:
            return out
        targets = {}
        for el in ET.fromstring(zf.read(rels_part)):
            if _local(el.tag) == "Relationship" and el.get("Target"):
                t = el.get("Target").replace("\\", "/")
                targets[el.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
        sheets = []
        for el in ET.fromstring(zf.read(wb_part)).iter():
            if _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
                member = part(targets.get(rid, "")) if rid else None
                if member is not None and el.get("name"):
                    sheets.append((el.get("name"), member, el.get("state") or "visible"))
        percent_styles = _percent_styles(zf, part("xl/styles.xml"))
        budget = MAX_FLAG_TOTAL
        for name, member, state in sheets:
            if only is not None and name not in only:
                continue
            if budget <= 0:
                out[name] = CellFlags({}, set(), state=state)
                continue
            flags, used = _scan_sheet_flags(zf, member, percent_styles, min(budget, MAX_FLAG_CELLS))
            flags.state = state
            out[name] = flags
            budget -= used
    return out


def _percent_styles(zf, member: str | None) -> set[int]:
    """Indexes of the cell formats (cellXfs) that show a number as a percentage."""
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone

    if member is None:
        return set()
    try:
        root = ET.fromstring(zf.read(member))
    except (ET.ParseError, ValueError):
        return set()
    codes = {9: "0%", 10: "0.00%"}  # the built-in percentage formats
    for el in root.iter():
        if _local(el.tag) == "numFmt" and (el.get("numFmtId") or "").isdigit():
            codes[int(el.get("numFmtId"))] = el.get("formatCode") or ""
    out: set[int] = set()
    for el in root:
        if _local(el.tag) == "cellXfs":
            for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                fid = xf.get("numFmtId") or "0"
                if fid.isdigit() and _is_percent_format(codes.get(int(fid))):
                    out.add(i)
    return out


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")


def _scan_sheet_flags(zf, member: str, percent_styles: set[int], cap: int) -> tuple[CellFlags, int]:
    """Error and percent cells of one sheet part, placed as calamine places them
    (an explicit r= or the next position), and its hidden rows and columns;
    stops after `cap` cells (a <col> element counts as one)."""
    import defusedxml.ElementTree as ET  # no DTD, no entity expansion in a file from anyone
    import zlib

    flags = CellFlags({}, set())
    row, col, n = -1, -1, 0
    cell: tuple[int, int, str | None, str | None] | None = None
    value: str | None = None
    try:
        with zf.open(member) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = _local(el.tag)
                if event == "start":
                    if tag == "row":
                        r = el.get("r")
                        row = int(r) - 1 if r and r.isdigit() else row + 1
                        col = -1
                        if row >= MAX_HIDDEN_ROW:
                            break
                        if _true(el.get("hidden")):
                            flags.hidden_rows.add(row)
                    elif tag == "col":
                        if _true(el.get("hidden")):
                            lo, hi = el.get("min") or "", el.get("max") or el.get("min") or ""
                            if lo.isdigit() and hi.isdigit():
                                # min/max may claim all 16384 columns: only those a grid holds count
                                flags.hidden_cols.update(range(max(int(lo) - 1, 0), min(int(hi), MAX_HIDDEN_COL)))
                        n += 1
                        if n >= cap:
                            break
                    elif tag == "filterColumn":
                        flags.filtered = True  # an AutoFilter that filters (not just the arrows)
                    elif tag == "c":
                        ref = _REF.match(el.get("r") or "")
                        if ref:
                            col = col_index(ref.group(1))
                            row = int(ref.group(2)) - 1
                        else:
                            col += 1
                        cell, value = (max(row, 0), col, el.get("t"), el.get("s")), None
                    continue
                if tag == "v" and cell is not None:
                    value = el.text
                elif tag == "c" and cell is not None:
                    r, c, t, style = cell
                    if value is not None:
                        if t == "e":
                            flags.errors[(r, c)] = value.strip()
                        elif t in (None, "n") and style and style.isdigit() and int(style) in percent_styles:
                            flags.percent.add((r, c))
                    cell = None
                    el.clear()
                    n += 1
                    if n >= cap:
                        break
                elif tag == "row":
                    el.clear()
    except (ET.ParseError, KeyError, ValueError, OSError, EOFError, zlib.error):
        pass  # best effort: what was found before the damage is kept
    return flags, n


# The grid's own limits: nothing beyond is read anyway.
MAX_HIDDEN_ROW, MAX_HIDDEN_COL = MAX_ROWS, MAX_COLS


def _true(v: str | None) -> bool:
    return (v or "").strip().lower() in ("1", "true")


def _xls_filtered(bk, index: int) -> bool:
    """Whether a .xls sheet has an AutoFilter that filters: a FILTERMODE record (0x9B) in the
    sheet's substream (xlrd reads past it). Its hidden rows are then filtered out, not
    deleted indicators — as filterColumn says for .xlsx."""
    import struct

    mem = getattr(bk, "mem", None)
    starts = getattr(bk, "_sh_abs_posn", None)
    if mem is None or not starts or index >= len(starts):
        return False
    pos, end = starts[index], len(mem)
    for _ in range(1_000_000):  # records of one sheet, at most
        if pos + 4 > end:
            return False
        code, length = struct.unpack_from("<HH", mem, pos)
        if code == 0x9B:
            return True
        if code == 0x0A:  # EOF: the sheet's substream ends
            return False
        pos += 4 + length
    return False


def _xls_flags(path: Path, only: frozenset[str] | None = None) -> dict[str, CellFlags]:
    try:
        import xlrd
    except ImportError:
        return {}
    import os

    out: dict[str, CellFlags] = {}
    with open(os.devnull, "w") as log:
        bk = open_xls_book(path, log)
        budget = MAX_FLAG_TOTAL
        try:
            for i in range(bk.nsheets):
                if budget <= 0:
                    break
                if only is not None and bk.sheet_names()[i] not in only:
                    continue  # (not loaded: sheets load on demand)
                sh = bk.sheet_by_index(i)
                flags = CellFlags({}, set())
                flags.state = {1: "hidden", 2: "veryHidden"}.get(getattr(sh, "visibility", 0), "visible")
                flags.filtered = _xls_filtered(bk, i)
                ncols = min(sh.ncols, MAX_COLS)
                nrows = min(sh.nrows, MAX_ROWS, min(budget, MAX_FLAG_CELLS) // max(ncols, 1))
                budget -= nrows * ncols
                # formatting_info only: rowinfo_map / colinfo_map are empty otherwise
                for r, info in getattr(sh, "rowinfo_map", {}).items():
                    if r < MAX_HIDDEN_ROW and getattr(info, "hidden", 0):
                        flags.hidden_rows.add(r)
                for c, info in getattr(sh, "colinfo_map", {}).items():
                    if c < MAX_HIDDEN_COL and getattr(info, "hidden", 0):
                        flags.hidden_cols.add(c)
                for r in range(nrows):
                    for c in range(ncols):
                        cell = sh.cell(r, c)
                        if cell.ctype == xlrd.XL_CELL_ERROR:
                            flags.errors[(r, c)] = xlrd.error_text_from_code.get(cell.value, "#N/A")
                        elif cell.ctype == xlrd.XL_CELL_NUMBER and bk.formatting_info:
                            try:
                                xf = bk.xf_list[cell.xf_index]
                                if _is_percent_format(bk.format_map[xf.format_key].format_str):
                                    flags.percent.add((r, c))
                            except Exception:
                                pass
                out[sh.name] = flags
                bk.unload_sheet(i)
        finally:
            bk.release_resources()
    return out
