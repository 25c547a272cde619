"""Text as found in official tables: line-wrap spaces, Chinese numerals, unit
lists and points notation. Pure functions on strings (no file, no grid, no model),
shared by the readers and by units.py, which assess also uses: so it sits beside the
model, below read/, assess/ and write/."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

_WS = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9.%]")


def kept_per_text(fn):
    """fn(text), worked out once per text: the readers ask of the same header, name and place
    texts again and again (in every file of a month, for every table sought). Texts up to 200
    characters are kept, at most 65,536 of them."""
    memo: dict = {}

    @functools.wraps(fn)
    def kept(text):
        got = memo.get(text, memo)
        if got is memo:
            got = fn(text)
            if isinstance(text, str) and len(text) <= 200:
                if len(memo) >= 65536:
                    memo.clear()
                memo[text] = got
        return got

    return kept


@kept_per_text
def compact(s: str) -> str:
    """All white space removed and full-width forms folded: for matching only."""
    if s and s.isascii():  # (NFKC leaves ASCII as it is: a figure's text needs no normalizing)
        return _WS.sub("", s)
    return _WS.sub("", unicodedata.normalize("NFKC", s or ""))


_FOLD_WIDTH = {o: o - 0xFEE0 for o in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                       *map(ord, "．％＋－")]}
_FOLD_WIDTH[0x3000] = ord(" ")


def fold_width(s: str) -> str:
    """Full-width digits and letters to ASCII (３ -> 3), leaving CJK punctuation."""
    return s.translate(_FOLD_WIDTH)


@kept_per_text
def normalize_name(s: str) -> str:
    """Remove the spaces and line breaks a cell's wrapping left inside a name.

    White space is kept (as one space) only between two ASCII words
    ('GDP 增速' -> 'GDP增速', but 'PM 2.5' stays readable as 'PM 2.5').
    """
    s = (s or "").replace("\u3000", " ").strip()
    parts = _WS.split(s)
    if len(parts) <= 1:
        return s
    out = parts[0]
    for part in parts[1:]:
        if out and part and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " " + part
        else:
            out += part
    return out


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


def cn_to_int(s: str) -> int | None:
    """'十九' -> 19, '二十' -> 20, '一百零二' -> 102; None when not a numeral."""
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total


_NO_RE = re.compile(r"^[（(\[【]?\s*([0-9]+|[一二三四五六七八九十百零〇两]+)\s*[)）\]】]?\s*[、.．,，]?$")


@kept_per_text
def parse_no(text: str) -> int | None:
    """序号 as written -> int: '1', '1.0', '（十九）', '(19)', '19、', '第3项'."""
    t = fold_width(str(text or "")).strip()
    if not t:
        return None
    t = re.sub(r"^第(.+)[项条个]$", r"\1", t)
    if re.fullmatch(r"[0-9]+\.0+", t):
        t = t.split(".")[0]
    m = _NO_RE.match(t)
    if not m:
        return None
    g = m.group(1)
    return int(g) if g.isdigit() else cn_to_int(g)


SECTION_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|类|章))\s*\S")


def leading_no(name: str) -> tuple[int | None, str]:
    """'1.地区生产总值增速' -> (1, '地区生产总值增速'); '1.2 工业投资' -> (None, '工业投资')."""
    m = _LEADING_NO.match(name)
    if not m:
        return None, name
    return (int(m.group(1)) if not m.group(2) else None), name[m.end():]


_LEADING_NO = re.compile(r"^([0-9]{1,3})(?:\s*[.、．]\s*(?![0-9])|((?:[.．\-][0-9]{1,3})+)\s*[.、．]?\s*)(?=\S)")

def is_section_heading(text: str) -> bool:
    """'一、项目建设', '(七) 省、市下达的…', '第二部分 …'."""
    return bool(SECTION_RE.match(text or ""))


def strip_section_number(text: str) -> str:
    return re.sub(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|类|章))\s*",
                  "", text or "").strip()


# --- departments -------------------------------------------------------------

# Endings of a complete department/unit name. A line break or space after such an
# ending separates two units; anywhere else it is only the cell wrapping a name.
_UNIT_END = re.compile(
    r"(局|委|办|中心|队|院|所|部|处|室|站|行|会|组|司|厅|署|政府|街道|办事处|乡|镇|区|县|市|公司|集团|"
    r"分局|支队|大队|管委会|园区|单位|部门|机构|银行|法院|检察院|联社|协会|团委|妇联|工会|"
    r"馆|党校|学校|供销社|电视台|气象台|林场|农场)$")
_LEAD_RE = re.compile(r"(牵头(?:单位|部门)?)\s*[:：]")
_SUPPORT_RE = re.compile(r"((?:参与|配合|协办|责任|参加)(?:单位|部门)?)\s*[:：]")


def split_unit_list(text: str) -> list[str]:
    """'县发改委、县财政局' / '发改委 财政局' / '招商服\\n务中心' -> unit names."""
    text = (text or "").replace("\u3000", " ").strip().strip("；;。")
    if not text:
        return []
    out: list[str] = []
    for chunk in re.split(r"[、，,;；/／]+", text):
        pieces = [p for p in _WS.split(chunk.strip()) if p]
        cur = ""
        for p in pieces:
            if cur and _UNIT_END.search(cur):
                out.append(cur)
                cur = p
            else:
                cur += p
        if cur:
            out.append(cur)
    out = [_BY.sub("", x.strip("：:")) for x in out]
    return [u for u in out if u and not _EMPTY_UNIT.fullmatch(u)]


# The prose '由县发改局牵头，…' puts 由 before the unit: no part of its name.
_BY = re.compile(r"^由\s*(?=\S{3,})")


# A cell (or list item) that names no unit: a dash, a slash, 无.
_EMPTY_UNIT = re.compile(r"[-—–－_/／\\~～.。…]+|无|暂无|空")


# '县发改局（牵头）', '县统计局(配合)': a role marked after each unit.
_MARK_RE = re.compile(r"[（(]\s*(牵头|主责|负责|配合|参与|协办|协助|参加)(?:单位|部门)?\s*[)）]")
# '县发改局牵头，县住建局、县交通运输局配合': a role word ending each part.
_TAIL_RE = re.compile(r"^(.+?)\s*(牵头|负责|主责|配合|参与|协办|协助)$")
_LEAD_WORDS = {"牵头", "主责", "负责"}


# '★县发改局、县统计局', '县工信局★': the lead marked with a star, the rest support.
_STAR = "★☆"


def _split_marked(text: str) -> tuple[list[str], list[str]] | None:
    """Units each marked （牵头）/（配合） or ★, or parts ending in 牵头/配合; None if unmarked."""
    if any(ch in text for ch in _STAR):
        # the star leads its unit ('★县发改局') unless the table writes it after ('县发改局★')
        prefix = bool(re.search(r"(^|[、，,;；/／\s])[★☆]\s*[^\s、，,;；/／★☆]", text.strip()))
        parts = re.split(r"([★☆])", text)
        lead, support = [], []
        for i, part in enumerate(parts):
            if part in ("★", "☆"):
                continue
            units = split_unit_list(part)
            if not units:
                continue
            after = i + 1 < len(parts) and parts[i + 1] in ("★", "☆")
            for j, u in enumerate(units):
                starred = (prefix and j == 0 and i > 0) or (not prefix and j == len(units) - 1 and after)
                (lead if starred else support).append(u)
        return lead, support
    if _MARK_RE.search(text):
        marked: list[tuple[str, str | None]] = []  # (unit, marker) in order
        pos = 0
        for m in _MARK_RE.finditer(text):
            units = split_unit_list(text[pos:m.start()])
            marked += [(u, None) for u in units[:-1]] + [(u, m.group(1)) for u in units[-1:]]
            pos = m.end()
        marked += [(u, None) for u in split_unit_list(text[pos:])]
        # unmarked units support a marked lead; beside marked supporters they lead
        any_lead = any(k in _LEAD_WORDS for _, k in marked)
        lead = [u for u, k in marked if k in _LEAD_WORDS or (k is None and not any_lead)]
        support = [u for u, k in marked if u not in lead]
        return lead, support
    parts = [p.strip() for p in re.split(r"[，,;；。\n]+", text) if p.strip()]
    tails = [_TAIL_RE.match(p) for p in parts]
    if parts and all(tails) and any(m.group(2) in _LEAD_WORDS for m in tails):
        lead, support = [], []
        for m in tails:
            (lead if m.group(2) in _LEAD_WORDS else support).extend(split_unit_list(m.group(1)))
        return lead, support
    return None


def split_lead_support(text: str) -> tuple[list[str], list[str] | None]:
    """'牵头：县发改局参与：县统计局' -> (['县发改局'], ['县统计局']).

    Also '县发改局（牵头）、县统计局' (unmarked units support the marked lead) and
    '县发改局牵头，县统计局配合'. Without any marker the table does not tell them
    apart: (units, None).
    """
    text = (text or "").strip()
    if not _LEAD_RE.search(text) and not _SUPPORT_RE.search(text):
        marked = _split_marked(text)
        if marked is not None:
            return marked
    m_lead = _LEAD_RE.search(text)
    m_sup = _SUPPORT_RE.search(text)
    if not m_lead and not m_sup:
        return split_unit_list(text), None
    lead_txt, sup_txt = "", ""
    if m_lead and m_sup:
        if m_lead.start() < m_sup.start():
            lead_txt, sup_txt = text[m_lead.end():m_sup.start()], text[m_sup.end():]
        else:
            sup_txt, lead_txt = text[m_sup.end():m_lead.start()], text[m_lead.end():]
    elif m_lead:
        lead_txt = text[m_lead.end():]
        before = text[:m_lead.start()]
        if before.strip():
            lead_txt = before + "、" + lead_txt
    else:
        lead_txt, sup_txt = text[:m_sup.start()], text[m_sup.end():]
    return split_unit_list(lead_txt), split_unit_list(sup_txt)


# --- points ------------------------------------------------------------------

_NUM = r"[0-9]+(?:\.[0-9]+)?"


@dataclass
class Points:
    kind: str | None  # None: plain scored; else deduction / constraint / bonus
    points: float | None
    overrides: dict[str, float] = field(default_factory=dict)
    cap: float | None = None
    ok: bool = True  # False: the cell held text that is not a points figure
    note: str = ""  # how a figure written in parts was read, for a warning


def _f(s: str) -> float | int:
    v = float(s)
    return int(v) if v.is_integer() else v


_PLACE_END = re.compile(r"(区|县|市|旗|镇|乡|街道|园区|经济区|开发区|新区|管委会|示范区)$")


def _override_units(text: str) -> list[str]:
    """'高新区、临空经济区各' -> the units an override in brackets names; [] if it names none.

    '其中高新区' names 高新区 too, but only when what follows 其中 are places
    ('其中：项目投资6分' splits the points, it names no unit).
    """
    text = re.sub(r"(各|均|为|分值|分别)+$", "", normalize_name(text)).strip()
    m = re.match(r"^其中\s*[:：]?\s*", text)
    if m:
        units = [u for u in re.split(r"[、/／]", text[m.end():]) if u]
        return units if units and all(_PLACE_END.search(u) for u in units) else []
    if not text or re.search(r"其中|含|包括|基础|基本|得分|加分|扣|每|以上|以下|不超|最多|最高|上限|封顶|累计|合计|"
                             r"完成|目标|[，,。；;:：]", text):
        return []
    return [u for u in re.split(r"[、/／]", text) if u]


_CAP_WORDS = r"(?:不超过|最多|最高|上限|封顶|≤|<=|≦|＜=)"  # what says the most an item counts


_PER_EVENT = re.compile(
    r"每(?:发生|出现|获得|新增|有|获)?[一1]?(?:起|次|件|例|项|个|家|宗)[^，,；;。]{0,20}?(?:扣减?|减|加)(" + _NUM + r")分"
    r"|(?:扣减?|减|加)(" + _NUM + r")分?[/／](?:起|次|件|例|项|个|家|宗)")


def per_event_written(text: str) -> float | None:
    """The figure per event where the text states one: 每项加0.5分, 每起扣2分, 每发生1起…扣2分, 扣2分/起."""
    m = _PER_EVENT.search(re.sub(r"\s+", "", text or ""))
    return float(m.group(1) or m.group(2)) if m else None


def cap_only(points_raw: str) -> bool:
    """A points cell that gives only the most an event item can count (≤2, 最高加2分): its figure
    is the cap, not the amount per event."""
    return bool(re.fullmatch(r"(?:累计)?" + _CAP_WORDS + r"(?:扣|加|减)?" + _NUM + r"分?",
                             re.sub(r"\s+", "", points_raw or "")))


def parse_points(value) -> Points:
    """'5', '4分', '1.5分', '扣1.3分', '约束条件', '3 (高新区6) (临空经济区6)', '加0.5分',
    '每发生一起扣10分，合计扣分不超过30分'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Points(None, _f(str(value)) if value == value else None)
    t = fold_width(str(value or "")).strip()
    c = compact(t)
    if not c or re.fullmatch(r"[-—–－_/／\\]+|无|不计分|不赋分|不设分值", c):
        return Points(None, None)
    if "约束" in c or "否决" in c or "一票否" in c:
        return Points("constraint", None)
    # a figure per event: '2分/次', '扣0.5分/项', '1分/个'
    t = re.sub(r"(" + _NUM + r")\s*分?\s*[/／]\s*(次|项|起|个|例|件|人次|家|宗)", r"\1分", t)
    c = compact(t)
    overrides: dict[str, float | None] = {}
    for unit, num in re.findall(r"[（(]\s*([^（()）0-9]+?)\s*[:：]?\s*(" + _NUM + r")\s*分?\s*[)）]", t):
        for u in _override_units(unit):
            overrides[u] = _f(num)
    for unit in re.findall(r"[（(]\s*([^（()）0-9]+?)\s*(?:不考核|不参与|不参评|不计分|不适用)\s*[)）]", t):
        for u in _override_units(unit):
            overrides[u] = None  # not assessed on this indicator
    base = re.sub(r"[（(][^（()）]*[)）]", "", c)
    capped = [x for x in re.findall(r"[（(]([^（()）]*)[)）]", c) if re.search(r"不超过|最多|最高|上限|封顶", x)]
    if capped and re.match(r"^(扣|减|加|每)", base) and re.search(_NUM, capped[0]):
        base += "，" + capped[0]  # 扣2分（最多扣6分）: the cap of the deduction itself
    base = re.sub(r"^(?:权重|共|计|合计)?(" + _NUM + r")[%％]?(分?)$", r"\1\2", base)  # 权重10%, 共10分
    sign = 1
    if base[:1] in "+-－" and re.match(r"[+\-－]" + _NUM, base):
        sign, base = (-1 if base[0] != "+" else 1), base[1:]
        if sign < 0:
            m = re.fullmatch(r"(" + _NUM + r")分?", base)
            if m:
                return Points("deduction", -_f(m.group(1)), overrides)
    # '8+2', '5分+5分': parts of one indicator's points (定量+定性, 基础+加分) -> their sum
    if re.fullmatch(_NUM + r"分?(?:[+＋]" + _NUM + r"分?)+", base):
        parts = [_f(x) for x in re.findall(_NUM, base)]
        total = _f(str(sum(parts)))
        return Points(None, total, overrides, None, note=f"按各部分合计 {total} 分计")
    # '基础分5分，加分不超过2分': the indicator's own points are the base; the extra is a bonus rule
    m = re.match(r"(?:基础分|基本分|基础分值)(?:为)?(" + _NUM + r")分?(?:[，,；;。]|$)", base)
    if m:
        rest = base[m.end():]
        return Points(None, _f(m.group(1)), overrides, None,
                      note=f"按基础分 {_f(m.group(1))} 分计，另有加分规定未计入分值" if re.search(r"加|奖", rest) else "")
    cap, said = None, ""
    m_cap = re.search(_CAP_WORDS + r"(?:扣|加)?(" + _NUM + r")分?", base)
    if m_cap:
        cap = _f(m_cap.group(1))
        said = m_cap.group(0)
        base = (base[:m_cap.start()] + base[m_cap.end():]).strip("，,。；;")
    if cap is not None and not re.search(_NUM, base):  # '最高扣5分', '最多加2分': the cap is the figure
        if "扣" in said or re.search(r"扣|减分", base):
            return Points("deduction", -cap, overrides, cap)
        if "加" in said or re.search(r"加分|^加|奖励", base):
            return Points("bonus", cap, overrides, cap)
        if not base.strip("分"):  # '最高5分', '≤2': full points, and the most an event item counts
            return Points(None, cap, overrides, cap)
    if re.search(r"扣|减分|倒扣", base):
        # the figure after 扣 ('每降低1个名次扣0.5分' is 0.5), else the first one
        m = re.search(r"(?:扣|减)(" + _NUM + r")", base) or re.search(r"(" + _NUM + r")", base)
        pts = -_f(m.group(1)) if m else None
        return Points("deduction", pts, overrides, cap)
    if re.search(r"加分|^加|加" + _NUM + r"分|奖励", base):
        m = re.search(r"加(" + _NUM + r")", base) or re.search(r"(" + _NUM + r")", base)
        if m is None and cap is not None:
            return Points("bonus", cap, overrides, cap)
        return Points("bonus", _f(m.group(1)) if m else None, overrides, cap)
    if sign > 0 and c.startswith("+"):
        m = re.fullmatch(r"(" + _NUM + r")分?", base)
        if m:
            return Points("bonus", _f(m.group(1)), overrides, cap)
    m = re.fullmatch(r"(?:总分|满分|分值)?(" + _NUM + r")分?", base)
    if m:
        return Points(None, _f(m.group(1)), overrides, cap)
    m = re.match(r"(" + _NUM + r")分?", base)
    if m:
        return Points(None, _f(m.group(1)), overrides, cap, ok=False)
    return Points(None, None, overrides, cap, ok=False)


