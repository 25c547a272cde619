"""Assess one indicator system for one month: ranks, colours, rank changes, scores,
subtotals, total, the estimated place among peers, and what to reach next.

    assess_month(system, entries, peers, config, "2023-08", history) -> MonthResult

Pure: no files, no printing.  Everything the clerk should know about the inputs comes
back as `Problem`s in the result.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace
import re
from fractions import Fraction
from collections.abc import Iterable, Mapping

from kaohe_excel.assess import ranking as rk
from kaohe_excel.assess import scoring as sc
from kaohe_excel.assess import warnings as wn
from kaohe_excel.assess.intake import settle_entries
from kaohe_excel.assess.results import (COLOUR_LABELS, COMPUTED, GREEN, RED, REPORTED, YELLOW,
                                        CategorySubtotal, IndicatorResult, MonthBrief, MonthResult,
                                        cn_number, group_label)
from kaohe_excel.config import Config, Rules
from kaohe_excel.config import parse_month
from kaohe_excel.text import (cap_only, closest_name, compact, county_key, events_from_text, fold_width, measure_unit, name_key,
                              unit_scale, peer_data_word, per_event_written, same_county, similarity_bound, task_not_done)
from kaohe_excel.units import OWNER_AFTER
from kaohe_excel.model import (BONUS, CONSTRAINT, DEDUCTION, EVENT_KINDS, HIGHER, LOWER, SCORED, Entry, Indicator,
                               IndicatorKey, IndicatorSystem, PeerRow, PeerTable, item_label, unit_points)
from kaohe_excel.problems import ERROR, WARNING, Problem

_DIR_LABEL = {HIGHER: "正向（越高越好）", LOWER: "逆向（越低越好）"}
_COLOUR_WORDS = {"红": RED, "黄": YELLOW, "绿": GREEN}
_BARE = re.compile(r"^[-+−]?\d[\d,]*(\.\d+)?$")
_WITH_UNIT = re.compile(r"\d\s*(%|％|‰|个百分点|[\u4e00-\u9fa5]{1,4}(?:/[\u4e00-\u9fa5]{1,4})?)$")


def unit_in(raw: str | None) -> str:
    """The unit a written figure ends in ('-2.9%', '下降8.0%' -> '%', '12个' -> '个'), else ''."""
    return _unit_in(raw) if isinstance(raw, str) else _unit_in(str(raw or ""))


@functools.lru_cache(maxsize=65536)  # every unit of a province writes its targets and figures the same few ways
def _unit_in(raw: str) -> str:
    m = _WITH_UNIT.search(raw.strip())
    return ("%" if m.group(1) == "％" else m.group(1)) if m else ""

_RATE_NAME = re.compile(r"(?<!生产)率$|增速$|增幅$|比重$|占比$|比例$|增长率|增速（?%|率（%）")
_NAME_UNIT = re.compile(r"[（(]\s*([^（()）0-9]{1,8})\s*[)）]\s*$")
_PERIOD_WORD = re.compile(r"(按|每)?(季度|季|年度|全年|月度|月|半年度?|累计|当月|当季|年末)(考核|数据|指标|统计)?")


def _unit_of(name: str, peer_raws: Iterable[str], own_raws: Iterable[str] | None = (), stated: str = "") -> str:
    """The unit this indicator's figures carry: written in its name (…（万元/人）), else in the
    peer sheet's 计量单位 column (`stated`), else as the peer sheet writes them (8.5%, 12个),
    else as the department writes its figure, target or last year's (9个, 45微克/立方米), else %
    for a rate by its name (…增速, …率, …比重). `own_raws` None: only what the name and the peer
    sheet say ('' when they say nothing)."""
    text = name or ""
    for _ in range(2):  # …增速（%）（季度）: a period in brackets is no unit; the bracket before it may be
        m = _NAME_UNIT.search(text)
        if m is None:
            break
        if _PERIOD_WORD.fullmatch(m.group(1).strip()):
            text = text[:m.start()]
            continue
        if not re.search(r"正向|逆向|约束|否决|分", m.group(1)):
            return m.group(1).strip()
        break
    stated = measure_unit(stated)
    if stated:
        return stated
    for raw in peer_raws:
        if re.match(r"^[-+−]?\d", str(raw or "").strip()) and unit_in(raw):  # a figure, not 下降3.1%
            return unit_in(raw)
    if own_raws is None:
        return ""
    for raw in own_raws:
        written = re.sub(r"[（(][^（()）]*[)）]\s*$", "", str(raw or "").strip())  # 22个（3）: the rank is not the unit
        u = unit_in(written)
        if u and u not in ("名", "位") and re.match(r"^(增长|下降|减少|增加)?[-+−]?\d", written):
            return u
    return "%" if _RATE_NAME.search(text.strip()) else ""  # (the name without a period in brackets)


def _display(r: IndicatorResult, unit: str = "") -> str:
    """截至本月底完成情况 as every report shows it: words as written; a figure as the
    department wrote it (增长9.4%), or as the peer sheet writes ours when it came from there;
    a bare number gets the indicator's unit, so an indicator reads one way (9.4 -> 9.4%)."""
    raw = (r.actual_raw or "").strip()
    if r.qualitative:
        return raw
    raw = fold_width(raw)  # a figure typed with full-width digits (５．５) reads as the others do (5.5)
    if r.actual is None:
        return raw  # — / 暂无 as written (an Excel error value is left out by the writer)
    if r.actual_source == "六县市数据" and not (raw and r.entry_figure):
        shown = fold_width(r.peer_raw) or _fmt(r.actual)
    else:
        shown = raw or _fmt(r.actual)  # the department's own (a different figure is in the 校验报告)
    if unit and _BARE.match(shown):
        shown = f"{shown}{unit}"  # the figure as written (or as the peer sheet has it), with its unit
    return f"{shown}（{r.figure_words}）" if r.figure_words else shown


@functools.lru_cache(maxsize=65536)  # every unit of a province compares the same headers and names
def _norm(s: str | None) -> str:
    return re.sub(r"[\s　]+", "", s or "")


@functools.lru_cache(maxsize=65536)  # the same few figures are written into ~10⁵ notes of a province
def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{round(float(x), 4):g}"


def _fmt2(x: float) -> str:
    """A rate as a leader reads it: two places at most (66.6667 -> 66.67)."""
    return f"{round(float(x) + 1e-9, 2):g}"




# ---------------------------------------------------------------- inputs
def _pick_entries(system: IndicatorSystem, entries, config: Config,
                  problems: list[Problem]) -> dict[IndicatorKey, Entry]:
    """entries: a mapping Indicator.key (or 序号, for a system that never repeats one) -> Entry,
    or any iterable of entries (several per indicator allowed: the one conflict rule,
    intake.settle_entries, picks one and reports a disagreement)."""
    if entries is None:
        return {}
    if isinstance(entries, Mapping):
        if not any(isinstance(v, (list, tuple)) for v in entries.values()):
            return {k if isinstance(k, IndicatorKey) else IndicatorKey(k): v for k, v in entries.items() if v is not None}
        entries = [e for v in entries.values() for e in (v if isinstance(v, (list, tuple)) else [v])
                   if e is not None]
    listed = []
    for e in entries:  # an entry made by hand may carry only its 序号
        if e.key is None and e.no is not None:
            e = replace(e, key=IndicatorKey(e.no))
        listed.append(e)
    settled = settle_entries(system, listed, config)
    problems.extend(settled.problems)
    problems.extend(p for _e, p in settled.not_owner)
    return settled.entries


def _similar(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return True
    if a in b or b in a:
        return True
    ka, kb = name_key(a), name_key(b)  # (the readers' spelling: GDP is 地区生产总值)
    if ka and kb and (ka in kb or kb in ka):
        return True
    if {a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)}:
        return True  # 'GDP增速' and '地区生产总值增速' share 增速
    if similarity_bound(a, b) < 0.45:
        return False
    import difflib  # (rarely reached: not imported by every run)

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.45


def _peer_rows(system: IndicatorSystem, peers: PeerTable | None) -> dict[int, PeerRow]:
    """Indicator index -> its peer row: by name first, then by number when the names
    agree well enough (so a second system's 序号 1 never takes the first system's row)."""
    if peers is None:
        return {}
    out: dict[int, PeerRow] = {}
    used: set[int] = set()
    names = {i: _norm(ind.name) for i, ind in enumerate(system.indicators)}
    for j, row in enumerate(peers.rows):
        rn = _norm(row.name)
        for i, n in names.items():
            if i not in out and rn and rn == n:
                out[i] = row
                used.add(j)
                break
    for j, row in enumerate(peers.rows):
        if j in used:
            continue
        # the reader's match when it made one; the sheet's own 序号 only for rows it could not
        # match (a city sheet numbering its rows its own way must not land on a look-alike)
        for key in ((row.key,) if row.key is not None else (row.no,)):
            if key is None:
                continue
            for i, ind in enumerate(system.indicators):
                if i not in out and key in (ind.key, ind.no) and _similar(row.name, ind.name):
                    out[i] = row
                    used.add(j)
                    break
            if j in used:
                break
    return out


def _match_county(name: str, headers: Iterable[str]) -> str | None:
    if not isinstance(headers, (Mapping, list, tuple, set, frozenset)):
        headers = list(headers)
    if name in headers:  # the usual case, and linear in the group for a whole row
        return name
    n = _norm(name)
    for h in headers:
        if _norm(h) == n:
            return h
    for h in headers:
        hn = _norm(h)
        if hn and (hn.startswith(n) or n.startswith(hn)):
            return h
    # 云雾县 for 云雾瑶族自治县 (as the view from above maps it): an autonomous county written short,
    # never 霁州市 for 霁州县 (the city's column holds the city's figure)
    key = county_key(name)
    hits = [h for h in headers if ("自治" in h or "自治" in name) and county_key(h) == key]
    return hits[0] if len(hits) == 1 else None


