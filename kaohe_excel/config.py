"""kaohe.toml: the workspace's rules, every one optional, every one documented.

`load_config(workspace)` reads `<workspace>/kaohe.toml` when it exists and returns a
`Config`; without the file every setting takes its default.  A wrong key or value is a
`ConfigError` (an `InputError`) whose Chinese message names the key, so the clerk can
fix the file.  The schema below drives both the validation and `config_docs()`, the
reference table pasted into the README and docs/config.md.

Layout of the file (all sections optional):

    county = "叶县"                       # the county we serve
    peers = ["叶县", "舞钢市", ...]       # the comparison group, empty = the peer sheet's
    [deadline]   day, month
    [conflict]   rule
    [ranking]    direction, guess_direction, group_size
    [warning]    rule, rank_green, rank_yellow, progress_yellow, progress_red,
                 completion_green, completion_yellow
    [scoring]    method, rank_step, completion_cap, efficacy_base, efficacy_span
    [deduction]  per_event, cap
    [bonus]      per_event, cap
    [rewards]    criticize_slip, compare_last_year, include_support
    [bulletin]   notable_change (情况通报 的进位/退位明显)
    [indicators."<序号或名称>"]   per-indicator overrides (see INDICATOR_KEYS)
    [systems."<标题关键词>"]      the same sections again, for one indicator system
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kaohe_excel.fsutil import read_regular
from kaohe_excel.problems import ERROR, InputError, Problem

CONFIG_NAME = "kaohe.toml"

# Values of the choice settings (English in the file; Chinese aliases accepted).
RULES = ("rank", "progress", "completion")
METHODS = ("rank_steps", "efficacy", "completion", "all_or_nothing", "none")
DIRECTIONS = ("higher", "lower")
CONFLICT_RULES = ("lead", "latest", "first")
DEADLINE_MONTHS = ("next", "current")
KINDS = ("scored", "deduction", "constraint", "bonus")

_ALIASES = {
    "正向": "higher", "越高越好": "higher", "逆向": "lower", "反向": "lower", "越低越好": "lower",
    "排名": "rank", "位次": "rank", "序时进度": "progress", "进度": "progress", "完成率": "completion",
    "名次递减": "rank_steps", "排名递减": "rank_steps", "功效系数": "efficacy", "功效系数法": "efficacy",
    "目标完成": "completion", "完成比例": "completion", "全有全无": "all_or_nothing", "达标": "all_or_nothing",
    "不计分": "none", "牵头": "lead", "牵头单位": "lead", "最新": "latest", "较新": "latest",
    "首位": "first", "第一个": "first", "次月": "next", "当月": "current", "本月": "current",
    "计分": "scored", "减分": "deduction", "扣分": "deduction", "约束条件": "constraint",
    "一票否决": "constraint", "加分": "bonus",
}


class ConfigError(InputError):
    """kaohe.toml cannot be used: the message names the key and what is allowed."""

    def __init__(self, message: str, file: str = CONFIG_NAME):
        super().__init__(Problem(file, None, None, ERROR, message))
        self.message = message

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- the schema
@dataclass(frozen=True)
class Key:
    """One setting: where it lives, its type, default and meaning (in Chinese)."""

    name: str
    kind: str  # str, int, pct, num, bool, list, choice
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    default_doc: str | None = None  # how the default reads in the docs when it is computed


TOP_KEYS = [
    Key("county", "str", "叶县", "本县（我们服务的县市）名称，须与六县市数据表头中的县名一致",
        default_doc="从指标体系标题、各单位月报的文件名、表头和「填报单位」识别（如「郏县2024年度…任务分工表」即郏县；"
                    "六县市数据标题中的上级市不算）；识别不出或有两个同样可能时停止运行，列出候选，请在此写明"),
    Key("peers", "list", [], "参与比较的县市（含本县）；为空时取六县市数据表头中的全部县市",
        default_doc="[]（六县市数据中的全部县市；上级市本身的一列——标题「平顶山市六县（市）…」中的平顶山市、各区之上的某某市、"
                    "全市、市区、平均、合计——不参与排名，并在小结中说明）"),
    Key("accept_other_month", "bool", False,
        "月份文件夹中表内标题（或工作表名、文件名）写明是别的月份的月报：false 报错且不采用；true 照常采用（仍提示月份不一致）"),
    Key("unreported_events", "choice", "unknown",
        "减分项、约束条件无人报送时：unknown 显示「未报送」、不计分，并在得分测算中写明涉及的分值；"
        "none 按未发生计（减分项不扣分，约束条件得满分）", ("unknown", "none")),
]

SECTION_KEYS: dict[str, list[Key]] = {
    "deadline": [
        Key("day", "int", 6, "月报截止日：该日（含）之前报送为按时，之后为迟报", lo=1, hi=31),
        Key("month", "choice", "next", "截止日所在月份：next 次月（叶县：次月6日前）；current 当月（嘉祥：每月28日前）",
            DEADLINE_MONTHS),
    ],
    "conflict": [
        Key("rule", "choice", "lead",
            "同一指标两个单位报送不同数值时采用谁的：lead 牵头单位（牵头不明时取较新文件）；latest 较新文件；first 责任单位中排第一的",
            CONFLICT_RULES),
    ],
    "ranking": [
        Key("direction", "choice", "higher",
            "指标方向的最后默认值（六县市数据、指标体系、本文件和名称推断都未说明时）：higher 正向 越高越好；lower 逆向 越低越好",
            DIRECTIONS),
        Key("guess_direction", "bool", True,
            "方向未注明时是否按指标名称推断逆向（如含“浓度”“不良贷款率”“能耗”“事故”，但“下降率”“降低率”“改善率”仍为正向；“不合格率”“未达标”“不达标”“不满意”读作逆向，“不合格产品整改率”仍为正向）；推断结果会提示"),
        Key("group_size", "int", 6, "比较县市个数（用于按位次三等分预警）；仅在既无 peers 又无六县市数据时使用", lo=1, hi=500),
    ],
    "warning": [
        Key("rule", "choice", "rank",
            "预警规则：rank 按位次（N个县市三等分，六县市为1–2绿、3–4黄、5–6红）；progress 按序时进度；completion 按目标完成率",
            RULES),
        Key("rank_green", "int", None, "位次规则：名次 ≤ 此值为绿色", lo=1, hi=500,
            default_doc="比较县市数的三分之一（向上取整；六县市为2）"),
        Key("rank_yellow", "int", None, "位次规则：名次 ≤ 此值为黄色，其余为红色", lo=1, hi=500,
            default_doc="比较县市数的三分之二（向上取整；六县市为4）"),
        Key("progress_yellow", "pct", 10.0,
            "序时进度规则：完成率低于序时进度（月份÷12）不足此百分点为绿色，达到此值为黄色", lo=0, hi=100),
        Key("progress_red", "pct", 30.0, "序时进度规则：完成率低于序时进度超过此百分点为红色", lo=0, hi=100),
        Key("completion_green", "pct", 95.0, "完成率规则：完成率 ≥ 此值（%）为绿色", lo=0, hi=150),
        Key("completion_yellow", "pct", 85.0, "完成率规则：完成率 ≥ 此值（%）为黄色，低于为红色", lo=0, hi=150),
    ],
    "scoring": [
        Key("method", "choice", "rank_steps",
            "计分方法：rank_steps 按名次递减；efficacy 功效系数法；completion 按目标完成比例；all_or_nothing 完成目标得满分否则0分；none 不计分",
            METHODS),
        Key("rank_step", "pct", 5.0, "按名次递减：每低一个名次少得分值的百分之几（5 即 100%、95%、90%…）", lo=0, hi=100),
        Key("completion_cap", "pct", 100.0,
            "按目标完成比例：完成率封顶值（%）；得分 = 分值 × min(完成率, 封顶)。大于100时超额完成可得超过分值的分数", lo=0.0001, hi=200),
        Key("efficacy_base", "num", 60.0, "功效系数法：最差县市得分（百分制），d = 基础分 + 幅度 × (x − 最差)/(最好 − 最差)", lo=0, hi=100),
        Key("efficacy_span", "num", 40.0, "功效系数法：最好与最差之间的幅度（百分制），基础分 + 幅度 不应超过100", lo=0, hi=100),
    ],
    "deduction": [
        Key("per_event", "num", None, "减分项：每起扣几分（指标体系未写明时使用）", lo=0, hi=1000,
            default_doc="取指标体系（如“每发生一起扣10分”“扣1.3分”）；都没有时月报数值即为扣分"),
        Key("cap", "num", None, "减分项：合计扣分上限（指标体系未写明时使用）", lo=0, hi=10000,
            default_doc="取指标体系（如“合计不超过30分”）；都没有时不封顶"),
    ],
    "bonus": [
        Key("per_event", "num", 1.0, "加分项：月报数值每1个单位加几分（1 即月报数值就是加分）", lo=0, hi=1000),
        Key("cap", "num", None, "加分项：加分上限", lo=0, hi=10000, default_doc="指标体系中的分值；没有分值时不封顶"),
    ],
    "rewards": [
        Key("criticize_slip", "bool", True, "奖惩：位次下滑（期末比期初差）的指标也列入批评"),
        Key("compare_last_year", "bool", True, "奖惩：同时与上年位次（月报“上年完成情况(位次)”）比较是否下滑"),
        Key("include_support", "bool", False, "部门考核表：参与单位也计入（默认只计牵头单位）"),
    ],
    "bulletin": [
        Key("notable_change", "int", 2,
            "情况通报：位次比上月上升（下降）达到此数的指标列为「进位明显」（「退位明显」）；默认2，即六县市跨过一档预警的幅度",
            lo=1, hi=500),
    ],
}

# Per-indicator overrides: [indicators."28"] or [indicators."PM2.5平均浓度"].
INDICATOR_KEYS = [
    Key("direction", "choice", None, "方向（六县市数据和指标体系都未注明时使用）", DIRECTIONS),
    Key("kind", "choice", None, "指标类型改写：scored 计分；deduction 减分；constraint 约束条件；bonus 加分", KINDS),
    Key("method", "choice", None, "本指标的计分方法", METHODS),
    Key("warning", "choice", None, "本指标的预警规则", RULES),
    Key("points", "num", None, "本县在本指标的分值（覆盖指标体系）", lo=0, hi=10000),
    Key("target", "num", None, "目标值（月报未填本年目标时使用）"),
    Key("department", "str", None, "数值冲突时采用哪个单位的报送"),
    Key("per_event", "num", None, "减分项每起扣几分、加分项每单位加几分（覆盖指标体系）", lo=0, hi=1000),
    Key("cap", "num", None, "减分项扣分上限或加分项加分上限（覆盖指标体系）", lo=0, hi=10000),
    Key("rank_step_points", "num", None, "按名次递减：每低一个名次少得几分（如 0.5，即「每降一位扣0.5分」；覆盖 rank_step）",
        lo=0, hi=10000),
] + [replace(k, default=None, default_doc=None) for k in (
    SECTION_KEYS["warning"][1:] + SECTION_KEYS["scoring"][1:3])]

_SYSTEM_SECTIONS = ("ranking", "warning", "scoring", "deduction", "bonus", "indicators")


# ---------------------------------------------------------------- the dataclasses
@dataclass(frozen=True)
class Rules:
    """The settings that apply to one indicator (system-wide merged with its override)."""

    direction: str | None = None  # per-indicator only; None: not configured
    kind: str | None = None
    method: str = "rank_steps"
    warning: str = "rank"
    rank_green: int | None = None
    rank_yellow: int | None = None
    progress_yellow: float = 10.0
    progress_red: float = 30.0
    completion_green: float = 95.0
    completion_yellow: float = 85.0
    rank_step: float = 5.0
    rank_step_points: float | None = None  # each place below the first, this many points less (每降一位扣0.5分)
    completion_cap: float = 100.0
    efficacy_base: float = 60.0
    efficacy_span: float = 40.0
    per_event: float | None = None
    cap: float | None = None
    bonus_per_event: float = 1.0
    bonus_cap: float | None = None
    points: float | None = None
    target: float | None = None
    department: str | None = None
    overridden: frozenset = frozenset()  # the keys set for this very indicator


@dataclass
class Config:
    county: str = "叶县"
    peers: list[str] = field(default_factory=list)
    unreported_events: str = "unknown"  # or "none": silence on a deduction/constraint means none
    accept_other_month: bool = False  # a sheet saying it is another month's is used anyway
    deadline_day: int = 6
    deadline_month: str = "next"
    conflict_rule: str = "lead"
    direction: str = "higher"
    guess_direction: bool = True
    group_size: int = 6
    criticize_slip: bool = True
    compare_last_year: bool = True
    include_support: bool = False
    notable_change: int = 2  # places moved since last month that the bulletin calls 明显
    rules: Rules = field(default_factory=Rules)  # system-wide
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> overrides
    systems: dict[str, dict[str, Any]] = field(default_factory=dict)  # keyword -> raw sections
    source: str | None = None  # the file read, None for defaults
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- per system and per indicator
    def for_system(self, title: str | None, file: str = "") -> "Config":
        """The config with the [systems."关键词"] sections merged whose keyword appears in
        the system's title or file name (several may match; later ones win)."""
        hits = [kw for kw in self.systems if kw and (kw in (title or "") or kw in (file or ""))]
        if not hits:
            return self
        raw = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.raw.items() if k != "systems"}
        for kw in hits:
            for section, values in self.systems[kw].items():
                merged = dict(raw.get(section, {}))
                if section == "indicators":
                    for key, over in values.items():
                        merged[key] = {**merged.get(key, {}), **over}
                else:
                    merged.update(values)
                raw[section] = merged
        cfg = _parse(raw, self.source or CONFIG_NAME)
        cfg.systems, cfg.raw = self.systems, self.raw
        if "county" not in raw:  # found in the files, not written in kaohe.toml
            cfg.county = self.county
        return cfg

    def override_for(self, no: int | None, name: str) -> dict[str, Any]:
        """The [indicators.*] overrides matching an indicator: by 序号 first, then by name
        (exact after removing spaces, else the key contained in the name)."""
        found: dict[str, Any] = {}
        if not self.indicators:  # asked for every unit's every indicator of a province
            return found
        norm = _norm(name)
        by_name_exact = [k for k in self.indicators if not k.isdigit() and _norm(k) == norm]
        by_name_part = [k for k in self.indicators
                        if not k.isdigit() and _norm(k) and _norm(k) in norm and k not in by_name_exact]
        for k in by_name_part + by_name_exact:
            found.update(self.indicators[k])
        if no is not None and str(no) in self.indicators:
            found.update(self.indicators[str(no)])
        return found

    def rules_for(self, no: int | None = None, name: str = "") -> Rules:
        over = self.override_for(no, name)
        if not over:
            return self.rules
        mapped = dict(over)
        if "cap" in over:
            mapped["bonus_cap"] = over["cap"]
        if "per_event" in over:
            mapped["bonus_per_event"] = over["per_event"]
        return replace(self.rules, overridden=frozenset(over), **mapped)

    def unmatched_indicator_keys(self, systems) -> list[str]:
        """[indicators] keys that match no indicator of any of the given systems."""
        out = []
        for key in self.indicators:
            hit = False
            for system in systems:
                for ind in system.indicators:
                    if (key.isdigit() and ind.no == int(key)) or (
                            not key.isdigit() and _norm(key) and _norm(key) in _norm(ind.name)):
                        hit = True
                        break
                if hit:
                    break
            if not hit:
                out.append(key)
        return out

    # -- deadline
    def deadline_for(self, month: str) -> _dt.date:
        """The last on-time day for the reports of `month` ('YYYY-MM')."""
        y, m = parse_month(month)
        if self.deadline_month == "next":
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        last = calendar.monthrange(y, m)[1]
        return _dt.date(y, m, min(self.deadline_day, last))

    def is_late(self, month: str, when: _dt.date | _dt.datetime) -> bool:
        if isinstance(when, _dt.datetime):
            when = when.date()
        return when > self.deadline_for(month)


