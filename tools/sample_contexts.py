"""Sample report contexts for previewing and testing the shipped templates.

One function per report, each returning the full context the template receives
(the common keys plus the report's own, as documented in docs/report_context.md).
The numbers are synthetic (演示数据): Ye county's 2023 indicator system (49
indicators, 7 categories, 116 points, seed 001) with made-up results for August.
Deterministic: the same call always returns the same context.

    from tools.sample_contexts import overview, SAMPLES
    ctx = overview()                     # one report
    for key, fn in SAMPLES.items(): ...  # all of them, keyed like write/reports.REPORTS
"""

from __future__ import annotations

import random

COUNTY = "叶县"
YEAR = 2023
MONTH_NO = 8

# category, [(no, name, points, departments)]
INDICATORS: list[tuple[str, list[tuple[int, str, int, str]]]] = [
    ("项目建设", [
        (1, "固定资产投资增速", 5, "发改委"),
        (2, "工业投资占固定资产投资比重", 3, "工信局"),
        (3, "招商引资签约项目当年开工率", 2, "招商服务中心"),
        (4, "招商引资签约项目投资完成率", 2, "招商服务中心"),
        (5, "招商引资签约项目投产率", 2, "招商服务中心"),
        (6, "亿元及以上新开工产业项目个数", 2, "发改委"),
    ]),
    ("创新驱动", [
        (7, "规模以上工业企业研发费用支出增速", 4, "工信局"),
        (8, "地方一般公共预算科学技术支出增速", 4, "财政局"),
        (9, "工业技术改造投资占工业投资比重", 2, "工信局"),
        (10, "高新技术企业净增数", 2, "工信局"),
        (11, "省级及以上创新平台和新型研发机构净增数", 2, "工信局"),
        (12, "规模以上工业企业研发机构覆盖率", 2, "工信局"),
        (13, "技术合同成交额与地区生产总值之比", 2, "工信局"),
    ]),
    ("产业转型", [
        (14, "工业增加值占地区生产总值比重", 4, "工信局"),
        (15, "规模以上工业战略性新兴产业增加值增速", 3, "发改委、财政局"),
        (16, "规模以上工业高新技术产业增加值增速", 3, "工信局"),
        (17, "制造业增加值占规模以上工业增加值比重", 3, "工信局"),
        (18, "规模以上工业企业净增数", 3, "工信局"),
        (19, "第三产业增加值占生产总值比重及增长速度", 4, "发改委"),
    ]),
    ("城乡融合", [
        (20, "常住人口城镇化率", 4, "发改委"),
        (21, "城镇居民人均可支配收入增速", 2, "人社局"),
        (22, "农村居民人均可支配收入增速", 3, "农业农村局"),
        (23, "规模以上农产品加工企业营业收入增速", 3, "农业农村局"),
        (24, "高标准农田建设", 2, "农业农村局"),
        (25, "新改造农村户厕达标率", 2, "农业农村局"),
    ]),
    ("资源环境", [
        (26, "单位工业增加值用水量降低率", 2, "水利局"),
        (27, "空气质量优良天数比例", 3, "生态环境局"),
        (28, "PM2.5年均浓度", 2, "生态环境局"),
        (29, "地表水环境质量", 2, "生态环境局"),
    ]),
    ("综合质效", [
        (30, "地区生产总值增速", 5, "发改委"),
        (31, "社会消费品零售总额增速", 4, "商务局"),
        (32, "市重点民生实事任务落实", 3, "督查局"),
        (33, "城镇新增就业人数", 2, "人社局"),
        (34, "新增从业人员持证人数", 2, "人社局"),
        (35, "金融机构人民币各项贷款余额增速", 2, "金融工作服务中心"),
        (36, "较大及以上生产安全事故", 2, "应急管理局"),
        (37, "政府性债务和暂付款管理", 2, "财政局"),
    ]),
    ("省、市下达的其他责任目标", [
        (38, "信访案件结案率达到省、市要求，保持社会信访稳定", 1, "信访局"),
        (39, "完成市定消防工作目标任务", 1, "消防大队"),
        (40, "认真做好政务公开工作", 4, "政府办"),
        (41, "完成知识产权创造、运用、保护、服务和管理能力目标任务", 1, "市场监管局"),
        (42, "完成市定培育发展房屋租赁市场目标任务", 1, "房产事务服务中心"),
        (43, "完成市定政务服务目标任务", 1, "行政服务中心"),
        (44, "认真做好社会信用体系建设工作", 1, "发改委"),
        (45, "完成全民科学素质目标任务", 1, "工信局"),
        (46, "认真做好公共机构节约能源资源工作", 1, "机关事务服务中心"),
        (47, "完成市定全面推进文旅康养城市建设目标任务", 1, "文广旅局"),
        (48, "完成普法宣传、其他市定法治政府建设目标任务", 1, "司法局"),
        (49, "新三板挂牌企业个数", 1, "金融工作服务中心"),
    ]),
]
CN = "一二三四五六七八九十"
PEERS = ["叶县", "舞钢市", "汝州市", "宝丰县", "鲁山县", "郏县"]
WARN = {1: "绿", 2: "绿", 3: "黄", 4: "黄", 5: "红", 6: "红"}
NOTE = "红黄绿预警提示：排名1-2名的用绿色标识，排名3-4名的用黄色标识，排名5-6名的用红色标识。"


