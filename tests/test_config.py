"""kaohe.toml: defaults, every key documented, clear Chinese errors naming the key."""

import datetime as dt
import re

import pytest

from kaohe_excel.config import (INDICATOR_KEYS, SECTION_KEYS, TOP_KEYS, Config, ConfigError, Rules,
                                config_docs, load_config, parse_config)
from kaohe_excel.assess.intake import pick_department
from kaohe_excel.problems import InputError

FULL = '''
county = "叶县"
peers = ["舞钢市", "汝州市", "宝丰县", "叶县", "鲁山县", "郏县"]

[deadline]
day = 28
month = "current"

[conflict]
rule = "latest"

[ranking]
direction = "higher"
guess_direction = false
group_size = 18

[warning]
rule = "progress"
rank_green = 1
rank_yellow = 3
progress_yellow = 5
progress_red = 20
completion_green = 90
completion_yellow = 80

[scoring]
method = "efficacy"
rank_step = 10
completion_cap = 120
efficacy_base = 50
efficacy_span = 50

[deduction]
per_event = 2
cap = 10

[bonus]
per_event = 0.5
cap = 3

[rewards]
criticize_slip = false
compare_last_year = false
include_support = true

[indicators."28"]
direction = "逆向"
warning = "rank"
method = "rank_steps"

[indicators."地区生产总值增速"]
target = 6.5
points = 6

[systems."专项评价".scoring]
method = "efficacy"
'''


def test_defaults_without_file(tmp_path):
    cfg = load_config(tmp_path)
    assert cfg == Config()
    assert cfg.county == "叶县" and cfg.peers == []
    assert (cfg.deadline_day, cfg.deadline_month) == (6, "next")
    assert cfg.rules.warning == "rank" and cfg.rules.method == "rank_steps" and cfg.rules.rank_step == 5
    assert (cfg.rules.progress_yellow, cfg.rules.progress_red) == (10, 30)
    assert (cfg.rules.completion_green, cfg.rules.completion_yellow) == (95, 85)