# ---------------------------------------------------------------- loading
MAX_CONFIG_BYTES = 1024 * 1024  # a kaohe.toml is a few KB; a bigger one is not a settings file


def load_config(workspace: Path | str | None = None) -> Config:
    """Read `<workspace>/kaohe.toml` (or the file itself when a .toml path is given).
    A missing file gives the defaults; a bad one raises ConfigError."""
    path = Path(workspace) if workspace is not None else Path.cwd()
    if path.is_dir() or path.suffix.lower() != ".toml":
        path = path / CONFIG_NAME
    if not path.exists():
        return Config()
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name} 不是 UTF-8 编码的文本文件，请用记事本“另存为 UTF-8”后再试", path.name)
    except OSError as exc:
        raise ConfigError(f"无法读取 {path.name}：{exc.strerror or exc}", path.name)
    return parse_config(text, path.name)


# tomllib's messages in a clerk's words (the rest are shown as 技术信息)
_TOML_ZH = (
    ("Invalid value", "等号后面的值写法不对"),
    ("Expected '=' after a key", "设置项名称后面应有英文等号 ="),
    ("Unterminated string", "引号没有配对（少了结尾的英文双引号）"),
    ("Illegal character", "文字中有不允许的字符"),
    ("Expected ']' at the end of a table declaration", "节名称的方括号没有配对，应写成 [warning] 这样"),
    ("Cannot overwrite a value", "同一设置项写了两次"),
    ("Cannot declare", "同一节写了两次"),
    ("Unclosed array", "列表的方括号没有配对，应写成 [\"叶县\", \"舞钢市\"] 这样"),
    ("Expected newline or end of document after a statement", "一行只能写一个设置项"),
    ("Invalid statement", "这一行写法不对，应为 设置项 = 值"),
)