def common(demo: bool = True) -> dict:
    return {
        "county": COUNTY, "year": YEAR, "last_year": YEAR - 1, "month": f"{YEAR}-{MONTH_NO:02d}",
        "month_no": MONTH_NO, "month_label": f"{MONTH_NO}月底", "period_label": f"{YEAR}年1-{MONTH_NO}月",
        "system_title": f"{COUNTY}{YEAR}年度高质量发展综合绩效指标完成情况一览表", "annex_label": "附件2",
        "generated_at": f"{YEAR}-09-05 10:12", "signoff": {"reviewer": "", "issuer": "", "date": ""},
        "demo": demo, "rule_note": NOTE, "green_max": 2, "yellow_max": 4, "group_label": "六县市", "peer_period": "", "target_label": "县定目标",
    }


def _rows() -> list[dict]:
    """One made-up result per indicator (fixed seed)."""
    rnd = random.Random(2023_08)
    out = []
    for cat, items in INDICATORS:
        for no, name, points, deps in items:
            quantitative = no <= 35 or no == 49
            rank = rnd.randint(1, 6) if no not in (24, 32, 36, 43) else None
            last_rank = rnd.randint(1, 6)
            if no == 36:  # a constraint-like safety indicator: an event count, no rank
                actual, last_year, target = "0起", "0起", "不发生"
            elif quantitative:
                v = round(rnd.uniform(-3.0, 15.0), 1)
                actual = f"增长{v}%" if v >= 0 else f"下降{abs(v)}%"
                last_year = f"{round(rnd.uniform(1, 12), 1)}%（{last_rank}）"
                target = f"{round(rnd.uniform(5, 10), 1)}%"
            else:
                actual, last_year, target = "按序时推进", f"完成（{last_rank}）", "完成市定任务"
            if no == 24:
                actual = ""  # not reported this month
            ch = rnd.choice([-2, -1, 0, 0, 1, 2]) if rank else None
            out.append({
                "category": cat, "no": no, "name": name, "points": points, "departments": deps,
                "last_year": last_year, "target": target, "actual": actual, "rank": rank,
                "warning": WARN[rank] if rank else ("绿" if no == 36 else ""),
                "rank_change": "" if ch is None else ("持平" if ch == 0 else (f"↑{ch}" if ch > 0 else f"↓{-ch}")),
                "note": "" if rank or no == 36 else ("本月无数据（月报未填完成情况和排名）" if no == 24
                                                     else "六县市数据中没有本指标，月报也未填排名，无法排名"),
            })
    return out


def overview() -> dict:
    ctx = common()
    rows = _rows()
    cats = []
    for i, (cat, items) in enumerate(INDICATORS):
        inds = [{k: v for k, v in r.items() if k != "category"} for r in rows if r["category"] == cat]
        cats.append({"label": f"{CN[i]}、{cat}", "name": cat, "points": sum(p for _, _, p, _ in items),
                     "indicators": inds})
    ctx.update(total_points=116, categories=cats)
    return ctx