# A header that is a total or the superior unit itself, never a compared unit.
_AGGREGATE_WORDS = re.compile(r"平均|合计|总计|小计|均值|中位|^全(市|省|国|区|县|盟|州)(平均|合计|总计|范围|整体)?$|^市区$|"
                              r"本级$|^市级$|^市直")
# what follows a city named as the owner of the units in a title (某某市市辖区, 某某市各县, 某某市六县)


def _not_peer(header: str, headers: list[str], context: str, has_total: bool = False) -> str | None:
    """Why a peer-sheet column is not a compared unit (None when it is one): a total or
    average, or the superior city's own figure — named as the owner of the units in a
    title (平顶山市六县（市）…, 某某市市辖区…, 某某市各县…), or a 市 standing over districts."""
    h = _norm(header)
    if _AGGREGATE_WORDS.search(h):
        return "是合计或平均数，不是参与比较的单位"
    if not (h.endswith("市") and len(h) >= 3):
        return None
    others = [_norm(o) for o in headers if _norm(o) != h]
    if len(others) < 2:
        return None
    if re.search(re.escape(h) + OWNER_AFTER, context):
        return f"是上级市「{header}」本身（标题中{header}是这些单位的上级）"
    names = [_norm(x) for x in headers]
    at_edge = h in (names[0], names[-1])
    if at_edge and not has_total and all(o.endswith("区") for o in others):
        return f"是上级市「{header}」本身（其余各列都是它的区）"
    return None


def _group(peers: PeerTable | None, config: Config, problems: list[Problem],
           system: IndicatorSystem | None = None, notes: list[str] | None = None,
           shared: dict | None = None) -> tuple[list[str], str]:
    """The comparison group (column names, in sheet order) and our county's key in it.
    `shared` (the view from above): why each column is not a compared unit, worked out once a month."""
    headers = list(peers.counties) if peers is not None else []
    notes = notes if notes is not None else []
    if config.peers:
        group = []
        for p in config.peers:
            h = _match_county(p, headers) if headers else None
            if h is None and peers is not None:
                problems.append(Problem(peers.file, peers.sheet, None, WARNING,
                                        f"kaohe.toml 的 peers 中有「{p}」，但六县市数据中没有这一列"))
            group.append(h or p)
    else:
        key = ("not_peer", id(peers), id(system))
        whys = shared.get(key) if shared is not None else None
        if whys is None:
            context = _context(peers, system)
            has_total = bool(peers.left_out) or any(_AGGREGATE_WORDS.search(_norm(h)) for h in headers)
            whys = [_not_peer(h, headers, context, has_total) for h in headers]
            if shared is not None:
                shared[key] = whys
        group = []
        notes.extend(peers.notes)
        word = peer_data_word(shared is not None)  # (shared: the view from above)
        for h in peers.left_out:
            notes.append(f"{word}（{peers.file}）中的「{h}」{'行' if peers.units_as_rows else '列'}是合计或平均数，"
                         "不是参与比较的单位，不参与排名")
        for h, why in zip(headers, whys):
            why = None if why is None or _match_county(config.county, [h]) else why
            if why:
                notes.append(f"{word}（{peers.file}）中的「{h}」列{why}，不参与排名；"
                             "如需参与，请在 kaohe.toml 的 peers 中列出参与比较的单位")
            else:
                group.append(h)
    us = _match_county(config.county, group) if group else None
    if us is None:
        us = config.county
        if peers is not None:
            # 临溪区 for the 临溪县 the system and table name (撤县设区), 青罗县 for 青萝县: the name to write
            near = same_county(config.county, headers) or closest_name(config.county, headers)
            ask = f"是不是「{near}」？如是，请把 kaohe.toml 中的 county 改为「{near}」" if near else \
                "请核对 kaohe.toml 中的 county 是否写对，或六县市数据是否放错"
            problems.append(Problem(peers.file, peers.sheet, None, ERROR,
                                    f"六县市数据中没有本县「{config.county}」这一列（表中的单位：{'、'.join(headers) or '无'}），"
                                    f"本县数值只能取各单位月报；{ask}"))
        group = group + [us]
    return group, us


def _context(peers: PeerTable, system: IndicatorSystem | None) -> str:
    """The titles that may name the superior city (the peer sheet's, its file's, the system's)."""
    return _norm(" ".join(x for x in (peers.title, peers.file, system.title if system is not None else "") if x))


def peer_units(peers: PeerTable, system: IndicatorSystem | None = None) -> list[str]:
    """The peer sheet's columns that are compared units (the superior city and totals left out)."""
    context = _context(peers, system)
    has_total = bool(peers.left_out) or any(_AGGREGATE_WORDS.search(_norm(h)) for h in peers.counties)
    own = _norm(system.title) if system is not None and system.title else ""
    # the unit the system's own title names (大冶市2024年…) is ours, never the superior
    return [h for h in peers.counties
            if (own.startswith(_norm(h)) and not re.match(re.escape(_norm(h)) + OWNER_AFTER, own))
            or _not_peer(h, peers.counties, context, has_total) is None]


def comparison_group(peers: PeerTable | None, config: Config,
                     system: IndicatorSystem | None = None) -> tuple[list[str], list[str]]:
    """(the units compared this month, why other columns were left out): what a month's
    ranks, colours and labels are out of, and how big a reported rank may be."""
    notes: list[str] = []
    if peers is None:
        return list(config.peers), notes
    group, _us = _group(peers, config, [], system, notes)
    return group, notes


def _points_for(ind: Indicator, county: str, rules: Rules, share: int,
                head: Indicator | None = None) -> tuple[Fraction | None, bool]:
    """(points the unit can earn on this row, exactly; not assessed): kaohe.toml's override
    first, then the system's own rule (model.unit_points: per-unit overrides through a shared
    points cell, `---`, the cell split over its rows)."""
    if "points" in rules.overridden and rules.points is not None:
        return sc.exact(rules.points), False
    return unit_points(ind, county, share, head)


def _target(ind: Indicator, entry: Entry | None, rules: Rules, county: str) -> float | None:
    if entry is not None and rk.is_value(entry.target):
        return entry.target
    if rules.target is not None:
        return rules.target
    if rk.is_value(ind.target):
        return ind.target
    if rk.is_value(ind.target_value):
        return ind.target_value
    return _unit_target(ind, county)


def _target_raw(ind: Indicator, entry: Entry | None, rules: Rules, county: str) -> str:
    """The target `_target` takes, as written ('42亿元'); '' when it was a number (in the
    indicator's own unit: a cell's number, kaohe.toml's)."""
    if entry is not None and rk.is_value(entry.target):
        return entry.target_raw or ""
    if rules.target is not None or rk.is_value(ind.target):
        return ""
    if rk.is_value(ind.target_value):
        return str(ind.target or "")
    if ind.targets:
        h = _match_county(county, ind.targets)
        if h is not None and isinstance(ind.targets[h], str):
            return ind.targets[h]
    return ""


def _unit_target(ind: Indicator, county: str) -> float | None:
    """The unit's own target where the system sets one for each unit (a city's table)."""
    if ind.targets:
        h = _match_county(county, ind.targets)
        if h is not None and rk.is_value(ind.targets[h]):
            return ind.targets[h]
        if h is not None and rk.is_value(ind.target_values.get(h)):  # written as text: '2.5%', '6000人'
            return ind.target_values[h]
    return None


def _target_text(ind: Indicator, county: str) -> str:
    """The unit's target as the system writes it in words, when it is no number."""
    if ind.targets:
        h = _match_county(county, ind.targets)
        if h is not None and isinstance(ind.targets[h], str):
            return ind.targets[h].strip()
    return ind.target.strip() if isinstance(ind.target, str) else ""


# ---------------------------------------------------------------- the month
def assess_month(system: IndicatorSystem, entries: Mapping[int, Entry] | Iterable[Entry] | None,
                 peers: PeerTable | None, config: Config | None, month: str,
                 history: Mapping[str, MonthResult] | None = None, *, shared: dict | None = None,
                 brief: bool = False, trend: bool = True) -> MonthResult:
    """Assess `system` for `month` ('YYYY-MM').

    entries: the month's entries, as 序号 -> Entry or as a list (the conflict rule picks
    one per indicator); peers: 六县市数据 or None; history: earlier months' results of the
    same system ('YYYY-MM' -> MonthResult) for rank changes and trends. `shared`: one dict
    per month when every unit of the same peer data is assessed in turn (the evaluator view):
    what is the same for all of them (each indicator's ranking, every unit's score on it) is
    worked out once and kept there. `brief`: an earlier month, read for trends only: ranks,
    colours, scores and totals as in full, without the texts that explain them (colour
    reasons, values to reach, points lost, the workings of a score). `trend` False: the caller adds rank changes and
    trends itself (carry_history, once every month is assessed)."""
    config = (config or Config()).for_system(system.title, system.file)
    _, month_no = parse_month(month)
    problems: list[Problem] = []
    by_no = _pick_entries(system, entries, config, problems)
    rows = _shared(shared, ("peer rows", id(system), id(peers)), lambda: _peer_rows(system, peers))
    notes: list[str] = []
    group, us = _group(peers, config, problems, system, notes, shared) if peers is not None else ([], config.county)
    group_size = len(group) if group else (len(config.peers) or config.group_size)

    groups = system.point_groups()
    ctx = _Ctx(system, config, month, month_no, peers, group, us, group_size, problems)
    ctx.shared = shared if shared is not None else {}
    ctx.every_unit = shared is not None  # the view from above: a missing figure is said the same for all
    ctx.brief = brief
    # the group named by one small key: every shared lookup of every result hashed the whole
    # tuple of a province's 120 names (tuples keep no hash)
    ctx.group_key = ctx.shared.setdefault(("group", tuple(group)), len(ctx.shared))
    results = []
    members: dict[int, list[IndicatorResult]] = {}  # id(head) -> the group's results
    for i, ind in enumerate(system.indicators):
        head, share = groups[id(ind)]
        entry = by_no.get(ind.key)
        r = ctx.indicator(ind, entry, rows.get(i), share, head)
        r.shares_points = share > 1
        members.setdefault(id(head), []).append(r)
        results.append(r)
    for rs in members.values():
        if len(rs) > 1:
            _settle_group(rs)
    if ctx.guessed:
        notes.append("以下指标未注明方向，按名称推断：" + "；".join(ctx.guessed) + "。如不对，请在六县市数据的“方向”列或 "
                     "kaohe.toml 的 [indicators.\"序号\"] 中写明 direction")
    if ctx.rule_stated:
        notes.append("以下指标按指标体系「评分标准」写明的办法计分：" + "；".join(ctx.rule_stated)
                     + "（kaohe.toml 为某项指标写了 method 或 rank_step 时，以 kaohe.toml 为准）")
    if ctx.rule_unread and not brief:
        first = ctx.rule_unread[0][0]
        problems.append(Problem(system.file, first.sheet or None, first.cell or None, WARNING,
                                "指标体系「评分标准」中的计分办法未能自动采用："
                                + "；".join(f"{_label(i)}「{t}」" for i, t in ctx.rule_unread[:8])
                                + (f" 等 {len(ctx.rule_unread)} 项" if len(ctx.rule_unread) > 8 else "")
                                + f"；这些指标按 kaohe.toml 的计分方法测算（{sc.METHOD_LABELS.get(config.rules.method, config.rules.method)}），"
                                "需要时请在 kaohe.toml 的 [indicators.\"序号\"] 中设置 method、rank_step 或 rank_step_points"))

    res = MonthResult(month=month, system_title=system.title, county=config.county,
                      indicators=results, problems=problems, group=list(group),
                      group_label=ctx.label,
                      notes=notes, peer_period=getattr(peers, "period", None) if peers is not None else None,
                      brief=brief)
    if trend:
        carry_history(res, history or {})
    _totals(res)
    _estimate(res, group, us, peers, ctx.shared, ctx.every_unit, ctx.group_key)
    if shared is None and peers is not None and _system_sets_every_unit(system, group):
        _place_as_the_league(res, system, peers, config, month, us)
    return res