# Events as clerks write them for a deduction, a veto or a bonus
_NONE_WORDS = re.compile(r"^(无|否|没有|未发生|0起|零起|未出现|—|-)$|未发生|无此类")
# a veto written as its task (目标「完成省下达任务」), the whole cell: 未完成 is triggered, 已完成 is not
_NOT_DONE = re.compile(r"(未|没有|未能)(完成|达标)(任务|目标)?")
_DONE = re.compile(r"(已|已经)?(完成|达标)(任务|目标)?")
_COUNTED = re.compile(r"(\d+(?:\.\d+)?)(?:起|次|件|例)")
_ITEMS = re.compile(r"(?:获得|获|共|累计|新增)?(\d+(?:\.\d+)?)(?:项|个)")  # a bonus: the whole cell


def task_not_done(raw: str | None) -> bool:
    """未完成 / 未达标 (the whole cell): a veto written as its task, triggered."""
    return bool(_NOT_DONE.fullmatch(_WS.sub("", raw or "")))


def events_from_text(raw: str | None, kind: str | None = None) -> float | None:
    """Events written as words: '未发生'/'无' -> 0, '发生2起' -> 2, '发生' -> 1. A veto (`kind`
    'constraint') written as its task: exactly '已完成' -> 0, '未完成' -> 1; a bonus ('bonus'):
    exactly '2项' / '获得2项' -> 2. Progress in words (尚未完成，正在推进; 未达到扣分标准) is no count."""
    t = _WS.sub("", raw or "")  # (\s is every space, the full-width one too)
    if not t:
        return None
    if kind == "constraint" and (task_not_done(t) or _DONE.fullmatch(t)):
        return 1.0 if task_not_done(t) else 0.0
    if kind == "bonus":
        m = _ITEMS.fullmatch(t)
        if m:
            return float(m.group(1))
    if _NONE_WORDS.search(t):
        return 0.0
    m = _COUNTED.search(t)
    if m:
        return float(m.group(1))
    if re.search(r"发生|出现|是", t) and not re.search(r"^(未|没有|尚未)", t):
        return 1.0
    return None