MAX_UNIT_NAME = 30  # characters of a unit's name (新疆生产建设兵团第一师阿拉尔市 is 14)


def parse_config(text: str, name: str = CONFIG_NAME) -> Config:
    """Parse kaohe.toml text (for tests and for the CLI)."""
    try:
        data = tomllib.loads(text)
    except RecursionError:  # a = [[[[…]]]] nested past the parser's depth
        raise ConfigError(f"{name} 格式错误：方括号或花括号嵌套过深，不是 kaohe 的设置；请删除该行后重试", name) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib raises this one class for every case: only its words tell them apart
        msg = str(exc)
        m = re.search(r"line (\d+)(?:, column (\d+))?", msg)
        where = (f"第{m.group(1)}行" + (f"第{m.group(2)}个字符处" if m.group(2) else "")) if m else ""
        what = next((zh for en, zh in _TOML_ZH if msg.startswith(en)), f"技术信息：{msg}")
        raise ConfigError(f"{name} {where}格式错误（不符合 TOML 写法）：{what}。"
                          "常见原因：文字值没有加英文双引号，或使用了中文引号、中文等号", name)
    return _parse(data, name)


def _parse(data: dict[str, Any], name: str) -> Config:
    cfg = Config(source=name, raw=data)
    sections = set(SECTION_KEYS) | {"indicators", "systems"}
    top = {k.name: k for k in TOP_KEYS}
    for key, value in data.items():
        if key in top:
            continue
        if key not in sections:
            _unknown(name, key, list(top) + sorted(sections))
        if not isinstance(value, dict):
            raise ConfigError(f"{name} 中「{key}」应为一节（[{key}]），而不是单个值", name)
    cfg.county = _value(name, top["county"], data.get("county", top["county"].default), "county")
    if not cfg.county.strip():
        raise ConfigError(f"{name} 中「county」不能为空，应为本县名称，如 \"叶县\"", name)
    if re.search(r"[\\/:*?\"<>|\x00-\x1f]|\.\.", cfg.county):  # it names report files: never a path
        raise ConfigError(f"{name} 中「county」的值「{cfg.county}」不是县名（含有 / \\ : * ? 等符号或 ..）；"
                          f"应为本县名称，如 \"叶县\"", name)
    if len(cfg.county) > MAX_UNIT_NAME:  # it names report files (a 91-character name: 文件名过长)
        raise ConfigError(f"{name} 中「county」的值有 {len(cfg.county)} 个字，不像县名（最多 {MAX_UNIT_NAME} 个字）；"
                          f"应为本县名称，如 \"叶县\"", name)
    cfg.peers = _value(name, top["peers"], data.get("peers", []), "peers")
    cfg.accept_other_month = _value(name, top["accept_other_month"], data.get("accept_other_month", False),
                                    "accept_other_month")
    cfg.unreported_events = _value(name, top["unreported_events"],
                                   data.get("unreported_events", top["unreported_events"].default), "unreported_events")

    vals: dict[str, dict[str, Any]] = {}
    for section, keys in SECTION_KEYS.items():
        given = data.get(section, {})
        by_name = {k.name: k for k in keys}
        for k in given:
            if k not in by_name:
                _unknown(name, f"{section}.{k}", [f"{section}.{x}" for x in by_name])
        vals[section] = {k.name: _value(name, k, given[k.name], f"{section}.{k.name}")
                         if k.name in given else k.default for k in keys}
    d, w, s = vals["deadline"], vals["warning"], vals["scoring"]
    cfg.deadline_day, cfg.deadline_month = d["day"], d["month"]
    cfg.conflict_rule = vals["conflict"]["rule"]
    cfg.direction = vals["ranking"]["direction"]
    cfg.guess_direction = vals["ranking"]["guess_direction"]
    cfg.group_size = vals["ranking"]["group_size"]
    r = vals["rewards"]
    cfg.criticize_slip, cfg.compare_last_year, cfg.include_support = (
        r["criticize_slip"], r["compare_last_year"], r["include_support"])
    cfg.notable_change = vals["bulletin"]["notable_change"]
    cfg.rules = Rules(
        method=s["method"], warning=w["rule"], rank_green=w["rank_green"], rank_yellow=w["rank_yellow"],
        progress_yellow=w["progress_yellow"], progress_red=w["progress_red"],
        completion_green=w["completion_green"], completion_yellow=w["completion_yellow"],
        rank_step=s["rank_step"], completion_cap=s["completion_cap"], efficacy_base=s["efficacy_base"],
        efficacy_span=s["efficacy_span"], per_event=vals["deduction"]["per_event"],
        cap=vals["deduction"]["cap"], bonus_per_event=vals["bonus"]["per_event"],
        bonus_cap=vals["bonus"]["cap"])
    _check_rules(name, cfg.rules, "")

    ind_keys = {k.name: k for k in INDICATOR_KEYS}
    for key, over in data.get("indicators", {}).items():
        label = f"indicators.{_quote(key)}"
        if not isinstance(over, dict):
            raise ConfigError(f"{name} 中「{label}」应为一节（[{label}]），其中写 method = \"efficacy\" 等设置", name)
        if not str(key).strip():
            raise ConfigError(f"{name} 中「indicators」下有空的指标名称，应为序号（如 \"28\"）或指标名称", name)
        parsed = {}
        for k, v in over.items():
            if k not in ind_keys:
                _unknown(name, f"{label}.{k}", [f"{label}.{x}" for x in ind_keys])
            parsed[k] = _value(name, ind_keys[k], v, f"{label}.{k}")
        cfg.indicators[str(key).strip()] = parsed
        _check_rules(name, replace(cfg.rules, **parsed), label + ".")

    for kw, sec in data.get("systems", {}).items():
        label = f"systems.{_quote(kw)}"
        if not isinstance(sec, dict):
            raise ConfigError(f"{name} 中「{label}」应为一节，其中可写 [{label}.scoring] 等", name)
        for k, v in sec.items():
            if k not in _SYSTEM_SECTIONS:
                _unknown(name, f"{label}.{k}", [f"{label}.{x}" for x in _SYSTEM_SECTIONS])
            if not isinstance(v, dict):
                raise ConfigError(f"{name} 中「{label}.{k}」应为一节", name)
        cfg.systems[kw] = sec
        # validate the merged result now, so a bad key fails at load time
        merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items() if k != "systems"}
        for k, v in sec.items():
            merged[k] = {**merged.get(k, {}), **v}
        try:
            _parse(merged, name)
        except ConfigError as exc:
            raise ConfigError(exc.message.replace(f"{name} 中「", f"{name} 中「{label}."), name) from None
    return cfg