def _system_sets_every_unit(system: IndicatorSystem, group: list[str]) -> bool:
    """The city's own table (a column of targets or points for each unit of the group): the
    county then knows what the office above knows, and its place is the league's."""
    if len(group) < 2:
        return False
    named: set[str] = set()
    for ind in system.indicators:
        named.update(ind.points_by_unit)
        named.update(ind.targets)
    return bool(named) and all(_match_county(u, named) is not None for u in group)


def _place_as_the_league(res: MonthResult, system, peers, config: Config, month: str, us: str) -> None:
    """Our place as `kaohe run --all-units` prints it on the same files (assess.league): every
    unit of the group assessed as its own county, ranked by 折算得分; never a second answer."""
    units_assessed(system, peers, config, month, res.group, brief=True, given={us: res})


def units_assessed(system, peers, config, month: str, units, *, brief: bool = False,
                   given: Mapping[str, MonthResult] | None = None,
                   entries_of: Mapping[str, Mapping] | None = None) -> dict[str, MonthResult]:
    """unit -> its MonthResult, each unit of the same peer data assessed as its own county (what
    is the same for all of them worked out once), placed as the league places them; `given`:
    results made already (a county's own, from its departments' sheets), used as they are;
    `entries_of`: each unit's own report's rows (MonthInput.unit_entries), read as a county run of
    its files reads its departments' (a place it reports where the table has no figure, words)."""
    from kaohe_excel.assess.league import settle_places

    shared: dict = {}  # each indicator's ranking and every unit's score on it: once a month
    given, entries_of = given or {}, entries_of or {}
    per = {u: given[u] if u in given else
           assess_month(system, entries_of.get(u, {}), peers, replace(config, county=u), month, shared=shared,
                        brief=brief, trend=False)
           for u in units}
    if per:
        settle_places(per)
    return per


def _shared(shared: dict | None, key: tuple, make):
    """What `make` gives, kept in `shared` (the view from above: the same for every unit of the month)."""
    if shared is None:
        return make()
    got = shared.get(key)
    if got is None:
        got = shared[key] = make()
    return got


def _label(ind: Indicator) -> str:
    return item_label(ind.key, ind.name)