def test_full_file(tmp_path):
    (tmp_path / "kaohe.toml").write_text(FULL, encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.peers[0] == "舞钢市" and cfg.group_size == 18 and not cfg.guess_direction
    assert (cfg.deadline_day, cfg.deadline_month, cfg.conflict_rule) == (28, "current", "latest")
    r = cfg.rules
    assert (r.warning, r.rank_green, r.rank_yellow, r.method, r.rank_step, r.completion_cap) == (
        "progress", 1, 3, "efficacy", 10, 120)
    assert (r.per_event, r.cap, r.bonus_per_event, r.bonus_cap) == (2, 10, 0.5, 3)
    assert not cfg.criticize_slip and not cfg.compare_last_year and cfg.include_support
    pm = cfg.rules_for(28, "PM2.5平均浓度")
    assert (pm.direction, pm.warning, pm.method, pm.progress_yellow) == ("lower", "rank", "rank_steps", 5)
    gdp = cfg.rules_for(30, "地区生产总值增速")
    assert (gdp.target, gdp.points) == (6.5, 6) and "points" in gdp.overridden
    assert cfg.rules_for(1, "固定资产投资增速") == cfg.rules
    assert cfg.for_system("专项评价指标体系").rules.method == "efficacy"
    assert cfg.for_system("综合评价").rules.method == "efficacy"  # top-level already efficacy


def test_bom_and_toml_path(tmp_path):
    p = tmp_path / "kaohe.toml"
    p.write_bytes('\ufeffcounty = "嘉祥县"\n'.encode("utf-8"))
    assert load_config(tmp_path).county == "嘉祥县"
    assert load_config(p).county == "嘉祥县"


@pytest.mark.parametrize("text, key, words", [
    ('[warning]\nrule = "abc"', "warning.rule", "可选：rank、progress、completion"),
    ('[warnin]\nrule = "rank"', "warnin", "不是可用的设置项"),
    ('[warning]\nrul = "rank"', "warning.rul", "是不是「warning.rule」"),
    ('[deadline]\nday = 40', "deadline.day", "1到31之间的整数"),
    ('[deadline]\nday = "6"', "deadline.day", "整数"),
    ('[deadline]\nmonth = "下月"', "deadline.month", "next、current"),
    ('[scoring]\nrank_step = -5', "scoring.rank_step", "0到100"),
    ('[scoring]\nmethod = 3', "scoring.method", "可选"),
    ('[ranking]\nguess_direction = "yes"', "ranking.guess_direction", "true 或 false"),
    ('county = 3', "county", "文字"),
    ('county = ""', "county", "不能为空"),
    ('peers = "叶县"', "peers", "列表"),
    ('peers = ["叶县", "叶县"]', "peers", "重复"),
    ('warning = "rank"', "warning", "一节"),
    ('[indicators."28"]\ndirecton = "lower"', 'indicators."28".directon', "不是可用的设置项"),
    ('[indicators."28"]\ndirection = "down"', 'indicators."28".direction', "higher、lower"),
    ('[systems."专项"]\nfoo = {}', 'systems."专项".foo', "不是可用的设置项"),
    ('[systems."专项".warning]\nrule = "x"', 'systems."专项".warning.rule', "可选"),
    ('[warning]\nrank_green = 4\nrank_yellow = 2', "warning.rank_yellow", "不能小于"),
    ('[warning]\nprogress_yellow = 40', "warning.progress_red", "不能小于"),
    ('[scoring]\nefficacy_base = 70', "scoring.efficacy_base", "不能超过100"),
])
def test_errors_name_the_key(text, key, words):
    with pytest.raises(ConfigError) as exc:
        parse_config(text)
    msg = str(exc.value)
    assert f"「{key}」" in msg, msg
    assert words in msg, msg
    assert msg.startswith("kaohe.toml")
    assert isinstance(exc.value, InputError) and exc.value.problem.file == "kaohe.toml"


def test_example_error_text():
    with pytest.raises(ConfigError) as exc:
        parse_config('[warning]\nrule = "abc"')
    assert str(exc.value) == "kaohe.toml 中「warning.rule」的值「abc」无效，可选：rank、progress、completion"


def test_toml_syntax_error_is_chinese(tmp_path):
    (tmp_path / "kaohe.toml").write_text('county = 叶县\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert "格式错误" in str(exc.value) and "双引号" in str(exc.value)


def test_not_utf8(tmp_path):
    (tmp_path / "kaohe.toml").write_bytes('county = "叶县"'.encode("gbk"))
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert "UTF-8" in str(exc.value)


def test_chinese_value_aliases():
    cfg = parse_config('[warning]\nrule = "序时进度"\n[scoring]\nmethod = "功效系数法"\n[deadline]\nmonth = "当月"')
    assert (cfg.rules.warning, cfg.rules.method, cfg.deadline_month) == ("progress", "efficacy", "current")


def test_deadlines():
    ye = Config()  # seed 001: before the 6th of next month
    assert ye.deadline_for("2023-08") == dt.date(2023, 9, 6)
    assert ye.deadline_for("2023-12") == dt.date(2024, 1, 6)
    assert not ye.is_late("2023-08", dt.date(2023, 9, 6)) and ye.is_late("2023-08", dt.datetime(2023, 9, 7, 9))
    jx = parse_config('[deadline]\nday = 28\nmonth = "current"')  # seed 000: before the 28th
    assert jx.deadline_for("2021-08") == dt.date(2021, 8, 28)
    assert parse_config('[deadline]\nday = 31').deadline_for("2023-01") == dt.date(2023, 2, 28)
    with pytest.raises(ValueError):
        ye.deadline_for("2023/8")


def test_pick_department():
    cfg = Config()
    assert pick_department(cfg, ["县统计局", "县发改局"], ["县发改局"]) == "县发改局"
    assert pick_department(cfg, ["县发改委", "县财政局"], [], newest="县财政局") == "县财政局"
    assert pick_department(cfg, ["县发改委", "县财政局"], []) == "县发改委"
    first = parse_config('[conflict]\nrule = "first"')
    assert pick_department(first, ["县统计局", "县发改局"], ["县发改局"]) == "县统计局"
    over = parse_config('[indicators."15"]\ndepartment = "财政局"')
    assert pick_department(over, ["县发改委", "县财政局"], ["县发改委"], 15) == "县财政局"


def test_indicator_keys_by_name_and_number():
    cfg = parse_config('[indicators."PM2.5"]\ndirection = "lower"\n[indicators."28"]\nmethod = "efficacy"')
    r = cfg.rules_for(28, "PM2.5 平均浓度")
    assert (r.direction, r.method) == ("lower", "efficacy")
    assert cfg.rules_for(27, "空气质量优良天数比例").direction is None


def test_unmatched_indicator_keys():
    from kaohe_excel.model import Indicator, IndicatorSystem
    system = IndicatorSystem("t", "f", "s", indicators=[Indicator(28, 1, [], "PM2.5平均浓度", "")])
    cfg = parse_config('[indicators."28"]\nmethod = "efficacy"\n[indicators."PM2.5浓度X"]\nmethod = "none"')
    assert cfg.unmatched_indicator_keys([system]) == ["PM2.5浓度X"]


def test_docs_cover_every_key():
    docs = config_docs()
    assert docs.startswith("| 设置项 | 默认值 | 含义 |")
    for k in TOP_KEYS:
        assert f"`{k.name}`" in docs
    for section, keys in SECTION_KEYS.items():
        for k in keys:
            assert f"`{section}.{k.name}`" in docs
    for k in INDICATOR_KEYS:
        assert f'.{k.name}`' in docs
    # every row has a Chinese meaning
    for line in docs.splitlines()[2:]:
        assert re.search(r"[\u4e00-\u9fff]", line.split("|")[3])


def test_docs_file_lists_every_key():
    from pathlib import Path
    md = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    for section, keys in SECTION_KEYS.items():
        for k in keys:
            assert f"{section}.{k.name}" in md, f"docs/config.md misses {section}.{k.name}"
    # the example in the docs parses
    example = re.search(r"```toml\n(.*?)```", md, re.S).group(1)
    parse_config(example)


def test_every_per_indicator_key_is_a_rule_field():
    names = {f for f in Rules.__dataclass_fields__}
    for k in INDICATOR_KEYS:
        assert k.name in names


@pytest.mark.parametrize("text, said", [
    ("a = " + "[" * 100000 + "]" * 100000, "嵌套过深"),  # (RecursionError: 意外错误, no name)
    ('county = "' + "县" * 91 + '"', "「county」的值有 91 个字"),  # (OSError: file name too long, when writing)
])
def test_settings_no_office_writes_are_named_not_crashed_on(text, said):
    with pytest.raises(ConfigError, match=said):
        parse_config(text)