def _check_rules(name: str, r: Rules, prefix: str) -> None:
    if r.rank_green is not None and r.rank_yellow is not None and r.rank_yellow < r.rank_green:
        raise ConfigError(f"{name} 中「{prefix or 'warning.'}rank_yellow」（{r.rank_yellow}）不能小于"
                          f"「rank_green」（{r.rank_green}）", name)
    if r.progress_red < r.progress_yellow:
        raise ConfigError(f"{name} 中「{prefix or 'warning.'}progress_red」（{r.progress_red:g}）不能小于"
                          f"「progress_yellow」（{r.progress_yellow:g}）", name)
    if r.completion_yellow > r.completion_green:
        raise ConfigError(f"{name} 中「{prefix or 'warning.'}completion_yellow」（{r.completion_yellow:g}）不能大于"
                          f"「completion_green」（{r.completion_green:g}）", name)
    if r.efficacy_base + r.efficacy_span > 100 + 1e-9:
        raise ConfigError(f"{name} 中「{prefix or 'scoring.'}efficacy_base」加「efficacy_span」不能超过100", name)


def _unknown(name: str, key: str, allowed: list[str]) -> None:
    import difflib

    # [indicators."28"] lists 17 keys: name them once, without repeating the prefix
    prefix = key.rsplit(".", 1)[0] + "." if "." in key else ""
    last = {a.rsplit(".", 1)[-1]: a for a in allowed}
    close = difflib.get_close_matches(key.rsplit(".", 1)[-1], list(last), n=1, cutoff=0.6)
    guess = f"是不是「{last[close[0]]}」？" if close else ""
    if prefix and all(a.startswith(prefix) for a in allowed):
        shown = f"{prefix.rstrip('.')} 下可用：" + "、".join(a[len(prefix):] for a in allowed)
    else:
        shown = "可用：" + "、".join(allowed)
    raise ConfigError(f"{name} 中的「{key}」不是可用的设置项。{guess}{shown}", name)