class _Ctx:
    def __init__(self, system, config, month, month_no, peers, group, us, group_size, problems):
        self.system, self.config, self.month, self.month_no = system, config, month, month_no
        self.peers, self.group, self.us, self.group_size = peers, group, us, group_size
        self.problems = problems
        self.label = group_label(tuple(group)) if group else f"{cn_number(group_size)}县市"
        self.guessed: list[str] = []  # directions read from the indicator's name
        self.rule_stated: list[str] = []  # scoring read from the system's 评分标准 (said once a month)
        self.rule_unread: list[tuple] = []  # (indicator, its 评分标准) stating a rule this does not read
        self.shared: dict = {}  # what is the same for every unit assessed on these peer data
        self.group_key = tuple(group)
        self.every_unit = False
        self.brief = False  # for trends only: no explaining texts
        self.out: set[str] = set()  # the units marked `---` on the indicator at hand

    def points(self, ind: Indicator, county: str, rules: Rules, share: int) -> tuple:
        """(points, not assessed, points of record): _points_for, once per month for each
        indicator and unit (the same whoever assesses), and its record (scores round once)."""
        key = ("points", id(ind), county, share, id(self.head),
               rules.points if "points" in rules.overridden else None)
        got = self.shared.get(key)
        if got is None:
            p, out = _points_for(ind, county, rules, share, self.head)
            got = self.shared[key] = (p, out, sc.record(p, lo=None) if p is not None else None)
        return got

    def statics(self, ind: Indicator, row: PeerRow | None) -> tuple:
        """What every unit's result on this indicator starts from: its rules, kind, label and
        direction (worked out once a month in the view from above, where 120 units ask)."""
        cfg = self.config
        key = ("statics", id(ind), id(row), id(cfg.indicators), id(cfg.rules), cfg.direction, cfg.guess_direction)
        got = self.shared.get(key) if self.every_unit else None
        if got is None:
            rules = cfg.rules_for(ind.no, ind.name)
            kind = rules.kind or ind.kind or SCORED
            if ind.rule_text and kind == SCORED:
                rules = self._stated_rule(ind, rules)
            direction, dsrc = rk.resolve_direction(row.direction if row else None, ind.direction,
                                                   rules.direction, ind.name, cfg.direction, cfg.guess_direction)
            got = (rules, kind, _label(ind), direction, dsrc, ind.path[0] if ind.path else "",
                   rules.method if kind == SCORED else kind)
            if self.every_unit:
                self.shared[key] = got
        return got

    def _stated_rule(self, ind: Indicator, rules: Rules) -> Rules:
        """The scoring the system's 评分标准 states for this row (第一名得满分，每降一位扣0.5分;
        功效系数法), unless kaohe.toml sets this indicator's own: it was scored by the default steps
        while the table said otherwise, and nothing said so."""
        stated = sc.rule_from_text(ind.rule_text)
        if stated is None:
            if not self.brief:
                self.rule_unread.append((ind, ind.rule_text[:40]))
            return rules
        stated = {k: v for k, v in stated.items() if getattr(rules, k) != v}  # (按位次计分 under the default: nothing new)
        if not stated or rules.overridden & {"method", "rank_step", "rank_step_points"}:
            return rules
        if not self.brief:
            how = (f"第一名满分，每降一位少{_fmt(stated['rank_step_points'])}分" if "rank_step_points" in stated
                   else sc.METHOD_LABELS.get(stated["method"], stated["method"]))
            self.rule_stated.append(f"{_label(ind)}{how}")
        return replace(rules, **stated)

    def _own(self, d: dict) -> dict:
        """A result's copy of what every unit's result shares; in the view from above the one
        dict serves them all (120 units × 60 indicators × 12 months of copies is gigabytes),
        and nothing changes a result's dict once it is made."""
        return d if self.every_unit else dict(d)

    def warn(self, file, sheet, cell, message):
        self.problems.append(Problem(file, sheet, cell, WARNING, message))

    def _in_unit(self, figure: float, written: str, wanted: str, label: str, what: str, where: tuple) -> float:
        """`figure`, written in `written`, in the unit the indicator's figures are compared in
        (`wanted`): 3.52亿元 is 35200 where the others are 万元. Said `where` (file, sheet, cell)
        it was written."""
        scale = unit_scale(written, wanted) if written and wanted and written != wanted else None
        if scale is None:
            return figure
        converted = float(sc.exact(figure) * sc.exact(scale))
        if not self.brief:
            self.warn(*where, f"{label}{what} {_fmt(figure)}{written}，按本指标的计量单位换算为 "
                              f"{_fmt(converted)}{wanted} 比较和计算")
        return converted

    # -- one indicator
    def indicator(self, ind: Indicator, entry: Entry | None, row: PeerRow | None, share: int,
                  head: Indicator | None = None) -> IndicatorResult:
        cfg = self.config
        rules, kind, label, direction, dsrc, category, method = self.statics(ind, row)
        if dsrc == rk.FROM_NAME and kind == SCORED:  # a hint, not a problem with the month's files
            self.guessed.append(f"{label}为{_DIR_LABEL[direction]}")
        if (row is not None and row.direction in (HIGHER, LOWER) and rules.direction in (HIGHER, LOWER)
                and row.direction != rules.direction):
            self.warn(self.peers.file, self.peers.sheet, None,
                      f"{label}在{peer_data_word(self.every_unit)}中为{_DIR_LABEL[row.direction]}，kaohe.toml 中设为"
                      f"{_DIR_LABEL[rules.direction]}，以{peer_data_word(self.every_unit)}为准")
        r = IndicatorResult(no=ind.no, key=ind.key, name=ind.name, category=category, kind=kind,
                            points=None, direction=direction, direction_source=dsrc,
                            # (an earlier month's brief result is let go at once: its lists are not copied)
                            lead=ind.lead if self.brief else list(ind.lead),
                            support=ind.support if self.brief and ind.support is not None else list(ind.support or []),
                            department=entry.department if entry else None, rule=rules.warning,
                            group_size=self.group_size, method=method)
        self.share, self.head = share, head if head is not None else ind
        own_points = self.points(ind, cfg.county, rules, share)
        r.not_assessed = own_points[1]
        if entry is not None:
            r.reported_rank = entry.rank
            r.last_year_rank = entry.last_year_rank
            r.last_year_raw = entry.last_year_raw
            r.actual_raw = entry.actual_raw
        if r.last_year_rank is None:  # the indicator system's own 上年完成情况（位次）
            r.last_year_rank = ind.last_year_rank
        if not r.last_year_raw:
            r.last_year_raw = ind.last_year_raw
        r.target = _target(ind, entry, rules, cfg.county)
        if r.target is None and row is not None and row.targets:  # the view from above: the unit's own report
            r.target = self._row_target(row, cfg.county)
        key = ("unit", id(ind), id(row))
        known = self.shared.get(key)  # from the name or the peer sheet: the same for every unit
        if known is None:
            known = _unit_of(ind.name, (row.raw or {}).values() if row is not None else (),
                             own_raws=None, stated=row.unit if row is not None and row.unit else ind.unit)
            if not known and row is not None and row.name:  # 实际使用外资（万美元） as the peer sheet names the row
                known = _unit_of(row.name, (), own_raws=None)
            self.shared[key] = known
        # the unit the figures are compared in: the name's or the peer sheet's, else the target's,
        # else the figure's as the department wrote it (a figure or a target written in another
        # magnitude of it, 3.52亿元 against 万元, is converted)
        figure_unit = unit_in(entry.actual_raw) if entry is not None and rk.is_value(entry.actual) else ""
        target_unit = unit_in(_target_raw(ind, entry, rules, cfg.county)) if r.target is not None else ""
        compared_in = known or target_unit or figure_unit
        if r.target is not None:
            own = entry is not None and rk.is_value(entry.target)  # the department's form, else the system
            r.target = self._in_unit(r.target, target_unit, compared_in, label, "目标",
                                     (entry.file, entry.sheet, None) if own else
                                     (self.system.file, ind.sheet or None, ind.cell or None))
        if r.target is None and not self.brief:
            r.target_text = _target_text(ind, cfg.county)

        # values: the peer sheet for every county; ours from it, else from the monthly sheet
        values: dict[str, float | None] = {}
        events = kind in EVENT_KINDS  # a unit's 未发生 / 发生1起 / 无 in the peer data is its figure
        vkey = ("values", id(row), self.group_key, events)
        if row is not None:
            got = self.shared.get(vkey)
            if got is None:
                for c in self.group:
                    h = _match_county(c, row.values) if row.values else None
                    values[c] = row.values.get(h) if h is not None else None
                    if not rk.is_value(values[c]):
                        values[c] = None
                        if events and h is not None:
                            values[c] = events_from_text(str((row.raw or {}).get(h) or ""), kind)
                    elif known and (written := unit_in((row.raw or {}).get(h))) != known:
                        # 3.52亿元 in a table of 万元: one measure, compared in the table's unit
                        values[c] = self._in_unit(values[c], written, known, label, f"{peer_data_word(self.every_unit)}中「{c}」为",
                                                  (*self.peers.where(c, row), (row.cells or {}).get(h)))
                self.shared[vkey] = values
            values = got if got is not None else values  # shared: copied before it is changed
        peer_own = values.get(self.us)
        mine = entry.actual if entry is not None and rk.is_value(entry.actual) else None
        if mine is not None:
            mine = self._in_unit(mine, figure_unit, compared_in, label, "月报填报", (entry.file, entry.sheet, entry.cell))
        r.entry_figure = mine is not None or (entry is not None and entry.words)
        if peer_own is not None:
            r.actual, r.actual_source = peer_own, "六县市数据"
            r.peer_raw = str(((row.raw or {}) if row is not None else {}).get(self.us, "") or "").strip()
            # words that are the table's own (已完成 of a constraint in both: its events came from them)
            # say nothing beside it
            own_words = (mine is None and entry is not None and entry.words
                         and compact(entry.actual_raw) != compact(r.peer_raw))
            if own_words:
                # 较上年减少 where the figure goes: every report shows the figure that was ranked, the
                # department's words beside it
                r.entry_figure, r.figure_words = False, entry.actual_raw.strip()
            if own_words and not self.brief:
                self.warn(entry.file, entry.sheet, entry.cell,
                          f"{label}月报填写的是「{entry.actual_raw}」（不是数值），{peer_data_word(self.every_unit)}中本县为 "
                          f"{r.peer_raw or _fmt(peer_own)}；排名和计分以{peer_data_word(self.every_unit)}为准，报表中显示为数值加所填文字")
            if mine is not None and abs(mine - peer_own) > 1e-6 * max(1.0, abs(peer_own)):
                r.entry_figure = False  # one figure in every report: the one ranked and scored
                self.warn(entry.file, entry.sheet, entry.cell,
                          f"{label}月报填报 {entry.actual_raw or _fmt(mine)}，{peer_data_word(self.every_unit)}中本县为 {_fmt(peer_own)}，"
                          f"排名和计分以{peer_data_word(self.every_unit)}为准")
        elif mine is not None:
            r.actual, r.actual_source = mine, "月报"
            if row is not None:
                values = {**values, self.us: mine}
                if not self.brief and self.us in row.cells:  # our cell of the peer data is empty (/, —): said
                    self._own_cell_empty(row, label, f"按月报填报的 {entry.actual_raw or _fmt(mine)} 与其他县市比较排名；请核对")
        elif entry is not None and events and (counted := events_from_text(entry.actual_raw, kind)) is not None:
            r.actual, r.actual_source = counted, "月报"
        elif entry is not None and entry.words:
            r.qualitative, r.actual_source = True, "月报"  # 正常推进: reported, as written
        elif row is not None and not events and row.raw and self.peers is not None and self.us in self.peers.sources:
            # a table built of the units' own reports: what the unit wrote where its figure would be
            # (正常推进, 待统计局反馈) is shown as written, never as 无数据; progress in words is
            # reported, as a department's is in the county view
            h = _match_county(self.us, row.raw)
            said = str(row.raw.get(h) or "").strip() if h is not None else ""
            if said:
                r.actual_raw = said
                if h in row.words:
                    r.qualitative, r.actual_source = True, "月报"
        elif row is not None and not self.brief and not self.every_unit and self.us in row.cells and kind == SCORED:
            self._own_cell_empty(row, label, "月报也未填报，本项本月无数据")
        if row is None and self.every_unit and kind == SCORED and self.peers is not None and not own_points[1]:
            # a row the month's table leaves out (a quarterly item between quarters): said once for all
            # (the same words for every unit), never every unit's 无数据 without a word
            self.warn(self.peers.file, self.peers.sheet, None,
                      f"{label}不在本月的各单位数据中，也没有单位报送：各单位本项本月无数据、未计分（计入满分）；"
                      "如本月应有数据，请在表中补上这一行")
        if row is not None:
            key = ("missing", id(row), id(ind), self.group_key)
            owed = self.shared.get(key)
            if owed is None:  # `---` for that unit: nothing owed; an event item unreported is named by _events
                owed = self.shared[key] = [] if kind in (DEDUCTION, CONSTRAINT) else [
                    c for c in self.group if values.get(c) is None and not unit_points(ind, c, 1, self.head)[1]]
            missing = list(owed) if self.every_unit else [c for c in owed if c != self.us]
            if self.peers.sources:  # the units' own reports: one that sent none is said once a month, not an item
                missing = [c for c in missing if c in self.peers.sources]
            if missing:  # one problem per indicator, however many counties lack a figure
                cells = {c: (row.cells or {}).get(c) for c in missing}  # the file's own cells
                first = cells[missing[0]]
                where = "" if first else (f"第{row.row}行" if row.row else "")

                raws = {c: str((row.raw or {}).get(c, "") or "").strip() for c in missing}
                same = len(set(raws.values())) == 1

                def said(c):
                    detail = "，".join(x for x in (cells[c] if len(missing) > 1 else "",
                                                  f"写的是「{raws[c]}」" if raws[c] and not same else "") if x)
                    return f"「{c}」" + (f"（{detail}）" if detail else "")

                own_files = bool(self.peers.sources)  # the units' own reports: each named with its file
                def wrote(c):  # a unit's own report: what it wrote instead of a figure (待统计局反馈)
                    return f"（写的是「{raws[c]}」）" if raws[c] else ""

                names = "、".join(f"「{c}」（{self.peers.where(c, row)[0]}）{wrote(c)}" if own_files and i else
                                 (f"「{c}」{wrote(c)}" if own_files else said(c)) for i, c in enumerate(missing))
                if same and raws[missing[0]] and not own_files:
                    names += f"（{'均' if len(missing) > 1 else ''}写的是「{raws[missing[0]]}」）"
                have = sum(1 for v in values.values() if v is not None)
                who = "单位" if self.every_unit else "县市"
                tail = (f"该{who}不参与本指标排名" if len(missing) == 1 else f"这些{who}不参与本指标排名")
                if have < 2:
                    tail = (f"本指标没有任何{who}的数值，无法排名" if have == 0 else f"只有 1 个{who}有数值，无法按{peer_data_word(self.every_unit)}排名")
                file, sheet = self.peers.where(missing[0], row)
                self.warn(file, sheet, first, f"{label}缺少{names}报送的数值，{tail}" if own_files
                          else f"{peer_data_word(self.every_unit)}{where}中{label}缺少{names}的数值，{tail}")
            r.peer_values = self._own(values)

        # A unit marked `---` here is not assessed on this item: no competitor on it. The city's
        # sheet may still print its figure; that figure takes no place and pushes nobody down
        # (the assessed units are ranked, scored by place and chased among themselves).
        key = ("out", id(ind), share, id(self.head), self.group_key, rules.points if "points" in rules.overridden else None)
        out = self.shared.get(key)
        if out is None:
            out = self.shared[key] = frozenset(c for c in self.group if self.points(ind, c, rules, share)[1])
        self.out = out
        # kept by the peer row (which lives as long as the month's data), never by a dict's id
        key = ("competing", id(row), self.group_key, self.out)
        shareable = self.every_unit and row is not None and values is self.shared.get(vkey)
        competing = self.shared.get(key) if shareable else None
        if competing is None:
            competing = {c: v for c, v in values.items() if c not in self.out}
            if shareable:
                self.shared[key] = competing

        if not self.brief:
            own = r.actual_raw if r.entry_figure or r.actual_source != "六县市数据" else ""  # (not a figure set aside)
            r.unit = compared_in or _unit_of(ind.name, (), (own, entry.target_raw if entry else "", r.last_year_raw,
                                                            ind.target or ""))
            r.display = _display(r, r.unit)
        if r.not_assessed:
            r.display = "不考核"
            r.colour_reason = "本单位不考核此项（指标体系中为「---」），不计入满分和得分"
            r.score_note = "不考核"
            if kind == SCORED and row is not None:  # the others still stand somewhere
                self._rank(r, ind, entry, row, competing, label)
                r.rank = r.computed_rank = None
            return r
        if kind == SCORED:
            self._rank(r, ind, entry, row, competing, label)
            self._colour(r, rules)
            if not self.brief:
                self._reach(r, rules, competing, row)
            self._score(r, ind, rules, competing, share, row, own_points)
        elif kind == DEDUCTION:
            self._deduction(r, ind, rules, values, row)
        elif kind == CONSTRAINT:
            self._constraint(r, ind, rules, values, row, share)
        elif kind == BONUS:
            self._bonus(r, ind, rules, values, row)
        self._check_written_colour(r, entry, label)
        return r

    def _row_target(self, row: PeerRow, unit: str):
        """The target a unit's own report states on this row (looked up once a month for each
        unit in the view from above: the row's targets are the same for every unit assessing)."""
        if not self.every_unit:
            h = _match_county(unit, row.targets)
            return row.targets[h] if h is not None else None
        key = ("row targets", id(row))
        got = self.shared.get(key)
        if got is None or got[0] is not row:  # (kept with the row: its id stays its own)
            got = self.shared[key] = (row, {})
        kept = got[1]
        if unit not in kept:
            h = _match_county(unit, row.targets)
            kept[unit] = row.targets[h] if h is not None else None
        return kept[unit]

    def _own_cell_empty(self, row: PeerRow, label: str, then: str) -> None:
        """Our own cell of the peer data is empty (—, /): said, with the cell and what was done."""
        raw = str((row.raw or {}).get(self.us, "") or "").strip()
        self.warn(self.peers.file, self.peers.sheet, row.cells.get(self.us),
                  f"{label}在{peer_data_word(self.every_unit)}中本县的数值为空{f'（写的是「{raw}」）' if raw else ''}，{then}")

    def _rank(self, r, ind, entry, row, values, label):
        if row is not None:  # every unit with a figure is ranked, whether or not ours has one
            key = ("rank", id(row), r.direction, self.group_key, frozenset(self.out))
            got = self.shared.get(key)
            if got is None:
                got = self.shared[key] = (rk.competition_ranks(values, r.direction), rk.leader(values, r.direction))
            ranks, lead = got
            r.peer_ranks = self._own(ranks)
            r.computed_rank = ranks.get(self.us) if r.actual is not None else None
            r.ranked_count = len(ranks)
            if lead:
                r.leader, r.leader_value = lead
        if r.ranked_count < 2:
            r.computed_rank = None  # first of one is no rank: the reported one, if any, is used
            r.peer_ranks = {}  # nor a ranking to reach the next colour in, or to score counties by
        if r.computed_rank is not None:
            r.rank, r.rank_source = r.computed_rank, COMPUTED
            if r.reported_rank is not None and r.reported_rank != r.computed_rank:
                self.warn(entry.file, entry.sheet, entry.rank_cell or entry.cell,
                          f"{label}月报填报排名第{r.reported_rank}名（「{entry.rank_raw}」），按{peer_data_word(self.every_unit)}计算为"
                          f"第{r.computed_rank}名，以计算结果为准")
        elif r.reported_rank is not None and not ((self.every_unit or (self.peers is not None and self.peers.sources))
                                                   and r.ranked_count >= 2):
            # (where the units are ranked on their own reports' figures — the office above, or a county
            # run on those reports — a unit's own 排名 beside a figure it could not read is no place:
            # 「待统计局反馈」 with 排名 2 was ranked 2nd and scored; where nobody has a figure to rank by,
            # a place reported is the one known, as in the county's own run)
            r.rank, r.rank_source = r.reported_rank, REPORTED

    def _colour(self, r: IndicatorResult, rules: Rules):
        if r.rule == "rank":
            if r.rank is None and self.brief:
                return
            if r.rank is None:
                written = r.display.strip() if r.display and not (r.unreported or r.not_assessed) else ""
                if r.actual is not None and r.ranked_count == 1 and r.reported_rank is None:
                    r.colour_reason = f"{self.label}数据中只有本县有数值，无法排名"
                elif r.qualitative and r.reported_rank is None:
                    r.colour_reason = f"定性指标（报送「{r.display}」），无法排名"
                elif r.actual is None and r.reported_rank is None:
                    # what the form says, never "未填" beside a figure the reports print
                    r.colour_reason = (f"本月无数据（月报填写「{written}」，未填排名）" if written and written != "—"
                                       else "本月无数据（月报未填完成情况和排名）")
                elif r.actual is None:
                    r.colour_reason = "本县无数值"
                else:
                    r.colour_reason = f"{self.label}数据中没有本指标，月报也未填排名，无法排名"
                return
            g, y = wn.rank_thresholds(r.group_size, rules.rank_green, rules.rank_yellow)
            r.colour = wn.colour_by_rank(r.rank, r.group_size, rules.rank_green, rules.rank_yellow)
            r.rank_thresholds = (g, y)
            if self.brief:
                return
            if rules.rank_yellow is not None and r.group_size and rules.rank_yellow >= r.group_size:
                own = "rank_yellow" in rules.overridden
                msg = (f"kaohe.toml 中{r.key.said + '的' if own else ''}位次阈值 rank_yellow = {rules.rank_yellow} "
                       f"不小于参与比较的单位数 {r.group_size}：{'本项' if own else '按位次预警的指标'}没有单位会是红色；请检查")
                if msg not in {p.message for p in self.problems}:
                    self.warn("kaohe.toml", None, None, msg)
            src = ("按月报填报" if r.rank_source != COMPUTED else f"按{self.label}数据计算" if r.actual_source != "月报"
                   else f"按{self.label}数据（本县数值取自月报）计算")
            yellow = f"第{y}名黄" if y == g + 1 else f"{g + 1}–{y}名黄"  # (four units: not 3–3名黄)
            r.colour_reason = (f"{src}在{self.label}中排第{r.rank}名（{'第1名' if g == 1 else f'1–{g}名'}绿，"
                               f"{yellow}，{y + 1}名及以后红）")
            return
        r.completion = wn.completion_rate(r.actual, r.target, r.direction)
        if r.completion is None:
            if self.brief:
                return
            if r.actual is None:
                r.colour_reason = "本月无数据"
            elif r.target is None:
                r.colour_reason = "缺少本年目标，无法计算完成率"
            else:
                r.colour_reason = f"目标值 {_fmt(r.target)} 或完成值 {_fmt(r.actual)} 不能计算完成率"
            return
        if r.rule == "progress":
            r.expected_progress = wn.expected_progress(self.month_no)
            r.colour = wn.colour_by_progress(r.completion, self.month_no, rules.progress_yellow, rules.progress_red)
            if self.brief:
                return
            gap = r.expected_progress - r.completion
            where = f"低于序时进度{_fmt(gap)}个百分点" if gap > 1e-9 else "达到序时进度"
            r.colour_reason = (f"完成率{_fmt(r.completion)}%，序时进度{_fmt(r.expected_progress)}%"
                               f"（{self.month_no}/12），{where}（低于不足{_fmt(rules.progress_yellow)}个百分点绿，"
                               f"{_fmt(rules.progress_yellow)}–{_fmt(rules.progress_red)}黄，超过{_fmt(rules.progress_red)}红）")
        else:
            r.colour = wn.colour_by_completion(r.completion, rules.completion_green, rules.completion_yellow)
            if self.brief:
                return
            r.colour_reason = (f"完成率{_fmt(r.completion)}%（≥{_fmt(rules.completion_green)}%绿，"
                               f"{_fmt(rules.completion_yellow)}%–{_fmt(rules.completion_green)}%黄，"
                               f"<{_fmt(rules.completion_yellow)}%红）")

    def _reach(self, r: IndicatorResult, rules: Rules, values, row=None):
        nxt = wn.better_colour(r.colour) if r.colour else None
        if nxt is None:
            return
        r.next_colour = nxt
        if r.rule == "rank":
            g, y = wn.rank_thresholds(r.group_size, rules.rank_green, rules.rank_yellow)
            t = g if nxt == GREEN else y
            if not r.peer_ranks:
                r.reach_note = f"缺{peer_data_word(self.every_unit)}，无法给出升至第{t}名（{COLOUR_LABELS[nxt]}）需达到的数值"
                return
            key = ("order", id(row), r.direction, self.group_key, frozenset(self.out))
            ordered = self.shared.get(key) if row is not None else None
            if ordered is None:
                ordered = rk.best_first(values, r.direction)
                if row is not None:
                    self.shared[key] = ordered
            got = rk.reach_in(ordered, t, leave_out=self.us)
            if got is None:
                r.reach_note = f"{self.label}中其他单位有数值的不足{t}个，无需追赶即可升至第{t}名"
                return
            r.value_to_reach, county = got
            place = rk.place_at(ordered, r.value_to_reach, leave_out=self.us)  # (tied: their shared place)
            then = r.next_colour = wn.colour_by_rank(place, r.group_size, rules.rank_green, rules.rank_yellow)  # may skip one
            verb = "降至" if r.direction == LOWER else "达到"
            r.reach_note = (f"{verb}{_fmt(r.value_to_reach)}{r.unit}（追平目前第{place}位的{county}）可升至第{place}名，"
                            f"转为{COLOUR_LABELS[then]}色")
            return
        if r.target is None:
            return
        need, strict = wn.completion_needed(nxt, r.rule, self.month_no, yellow_below=rules.progress_yellow,
                                            red_below=rules.progress_red, green=rules.completion_green,
                                            yellow=rules.completion_yellow)
        v = wn.value_for_completion(need, r.target, r.direction)
        if v is None:
            return
        r.value_to_reach, r.reach_strict = round(v, 6), strict
        # printed to two places, rounded the way that still reaches (up for more is better): the note
        # and the 需达到 column say the same figure
        up, v = r.direction != LOWER, r.value_to_reach
        shown = (math.ceil(v * 100 - 1e-6) if up else math.floor(v * 100 + 1e-6)) / 100
        r.reach_shown, r.reach_shown_strict = shown, strict and abs(shown - v) < 1e-6
        word = ("低于" if r.reach_shown_strict else "不高于") if not up else ("高于" if r.reach_shown_strict else "达到")
        r.reach_note = (f"完成值{word}{_fmt(shown)}（完成率{'超过' if strict else '达到'}{_fmt2(need)}%）"
                        f"可转为{COLOUR_LABELS[nxt]}色")

    def _score(self, r, ind, rules, values, share, row, own_points):
        p, _out, r.points = own_points  # exact, and its record (points(…) for our unit): scores round once
        method = rules.method
        if p is None:
            r.score_note = "指标体系中没有分值，不计分"
            return
        if method == sc.NONE:
            r.score_note = "按设置不计分"
            return

        def pts(c):  # each unit's points here: the same whoever assesses
            return self.points(ind, c, rules, share)[0]

        if method == sc.RANK_STEPS:
            step, in_points = rules.rank_step, rules.rank_step_points
            key = ("steps", id(row), id(ind), r.direction, self.group_key, step, in_points, share)
            got = self.shared.get(key)
            if got is None or row is None:
                got = {c: sc.rank_steps_score(pts(c) or 0, k, step, in_points) for c, k in r.peer_ranks.items()}
                if got:  # a unit not assessed here earns nothing on it (the estimate's totals)
                    got.update({c: 0.0 for c in self.out})
                if row is not None:
                    self.shared[key] = got
            r.peer_scores = self._own(got)
            if r.rank is None:
                r.score_note = "无排名，无法按名次计分"
            else:
                same = (self.every_unit and r.rank == r.peer_ranks.get(self.us) and self.us in got
                        and (self.us == self.config.county or (pts(self.us) or 0) == p))  # (p: our own points)
                r.score = got[self.us] if same else sc.rank_steps_score(p, r.rank, step, in_points)
                if not self.brief and in_points is not None:
                    r.score_note = f"第{r.rank}名：{_fmt(p)} − {_fmt(in_points)} × {r.rank - 1} = {_fmt(r.score)}"
                elif not self.brief:  # (an earlier month's workings are never shown: a province's are 0.3 MB a month)
                    r.score_note = f"第{r.rank}名：{_fmt(p)} × (1 − {_fmt(rules.rank_step)}% × {r.rank - 1}) = {_fmt(r.score)}"
        elif method == sc.EFFICACY:
            bw = rk.best_worst(values.values(), r.direction) if row is not None else None
            if r.actual is None:
                r.score_note = "本县无数值，无法按功效系数法计分"
            elif bw is None:
                r.score_note = f"功效系数法需要{peer_data_word(self.every_unit)}，本指标缺"
            else:
                best, worst = bw
                r.score = sc.efficacy_score(p, r.actual, best, worst, rules.efficacy_base, rules.efficacy_span)
                r.score_note = "" if self.brief else (f"功效系数 {_fmt(rules.efficacy_base)} + {_fmt(rules.efficacy_span)} × "
                                f"({_fmt(r.actual)} − {_fmt(worst)})/({_fmt(best)} − {_fmt(worst)})，"
                                f"得分 {_fmt(r.score)}")
            if bw is not None:
                key = ("efficacy", id(row), id(ind), r.direction, self.group_key, rules.efficacy_base,
                       rules.efficacy_span, share)
                got = self.shared.get(key)
                if got is None:
                    got = self.shared[key] = {
                        c: sc.efficacy_score(pts(c) or 0, v, bw[0], bw[1], rules.efficacy_base, rules.efficacy_span)
                        for c, v in values.items() if v is not None}
                    got.update({c: 0.0 for c in self.out})  # not assessed here: nothing earned
                r.peer_scores = self._own(got)
        else:
            c = wn.completion_ratio(r.actual, r.target, r.direction)  # exact: scores never use a rounded rate
            if r.completion is None and c is not None:
                r.completion = round(float(c), 6)
            if c is None:
                r.score_note = ("本县无数值" if r.actual is None else "缺少目标值") + "，无法按目标完成计分"
                if r.actual is not None and r.target is None and not self.brief:  # never a silent 0
                    self.warn(self.system.file, ind.sheet or None, ind.cell or None,
                              f"{_label(ind)}按目标完成情况计分，但指标体系和报表中都没有"
                              f"{self.config.county or '本单位'}的目标值，本项未计分；请在指标体系的目标列中填写")
            elif method == sc.COMPLETION:
                r.score = sc.completion_score(p, c, rules.completion_cap)
                if not self.brief:
                    r.score_note = f"{_fmt(p)} × min({_fmt(float(c))}%, {_fmt(rules.completion_cap)}%) = {_fmt(r.score)}"
            else:
                r.score = sc.all_or_nothing_score(p, c)
                r.score_note = f"完成率{_fmt(float(c))}%，{'完成目标得满分' if r.score else '未完成目标不得分'}"
            if row is not None:  # (brief too: a month's estimated place counts them)
                r.peer_scores = self._target_scores(r, ind, rules, values, share, row, pts)
        if not self.brief:  # (an earlier month's points lost are never shown)
            self._lost(r, p, pts, ("lost", id(row), id(ind), r.direction, self.group_key, method, rules.rank_step,
                                     rules.rank_step_points,
                                     rules.efficacy_base, rules.efficacy_span, share) if row is not None else None)

    def _target_scores(self, r, ind, rules, values, share, row, pts) -> dict:
        """Each unit's score on an item scored against targets, where its target is known: in the
        view from above every unit's, as its own assessment takes it; in a county's, the others'
        from the system's per-unit targets or the peer data (a single target column is our own).
        Who is first here, what it earned, and the estimate's totals follow from them."""
        key = ("target scores", id(row), id(ind), r.direction, self.group_key, rules.method,
               rules.completion_cap, share, rules.target)
        got = self.shared.get(key) if self.every_unit else None
        if got is None:
            got = {}
            for c, v in values.items():
                if v is None or c in self.out or (c == self.us and not self.every_unit):
                    continue
                t = _target(ind, None, rules, c) if self.every_unit else _unit_target(ind, c)
                if t is None and row.targets:  # a unit's own report states it
                    t = self._row_target(row, c)
                ratio = wn.completion_ratio(v, t, r.direction) if t is not None else None
                theirs = pts(c)
                if ratio is None or theirs is None:
                    continue
                got[c] = (sc.completion_score(theirs, ratio, rules.completion_cap) if rules.method == sc.COMPLETION
                          else sc.all_or_nothing_score(theirs, ratio))
            got.update({c: 0.0 for c in self.out})  # not assessed here: nothing earned
            if self.every_unit:
                self.shared[key] = got
            elif r.score is not None:
                got[self.us] = r.score  # ours as scored (our target may be the 月报's own)
        return self._own(got)

    def _lost(self, r, full, pts=None, key=None):
        """Points lost against the leading unit, on our own points: a unit with a per-unit
        override (乐丰县 2.5 where we have 2) earns more at the same place, which we never could."""
        if r.score is None or self.brief:
            return
        full_q = sc.exact(full)
        if r.peer_scores and r.leader is not None and r.leader not in r.peer_scores:
            # the leader's score is not known (a completion item: the others' targets are not ours to
            # know): no 第一名得分, never ours printed against its name; lost against full marks
            r.leader_score = None
            r.points_lost = max(0.0, float(sc.record(full_q - sc.exact_of(r.score), lo=None)))
        elif r.peer_scores:
            # 第一名的得分: the leader's own; with per-unit points another unit may score more lower down
            r.leader_score = r.peer_scores[r.leader] if r.leader in r.peer_scores else max(r.peer_scores.values())
            # the best share of its own points any unit earned (the same for every unit assessing
            # these scores), and the best score of a unit without points of its own
            got = self.shared.get(key) if key is not None else None
            if got is None:
                share_best, plain_best = None, None
                for c, v in r.peer_scores.items():
                    theirs = sc.exact(pts(c)) if pts is not None and pts(c) else None
                    if theirs:
                        q = sc.exact_of(v) / theirs
                        share_best = q if share_best is None or q > share_best else share_best
                    else:
                        q = sc.exact_of(v)
                        plain_best = q if plain_best is None or q > plain_best else plain_best
                got = (share_best, plain_best)
                if key is not None:
                    self.shared[key] = got
            r.points_lost = _lost_against(full_q, sc.exact_of(r.score), *got)
        else:  # the first earns full marks; with no first known (a completion item without peer
            # figures) there is no 第一名得分 to print under a blank 第一名, only full marks to lose against
            r.leader_score = sc.record(full_q, lo=None) if r.leader is not None else None
            r.points_lost = max(0.0, float(sc.record(full_q - sc.exact_of(r.score), lo=None)))

    def _events(self, r, kind_word, ind) -> float | None:
        """The events reported; None when nobody reported the item and kaohe.toml does not
        say to read silence as none (then the item is 未报送, its points at stake)."""
        if r.actual is not None:
            return r.actual
        if self.config.unreported_events == "none":
            r.score_note = f"未报送{kind_word}，按设置（unreported_events = \"none\"）按未发生计"
            r.display = "未报送（按未发生计）"  # (what every report shows, and its colour is 未发生's)
            return 0.0
        r.unreported = True
        r.display = "未报送"
        r.colour_reason = "未报送"
        r.score_note = f"未报送{kind_word}，是否发生不明，未计分"
        who = "、".join(ind.lead) or "责任单位"
        what = "减分项" if r.kind == DEDUCTION else "约束条件"
        stake = r.stake if r.stake is not None else 0
        at_stake = f"（涉及{_fmt(stake)}分）" if stake else ""
        how = "如要按未发生计，请在 kaohe.toml 中写 unreported_events = \"none\""
        others = self.every_unit and any(v is not None for v in (r.peer_values or {}).values())
        if others and self.peers is not None:  # the view from above: others reported, this unit said nothing
            if self.peers.sources and self.us not in self.peers.sources:
                return None  # it sent no report at all: said once for the month (read_unit_reports)
            file, sheet = self.peers.where(self.us)
            if not self.peers.sources:  # one table for all: every unit without a figure in one line (a
                # province's 34), said by the first unit's assessment of the month, not worked out again by each
                key = ("unreported said", id(ind), self.group_key)
                if key not in self.shared:
                    self.shared[key] = True
                    silent = [c for c in self.group if (r.peer_values or {}).get(c) is None]
                    self.warn(file, sheet, None, f"{_label(ind)}（{what}）{'、'.join(silent)}本月未报送：是否发生不明，"
                                                 f"本项未计分{at_stake}；未发生的请填「无」或「0」。{how}")
                return None
            self.warn(file, sheet, None, f"{_label(ind)}（{what}）{self.us}本月未报送：是否发生不明，{self.us}本项未计分"
                                         f"{at_stake}；未发生的请填「无」或「0」。{how}")
            return None
        self.warn(self.month, None, None, f"{_label(ind)}（{what}）本月无人报送：是否发生不明，未计分"
                                          f"{at_stake}；请{who}报送，未发生的填「无」或「0」。{how}")
        return None

    def _deduction(self, r, ind, rules, values, row):
        per_t, cap_t = sc.parse_deduction_text(ind.name)
        if "per_event" in rules.overridden:
            per = rules.per_event
        else:
            per = _per_event(ind, per_t if per_t is not None else per_event_written(ind.name),
                             rules.per_event if rules.per_event is not None else 1.0)
        if "cap" in rules.overridden:
            cap = rules.cap
        elif ind.deduction_cap is not None:
            cap = ind.deduction_cap
        elif cap_t is not None:
            cap = cap_t
        else:
            cap = rules.cap
        r.stake = cap if cap is not None else per
        events = self._events(r, "扣分事项", ind)
        r.events = events if r.actual is not None else None
        if events is None:
            r.score = None
        else:
            r.deduction = sc.deduction_amount(events, per, cap)
            r.score = -r.deduction if r.deduction else 0.0
        if r.actual is not None:
            r.score_note = (f"{_fmt(events)}起 × {_fmt(per)}分 = {_fmt(max(events, 0) * per)}"
                            f"{f'，上限{_fmt(cap)}分' if cap is not None else ''}，扣{_fmt(r.deduction)}分")
            r.colour = RED if events > 0 else GREEN
            r.colour_reason = f"发生{_fmt(events)}起扣分事项" if events > 0 else "未发生扣分事项"
        elif events is not None:
            r.colour, r.colour_reason = GREEN, "未报送，按未发生计"
        if row is not None:
            r.peer_scores = {c: -sc.deduction_amount(v, per, cap) for c, v in values.items() if v is not None}
            self._leading_score(r, values)
        if r.score is not None:
            r.points_lost = max(0.0, sc.total_of([r.leader_score or 0.0, -r.score]))

    def _constraint(self, r, ind, rules, values, row, share):
        q = self.points(ind, self.config.county, rules, share)[0]
        p = sc.record(q, lo=None) if q is not None else None
        r.points = p
        r.stake = float(p) if p else 0.0
        events = self._events(r, "约束条件事项", ind)
        r.events = events if r.actual is not None else None
        r.vetoed = bool(events)
        if r.vetoed:
            r.score = 0.0 if p is not None else None
            r.colour, r.colour_reason = RED, f"发生{_fmt(events)}起，属约束条件（一票否决），不参与排名"
            r.score_note = "发生约束条件事项，不得分，不参与排名"
        elif events is not None:
            r.score = p
            if r.actual is not None:
                r.colour, r.colour_reason = GREEN, "未发生"
                r.score_note = "未发生约束条件事项" + (f"，得{_fmt(p)}分" if p else "")
            else:
                r.colour, r.colour_reason = GREEN, "未报送，按未发生计"
        if row is not None:
            r.peer_scores = {c: (0.0 if v > 0 else sc.record(self.points(ind, c, rules, share)[0] or 0))
                             for c, v in values.items() if v is not None}
        if p is not None and r.score is not None:
            self._lost(r, p)

    def _bonus(self, r, ind, rules, values, row):
        if "cap" in rules.overridden:
            cap, per = rules.bonus_cap, rules.bonus_per_event
        elif ind.deduction_cap is not None:
            # the figure per event as written (每项加0.5分), else the points figure unless it is only
            # the cap (≤2, 最高加2分: one event does not earn the whole cap), else kaohe.toml's
            cap = ind.deduction_cap
            per = _per_event(ind, per_event_written(ind.name), rules.bonus_per_event, cap=cap)
        else:
            cap = abs(ind.points) if ind.points else rules.bonus_cap
            per = rules.bonus_per_event
        if "per_event" in rules.overridden:
            per = rules.bonus_per_event
        r.points = cap
        units = r.actual if r.actual is not None else 0.0
        r.score = sc.bonus_amount(units, per, cap)
        r.score_note = (f"{_fmt(units)} × {_fmt(per)} = {_fmt(max(units, 0) * per)}"
                        f"{f'，上限{_fmt(cap)}分' if cap is not None else ''}，加{_fmt(r.score)}分"
                        if r.actual is not None else "未报送，不加分")
        r.colour_reason = "加分项不设预警"
        if row is not None:
            r.peer_scores = {c: sc.bonus_amount(v, per, cap) for c, v in values.items() if v is not None}
            self._leading_score(r, values)
        r.points_lost = max(0.0, round((r.leader_score or 0.0) - r.score, 6))

    @staticmethod
    def _leading_score(r: IndicatorResult, values: Mapping[str, float | None]) -> None:
        """An item scored by events (加分, 减分): the first unit with the best score and its
        figure, named beside the points short of it (失分排序 said 「少1.5分」 and no one)."""
        if r.peer_scores:
            r.leader_score = max(r.peer_scores.values())
            r.leader = next(c for c, v in r.peer_scores.items() if v == r.leader_score)
            r.leader_value = values.get(r.leader)

    def _check_written_colour(self, r: IndicatorResult, entry: Entry | None, label: str):
        if entry is None or not entry.warning_raw or r.colour is None:
            return
        written = [c for w, c in _COLOUR_WORDS.items() if w in entry.warning_raw]
        if len(written) == 1 and written[0] != r.colour:
            self.warn(entry.file, entry.sheet, entry.cell,
                      f"{label}预警提示填为「{entry.warning_raw}」，按规则应为{COLOUR_LABELS[r.colour]}色"
                      f"（{r.colour_reason}）")


