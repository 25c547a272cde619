"""A fourth round of indicator-system layouts, drawn fresh from how county offices
publish their 附件 tables (山东/江苏/浙江/四川/湖南/河北/广东/贵州 综合考核 and
高质量发展考核 notices), not from the earlier fixtures.

Each builder writes one workbook and returns ``(path, truth)``. The truth is
written by hand from what the builder puts in the cells: count, total points,
units, per-unit totals, and for every indicator its sheet row, 序号, name, kind,
points, lead, support, category path, and where the table has them per-unit
points, targets and point sharing. Rows and columns here are 1-based.

The writer is deliberately small and separate from tests/fixtures: a sheet is a
dict of cells plus merged ranges, saved by openpyxl (.xlsx), xlwt (.xls), or
re-saved through LibreOffice (a file written by another program).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SCORED, DEDUCTION, CONSTRAINT, BONUS = "scored", "deduction", "constraint", "bonus"


class Sheet:
    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], object] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.bold_rows: set[int] = set()

    def row(self, r: int, values: list, start: int = 1, bold: bool = False) -> None:
        for i, v in enumerate(values):
            if v is not None and v != "":
                self.cells[(r, start + i)] = v
        if bold:
            self.bold_rows.add(r)

    def merge(self, r1: int, c1: int, r2: int, c2: int, value=None) -> None:
        self.merges.append((r1, c1, r2, c2))
        if value is not None:
            self.cells[(r1, c1)] = value


def _save_xlsx(sheets: list[Sheet], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), v in sh.cells.items():
            cell = ws.cell(row=r, column=c, value=v)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if r in sh.bold_rows:
                cell.font = Font(name="黑体", bold=True)
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.page_setup.orientation = "landscape"
    wb.save(path)


def _save_xls(sheets: list[Sheet], path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    style = xlwt.easyxf("align: wrap on, vert centre; borders: left thin, right thin, top thin, bottom thin;"
                        " font: name 宋体")
    bold = xlwt.easyxf("align: wrap on, vert centre; font: name 黑体, bold on")
    for sh in sheets:
        ws = wb.add_sheet(sh.name)
        merged_at = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in sh.merges}
        covered = {(r, c) for r1, c1, r2, c2 in sh.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for (r1, c1), (_, _, r2, c2) in merged_at.items():
            st = bold if r1 in sh.bold_rows else style
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, sh.cells.get((r1, c1), ""), st)
        for (r, c), v in sh.cells.items():
            if (r, c) in covered:
                continue
            ws.write(r - 1, c - 1, v, bold if r in sh.bold_rows else style)
    wb.save(str(path))


def _through_libreoffice(sheets: list[Sheet], path: Path) -> Path:
    """Write with openpyxl, then let LibreOffice re-save it in the wanted format."""
    fmt = path.suffix.lstrip(".")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".xlsx")
        _save_xlsx(sheets, src)
        out = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(out), str(src)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        shutil.copy(out / (path.stem + "." + fmt), path)
    return path


def save(sheets: list[Sheet], folder: Path, stem: str, how: str) -> Path:
    """how: 'xlsx' (openpyxl), 'xls' (xlwt), 'lo-xls' / 'lo-xlsx' (re-saved by LibreOffice)."""
    folder = Path(folder)
    if how == "xlsx":
        p = folder / f"{stem}.xlsx"
        _save_xlsx(sheets, p)
    elif how == "xls":
        p = folder / f"{stem}.xls"
        _save_xls(sheets, p)
    else:
        p = _through_libreoffice(sheets, folder / f"{stem}.{how.split('-')[1]}")
    return p


def ind(row, no, name, kind, points, lead, support, path, **extra) -> dict:
    d = {"row": row, "no": no, "name": name, "kind": kind, "points": points, "lead": lead,
         "support": support, "path": path, "shares_points_with_row": None}
    d.update(extra)
    return d


# ============================================================ 1. 山东 三级指标, 续表
def shandong_three_levels(folder, how="xlsx"):
    """一级指标 | 二级指标 | 三级指标 | 权重 | 评分标准 | 牵头单位 | 配合单位: the 评分标准
    text is full of figures; the table breaks across a page with a `续表` line and the
    header repeated, the 一级指标 cell re-merged and the 二级指标 cell left blank
    after the break; full department names with ，/newline separators; a 合计 line
    and a 说明 block below."""
    title = "XX县2024年度高质量发展综合绩效考核指标体系"
    sh = Sheet("附件1")
    sh.row(1, ["附件1"])
    sh.merge(2, 1, 2, 7, title)
    hdr = ["一级指标", "二级指标", "三级指标", "权重", "评分标准", "牵头单位", "配合单位"]
    sh.row(3, hdr, bold=True)
    E, M, S = "经济发展", "民生保障", "安全稳定"
    sh.merge(4, 1, 7, 1, E)
    sh.merge(4, 2, 5, 2, "经济实力")
    sh.merge(6, 2, 7, 2, "产业发展")
    sh.row(4, [None, None, "地区生产总值增速", 6,
               "增速达到全市平均水平得4分，每高出1个百分点加0.5分，最高6分；低于全市平均水平的，每低1个百分点扣0.5分。",
               "县发展和改革委员会", "县统计局，县财政局"])
    sh.row(5, [None, None, "一般公共预算收入增长", 5, "完成年度目标得满分，每低1个百分点扣0.2分，扣完为止。",
               "县财政局", "国家税务总局XX县税务局"])
    sh.row(6, [None, None, "规模以上工业增加值增速", 5, "按全市16个县区排名计分，第1名得5分，每降1个位次减0.3分。",
               "县工业和信息化局", "县统计局\n县发展和改革委员会"])
    sh.row(7, [None, None, "高新技术企业数量", 4, "新增10家以上得满分，每少1家扣0.4分。", "县科学技术局"])
    sh.merge(8, 1, 8, 7, "续表")
    sh.row(9, hdr, bold=True)
    sh.merge(10, 1, 11, 1, E)
    sh.row(10, [None, "产业发展", "服务业增加值增速", 4, "高于全省平均水平得满分，低于的按比例得分。",
                "县商务局", "县统计局"])
    sh.row(11, [None, "项目建设", "重点项目投资完成率", 6, "完成率100%得6分，每低5个百分点扣1分。",
                "县发展和改革委员会", "各乡镇人民政府、县直有关部门"])
    sh.merge(12, 1, 13, 1, M)
    sh.row(12, [None, "就业", "城镇新增就业人数", 5, "完成市下达目标3000人得满分。", "县人力资源和社会保障局"])
    sh.row(13, [None, "教育", "义务教育巩固率", 4, "≥98%得满分，每低0.1个百分点扣0.2分。", "县教育和体育局"])
    sh.row(14, [S, "安全生产", "安全生产事故", "约束性指标", "发生较大及以上生产安全事故的，实行一票否决。",
                "县应急管理局", "县直有关部门"])
    sh.merge(15, 1, 15, 3, "合计")
    sh.row(15, [None, None, None, "39分"])
    sh.merge(17, 1, 17, 7, "说明：1.权重合计39分，约束性指标不计分。")
    sh.merge(18, 1, 18, 7, "2.各项指标数据以县统计局年报为准")
    sh.merge(19, 1, 19, 7, "3.考核结果分为优秀、良好、一般三个等次")
    path = save([sh], folder, title, how)
    inds = [
        ind(4, None, "地区生产总值增速", SCORED, 6, ["县发展和改革委员会"], ["县统计局", "县财政局"], [E, "经济实力"]),
        ind(5, None, "一般公共预算收入增长", SCORED, 5, ["县财政局"], ["国家税务总局XX县税务局"], [E, "经济实力"]),
        ind(6, None, "规模以上工业增加值增速", SCORED, 5, ["县工业和信息化局"], ["县统计局", "县发展和改革委员会"],
            [E, "产业发展"]),
        ind(7, None, "高新技术企业数量", SCORED, 4, ["县科学技术局"], [], [E, "产业发展"]),
        ind(10, None, "服务业增加值增速", SCORED, 4, ["县商务局"], ["县统计局"], [E, "产业发展"]),
        ind(11, None, "重点项目投资完成率", SCORED, 6, ["县发展和改革委员会"], ["各乡镇人民政府", "县直有关部门"],
            [E, "项目建设"]),
        ind(12, None, "城镇新增就业人数", SCORED, 5, ["县人力资源和社会保障局"], [], [M, "就业"]),
        ind(13, None, "义务教育巩固率", SCORED, 4, ["县教育和体育局"], [], [M, "教育"]),
        ind(14, None, "安全生产事故", CONSTRAINT, None, ["县应急管理局"], ["县直有关部门"], [S, "安全生产"]),
    ]
    return path, {"title": title, "count": 9, "total_points": 39, "units": [], "indicators": inds}


# ============================================================ 2. 江苏 考核标准 before 分值, ★ lead
def jiangsu_star_lead(folder, how="xls"):
    """序号 | 考核内容 | 考核标准 | 分值 | 责任单位: 分值 after a scoring rule full of
    numbers; the lead unit marked ★ (before or after its name), the rest support;
    section rows `一、经济运行（40分）`; 加分项 and 减分项 sections with caps; a
    合计 line that states the base points only."""
    title = "XX区2023年度综合考核指标及评分细则"
    sh = Sheet("Sheet1")
    sh.merge(1, 1, 1, 5, title)
    sh.row(2, ["序号", "考核内容", "考核标准", "分值", "责任单位"], bold=True)
    s1, s2, s3, s4 = "经济运行（40分）", "社会民生（20分）", "加分项（最高加5分）", "减分项"
    sh.merge(3, 1, 3, 5, "一、经济运行（40分）")
    sh.row(4, [1, "地区生产总值增长", "增速列全市第1名得10分，第2-3名得8分，其余按比例计分。", 10,
               "★区发展和改革局、区统计局"])
    sh.row(5, [2, "固定资产投资增长", "完成率100%得满分，每低5个百分点扣1分。", 10, "★区发展和改革局"])
    sh.row(6, [3, "实际使用外资", "完成目标任务2000万美元得满分。", 8, "★区商务局 区投资促进中心"])
    sh.row(7, [4, "新增规模以上工业企业", "新增15家得满分，每少1家扣0.5分。", 12,
               "区工业和信息化局★、区市场监督管理局"])
    sh.merge(8, 1, 8, 5, "二、社会民生（20分）")
    sh.row(9, [5, "民生实事项目", "按时序完成得满分。", 12, "区民政局、区财政局"])
    sh.row(10, [6, "城乡居民人均可支配收入增长", "高于全市平均水平得满分。", 8, "★区统计局\n区农业农村局"])
    sh.merge(11, 1, 11, 5, "三、加分项（最高加5分）")
    sh.row(12, [7, "获得国家级荣誉表彰", "每项加2分。", "最高加3分", "★区委办公室"])
    sh.row(13, [8, "争取上级专项资金", "每争取1000万元加0.5分。", 2, "★区财政局、区发展和改革局"])
    sh.merge(14, 1, 14, 5, "四、减分项")
    sh.row(15, [9, "被上级通报批评", "每次扣1分。", "扣分上限5分", "★区委督查室"])
    sh.row(16, [10, "发生重大负面舆情", "每起扣2分。", -2, "区委宣传部"])
    sh.merge(17, 1, 17, 3, "合计")
    sh.row(17, [None, None, None, 60])
    path = save([sh], folder, title, how)
    inds = [
        ind(4, 1, "地区生产总值增长", SCORED, 10, ["区发展和改革局"], ["区统计局"], [s1]),
        ind(5, 2, "固定资产投资增长", SCORED, 10, ["区发展和改革局"], [], [s1]),
        ind(6, 3, "实际使用外资", SCORED, 8, ["区商务局"], ["区投资促进中心"], [s1]),
        ind(7, 4, "新增规模以上工业企业", SCORED, 12, ["区工业和信息化局"], ["区市场监督管理局"], [s1]),
        ind(9, 5, "民生实事项目", SCORED, 12, ["区民政局", "区财政局"], [], [s2]),
        ind(10, 6, "城乡居民人均可支配收入增长", SCORED, 8, ["区统计局"], ["区农业农村局"], [s2]),
        ind(12, 7, "获得国家级荣誉表彰", BONUS, 3, ["区委办公室"], [], [s3]),
        ind(13, 8, "争取上级专项资金", BONUS, 2, ["区财政局"], ["区发展和改革局"], [s3]),
        ind(15, 9, "被上级通报批评", DEDUCTION, -5, ["区委督查室"], [], [s4]),
        ind(16, 10, "发生重大负面舆情", DEDUCTION, -2, ["区委宣传部"], [], [s4]),
    ]
    return path, {"title": title, "count": 10, "total_points": 60, "units": [], "indicators": inds}


# ============================================================ 3. 浙江 权重(%), LibreOffice
def zhejiang_weights(folder, how="lo-xlsx"):
    """类别 | 序号 | 指标名称 | 计量单位 | 权重（%） | 2024年目标值 | 责任单位 | 数据来源:
    points as `15%` text and plain numbers, 共性/个性 categories merged down with
    their weight in brackets, a 计量单位 column that is not a department, units
    marked （牵头） or split by ／; saved through LibreOffice."""
    title = "XX县2024年度乡镇（街道）高质量发展绩效考评指标"
    sh = Sheet("考评指标")
    sh.row(1, ["附件"])
    sh.merge(2, 1, 2, 8, title)
    sh.row(3, ["类别", "序号", "指标名称", "计量单位", "权重（%）", "2024年目标值", "责任单位", "数据来源"], bold=True)
    c1, c2 = "共性指标（60%）", "个性指标（40%）"
    sh.merge(4, 1, 8, 1, c1)
    sh.merge(9, 1, 11, 1, c2)
    rows = [
        (4, 1, "地区生产总值增速", "%", "15%", 7.5, "县发改局（牵头）、县统计局", "县统计局", 15, ["县发改局"], ["县统计局"]),
        (5, 2, "规上工业增加值增速", "%", "15%", 8, "县经信局／县统计局", "县统计局", 15, ["县经信局", "县统计局"], None),
        (6, 3, "固定资产投资增速", "%", 10, 10, "县发改局", "县统计局", 10, ["县发改局"], None),
        (7, 4, "一般公共预算收入", "亿元", 10, 12.6, "县财政局", "县财政局", 10, ["县财政局"], None),
        (8, 5, "城乡居民收入增速", "%", "10%", "高于GDP增速", "县农业农村局（牵头）、县统计局", "县统计局", 10,
         ["县农业农村局"], ["县统计局"]),
        (9, 6, "山区海岛县跨越式发展", "—", "15%", "完成省定任务", "县发改局", "省发改委", 15, ["县发改局"], None),
        (10, 7, "共同富裕示范区建设", "—", "15%", "形成2项以上标志性成果", "县委社建委", "县委社建委", 15, ["县委社建委"], None),
        (11, 8, "数字化改革", "—", "10%", "≥90分", "县大数据局", "县委改革办", 10, ["县大数据局"], None),
    ]
    for r, no, name, unit, w, tgt, lead, src, *_ in rows:
        sh.row(r, [None, no, name, unit, w, tgt, lead, src])
    sh.merge(13, 1, 13, 8, "注：权重合计100%，各乡镇（街道）按同一指标体系考评。")
    path = save([sh], folder, title, how)
    inds = []
    for r, no, name, unit, w, tgt, lead, src, pts, ld, sp in rows:
        inds.append(ind(r, no, name, SCORED, pts, ld, sp, [c1 if r <= 8 else c2], data_source=src, target=tgt))
    # a table that marks （牵头） somewhere tells lead from support everywhere
    for d in inds:
        if d["support"] is None:
            d["support"] = []
    return path, {"title": title, "count": 8, "total_points": 100, "units": [], "indicators": inds}


# ============================================================ 4. 共性/个性 on two sheets
def two_sheet_common_special(folder, how="xlsx"):
    """共性指标 on one sheet, 个性指标 on the next, the same header on both; a third
    sheet of 说明 text. The system is both sheets together."""
    title = "XX县2024年度县直部门综合考核指标"

    def part(name: str, rows: list, subtotal: int) -> Sheet:
        sh = Sheet(name)
        sh.merge(1, 1, 1, 5, f"{title}（{name}）")
        sh.row(2, ["序号", "指标名称", "分值", "牵头单位", "配合单位"], bold=True)
        for r, no, ind_name, pts, lead, sup in rows:
            sh.row(r, [no, ind_name, pts, lead, sup])
        end = rows[-1][0] + 1
        sh.merge(end, 1, end, 2, "小计")
        sh.row(end, [None, None, subtotal])
        return sh

    c_rows = [
        (3, 1, "党风廉政建设", 15, "县纪委监委机关", "县委组织部"),
        (4, 2, "意识形态工作", 10, "县委宣传部", None),
        (5, 3, "营商环境评价", 15, "县发展和改革局", "县政务服务中心、县市场监督管理局"),
        (6, 4, "平安建设", 10, "县委政法委", "县公安局"),
        (7, 5, "依法行政", 10, "县司法局", None),
    ]
    s_rows = [
        (3, 1, "重点工作任务完成情况", 20, "县委督查室", "县政府督查室"),
        (4, 2, "省市考核指标位次", 15, "县统计局", None),
        (5, 3, "改革创新", "5分", "县委改革办", None),
    ]
    common, special = part("共性指标", c_rows, 60), part("个性指标", s_rows, 40)
    notes = Sheet("说明")
    notes.row(1, ["考核说明"])
    notes.row(2, ["一、共性指标60分，个性指标40分，合计100分。"])
    notes.row(3, ["二、考核结果与年度评先评优挂钩。"])
    path = save([common, special, notes], folder, title, how)
    inds = []
    for sheet, rows in (("共性指标", c_rows), ("个性指标", s_rows)):
        for r, no, name, pts, lead, sup in rows:
            p = pts if isinstance(pts, int) else 5
            inds.append(ind(r, no, name, SCORED, p, [lead], [s for s in (sup or "").split("、") if s], [sheet],
                            sheet=sheet))
    return path, {"title": title + "（共性指标）", "count": 8, "total_points": 100, "units": [], "indicators": inds}


# ============================================================ 5. per-town targets (.xls)
TOWNS = ["城关街道", "东城街道", "李庄镇", "王集乡", "经济开发区管委会"]


def per_town_targets(folder, how="xls"):
    """One target column per 乡镇/街道 under `各乡镇（街道）目标任务`; `—` and `/` where
    a town is not assessed; `8（经济开发区管委会12）` overriding one unit's points; a
    计量单位 column headed just 单位; 一票否决 as the points of the last row."""
    title = "XX县2024年度乡镇（街道）经济社会发展目标任务分解表"
    sh = Sheet("分解表")
    sh.merge(1, 1, 1, 10, title)
    for c, h in enumerate(["序号", "指标名称", "单位", "分值", "牵头单位"], start=1):
        sh.merge(2, c, 3, c, h)
    sh.merge(2, 6, 2, 10, "各乡镇（街道）目标任务")
    sh.row(3, TOWNS, start=6)
    sh.row(2, [], bold=True)
    sh.bold_rows.add(3)
    D = "—"
    rows = [
        (4, 1, "规模以上工业增加值增速", "%", 10, "县工信局", [8, 8.5, 7, D, 12]),
        (5, 2, "固定资产投资增速", "%", 10, "县发改局", [10, 10, 9, 9, 15]),
        (6, 3, "一般公共预算收入", "万元", "8（经济开发区管委会12）", "县财政局", [12000, 8000, 3500, 2100, 26000]),
        (7, 4, "农村居民人均可支配收入增速", "%", 6, "县农业农村局", [D, D, 8, 8, D]),
        (8, 5, "粮食播种面积", "万亩", 6, "县农业农村局", ["/", "/", 5.2, 6.1, "/"]),
        (9, 6, "安全生产", D, "一票否决", "县应急管理局", ["不发生较大事故"] * 5),
    ]
    for r, no, name, unit, pts, lead, tg in rows:
        sh.row(r, [no, name, unit, pts, lead] + tg)
    sh.row(10, ["合计", None, None, 40])
    path = save([sh], folder, title, how)
    inds = []
    for r, no, name, unit, pts, lead, tg in rows:
        kind = CONSTRAINT if pts == "一票否决" else SCORED
        base = None if kind == CONSTRAINT else (8 if isinstance(pts, str) else pts)
        pbu, targets = {}, {}
        for town, t in zip(TOWNS, tg):
            if t in (D, "/"):
                pbu[town] = None
                continue
            if kind != CONSTRAINT:  # a veto has no points: every town is assessed on it, none is `---`
                pbu[town] = 12 if (town == "经济开发区管委会" and r == 6) else base
            targets[town] = t
        inds.append(ind(r, no, name, kind, base, [lead], None, [], points_by_unit=pbu, targets=targets))
    by_unit = {"城关街道": 28, "东城街道": 28, "李庄镇": 40, "王集乡": 30, "经济开发区管委会": 32}
    return path, {"title": title, "count": 6, "total_points": 40, "units": TOWNS,
                  "total_points_by_unit": by_unit, "indicators": inds}


# ============================================================ 6. 1 / 1.1 / 1.1.1 numbering, 否决项 group
def dotted_with_veto_group(folder, how="lo-xls"):
    """编号 | 考核指标 | 分值 | 考核办法 | 责任单位, numbered 1 / 1.1 / 1.1.1 with
    groups carrying `30分`, a leaf 1.2 beside a group 1.1, and a last group
    `3 否决项` whose items say `一票否决`; re-saved as .xls by LibreOffice."""
    title = "XX县2024年度高质量发展考核评价细则"
    sh = Sheet("考核细则")
    sh.merge(1, 1, 1, 5, title)
    sh.row(2, ["编号", "考核指标", "分值", "考核办法", "责任单位"], bold=True)
    rows = [
        (3, "1", "经济发展", "30分", None, None),
        (4, "1.1", "经济总量", 12, None, None),
        (5, "1.1.1", "地区生产总值增速", 6, "按全市排名，第1名得6分，每降1位扣0.5分", "县发改局"),
        (6, "1.1.2", "一般公共预算收入增速", 6, "完成目标得满分", "县财政局"),
        (7, "1.2", "招商引资到位资金", 8, "完成20亿元得满分，每少1亿元扣0.5分", "县商务局"),
        (8, "1.3", "重点项目建设", 10, "按省市重点项目完成率计分", "县发改局"),
        (9, "2", "生态环保", "20分", None, None),
        (10, "2.1", "PM2.5平均浓度下降", 8, "完成市定目标得满分", "市生态环境局XX分局"),
        (11, "2.2", "河湖长制落实", 7, "按市考核结果折算", "县水利局"),
        (12, "2.3", "耕地保护", 5, "无违法占用耕地得满分", "县自然资源局"),
        (13, "3", "否决项", None, None, None),
        (14, "3.1", "重大环境污染事件", "一票否决", "发生即否决", "市生态环境局XX分局"),
        (15, "3.2", "重大安全生产事故", "一票否决", "发生即否决", "县应急管理局"),
    ]
    for r, no, name, pts, rule, lead in rows:
        sh.row(r, [no, name, pts, rule, lead])
    sh.row(16, ["合计", None, 50])
    path = save([sh], folder, title, how)
    leaves = {5: ["经济发展", "经济总量"], 6: ["经济发展", "经济总量"], 7: ["经济发展"], 8: ["经济发展"],
              10: ["生态环保"], 11: ["生态环保"], 12: ["生态环保"], 14: ["否决项"], 15: ["否决项"]}
    inds = []
    for r, no, name, pts, rule, lead in rows:
        if r in leaves:
            kind = CONSTRAINT if pts == "一票否决" else SCORED
            inds.append(ind(r, None, name, kind, None if kind == CONSTRAINT else pts, [lead], None, leaves[r]))
    return path, {"title": title, "count": 9, "total_points": 50, "units": [], "indicators": inds}


# ============================================================ 7. 湖南 two-row header, 牵头|配合 under 责任单位
def hunan_two_row_header(folder, how="xlsx"):
    """序号 | 考核内容 (一级指标 | 二级指标) | 分值 | 评分细则 | 责任单位 (牵头 | 配合):
    a two-row header repeated after a page break with a `续表1` line; the 一级指标
    cell restarted after the break; sub-items （1）（2） with the points cell merged
    over them; a 扣分事项 category with `每起扣3分，最多扣9分`."""
    title = "XX县2024年度绩效评估指标及评分细则"
    sh = Sheet("评分细则")
    sh.merge(1, 1, 1, 7, title)

    def header(r):
        sh.merge(r, 1, r + 1, 1, "序号")
        sh.merge(r, 2, r, 3, "考核内容")
        sh.merge(r, 4, r + 1, 4, "分值")
        sh.merge(r, 5, r + 1, 5, "评分细则")
        sh.merge(r, 6, r, 7, "责任单位")
        sh.row(r + 1, ["一级指标", "二级指标"], start=2)
        sh.row(r + 1, ["牵头", "配合"], start=6)
        sh.bold_rows.update({r, r + 1})

    header(2)
    A, B, C = "产业发展", "社会事业", "扣分事项"
    sh.merge(4, 2, 7, 2, A)
    sh.row(4, [1, None, "农业产业化龙头企业", 5, "新增省级龙头企业1家得5分", "县农业农村局", "县财政局"])
    sh.row(5, [2, None, "文旅融合发展", 6, "接待游客增长10%以上得满分", "县文化旅游广电局", "各乡镇"])
    sh.merge(6, 4, 7, 4, 8)
    sh.row(6, [3, None, "亩均税收", None, "亩均税收增长8%得4分", "县工业园区管委会", "县税务局"])
    sh.row(7, [None, None, "标准厂房入驻率", None, "入驻率达到80%得4分", "县工业园区管委会", None])
    sh.merge(8, 1, 8, 7, "续表1")
    header(9)
    sh.merge(11, 2, 12, 2, B)
    sh.row(11, [4, None, "义务教育优质均衡", 6, "通过省级评估得满分", "县教育局", None])
    sh.row(12, [5, None, "基层医疗卫生服务能力", 5, "达标率95%得满分", "县卫生健康局", "县医保局"])
    sh.merge(13, 2, 14, 2, C)
    sh.row(13, [6, None, "安全生产事故", "每起扣3分，最多扣9分", "发生一般安全事故每起扣3分", "县应急管理局", None])
    sh.row(14, [7, None, "信访突出问题", "扣2分", "进京非访每批次扣2分", "县信访局", "县公安局"])
    path = save([sh], folder, title, how)
    inds = [
        ind(4, 1, "农业产业化龙头企业", SCORED, 5, ["县农业农村局"], ["县财政局"], [A]),
        ind(5, 2, "文旅融合发展", SCORED, 6, ["县文化旅游广电局"], ["各乡镇"], [A]),
        ind(6, 3, "亩均税收", SCORED, 8, ["县工业园区管委会"], ["县税务局"], [A]),
        ind(7, None, "标准厂房入驻率", SCORED, 8, ["县工业园区管委会"], [], [A], shares_points_with_row=6),
        ind(11, 4, "义务教育优质均衡", SCORED, 6, ["县教育局"], [], [B]),
        ind(12, 5, "基层医疗卫生服务能力", SCORED, 5, ["县卫生健康局"], ["县医保局"], [B]),
        ind(13, 6, "安全生产事故", DEDUCTION, -3, ["县应急管理局"], [], [C], deduction_cap=9),
        ind(14, 7, "信访突出问题", DEDUCTION, -2, ["县信访局"], ["县公安局"], [C]),
    ]
    return path, {"title": title, "count": 8, "total_points": 30, "units": [], "indicators": inds}


# ============================================================ 8. 贵州 merged category across a page break, 指标名称及权重
def guizhou_page_break(folder, how="xls"):
    """序号 | 指标类别 | 指标名称 | 分值 | 责任单位 | 备注, where the category cell is
    merged down to the page break and the rows after the repeated header leave it
    blank (the clerk did not re-type it); a page number line `—2—` between pages;
    units joined by spaces and by line breaks; 逆向 in 备注; 合计 100分."""
    title = "XX县2024年度县域经济高质量发展考核指标"
    sh = Sheet("考核指标")
    sh.row(1, ["附件2"])
    sh.merge(2, 1, 2, 6, title)
    hdr = ["序号", "指标类别", "指标名称", "分值", "责任单位", "备注"]
    sh.row(3, hdr, bold=True)
    K1, K2 = "经济发展", "绿色发展"
    sh.merge(4, 2, 7, 2, K1)
    sh.row(4, [1, None, "地区生产总值增速", 20, "县发改局 县统计局"])
    sh.row(5, [2, None, "规模以上工业增加值增速", 15, "县工信局\n县统计局"])
    sh.row(6, [3, None, "社会消费品零售总额增速", 10, "县商务局"])
    sh.row(7, [4, None, "一般公共预算收入增速", 15, "县财政局 县税务局"])
    sh.merge(8, 1, 8, 6, "—2—")
    sh.row(9, hdr, bold=True)
    sh.row(10, [5, None, "金融机构存贷比", 10, "县金融服务中心 人行XX县支行"])
    sh.merge(11, 2, 13, 2, K2)
    sh.row(11, [6, None, "单位GDP能耗降低率", 10, "县发改局"])
    sh.row(12, [7, None, "PM2.5平均浓度", 10, "市生态环境局XX分局", "逆向指标"])
    sh.row(13, [8, None, "森林覆盖率", 10, "县林业局"])
    sh.merge(14, 1, 14, 3, "合计")
    sh.row(14, [None, None, None, "100分"])
    path = save([sh], folder, title, how)
    inds = [
        ind(4, 1, "地区生产总值增速", SCORED, 20, ["县发改局", "县统计局"], None, [K1]),
        ind(5, 2, "规模以上工业增加值增速", SCORED, 15, ["县工信局", "县统计局"], None, [K1]),
        ind(6, 3, "社会消费品零售总额增速", SCORED, 10, ["县商务局"], None, [K1]),
        ind(7, 4, "一般公共预算收入增速", SCORED, 15, ["县财政局", "县税务局"], None, [K1]),
        ind(10, 5, "金融机构存贷比", SCORED, 10, ["县金融服务中心", "人行XX县支行"], None, [K1]),
        ind(11, 6, "单位GDP能耗降低率", SCORED, 10, ["县发改局"], None, [K2]),
        ind(12, 7, "PM2.5平均浓度", SCORED, 10, ["市生态环境局XX分局"], None, [K2], direction="lower"),
        ind(13, 8, "森林覆盖率", SCORED, 10, ["县林业局"], None, [K2]),
    ]
    return path, {"title": title, "count": 8, "total_points": 100, "units": [], "indicators": inds}


# ============================================================ 9. 河北 分值（分） after a long rule, 加分/减分 at the end
def hebei_rules_caps(folder, how="xlsx"):
    """序号 | 考核项目 | 考核内容及评分标准 | 分值（分） | 责任单位 | 考核部门: the rule
    column (numbers, 扣X分) sits before the points; 加分项 / 减分项 rows at the end
    with the kind only in the 考核项目 cell and caps in the points (`≤3`, `-5`);
    `一票否决事项` with `否决`; 考核部门 is the data source."""
    title = "XX县2024年度县直部门目标管理考核细则"
    sh = Sheet("考核细则")
    sh.merge(1, 1, 1, 6, title)
    sh.row(2, ["序号", "考核项目", "考核内容及评分标准", "分值（分）", "责任单位", "考核部门"], bold=True)
    rows = [
        (3, 1, "招商引资", "全年引进亿元以上项目3个得满分，每少1个扣3分；未完成的不得分。", 10, "县商务局", "县招商局"),
        (4, 2, "项目建设", "省市重点项目开工率100%得满分，每低10个百分点扣1分。", 10, "县发改局", "县发改局"),
        (5, 3, "财政收入", "完成预算目标得满分，超收部分每1个百分点加0.1分，最多加1分。", 10, "县财政局",
         "县财政局"),
        (6, 4, "乡村振兴", "按市考核位次计分：一类得10分，二类得8分，三类得6分。", 10, "县农业农村局、县乡村振兴局",
         "县委农办"),
        (7, 5, "加分项", "获得省级以上表彰的每项加1分。", "≤3", "各责任单位", "县考核办"),
        (8, 6, "减分项", "被市级以上通报批评的每次扣1分。", "-5", "各责任单位", "县考核办"),
        (9, 7, "一票否决事项", "发生重大安全事故、重大群体性事件的，年度考核实行一票否决。", "否决", "各责任单位",
         "县考核办"),
    ]
    for r, no, name, rule, pts, lead, src in rows:
        sh.row(r, [no, name, rule, pts, lead, src])
    sh.merge(10, 1, 10, 3, "合  计")
    sh.row(10, [None, None, None, 40])
    sh.merge(12, 1, 12, 6, "备注：加分项最高加3分，减分项最多扣5分。")
    path = save([sh], folder, title, how)
    kinds = {7: (BONUS, 3), 8: (DEDUCTION, -5), 9: (CONSTRAINT, None)}
    inds = []
    for r, no, name, rule, pts, lead, src in rows:
        kind, p = kinds.get(r, (SCORED, pts))
        inds.append(ind(r, no, name, kind, p, lead.split("、"), None, [], data_source=src))
    return path, {"title": title, "count": 7, "total_points": 40, "units": [], "indicators": inds}


# ============================================================ 10. 广东 （一）sub-sections, 1.1 sub-items
def guangdong_sub_sections(folder, how="xlsx"):
    """序号 | 指标 | 指标分值 | 目标值 | 评分办法 | 责任部门 | 备注: `一、` and `（一）`
    heading rows merged across; sub-items numbered 1.1 / 1.2 under a numbered row
    that carries the points (shared, not summed); units with 、 and full names;
    a 说明 block of several rows."""
    title = "XX区2024年度镇街高质量发展综合考评指标体系"
    sh = Sheet("指标体系")
    sh.merge(1, 1, 1, 7, title)
    sh.row(2, ["序号", "指标", "指标分值", "目标值", "评分办法", "责任部门", "备注"], bold=True)
    sh.merge(3, 1, 3, 7, "一、经济高质量发展（25分）")
    sh.merge(4, 1, 4, 7, "（一）产业发展")
    sh.row(5, [1, "规模以上工业总产值增速", 8, "≥10%", "完成目标得满分，每低1个百分点扣0.8分", "区工业和信息化局"])
    sh.row(6, [2, "工业投资", 7, "25亿元", "完成率×分值", "区工业和信息化局、区发展和改革局"])
    sh.merge(7, 1, 7, 7, "（二）营商环境")
    sh.row(8, [3, "营商环境评价", 10, "全市前3名", "第1名得10分，每降1名扣1分", "区营商环境建设局"])
    sh.row(9, ["3.1", "政务服务事项网办率", None, "≥95%", "", "区政务服务数据管理局"])
    sh.row(10, ["3.2", "企业开办时间", None, "≤1个工作日", "", "区市场监督管理局", "逆向"])
    sh.merge(11, 1, 11, 7, "二、民生福祉（15分）")
    sh.row(12, [4, "民生实事", 10, "十件", "按完成件数计分", "区政府办公室"])
    sh.row(13, [5, "就业创业", 5, "新增就业2000人", "完成得满分", "区人力资源和社会保障局"])
    sh.merge(14, 1, 14, 7, "说明：")
    sh.merge(15, 1, 15, 7, "1．目标值为区下达的年度目标；")
    sh.merge(16, 1, 16, 7, "2．3.1、3.2为营商环境评价的子项，不单独计分")
    path = save([sh], folder, title, how)
    S1, S2 = "经济高质量发展（25分）", "民生福祉（15分）"
    inds = [
        ind(5, 1, "规模以上工业总产值增速", SCORED, 8, ["区工业和信息化局"], None, [S1, "产业发展"], target="≥10%"),
        ind(6, 2, "工业投资", SCORED, 7, ["区工业和信息化局", "区发展和改革局"], None, [S1, "产业发展"], target="25亿元"),
        ind(8, 3, "营商环境评价", SCORED, 10, ["区营商环境建设局"], None, [S1, "营商环境"], target="全市前3名"),
        ind(9, None, "政务服务事项网办率", SCORED, 10, ["区政务服务数据管理局"], None, [S1, "营商环境"],
            shares_points_with_row=8, target="≥95%"),
        ind(10, None, "企业开办时间", SCORED, 10, ["区市场监督管理局"], None, [S1, "营商环境"],
            shares_points_with_row=8, target="≤1个工作日", direction="lower"),
        ind(12, 4, "民生实事", SCORED, 10, ["区政府办公室"], None, [S2], target="十件"),
        ind(13, 5, "就业创业", SCORED, 5, ["区人力资源和社会保障局"], None, [S2], target="新增就业2000人"),
    ]
    return path, {"title": title, "count": 7, "total_points": 40, "units": [], "indicators": inds}


# ============================================================ 11. 四川 points inside the headed cells, lead listed first
def sichuan_points_in_cells(folder, how="xls"):
    """序号 | 一级指标（分值） | 考核指标（分值） | 评分办法 | 责任单位（排在首位的为牵头单位）
    | 配合责任单位 is absent: the points sit inside the name cells (`（10分）`), the
    header says so in brackets, and the first unit listed leads."""
    title = "XX县2024年度目标绩效考核指标"
    sh = Sheet("目标绩效")
    sh.merge(1, 1, 1, 5, title)
    sh.row(2, ["序号", "一级指标（分值）", "考核指标（分值）", "评分办法", "责任单位（排在首位的为牵头单位）"], bold=True)
    A, B = "经济发展（25分）", "乡村振兴（15分）"
    sh.merge(3, 2, 5, 2, A)
    sh.merge(6, 2, 7, 2, B)
    rows = [
        (3, 1, "地区生产总值增速（10分）", "按全市排名计分", "县发改局、县统计局", 10, A),
        (4, 2, "工业投资增速（8分）", "完成目标得满分，每低1个百分点扣0.5分", "县经信局", 8, A),
        (5, 3, "招商引资到位资金（7分）", "完成30亿元得满分", "县投资促进局 县商务局", 7, A),
        (6, 4, "粮食生产（8分）", "完成省下达面积和产量任务得满分", "县农业农村局、县粮食局、各乡镇", 8, B),
        (7, 5, "农村人居环境整治（7分）", "按市暗访结果计分", "县农业农村局", 7, B),
    ]
    for r, no, name, rule, units, *_ in rows:
        sh.row(r, [no, None, name, rule, units])
    path = save([sh], folder, title, how)
    inds = []
    for r, no, name, rule, units, pts, cat in rows:
        us = [u for u in units.replace(" ", "、").split("、") if u]
        inds.append(ind(r, no, name, SCORED, pts, us[:1], us[1:], [cat]))
    return path, {"title": title, "count": 5, "total_points": 40, "units": [], "indicators": inds}


BUILDERS = [
    ("shandong_three_levels", shandong_three_levels),
    ("jiangsu_star_lead", jiangsu_star_lead),
    ("zhejiang_weights", zhejiang_weights),
    ("two_sheet_common_special", two_sheet_common_special),
    ("per_town_targets", per_town_targets),
    ("dotted_with_veto_group", dotted_with_veto_group),
    ("hunan_two_row_header", hunan_two_row_header),
    ("guizhou_page_break", guizhou_page_break),
    ("hebei_rules_caps", hebei_rules_caps),
    ("guangdong_sub_sections", guangdong_sub_sections),
    ("sichuan_points_in_cells", sichuan_points_in_cells),
]