def bulletin() -> dict:
    ctx = common()
    rows = _rows()
    rnd = random.Random(7)
    counts = {"red": 0, "yellow": 0, "green": 0, "none": 0}
    groups: dict[str, dict] = {}
    for r in rows:
        key = {"红": "red", "黄": "yellow", "绿": "green"}.get(r["warning"], "none")
        counts[key] += 1
        if key not in ("red", "yellow"):
            continue
        dep = r["departments"].split("、")[0]
        g = groups.setdefault(dep, {"department": dep, "red": 0, "yellow": 0, "items": []})
        g[key] += 1
        t = 2 if key == "yellow" else 4
        reach = round(rnd.uniform(3, 12), 2)
        leader = rnd.choice(PEERS[1:])
        g["items"].append({
            "no": r["no"], "name": r["name"], "warning": r["warning"], "actual": r["actual"], "rank": r["rank"],
            "rank_change": r["rank_change"], "value_to_reach": reach, "deduction": None, "vetoed": False,
            "reach_note": f"达到{reach}（追平目前第{t}位的{rnd.choice(PEERS[1:])}）可升至第{t}名，"
                          f"转为{'绿' if key == 'yellow' else '黄'}色",
            "leader": leader, "leader_value": round(reach + rnd.uniform(0.5, 4), 2),
            "issues": rnd.choice(["", "部分重点项目受要素制约进度滞后", "统计口径调整，数据待市统计局反馈（演示数据）"]),
            "next_steps": rnd.choice(["", "加强调度，逐项目明确时间节点", "对接市直部门，争取数据及时入库（演示数据）"]),
        })
    for g in groups.values():
        g["items"].sort(key=lambda x: (x["warning"] != "红", x["no"]))
    ordered = sorted(groups.values(), key=lambda g: (-g["red"], -g["yellow"], g["department"]))
    counts.update(not_assessed=0, no_rank=counts["none"], bonus=0)  # (the demo county is assessed on every item)
    ctx.update(counts=counts, groups=ordered)
    return ctx


def status() -> dict:
    ctx = common()
    deps = []
    for _, items in INDICATORS:
        for _, _, _, d in items:
            for x in d.split("、"):
                if x not in deps:
                    deps.append(x)
    owed = {d: sum(1 for _, items in INDICATORS for it in items if d in it[3].split("、")) for d in deps}
    rows = []
    for k, d in enumerate(deps):
        status_ = "未报送" if k in (5, 11) else ("逾期报送" if k in (3, 9) else "已报送")
        n = owed[d]
        rows.append({
            "department": f"县{d}" if not d.startswith("县") else d, "owed": n,
            "reported": 0 if status_ == "未报送" else n - (1 if k == 2 else 0),
            "unavailable": 1 if k == 2 else 0, "status": status_,
            "file": "" if status_ == "未报送" else f"2023-08/县{d}2023年8月指标进展情况表.xlsx",
            "submitted_at": "" if status_ == "未报送" else ("2023-09-08 16:20" if status_ == "逾期报送"
                                                          else f"2023-09-0{2 + k % 4} 09:{10 + k:02d}"),
            "note": {2: "1项指标本月暂无数据", 3: "晚于截止时间2天", 9: "晚于截止时间1天",
                     5: "截至统计时未收到月报", 11: "截至统计时未收到月报"}.get(k, ""),
        })
    counts = {"submitted": sum(r["status"] == "已报送" for r in rows), "late": sum(r["status"] == "逾期报送" for r in rows),
              "missing": sum(r["status"] == "未报送" for r in rows), "total": len(rows)}
    ctx.update(deadline_label="9月6日前", rows=rows, counts=counts)
    return ctx


def scores() -> dict:
    ctx = common()
    rows = _rows()
    rnd = random.Random(11)
    inds = []
    for r in rows:
        p = r["points"]
        if r["rank"]:
            score = round(p * (1 - 0.05 * (r["rank"] - 1)), 2)
            method = "名次递减"
        elif r["no"] == 36:
            score, method = p, "扣分"
        else:
            score, method = None, "不计分"
        leader_score = p if score is not None else None
        lost = round(leader_score - score, 2) if score is not None else None
        inds.append({"no": r["no"], "name": r["name"], "category": r["category"], "points": p, "method": method,
                     "score": score, "leader": rnd.choice(PEERS[1:]) if r["rank"] and r["rank"] > 1 else
                     (COUNTY if r["rank"] == 1 else ""),
                     "leader_score": leader_score, "lost": lost, "unscored": "", "rank": r["rank"],
                     "warning": r["warning"]})
    cats = []
    for cat, items in INDICATORS:
        pts = sum(p for _, _, p, _ in items)
        sc = round(sum(i["score"] or 0 for i in inds if i["category"] == cat), 2)
        cats.append({"name": cat, "points": pts, "score": sc, "lost": round(pts - sc, 2), "unscored": ""})
    total = round(sum(c["score"] for c in cats), 2)
    asks = sorted((i for i in inds if i["lost"]), key=lambda i: (-i["lost"], i["no"]))
    asks = [{"no": i["no"], "name": i["name"], "lost": i["lost"], "rank": i["rank"], "leader": i["leader"],
             "leader_value": round(rnd.uniform(5, 15), 2),
             "actual": next(r["actual"] for r in rows if r["no"] == i["no"])} for i in asks]
    trend = [{"month_label": f"{m}月", "total": round(total - 0.6 * (MONTH_NO - m) + rnd.uniform(-1, 1), 2),
              "estimated_rank": r} for m, r in zip(range(1, MONTH_NO + 1), [4, 4, 3, 3, 3, 2, 3, 2])]
    trend[-1]["total"] = total
    ctx.update(total=total, total_points=116, estimated_rank=2, excluded=False,
               estimate_note="按六县市数据中各县市均有数值的45项计分指标估算",
               categories=cats, indicators=inds, asks=asks, trend=trend)
    return ctx


