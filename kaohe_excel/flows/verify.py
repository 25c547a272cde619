"""`kaohe verify`: is every signed report still the file that was signed?

Each 签发记录.json under output/ (a month's folder, a unit's folder under it) names the
reports signed there and the SHA-256 recorded when each was signed; a report is checked
against the latest signing of it and said to be 未改动, 已改动 or 缺失. Reads only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_excel.write.signoff import (CHANGED, MISSING, REGISTRY, UNCHANGED, UNKNOWN, RecordError, SignedCheck,
                                       verify_folder)

STATUS_CODE = {UNCHANGED: "unchanged", CHANGED: "changed", MISSING: "missing", UNKNOWN: "unknown"}
_MONTH_DIR = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


@dataclass
class VerifySummary:
    workspace: Path
    month: str | None  # None: every month
    checks: list[SignedCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a record that cannot be read, in the clerk's words
    fatal: str | None = None  # nothing could be checked, and why

    @property
    def all_unchanged(self) -> bool:
        return all(c.status == UNCHANGED for c in self.checks)


def verify_workspace(workspace: Path, month: str | None = None) -> VerifySummary:
    """Every signed report under `workspace/output/` (or under its month folder)."""
    from kaohe_excel.read.month_files import normalize_month

    workspace = Path(workspace)
    out = workspace / "output"
    summary = VerifySummary(workspace, None)
    if not out.is_dir():
        summary.fatal = (f"工作区「{workspace.resolve()}」中没有 output 文件夹（还没有生成过报表）；"
                         "请在工作区文件夹中运行，或用 --workspace 指定它")
        return summary
    if month is not None:
        years = sorted(int(m.group(1)) for p in out.iterdir() if p.is_dir() and (m := _MONTH_DIR.match(p.name)))
        summary.month = normalize_month(month, years[-1] if years else None)
        if summary.month is None:
            summary.fatal = f"月份「{month}」无法识别，应写成 2023-08、2023年8月 或 8月"
            return summary
    for reg in sorted(out.rglob(REGISTRY)):
        rel = reg.parent.relative_to(out).parts
        if any(part.startswith(".") for part in rel) or not reg.is_file():  # the read cache, a folder so named
            continue
        if summary.month is not None and summary.month not in rel:
            continue
        try:
            summary.checks.extend(verify_folder(reg.parent))
        except RecordError as exc:
            summary.errors.append(exc.problem.message)
    if summary.month is not None and not summary.checks and not summary.errors \
            and not any(p.is_dir() for p in out.rglob(summary.month)):
        summary.fatal = f"output/ 中没有 {summary.month} 的报表文件夹（output/{summary.month}/）"
    return summary


def _where(s: VerifySummary, c: SignedCheck) -> str:
    return c.path.relative_to(s.workspace / "output").as_posix()


def verify_text(s: VerifySummary) -> str:
    """What `kaohe verify` prints: one line a signed report, then the count."""
    scope = f"{s.month[:4]}年{int(s.month[5:])}月" if s.month else "全部月份"
    if not s.checks:
        return f"已签发报表核对（{scope}）：没有已签发的报表（kaohe sign 登记签发后，这里逐份核对）。"
    lines = [f"已签发报表核对（{scope}，按签发时登记的 SHA-256 核对文件内容）："]
    why = {UNCHANGED: "与签发时完全相同", CHANGED: "与签发时登记的内容不同，签发后被修改过",
           MISSING: "文件已不在原处，可能被删除、移动或改名", UNKNOWN: "签发记录中没有可核对的指纹或文件无法读取，无法确认"}
    for c in s.checks:
        e = c.entry
        again = f"；共签发 {c.signings} 次，按最近一次核对" if c.signings > 1 else ""
        lines.append(f"  {_where(s, c)}：{c.status}（{why[c.status]}；审核：{e.get('审核', '')}，"
                     f"签发：{e.get('签发', '')}，日期：{e.get('日期', '')}{again}）")
    counts = [f"{st} {sum(1 for c in s.checks if c.status == st)} 份" for st in (UNCHANGED, CHANGED, MISSING, UNKNOWN)
              if st != UNKNOWN or any(c.status == UNKNOWN for c in s.checks)]
    lines.append(f"合计 {len(s.checks)} 份已签发报表：" + "，".join(counts))
    return "\n".join(lines)


def verify_json(s: VerifySummary) -> dict:
    reports = []
    for c in s.checks:
        e = c.entry
        reports.append({"file": _where(s, c), "status": c.status, "status_code": STATUS_CODE[c.status],
                        "reviewer": e.get("审核"), "issuer": e.get("签发"), "date": e.get("日期"),
                        "recorded_at": e.get("登记时间"), "signings": c.signings,
                        "sha256_recorded": e.get("sha256"), "sha256_now": c.digest})
    return {"workspace": str(s.workspace), "month": s.month, "reports": reports,
            "counts": {st: sum(1 for c in s.checks if c.status == st) for st in (UNCHANGED, CHANGED, MISSING, UNKNOWN)},
            "errors": list(s.errors) + ([s.fatal] if s.fatal else [])}