# China's 56 peoples, as an autonomous county's name carries them (白岩苗族自治县, 某某土家族苗族自治县)
_PEOPLES = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
            "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
            "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各")
_COUNTY_ENDING = re.compile(rf"(?:(?:{_PEOPLES})族)*自治(?:县|旗)$|(?:县|区|市|旗)$")


@functools.lru_cache(maxsize=65536)
def county_key(name: str) -> str:
    """A county's name without its 县/市/区/旗 ending, to match 汝州 with 汝州市 and
    宝丰 with 宝丰县; an autonomous county's ending goes whole with its peoples' names, so
    白岩苗族自治县, 白岩自治县, 白岩县 and 白岩 are one."""
    return _COUNTY_ENDING.sub("", compact(name or ""))


# Short forms a bureau writes for the system's words, and the system's for them, made one
# (单位GDP能耗降低率 is 单位地区生产总值能耗降低率; PM2.5平均浓度 is 细颗粒物（PM2.5）平均浓度)
_SPELLED = [(re.compile(r"[（(](?:gdp|r&d)[)）]"), ""),  # 地区生产总值（GDP）增速: the full words are there already
            (re.compile(r"细颗粒物[（(]?pm2\.?5[)）]?|细颗粒物|pm2\.?5"), "pm2.5"), (re.compile(r"gdp"), "地区生产总值"),
            (re.compile(r"r&d|研发(?=经费|投入)"), "研究与试验发展")]