def departments() -> dict:
    ctx = common()
    rows = _rows()
    by_dep: dict[str, list] = {}
    for r in rows:
        for k, d in enumerate(r["departments"].split("、")):
            by_dep.setdefault(d, []).append((r, "牵头" if k == 0 else "参与"))
    cards, reward, criticism = [], [], []
    for d, items in by_dep.items():
        lines = []
        for r, role in items:
            tier = {1: "第一方阵", 2: "第一方阵", 3: "第二方阵", 4: "第二方阵", 5: "第三方阵", 6: "第三方阵"}.get(r["rank"], "")
            slip = "比上月下滑2位" if r["rank_change"] == "↓2" else ""
            lines.append({"no": r["no"], "name": r["name"], "role": role, "shown": r["actual"], "rank": r["rank"],
                          "warning": r["warning"],
                          "rank_change": r["rank_change"], "tier": tier, "slip_note": slip})
        g = sum(ln["warning"] == "绿" for ln in lines)
        y = sum(ln["warning"] == "黄" for ln in lines)
        red = sum(ln["warning"] == "红" for ln in lines)
        good = [ln for ln in lines if ln["tier"] == "第一方阵"]
        bad = [ln for ln in lines if ln["tier"] == "第三方阵" or ln["slip_note"]]
        verdict = "有奖有惩" if good and bad else ("奖励" if good else ("批评" if bad else ""))
        name = f"县{d}" if d not in ("消防大队",) else f"县{d}"
        cards.append({"department": name, "green": g, "yellow": y, "red": red, "verdict": verdict, "reporting": "", "lines": lines})
        if good:
            reward.append({"department": name, "items": "；".join(f"{ln['no']}.{ln['name']}" for ln in good)})
        if bad:
            criticism.append({"department": name, "items": "；".join(
                f"{ln['no']}.{ln['name']}" + (f"（{ln['slip_note']}）" if ln["slip_note"] else "") for ln in bad)})
    ctx.update(period_label="2023年第三季度", cards=cards, reward=reward, criticism=criticism)
    return ctx


def problems() -> dict:
    ctx = common()
    rows = [
        {"level": "错误", "file": "2023-08/县工信局2023年8月指标进展情况表.xlsx", "sheet": "进展情况", "cell": "G7",
         "message": "“截至本月底完成情况”应为数值或百分比，实际是“见附件”"},
        {"level": "错误", "file": "2023-08/县人社局2023年8月指标进展情况表.xls", "sheet": "Sheet1", "cell": "H12",
         "message": "“六县市排名”应为1到6之间的整数，实际是“第七名”"},
        {"level": "提示", "file": "2023-08/六县市数据（8月）.xlsx", "sheet": "主要指标", "cell": "C15",
         "message": "指标“高标准农田建设”缺少郏县的数值，本指标暂不排名"},
        {"level": "提示", "file": "2023-08/县农业农村局2023年8月指标进展情况表.xlsx", "sheet": "8月", "cell": "G9",
         "message": "完成情况为空，按暂无数据处理"},
        {"level": "错误", "file": "2023-08/县商务局月报.xlsx", "sheet": "", "cell": "",
         "message": "文件已加密，无法读取；请另存为不加密的 .xlsx 后重新放入 input/2023-08/"},
    ]
    ctx.update(rows=rows, counts={"errors": sum(r["level"] == "错误" for r in rows),
                                  "warnings": sum(r["level"] == "提示" for r in rows)})
    return ctx


# report key (as in kaohe_excel.write.reports.REPORTS) -> (template file, sample context)
SAMPLES = {
    "overview": ("完成情况一览表.xlsx", overview),
    "bulletin": ("预警通报.xlsx", bulletin),
    "status": ("报送情况.xlsx", status),
    "scores": ("得分测算.xlsx", scores),
    "departments": ("部门考核.xlsx", departments),
    "problems": ("校验报告.xlsx", problems),
}