def _quote(key: str) -> str:
    return f'"{key}"'


def _value(name: str, key: Key, v: Any, label: str) -> Any:
    def bad(expect: str):
        shown = v if not isinstance(v, bool) else str(v).lower()
        raise ConfigError(f"{name} 中「{label}」的值「{shown}」无效，{expect}", name)

    if key.kind == "str":
        if not isinstance(v, str):
            bad("应为加英文双引号的文字，如 \"叶县\"")
        return v.strip()
    if key.kind == "list":
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            bad("应为县市名称的列表，如 [\"叶县\", \"舞钢市\"]")
        out = [x.strip() for x in v]
        if len(set(out)) != len(out):
            bad("列表中有重复的县市")
        return out
    if key.kind == "bool":
        if not isinstance(v, bool):
            bad("应为 true 或 false")
        return v
    if key.kind == "choice":
        s = v.strip() if isinstance(v, str) else None
        s = _ALIASES.get(s, s.lower() if s else s)
        if s not in key.choices:
            bad(f"可选：{'、'.join(key.choices)}")
        return s
    # numbers
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        if key.kind == "int":
            bad(_range_text(key, "整数"))
        bad(_range_text(key, "数字"))
    if key.kind == "int" and (not float(v).is_integer()):
        bad(_range_text(key, "整数"))
    if (key.lo is not None and v < key.lo) or (key.hi is not None and v > key.hi) or v != v:
        bad(_range_text(key, "整数" if key.kind == "int" else "数字"))
    return int(v) if key.kind == "int" else float(v)