TRAILING_BRACKETS = re.compile(r"(?:[（(][^（()）]*[)）])+$")  # （%）, …（不含…）（%）


@functools.lru_cache(maxsize=65536)  # every row's name, and every indicator's for each row numbered to it
def name_key(name: str) -> str:
    """An indicator's name as rows and the system are matched by (GDP is 地区生产总值, a trailing unit
    in brackets left out): the readers' and the assessment's one spelling."""
    s = compact(fold_width(normalize_name(name or ""))).lower()
    s = direction_mark(s)[0]  # 【逆向】 too, and a mark before a trailing unit
    s = TRAILING_BRACKETS.sub("", s)  # a trailing unit: （%）（万元）; after a bracket of its own too: …（不含…）（%）
    for short, full in _SPELLED:
        s = short.sub(full, s)
    s = re.sub(r"^[0-9]+[、.．]", "", s)
    return re.sub(r"[，,。.；;：:、\"“”'‘’\s_{}]", "", s)


def similarity_bound(a: str, b: str) -> float:
    """An upper bound of how alike two texts can score (0–1): twice the characters they share,
    counted with repeats, over their lengths. Both rapidfuzz's ratio (the longest common
    subsequence) and difflib's (the matching blocks) match no more characters than the texts
    share, so a pair below a threshold here is below it there, without importing either."""
    if not a or not b:
        return 0.0
    shared = 0
    counts: dict[str, int] = {}
    for ch in a:
        counts[ch] = counts.get(ch, 0) + 1
    for ch in b:
        n = counts.get(ch)
        if n:
            counts[ch] = n - 1
            shared += 1
    return 2 * shared / (len(a) + len(b))


