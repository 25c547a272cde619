"""Build the monthly bulletin template templates/综合绩效考核情况通报.docx (a real Word file a
clerk can open, reword and save again in Word or WPS).

    python tools/make_bulletin_template.py              # into templates/
    python tools/make_bulletin_template.py --out DIR    # somewhere else

Official-document layout (GB/T 9704 conventions): A4, margins top 37 mm, bottom 35,
left 28, right 26; title in 方正小标宋简体 二号 (22 pt); body in 仿宋_GB2312 三号 (16 pt)
at a fixed 28.9 pt line (22 lines a page), first line indented two characters; section
headings 一、 in 黑体, second level （一） in 楷体_GB2312; the office's name over the
date four characters in from the right; page numbers "— 1 —" at the
bottom in 宋体 四号. Every font is named for East Asian text too (w:eastAsia), so Word,
WPS and LibreOffice pick it (or their substitute) for the Chinese characters.

The paragraphs carry docxtpl tags: `{{ … }}` values, `{%p if/for … %}` on a paragraph of
their own (removed from the output). The context is docs/report_context.md's `notice`.
The file is byte-for-byte reproducible (fixed dates in the package).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates"
NAME = "综合绩效考核情况通报.docx"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUB_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
LINE = Pt(28.9)  # 22 lines in the 225 mm type area
FIXED = _dt.datetime(2023, 1, 1, 0, 0, 0)


def set_font(target, name: str, size=None, bold: bool | None = None) -> None:
    """Name the font for Latin and East Asian text alike (python-docx sets only the first)."""
    target.font.name = name
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def paragraph_style(doc, name: str, font: str, size, *, align=None, indent: bool = False, line=LINE,
                    before=0, after=0, right_indent=None):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.quick_style = True
    set_font(st, font, size, bold=False)
    pf = st.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Pt(32) if indent else Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if right_indent is not None:
        pf.right_indent = right_indent
    return st


def styles(doc) -> None:
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Pt(32)  # two characters of 三号
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    paragraph_style(doc, "通报标题", TITLE_FONT, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    paragraph_style(doc, "主送", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    h1 = paragraph_style(doc, "一级标题", HEADING_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    h1.paragraph_format.keep_with_next = True
    h2 = paragraph_style(doc, "二级标题", SUB_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    h2.paragraph_format.keep_with_next = True
    # 成文日期 four characters in from the right, the office's name centred over it
    paragraph_style(doc, "落款", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(0))
    paragraph_style(doc, "成文日期", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(64))
    paragraph_style(doc, "页码", PAGE_FONT, Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(18))
    paragraph_style(doc, "页眉提示", PAGE_FONT, Pt(10.5), align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(14))


def page_setup(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)
    s.left_margin, s.right_margin = Mm(28), Mm(26)
    s.header_distance, s.footer_distance = Mm(15), Mm(25)
    # the demo mark top right, as on the xlsx reports
    hp = s.header.paragraphs[0]
    hp.style = doc.styles["页眉提示"]
    hp.add_run("{{ '演示数据' if demo else '' }}")
    # — 1 — : a PAGE field between two dashes
    fp = s.footer.paragraphs[0]
    fp.style = doc.styles["页码"]
    fp.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = fp.add_run()
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run._r.append(fc)
        elif text.strip() == "PAGE":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            run._r.append(it)
        else:
            run.text = text
    fp.add_run(" —")


def para(doc, text: str, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def lead_in(doc, heading: str, text: str):
    """（一）对标追赶。 in 楷体, the sentence after it in the body font, one paragraph."""
    p = doc.add_paragraph()
    set_font(p.add_run(heading), SUB_FONT)
    p.add_run(text)
    return p


def content(doc) -> None:
    para(doc, "{{ county }}{{ year }}年{{ month_no }}月份", "通报标题")
    para(doc, "综合绩效考核情况通报{{ draft_mark }}", "通报标题")
    para(doc, "", "主送")
    para(doc, "{{ place }}直各有关单位：", "主送")
    para(doc, "根据全{{ place }}高质量发展综合绩效考核工作安排，现将{{ period_label }}我{{ place }}综合绩效考核指标完成情况通报如下。")

    para(doc, "一、总体情况", "一级标题")
    para(doc, "{{ period_label }}，我{{ place }}综合绩效考核测算得分{{ total }}分（满分{{ total_points }}分）"
              "{% if prev %}，{{ prev.month_label }}为{{ prev.total }}分{% endif %}"
              "{% if estimated_rank %}；预计在{{ group_label }}中位列第{{ estimated_rank }}位"
              "{% if rank_move %}，{{ rank_move }}{% endif %}。{% if estimate_note %}预计位次{{ estimate_note }}。{% endif %}"
              "{% else %}；暂无法估算在{{ group_label }}中的位次。{% endif %}"
              "{% if peer_period %}各项排名按六县市数据{{ peer_period[3:] }}计算。{% endif %}")
    para(doc, "{{ indicator_count }}项考核指标中，绿色预警{{ counts.green }}项"
              "{% if count_changes.green %}，{{ count_changes.green }}{% endif %}；"
              "黄色预警{{ counts.yellow }}项{% if count_changes.yellow %}，{{ count_changes.yellow }}{% endif %}；"
              "红色预警{{ counts.red }}项{% if count_changes.red %}，{{ count_changes.red }}{% endif %}"
              "{% if counts.no_rank %}；另有{{ counts.no_rank }}项暂无排名（暂无数据、文字报送或未报送）{% endif %}"
              "{% if counts.bonus %}；加分项{{ counts.bonus }}项有报送（加分项不设预警）{% endif %}"
              "{% if counts.not_assessed %}；{{ counts.not_assessed }}项本{{ place }}不考核{% endif %}。"
              "{% if unreported %}其中{{ unreported }}。{% endif %}")

    para(doc, "二、进位和退位情况", "一级标题")
    para(doc, "{%p if has_prev %}")
    para(doc, "（一）进位明显的指标", "二级标题")
    para(doc, "{%p if rose %}")
    para(doc, "与上月相比，位次上升{{ notable_change }}位及以上的指标{{ rose|length }}项：")
    para(doc, "{%p for x in rose %}")
    para(doc, "{{ loop.index }}.{{ x.name }}（{{ x.departments }}），由第{{ x.prev_rank }}位升至第{{ x.rank }}位。")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "本月没有位次上升{{ notable_change }}位及以上的指标。")
    para(doc, "{%p endif %}")
    para(doc, "（二）退位明显的指标", "二级标题")
    para(doc, "{%p if fell %}")
    para(doc, "与上月相比，位次下降{{ notable_change }}位及以上的指标{{ fell|length }}项：")
    para(doc, "{%p for x in fell %}")
    para(doc, "{{ loop.index }}.{{ x.name }}（{{ x.departments }}），由第{{ x.prev_rank }}位降至第{{ x.rank }}位。")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "本月没有位次下降{{ notable_change }}位及以上的指标。")
    para(doc, "{%p endif %}")
    para(doc, "{%p else %}")
    para(doc, "本月为年度首次测算，暂无上月位次可比。")
    para(doc, "{%p endif %}")

    para(doc, "三、红色预警指标", "一级标题")
    para(doc, "{%p if red_groups %}")
    para(doc, "本月红色预警指标{{ red_count }}项，涉及{{ red_groups|length }}个单位：")
    para(doc, "{%p for g in red_groups %}")
    para(doc, "（{{ loop.index|cn }}）{{ g.department }}（{{ g.red }}项）", "二级标题")
    para(doc, "{%p for x in g['items'] %}")
    para(doc, "{{ loop.index }}.{{ x.name }}：{{ x.actual or '暂无数据' }}"
              "{% if x.rank %}，{{ group_label }}排名第{{ x.rank }}位{% elif x.vetoed %}，触发约束条件"
              "{% elif x.deduction %}，扣{{ x.deduction }}分{% endif %}"
              "{% if x.rank_change_words %}，{{ x.rank_change_words }}{% endif %}。"
              "{% if x.reach_note %}{{ x.reach_note }}。{% endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "本月没有红色预警指标。")
    para(doc, "{%p endif %}")

    para(doc, "四、报送情况", "一级标题")
    para(doc, "{%p if status.counts.total %}")
    para(doc, "{% if status.deadline_label %}本月月报应于{{ status.deadline_label }}报送。{% endif %}"
              "应报送单位{{ status.counts.total }}个，按时报送{{ status.counts.submitted }}个"
              "{% if status.late %}，逾期报送{{ status.counts.late }}个（{% for x in status.late %}{{ x.department }}"
              "{% if x.submitted_at %}，{{ x.submitted_at }}报送{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}）"
              "{% endif %}"
              "{% if status.missing %}，未报送{{ status.counts.missing }}个（{{ status.missing|join('、') }}"
              "{% if status.blank %}，其中{{ status.blank|join('、') }}交回空表{% endif %}）{% endif %}"
              "{% if not status.late and not status.missing %}，全部按时报送{% endif %}。")
    para(doc, "{%p else %}")
    para(doc, "本月没有应报送月报的单位记录。")
    para(doc, "{%p endif %}")

    para(doc, "五、下步要求", "一级标题")
    lead_in(doc, "（一）对标追赶，补齐短板。", "各责任单位要对照本通报列出的红色、黄色预警指标，逐项分析原因，"
                                     "明确追赶目标和具体措施，力争尽快进位升级。")
    lead_in(doc, "（二）加强调度，确保质量。", "各单位要严格按照时间节点报送月报，确保数据真实、准确、完整；"
                                     "逾期或未报送的单位要说明原因。")
    lead_in(doc, "（三）强化督导，严格奖惩。", "{{ place }}考核办将持续跟踪各项指标进展，对连续红色预警、位次明显下滑的指标"
                                     "进行重点督导，督导情况纳入年度考核。")
    para(doc, "", "主送")
    para(doc, "", "主送")
    para(doc, "{{ county }}综合绩效考核工作领导小组办公室", "落款")
    para(doc, "{{ date_label }}", "成文日期")


def _reproducible(data: bytes) -> bytes:
    """The package with fixed member dates, so a rebuild changes nothing that did not change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            z = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            z.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(z, src.read(info.filename))
    return out.getvalue()