@functools.lru_cache(maxsize=65536)  # a province's units share a few scores per indicator
def _lost_against(full_q: Fraction, score_q: Fraction, share_best: Fraction | None, plain_best: Fraction | None) -> float:
    """Points lost against the best reach: the best share of its own points any unit earned,
    on our points, or the best score of a unit without points of its own (exact, rounded once)."""
    best = full_q * 0
    if share_best is not None:
        best = max(best, share_best * full_q)
    if plain_best is not None:
        best = max(best, plain_best if full_q else best)
    return max(0.0, float(sc.record(best - score_q, lo=None)))


# ---------------------------------------------------------------- after the indicators
def carry_history(res: MonthResult, history: Mapping[str, MonthResult], last: str | None = None) -> None:
    """Rank changes and trends against the earlier months. Nothing else of a month's result
    depends on them, so a month assessed alone (in another process) gets them afterwards,
    oldest month first; a second call replaces what the first set. `last`: the month before in
    a view from above; a unit absent that month has no 上月名次 and no change of place (in its
    own reports as in the league: its place before that is not last month's)."""
    earlier = sorted(m for m in history if m < res.month)
    if any(isinstance(history[m], MonthBrief) for m in earlier):
        _carry_briefs(res, [history[m] if isinstance(history[m], MonthBrief) else MonthBrief.of(history[m])
                            for m in earlier])
    else:
        _carry_whole(res, history, earlier)
    if last is not None and (not earlier or earlier[-1] != last):
        for r in res.indicators:
            r.prev_month = r.prev_rank = r.rank_change = None


