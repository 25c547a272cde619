"""Plain-text Chinese summaries for the terminal (no Excel involved)."""

from __future__ import annotations

from kaohe_excel.model import BONUS, CONSTRAINT, DEDUCTION, SCORED, IndicatorSystem
from kaohe_excel.assess.results import other_counts_text


def _fmt(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x)


def system_summary(system: IndicatorSystem) -> str:
    lines = []
    lines.append(f"指标体系：{system.title or '（无标题）'}")
    lines.append(f"文件：{system.file}　工作表：{system.sheet}")
    lines.append(f"共 {len(system.indicators)} 项指标，总分 {_fmt(system.total_points)} 分")
    cats: dict[str, list] = {}
    for ind in system.indicators:
        key = " / ".join(ind.path) or "（未分类）"
        cats.setdefault(key, []).append(ind)
    lines.append("分类：")
    for key, inds in cats.items():
        # counted as 总分 counts them (a bonus's cap is on top of 总分): the categories add up to it
        pts = sum(i.points for i in inds if i.points and i.points > 0 and i.shares_points_with_row is None
                  and i.kind in (SCORED, CONSTRAINT))
        lines.append(f"  {key}：{len(inds)} 项，{_fmt(round(pts, 6))} 分")
    special = [(k, label) for k, label in ((DEDUCTION, "减分项"), (CONSTRAINT, "约束条件"), (BONUS, "加分项"))]
    for kind, label in special:
        items = [i for i in system.indicators if i.kind == kind]
        if items:
            lines.append(f"{label}（{len(items)} 项）：")
            for i in items:
                extra = f"，{_fmt(i.points)} 分" if i.points is not None else ""
                cap = f"，上限 {_fmt(i.deduction_cap)} 分" if i.deduction_cap else ""
                lines.append(f"  {_fmt(i.key.shown_no if i.key.shown_no != '' else None)}. {i.name}{extra}{cap}")
    if system.all_units:
        totals = system.total_points_by_unit
        if any(v != system.total_points for v in totals.values()) or system.units:
            lines.append("各单位总分：" + "；".join(f"{u} {_fmt(v)} 分" for u, v in totals.items()))
    if system.problems:
        lines.append(f"发现 {len(system.problems)} 个问题：")
        for p in system.problems:
            lines.append(f"  {p}")
    else:
        lines.append("未发现问题。")
    return "\n".join(lines)


def assessment_table(result) -> str:
    """One line per indicator: value, rank (and where it came from), colour, change, score."""
    y, m = result.month.split("-")
    lines = [f"{result.county} {y}年{int(m)}月 测算结果（{result.system_title or ''}）"]
    lines.append("序号  指标  完成值  排名  预警  位次变化  得分/分值")
    for r in result.indicators:
        src = {"computed": "六县市数据", "reported": "月报"}.get(r.rank_source or "", "")
        rank = f"{r.rank}（{src}）" if r.rank is not None else "—"
        colour = r.colour_label if r.colour else f"无（{r.colour_reason}）"
        if r.not_assessed:
            score = "不考核"
        else:
            score = f"{_fmt(r.score)}/{_fmt(r.points)}" if r.score is not None else f"—/{_fmt(r.points)}"
        no = _fmt(r.shown_no if r.shown_no != "" else None)
        lines.append(f"{no:>3}  {r.name}  {r.display or '—'}  {rank}  {colour}  "
                     f"{r.rank_change_text or '—'}  {score}")
    c = result.colour_counts()
    others = other_counts_text(c)
    lines.append(f"比较范围：{result.group_label}（{'、'.join(result.group)}）" if result.group else "比较范围：无六县市数据")
    if result.peer_period_label:
        lines.append(f"六县市数据：{result.peer_period_label}（排名按该数据期计算）")
    lines.append(f"红 {c.get('red', 0)} 项，黄 {c.get('yellow', 0)} 项，绿 {c.get('green', 0)} 项，无数据 {c.get(None, 0)} 项{others}；"
                 f"测算总分 {_fmt(result.total)} / {_fmt(result.total_points)}"
                 + (f"，预计{result.group_label}第 {result.estimated_rank} 位" if result.estimated_rank else ""))
    if result.unreported_events:
        lines.append(f"另：{result.unreported_text()}")
    for n in result.notes:
        lines.append(f"说明：{n}")
    return "\n".join(lines)