def closest_name(name: str, among) -> str | None:
    """The one of `among` a written name is one stroke from (高薪区 for 高新区, 青罗县 for 青萝县),
    compared without spaces; None when none is close: a misspelt unit, named, never taken for it."""
    import difflib

    by_key = {compact(u): u for u in among}
    close = difflib.get_close_matches(compact(name), list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None


def abbreviates(short: str, long: str) -> bool:
    """翠屏高新区 for 翠屏高新技术产业开发区: a unit's short name as bureaus write it (its first and last
    characters, the rest of it in order within the full name, at least three)."""
    s, f = compact(short or ""), compact(long or "")
    if len(s) < 3 or len(s) >= len(f) or s[0] != f[0] or s[-1] != f[-1]:
        return False
    it = iter(f)
    return all(ch in it for ch in s)


def same_county(name: str, names) -> str | None:
    """`name` among `names`: itself, else the one name with the same county_key (白岩县 for
    白岩苗族自治县), else None (none, or two)."""
    if name in names:
        return name
    key = county_key(name)
    hits = [n for n in names if county_key(n) == key]
    return hits[0] if len(hits) == 1 else None


_SAYS_LOWER = re.compile(r"逆|负向|反向|越低越好|越小越好")
_SAYS_HIGHER = re.compile(r"正|越高越好|越大越好")
# 非逆向指标, 不是逆向, 不属于逆向, 并非越低越好: the word denied, not stated
_DENIED = re.compile(r"(?:非|不是|不属于?|不为|不算|不作为?|不按|不列为|不列入|不)$")


def direction_of(text: str) -> str | None:
    """The direction a cell states (正向/逆向, 越低越好, ↑/↓, +/-); a denied word (非逆向指标,
    不是正向) states the other direction, not the word's own."""
    t = compact(text)
    if not t:
        return None
    if t in ("负向", "反向", "-", "↓"):
        return "lower"
    if t in ("+", "↑"):
        return "higher"
    for says, direction, other in ((_SAYS_LOWER, "lower", "higher"), (_SAYS_HIGHER, "higher", "lower")):
        m = says.search(t)
        if m:
            return other if _DENIED.search(t[:m.start()]) else direction
    return None


# A direction written into an indicator's name: 食品抽检不合格率（逆向）, 【逆向指标】, (正向), PM2.5浓度↓
_MARKED = r"(?:非|不是)?(?:正向|逆向|负向|反向|正|逆)(?:指标)?|越[高大低小]越好|[↑↓]"
_NAME_MARK = re.compile(r"\s*[（(【\[〔]\s*(" + _MARKED + r")\s*[)）】\]〕]\s*|^\s*([↑↓])\s*|\s*([↑↓])\s*$")


def direction_mark(name: str) -> tuple[str, str | None]:
    """(the name without the direction written into it, that direction): the table states the
    direction there, and the name it is tracked and shown by is the indicator's own (monthly
    sheets write it with or without the mark). A name that is only a mark is left as it is."""
    found: list[str] = []

    def drop(m: re.Match) -> str:
        found.append(m.group(1) or m.group(2) or m.group(3))
        return ""

    rest = _NAME_MARK.sub(drop, name or "").strip()
    if not found or not rest:
        return name, None
    directions = {direction_of(f) for f in found} - {None}
    return rest, directions.pop() if len(directions) == 1 else None


_DEPARTMENT_END = re.compile(r"(局|委|办|院|会|中心|政府|部|所|站|队|处|科|室|厅)$")


def measure_unit(text: str | None) -> str:
    """A 计量单位 cell as the unit its figures carry (亿元, %, 微克/立方米), '' when it is none: a
    figure, a dash, 无, or a department (a column headed 单位 may hold the responsible units)."""
    t = re.sub(r"^[（(](.*)[)）]$", r"\1", fold_width(text or "").strip()).strip().replace("％", "%")
    if not t or len(t) > 8 or re.search(r"[0-9]|^[-—–/／无]+$", t) or _DEPARTMENT_END.search(t):
        return ""
    return t


# A unit may open with a magnitude (3.52亿元, 0.34万人, 12万千瓦时): the same measure as the unit
# after it, 10^8 or 10^4 times as large.
_MAGNITUDES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}