def _carry_whole(res: MonthResult, history: Mapping[str, MonthResult], earlier: list[str]) -> None:
    prev = earlier[-1] if earlier else None
    before_list = history[prev].indicators if prev is not None else []
    # the same system month after month: last month's result of an indicator is at its place
    # (a province asks 1,440 times; a dict by key each time was most of the work)
    in_place = len(before_list) == len(res.indicators) and all(
        a.key is b.key or a.key == b.key for a, b in zip(before_list, res.indicators))
    last = {} if in_place else {r.key: r for r in before_list}
    # Months are assessed oldest first, each with the ones before it: last month's result
    # already carries the whole trend, and this month adds one step (looking every earlier
    # month up again made a year of a province quadratic). Only when last month's trend covers
    # other months (or lacks the indicator) is every month looked up.
    carried = before_list[0].rank_history if before_list else None
    carries = carried is not None and [m for m, _ in carried] == earlier
    past: dict | None = None
    for i, r in enumerate(res.indicators):
        before = before_list[i] if in_place else last.get(r.key)
        if carries and before is not None:
            r.rank_history = before.rank_history[:-1] + [(prev, before.rank)]
            r.colour_history = before.colour_history[:-1] + [(prev, before.colour)]
        else:
            if past is None:
                past = {m: history[m].by_key() for m in earlier}
            r.rank_history = [(m, past[m][r.key].rank if r.key in past[m] else None) for m in earlier]
            r.colour_history = [(m, past[m][r.key].colour if r.key in past[m] else None) for m in earlier]
        r.rank_history.append((res.month, r.rank))
        r.colour_history.append((res.month, r.colour))
        if before is not None:  # last year's result and this year's target stand all year: a month
            _carry_year_facts(r, before)  # the department sent nothing keeps the last ones it sent
        if r.last_year_rank is not None and r.rank is not None:
            r.year_change = r.last_year_rank - r.rank
        if before is not None:
            r.prev_month = prev
            r.prev_rank = before.rank
            if r.prev_rank is not None and r.rank is not None:
                r.rank_change = r.prev_rank - r.rank