# parts of python-docx's default package the bulletin does not need: Word 2010's copy of every
# style, a bibliography store and a thumbnail of an empty page
_DROPPED_RELS = ("/stylesWithEffects", "/customXml", "/metadata/thumbnail")
_STYLE_REFS = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")


def slim(doc) -> None:
    """Only what the bulletin uses: python-docx's default package carries 800 kB of style XML
    (every built-in style twice, and their latent entries), which every run would parse and
    write back again; Word and WPS supply their built-in styles themselves."""
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.endswith(_DROPPED_RELS):
                del owner.rels[rid]
    parts = [doc.part.element, doc.part.numbering_part.element]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    used = {ref.get(qn("w:val")) for el in parts for tag in _STYLE_REFS for ref in el.iter(qn(tag))}
    root = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
    used |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")}
    todo = list(used)
    while todo:  # the styles these are based on, linked to or followed by
        s = by_id.get(todo.pop())
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = s.find(qn(tag)) if s is not None else None
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in used:
            root.remove(s)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)


def build(out: Path = OUT) -> Path:
    doc = Document()
    styles(doc)
    page_setup(doc)
    content(doc)
    slim(doc)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "kaohe-excel"
    cp.title = "综合绩效考核情况通报"
    cp.created = cp.modified = FIXED
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    out.mkdir(parents=True, exist_ok=True)
    path = out / NAME
    path.write_bytes(_reproducible(buf.getvalue()))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
