"""Plain-text Chinese summaries for the terminal (no Excel involved)."""

from __future__ import annotations

from kaohe_excel.model import BONUS, CONSTRAINT, DEDUCTION, IndicatorSystem


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
        pts = sum(i.points for i in inds if i.points and i.points > 0 and i.shares_points_with_row is None)
        lines.append(f"  {key}：{len(inds)} 项，{_fmt(round(pts, 6))} 分")
    special = [(k, label) for k, label in ((DEDUCTION, "减分项"), (CONSTRAINT, "约束条件"), (BONUS, "加分项"))]
    for kind, label in special:
        items = [i for i in system.indicators if i.kind == kind]
        if items:
            lines.append(f"{label}（{len(items)} 项）：")
            for i in items:
                extra = f"，{_fmt(i.points)} 分" if i.points is not None else ""
                cap = f"，上限 {_fmt(i.deduction_cap)} 分" if i.deduction_cap else ""
                lines.append(f"  {_fmt(i.no)}. {i.name}{extra}{cap}")
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