def unit_scale(written: str, wanted: str) -> float | None:
    """What a figure written in `written` is multiplied by to be in `wanted`, when the two are one
    measure in different magnitudes (亿元 -> 万元: 10000; 万人 -> 人: 10000; 万千瓦 -> 千瓦:
    10000); None when they are the same unit, when either is missing, or when they measure
    different things (% and 亿元, 人 and 人次): no figure is changed on a guess."""
    a, b = (written or "").strip(), (wanted or "").strip()
    if not a or not b or a == b or re.search(r"[%％‰]|百分点", a + b):
        return None
    if a.endswith(b) and a[: -len(b)] in _MAGNITUDES:  # 万千瓦 -> 千瓦 (千瓦 a unit of its own)
        return _MAGNITUDES[a[: -len(b)]]
    if b.endswith(a) and b[: -len(a)] in _MAGNITUDES:
        return 1 / _MAGNITUDES[b[: -len(a)]]
    if a in _MAGNITUDES and b in _MAGNITUDES:  # 3.5亿 against 12000万
        return _MAGNITUDES[a] / _MAGNITUDES[b]
    for word, size in _MAGNITUDES.items():  # 亿元 -> 万元: each opens with a magnitude
        for other, other_size in _MAGNITUDES.items():
            if a.startswith(word) and b.startswith(other) and a[len(word):] == b[len(other):] and a[len(word):]:
                return size / other_size
    return None


# A peer table may mark our own unit: 石桥县（本县）, or a column headed 本县 alone.
OWN_WORDS = frozenset({"本县", "本区", "本市", "本旗", "我县", "我区", "我市"})
_OWN_MARK = re.compile(r"[（(]\s*(?:本县|本区|本市|本旗|我县|我区|我市|本单位)\s*[)）]$")


def own_marked(text: str) -> tuple[str, bool]:
    """(the unit's name without the mark, whether the table marks it as ours): 石桥县（本县） ->
    ('石桥县', True); 本县 alone -> ('本县', True) (the name is the county the run is for)."""
    t = compact(text)
    if t in OWN_WORDS:
        return t, True
    m = _OWN_MARK.search(t)
    return (t[: m.start()], True) if m and m.start() else (t, False)


def number_runs(nums) -> list[tuple[int, int]]:
    """[11, 12, 13, 14, 19] -> [(11, 14), (19, 19)]: consecutive numbers as (first, last)."""
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


def peer_data_word(all_units: bool) -> str:
    """What the table of every compared unit's figures is called in a message: 六县市数据 for a
    county (the seed notices' word), 各单位数据 for the office above (a city's, a province's table)."""
    return "各单位数据" if all_units else "六县市数据"