def _range_text(key: Key, what: str) -> str:
    if key.lo is not None and key.hi is not None:
        return f"应为{key.lo:g}到{key.hi:g}之间的{what}"
    if key.lo is not None:
        return f"应为不小于{key.lo:g}的{what}"
    return f"应为{what}"


def parse_month(month: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"月份「{month}」应写成 YYYY-MM，如 2023-08")
    return int(m.group(1)), int(m.group(2))


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


# ---------------------------------------------------------------- docs
def _fmt_default(k: Key) -> str:
    if k.default_doc:
        return k.default_doc
    v = k.default
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, float):
        return f"{v:g}"
    if v is None:
        return "（无）"
    return str(v)


def config_docs() -> str:
    """A markdown table of every kaohe.toml key: key, default, meaning (Chinese)."""
    lines = ["| 设置项 | 默认值 | 含义 |", "| --- | --- | --- |"]
    for k in TOP_KEYS:
        lines.append(f"| `{k.name}` | `{_fmt_default(k)}` | {k.doc} |")
    for section, keys in SECTION_KEYS.items():
        for k in keys:
            lines.append(f"| `{section}.{k.name}` | `{_fmt_default(k)}` | {k.doc} |")
    for k in INDICATOR_KEYS:
        lines.append(f"| `indicators.\"序号或名称\".{k.name}` | 同全局设置 | {k.doc} |")
    lines.append("| `systems.\"标题关键词\".<节>.<项>` | （无） | 只对标题或文件名含该关键词的指标体系生效的设置，"
                 "可写 ranking、warning、scoring、deduction、bonus、indicators 各节 |")
    return "\n".join(lines)


__all__ = ["Config", "ConfigError", "Rules", "load_config", "parse_config", "config_docs",
           "RULES", "METHODS", "DIRECTIONS", "CONFLICT_RULES"]


def _field_names() -> set[str]:  # used by tests: every Rules field is reachable
    return {f.name for f in fields(Rules)}