def _carry_year_facts(r: IndicatorResult, before: IndicatorResult) -> None:
    """上年完成情况 and 本年目标 from the month before, where this month's report gave none (the
    department sent nothing, or left them blank): shown, never scored again."""
    if not r.last_year_raw and before.last_year_raw:
        r.last_year_raw = before.last_year_raw
        if r.last_year_rank is None:
            r.last_year_rank = before.last_year_rank
    if r.target is None and not r.target_text and (before.target is not None or before.target_text):
        r.target, r.target_text = before.target, before.target_text


def _carry_briefs(res: MonthResult, past: list[MonthBrief]) -> None:
    """carry_history against earlier months kept brief (the view from above), oldest first: the
    same histories and changes, each month's rank and colour looked up by its place."""
    mine = tuple(r.key for r in res.indicators)

    def places(keys: tuple):  # this month's indicator i -> its place in that month (or None)
        if keys == mine:
            return range(len(mine))
        where = {k: i for i, k in enumerate(keys)}
        return [where.get(k) for k in mine]

    cols = [places(b.keys) for b in past]
    prev = past[-1] if past else None
    for i, r in enumerate(res.indicators):
        at = [c[i] for c in cols]
        r.rank_history = [(b.month, b.ranks[j] if j is not None else None) for b, j in zip(past, at)]
        r.colour_history = [(b.month, b.colours[j] if j is not None else None) for b, j in zip(past, at)]
        r.rank_history.append((res.month, r.rank))
        r.colour_history.append((res.month, r.colour))
        if r.last_year_rank is not None and r.rank is not None:
            r.year_change = r.last_year_rank - r.rank
        if prev is not None and at[-1] is not None:
            r.prev_month = prev.month
            r.prev_rank = prev.ranks[at[-1]]
            if r.prev_rank is not None and r.rank is not None:
                r.rank_change = r.prev_rank - r.rank


def _per_event(ind: Indicator, named: float | None, default: float, *, cap: float | None = None) -> float:
    """What one event of a deduction or bonus counts: the figure per event written in the points
    cell (扣2分/起, 每项加0.5分), else in the row's 评分标准; else the points figure, unless it is only the cap (最多扣4分, ≤2:
    one event never takes the whole cap) or equals `cap`; else the figure per event `named` (in
    the indicator's name); else that points figure; else `default` (kaohe.toml's)."""
    written = per_event_written(ind.points_raw)
    if written is None:
        written = ind.per_event  # the row's 评分标准: 每发生1起…扣2分
    if written is not None:
        return written
    points = abs(ind.points) if ind.points and not cap_only(ind.points_raw) else None
    if points is not None and points != cap:
        return points
    if named is not None:
        return named
    return points if points is not None else default


def _settle_group(rs: list[IndicatorResult]) -> None:
    """Rows sharing one points cell: points and scores rounded so they add up to the group's
    exact figures rounded once; the group's points (shown once) are its assessed rows'."""
    assessed = [r for r in rs if not r.not_assessed]
    pts = sc.settle([r.points for r in assessed])
    for r, p in zip(assessed, pts):
        r.points = p
    scores = sc.settle([r.score for r in assessed])
    for r, v in zip(assessed, scores):
        if v is not None and r.score is not None:
            if r.points_lost is not None:
                r.points_lost = max(0.0, sc.total_of([r.points_lost, v, -r.score]))
            r.score = v
    got = [r.points for r in assessed if r.points is not None]
    if got and rs[0] is not None:
        rs[0].group_points = sc.total_of(got)


def _totals(res: MonthResult) -> None:
    """Subtotals and total as exact sums of the scores of record; full marks are our
    unit's own (items not assessed left out, a shared points cell counted once)."""
    cats: dict[str, CategorySubtotal] = {}
    score_parts: dict[str, list[float]] = {}
    point_parts: dict[str, list[float]] = {}
    open_parts: dict[str, list[float]] = {}
    stake = []
    for r in res.indicators:
        cat = cats.setdefault(r.category, CategorySubtotal(r.category, 0.0, 0.0, 0, 0))
        if r.not_assessed:
            continue
        if r.kind in (SCORED, CONSTRAINT) and r.points is not None:
            point_parts.setdefault(r.category, []).append(r.points)
            if r.score is None:
                open_parts.setdefault(r.category, []).append(r.points)
        if r.score is not None:
            score_parts.setdefault(r.category, []).append(r.score)
            cat.scored_count += 1
            if r.kind in (DEDUCTION, BONUS):  # outside full marks: its 失分 balances its score
                r.short_of_points = sc.total_of([-r.score]) if r.score else 0.0
            elif r.points is not None:
                r.short_of_points = sc.total_of([r.points, -r.score])
        elif r.unreported:
            res.unreported_events.append(r.key)
            stake.append(r.stake or 0.0)
        elif r.kind == SCORED and r.method != sc.NONE:
            cat.unscored_count += 1
            res.unscored.append(r.key)
        if r.vetoed:
            res.excluded = True
            said = r.display if task_not_done(r.display) else f"发生{_fmt(r.events)}起"  # (未完成: as written)
            res.exclusion_reasons.append(f"「{r.name}」{said}（约束条件），不参与排名")
    for c in cats.values():
        c.points = sc.total_of(point_parts.get(c.category, []))
        c.score = sc.total_of(score_parts.get(c.category, []))
        c.unscored_points = sc.total_of(open_parts.get(c.category, []))
        c.lost = sc.total_of([c.points, -c.score, -c.unscored_points])
    res.subtotals = list(cats.values())
    res.total = sc.total_of(c.score for c in cats.values())
    res.total_points = sc.total_of(c.points for c in cats.values())
    res.unscored_points = sc.total_of(c.unscored_points for c in cats.values())
    res.lost = sc.total_of(c.lost for c in cats.values())
    res.points_at_stake = sc.total_of(stake)


def _estimate(res: MonthResult, group: list[str], us: str, peers: PeerTable | None, shared: dict | None = None,
              every_unit: bool = False, group_key=None) -> None:
    """`every_unit` (the view from above, with `shared` and the group's `group_key`): what is the
    same for every unit of the month is worked out once (a province's 120 units each ranked among
    the 120 totals was 14,400 comparisons a month)."""
    if peers is None or len(group) < 2:
        res.estimate_note = "无六县市数据，无法估算总分位次"
        return
    everyone = set(group)
    sharing = shared is not None and every_unit
    own = shared if sharing else {}

    def covers(ps: dict) -> bool:  # every unit of the group has a score here (a shared dict: asked once)
        k = ("covers", id(ps), group_key)  # (a unit's own column may join a group: groups differ)
        got = own.get(k)
        if got is None or got[0] is not ps:  # kept with the dict: its id stays its own
            got = own[k] = (ps, ps.keys() >= everyone)
        return got[1]

    places = [i for i, r in enumerate(res.indicators) if r.peer_scores and covers(r.peer_scores)]
    basis = [res.indicators[i] for i in places]
    if not basis:
        res.estimate_note = "六县市数据中没有各县市都有数值的计分指标，无法估算总分位次"
        return
    # (the indicators by their places in the month's results: one system, so the same places are
    # the same indicators, and a place hashes at C speed where a key's dataclass hash does not)
    key = ("estimate", group_key if sharing else tuple(group), tuple(places))
    totals = (shared or {}).get(key)
    if totals is None:  # every unit's total on the comparable indicators: the same whoever assesses
        totals = {c: sc.total_of(r.peer_scores[c] for r in basis) for c in group}
        if shared is not None:
            shared[key] = totals
    vetoed = frozenset(c for r in res.indicators if r.kind == CONSTRAINT
                       for c, v in r.peer_values.items() if v is not None and v > 0)
    res.estimated_totals = totals if sharing else dict(totals)  # (nothing changes it once made)
    res.estimate_basis = [r.key for r in basis]
    scorable = sum(1 for r in res.indicators if r.kind == SCORED and r.points)
    note = f"按{len(basis)}项各县市都有数值的指标估算（计分指标共{scorable}项）"
    by_target = sum(1 for r in res.indicators if r.kind == SCORED and r.points
                    and not (r.peer_scores and covers(r.peer_scores)) and r.method in (sc.COMPLETION, sc.ALL_OR_NOTHING))
    if by_target:  # scored against our own target: the others' targets are not known, so neither their scores
        note += f"；{by_target}项按目标完成情况计分的指标没有其他县市的目标，未计入估算"
    if res.excluded:
        res.estimate_note = note + "；本县发生约束条件事项，不参与排名"
        return
    # our total among the totals of the units not vetoed (ours never beats itself: in or out alike)
    order = _shared(own, ("estimate order", key, vetoed),
                    lambda: rk.ordered_keys(v for c, v in totals.items() if c not in vetoed))
    res.estimated_rank = rk.rank_in(totals[us], order, HIGHER)
    if vetoed - {us}:
        note += f"；{'、'.join(sorted(vetoed - {us}))}发生约束条件事项，不参与排名"
    res.estimate_note = note
