"""Issue 16.1: the monthly bulletin (综合绩效考核情况通报（稿）.docx).

Its figures are checked against the xlsx reports of the same run, read back with openpyxl
(a second reader), and last month's against last month's reports: the totals, ranks,
colour counts and their change, the red indicators by department, the rising and falling
indicators, who reported late or not at all."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.month_fixtures import take_back_a_report

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates" / "综合绩效考核情况通报.docx"


def _ws(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    return ws


def _run(ws: Path, month: str | None = None):
    from kaohe_excel.flows.run import run_workspace

    s = run_workspace(ws, month)
    assert s.fatal is None, s.fatal
    return s


def _one(folder: Path, pattern: str) -> Path:
    found = [p for p in folder.glob(pattern) if not p.name.startswith(".")]
    assert len(found) == 1, (pattern, found)
    return found[0]


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def _section(paras, start: str, end: str) -> list[tuple[str, str]]:
    texts = [t for _s, t in paras]
    return paras[texts.index(start) + 1:texts.index(end)]


def _rows(path: Path, sheet: str | None = None) -> list[list]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _warning_counts(path: Path) -> dict[str, int]:
    """预警通报's line 本月监测指标49项：红色预警10项，黄色预警10项，绿色16项，暂无排名13项."""
    line = next(r[0] for r in _rows(path) if isinstance(r[0], str) and r[0].startswith("本月监测指标"))
    nums = dict(re.findall(r"(监测指标|红色预警|黄色预警|绿色|暂无排名)(\d+)项", line))
    return {"all": int(nums["监测指标"]), "red": int(nums["红色预警"]), "yellow": int(nums["黄色预警"]),
            "green": int(nums["绿色"]), "none": int(nums["暂无排名"])}


def _overview_ranks(path: Path) -> dict[str, int]:
    out = {}
    for r in _rows(path):
        if isinstance(r[0], int) and isinstance(r[7], int):
            out[r[1]] = r[7]
    return out


def _words(change: int) -> str:
    return "与上月持平" if change == 0 else f"较上月{'增加' if change > 0 else '减少'}{abs(change)}项"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = _ws(tmp_path_factory.mktemp("bulletin"))
    _run(ws, "2023-07")
    summary = _run(ws, "2023-08")
    return ws, summary


def test_the_run_writes_the_bulletin_beside_the_reports(demo):
    ws, summary = demo
    out = ws / "output" / "2023-08"
    notice = out / "叶县2023年8月份综合绩效考核情况通报（稿）.docx"
    assert notice in summary.written
    paras = _paragraphs(notice)
    assert [t for s, t in paras if s == "通报标题"] == ["叶县2023年8月份", "综合绩效考核情况通报（稿）"]
    assert [t for s, t in paras if s == "一级标题"] == ["一、总体情况", "二、进位和退位情况", "三、红色预警指标",
                                                        "四、报送情况", "五、下步要求"]
    doc = Document(str(notice))
    assert "PAGE" in doc.sections[0].footer._element.xml and doc.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert "演示数据" in doc.sections[0].header.paragraphs[0].text  # the demo workspace says so
    assert not any("{{" in t or "{%" in t or "None" in t for _s, t in paras)


@pytest.mark.skipif(__import__("os").name != "posix", reason="file modes are POSIX")
def test_the_bulletin_is_an_ordinary_file_as_the_workbooks_are(demo):
    """Another account of the office reads the bulletin as it reads the workbooks (it was written
    0600, as mkstemp makes a file; the workbooks 0666 less the umask)."""
    import os
    import stat

    ws, summary = demo
    modes = {p.suffix: stat.S_IMODE(p.stat().st_mode) for p in summary.written}
    umask = os.umask(0)
    os.umask(umask)
    assert modes == {".xlsx": 0o666 & ~umask, ".docx": 0o666 & ~umask}


def test_the_bulletin_holds_the_figures_of_the_xlsx_reports(demo):
    ws, _ = demo
    out, before = ws / "output" / "2023-08", ws / "output" / "2023-07"
    paras = _paragraphs(_one(out, "*情况通报（稿）.docx"))
    text = "\n".join(t for _s, t in paras)

    # 总体情况: the total, full marks and estimated place 得分测算 shows, last month's total
    head = _rows(_one(out, "*得分测算.xlsx"), "得分汇总")[1][0]
    total, full, place = re.search(r"测算总分([\d.]+)分（满分([\d.]+)分）；预计在六县市中位列第(\d+)名", head).groups()
    prev_total = re.search(r"测算总分([\d.]+)分", _rows(_one(before, "*得分测算.xlsx"), "得分汇总")[1][0]).group(1)
    assert f"测算得分{total}分（满分{full}分），7月为{prev_total}分；预计在六县市中位列第{place}位" in text

    # the colour counts of 预警通报, and their change against July's 预警通报
    now, then = _warning_counts(_one(out, "*预警通报.xlsx")), _warning_counts(_one(before, "*预警通报.xlsx"))
    assert (f"{now['all']}项考核指标中，绿色预警{now['green']}项，{_words(now['green'] - then['green'])}；"
            f"黄色预警{now['yellow']}项，{_words(now['yellow'] - then['yellow'])}；"
            f"红色预警{now['red']}项，{_words(now['red'] - then['red'])}；另有{now['none']}项暂无排名") in text
    assert now["green"] != then["green"]  # the demo's counts move: the words are not all 持平

    # 三、红色预警指标: 预警通报's red rows, department by department, in its order
    expected, dept = [], None
    for r in _rows(_one(out, "*预警通报.xlsx")):
        if isinstance(r[0], str) and re.match(r".+（红色\d+项，黄色\d+项）$", r[0]):
            dept = r[0].split("（")[0]
        elif isinstance(r[0], int) and r[2] == "红":
            if not expected or expected[-1][0] != dept:
                expected.append((dept, []))
            expected[-1][1].append((r[1], str(r[3]), r[4], r[7]))
    assert len(expected) >= 3 and sum(len(x) for _d, x in expected) == now["red"]
    got = []
    for style, t in _section(paras, "三、红色预警指标", "四、报送情况")[1:]:
        if style == "二级标题":
            m = re.fullmatch(r"（[一二三四五六七八九十]+）(.+)（(\d+)项）", t)
            got.append((m.group(1), []))
        else:
            m = re.fullmatch(r"\d+\.(.+?)：(.+)，六县市排名第(\d+)位(?:，[^。]+)?。(.*)。", t)
            assert m, t
            got[-1][1].append((m.group(1), m.group(2), int(m.group(3)), m.group(4)))
    assert got == expected

    # 二、进位和退位: the indicators whose place on the 一览表 moved two or more since July's
    r8, r7 = _overview_ranks(_one(out, "*一览表*.xlsx")), _overview_ranks(_one(before, "*一览表*.xlsx"))
    moved = {n: r7[n] - r8[n] for n in r8 if n in r7}
    rose = sorted(n for n, d in moved.items() if d >= 2)
    fell = sorted(n for n, d in moved.items() if d <= -2)
    said_up = re.findall(r"\d+\.(.+?)（[^（）]+），由第(\d+)位升至第(\d+)位。", text)
    said_down = re.findall(r"\d+\.(.+?)（[^（）]+），由第(\d+)位降至第(\d+)位。", text)
    assert rose and fell
    assert sorted(n for n, _a, _b in said_up) == rose and sorted(n for n, _a, _b in said_down) == fell
    for n, a, b in said_up + said_down:
        assert (int(a), int(b)) == (r7[n], r8[n])

    # 四、报送情况: 报送情况's late and missing units
    rows = [r for r in _rows(_one(out, "*报送情况.xlsx")) if isinstance(r[0], int)]
    missing = [r[1] for r in rows if r[5] in ("未报送", "未填报")]
    late = [(r[1], r[7]) for r in rows if r[5] == "逾期报送"]
    on_time = sum(1 for r in rows if r[5] == "已报送")
    status = _section(paras, "四、报送情况", "五、下步要求")[0][1]
    assert f"应报送单位{len(rows)}个，按时报送{on_time}个" in status
    assert missing and f"未报送{len(missing)}个（{'、'.join(missing)}）" in status
    for name, day in late:
        y, m, d = map(int, day.split("-"))
        assert f"{name}，{m}月{d}日报送" in status


def test_the_first_month_says_there_is_nothing_to_compare(tmp_path):
    ws = _ws(tmp_path)
    _run(ws, "2023-07")
    paras = _paragraphs(_one(ws / "output" / "2023-07", "*情况通报（稿）.docx"))
    part = [t for _s, t in _section(paras, "二、进位和退位情况", "三、红色预警指标")]
    assert part == ["本月为年度首次测算，暂无上月位次可比。"]  # no empty 进位/退位 headings
    assert not any("较上月" in t or "与上月" in t for _s, t in paras[:12])


def test_notable_change_comes_from_kaohe_toml(tmp_path):
    ws = _ws(tmp_path)
    (ws / "kaohe.toml").write_text("[bulletin]\nnotable_change = 4\n", encoding="utf-8")
    _run(ws, "2023-08")
    text = "\n".join(t for _s, t in _paragraphs(_one(ws / "output" / "2023-08", "*情况通报（稿）.docx")))
    assert "位次上升4位及以上的指标1项" in text and "新三板挂牌企业个数" in text  # the demo's one 4-place rise
    assert "本月没有位次下降4位及以上的指标。" in text


def test_an_unchanged_draft_is_replaced_an_edited_or_signed_one_is_kept(tmp_path):
    from click.testing import CliRunner

    from kaohe_excel.cli import main

    ws = _ws(tmp_path)
    out = ws / "output" / "2023-08"
    _run(ws, "2023-08")
    _run(ws, "2023-08")
    draft = _one(out, "*情况通报（稿）.docx")
    assert not list(out.glob("*第2版*"))  # a run replaces its own draft
    doc = Document(str(draft))  # the office rewrites a sentence in Word
    doc.paragraphs[4].text = "经研究，现将有关情况通报如下。"
    doc.save(str(draft))
    edited = draft.read_bytes()
    s = _run(ws, "2023-08")
    assert draft.read_bytes() == edited
    second = out / draft.name.replace("（稿）.docx", "（稿）（第2版）.docx")
    assert second in s.written
    res = CliRunner().invoke(main, ["sign", str(second), "--reviewer", "甲", "--issuer", "乙"])
    assert res.exit_code == 0, res.output
    signed = second.read_bytes()
    s = _run(ws, "2023-08")  # signed as the run wrote it, the same figures: it stands, no 第3版
    assert second.read_bytes() == signed and s.signed_kept == [second] and not list(out.glob("*第3版*"))
    take_back_a_report(ws / "input" / "2023-08")  # the figures change
    s = _run(ws, "2023-08")
    assert second.read_bytes() == signed and any("第3版" in p.name for p in s.written)


def test_a_template_that_reaches_for_python_is_refused_in_chinese(tmp_path):
    ws = _ws(tmp_path)
    (ws / "templates").mkdir()
    doc = Document()
    doc.add_paragraph("{{ county }}")
    doc.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    doc.save(str(ws / "templates" / "综合绩效考核情况通报.docx"))
    from kaohe_excel.flows.run import run_workspace

    s = run_workspace(ws, "2023-08")
    assert s.fatal and "模板「综合绩效考核情况通报.docx」" in s.fatal and "模板不允许这样写" in s.fatal
    assert not list((ws / "output" / "2023-08").glob("*.xlsx"))  # all or none: no report was written


def test_values_are_escaped_and_none_is_empty(tmp_path):
    from kaohe_excel.write.document import render_document

    tpl = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("单位：{{ unit }}；排名：{{ rank }}。")
    doc.save(str(tpl))
    render_document(tpl, {"unit": "发改委<县>&\"统计局\"", "rank": None}, tmp_path / "o.docx")
    assert Document(str(tmp_path / "o.docx")).paragraphs[0].text == "单位：发改委<县>&\"统计局\"；排名：。"


def test_a_file_that_is_not_a_word_document_is_named(tmp_path):
    from kaohe_excel.write.document import render_document
    from kaohe_excel.write.engine import TemplateError

    bad = tmp_path / "综合绩效考核情况通报.docx"
    shutil.copyfile(ROOT / "templates" / "预警通报.xlsx", bad)  # a workbook renamed .docx
    with pytest.raises(TemplateError, match="不是 Word 文档"):
        render_document(bad, {}, tmp_path / "o.docx")
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="不是 Word 文档"):
        render_document(bad, {}, tmp_path / "o.docx")


def test_a_template_with_a_dtd_is_refused_before_it_is_parsed(tmp_path):
    """An entity declared in a part (a bomb, or a local file pulled into the bulletin) is never
    parsed: Word never writes one."""
    import zipfile

    from kaohe_excel.write.document import render_document
    from kaohe_excel.write.engine import TemplateError

    with zipfile.ZipFile(SHIPPED) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    doc = members["word/document.xml"].decode("utf-8")
    head, rest = doc.split("?>", 1)
    members["word/document.xml"] = (head + '?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                                    + rest.replace("{{", "&x;{{", 1)).encode("utf-8")
    bad = tmp_path / "综合绩效考核情况通报.docx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    out = tmp_path / "o.docx"
    with pytest.raises(TemplateError, match="DOCTYPE/ENTITY"):
        render_document(bad, {}, out)
    assert not out.exists()


def test_the_shipped_template_is_what_the_tool_builds(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_bulletin_template", ROOT / "tools" / "make_bulletin_template.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = mod.build(tmp_path)
    assert built.read_bytes() == SHIPPED.read_bytes()


def test_template_fonts_and_page_follow_the_official_layout():
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document(str(SHIPPED))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    want = {"Normal": ("仿宋_GB2312", 16), "通报标题": ("方正小标宋简体", 22), "一级标题": ("黑体", 16),
            "二级标题": ("楷体_GB2312", 16)}
    for name, (font, size) in want.items():
        st = doc.styles[name]
        fonts = st.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font and fonts.get(qn("w:ascii")) == font, name
        assert st.font.size == Pt(size), name
    line = doc.styles["Normal"].paragraph_format.line_spacing
    assert Pt(28) <= line <= Pt(29) and Mm(0) < doc.styles["Normal"].paragraph_format.first_line_indent


def test_template_check_reads_the_word_template(tmp_path):
    from click.testing import CliRunner

    from kaohe_excel.cli import main

    res = CliRunner().invoke(main, ["template", "check", str(SHIPPED)])
    assert res.exit_code == 0 and "可以使用" in res.output, res.output
    doc = Document(str(SHIPPED))
    doc.add_paragraph("{{ totl }}")
    doc.save(str(tmp_path / "综合绩效考核情况通报.docx"))
    res = CliRunner().invoke(main, ["template", "check", str(tmp_path / "综合绩效考核情况通报.docx")])
    assert res.exit_code == 1 and "totl" in res.output, res.output


def _soffice_convert(src: Path, to: str, out: Path, profile: Path) -> Path:
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=300)
    made = out / (src.stem + "." + to.split(":")[0])
    assert made.is_file(), made
    return made


def test_a_template_edited_in_libreoffice_writer_still_renders(tmp_path):
    """The shipped template opened in Writer (its own .odt), a line reworded there, saved
    back as .docx: Writer splits and renames runs and styles, the tags still work."""
    import os
    import zipfile

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice writer; see .ci/run")
        pytest.skip("LibreOffice is not installed here")
    profile = tmp_path / "lo-profile"
    src = tmp_path / "src" / "t.docx"
    src.parent.mkdir()
    shutil.copyfile(SHIPPED, src)
    odt = _soffice_convert(src, "odt", tmp_path / "odt", profile)
    edited = tmp_path / "edited.odt"  # the clerk's edit, in Writer's own format
    with zipfile.ZipFile(odt) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                assert "直各有关单位：".encode() in data
                data = data.replace("直各有关单位：".encode(), "直各有关单位，各乡镇人民政府：".encode())
            zout.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype"
                          else zipfile.ZIP_DEFLATED)
    back = _soffice_convert(edited, "docx:MS Word 2007 XML", tmp_path / "back", profile)
    ws = _ws(tmp_path)
    (ws / "templates").mkdir()
    shutil.copyfile(back, ws / "templates" / "综合绩效考核情况通报.docx")
    _run(ws, "2023-07")
    _run(ws, "2023-08")
    mine = [t for _s, t in _paragraphs(_one(ws / "output" / "2023-08", "*情况通报（稿）.docx"))]

    ref = _ws(tmp_path / "ref")
    _run(ref, "2023-07")
    _run(ref, "2023-08")
    shipped = [t for _s, t in _paragraphs(_one(ref / "output" / "2023-08", "*情况通报（稿）.docx"))]
    assert "县直各有关单位，各乡镇人民政府：" in mine
    mine = [t for t in mine if t != "县直各有关单位，各乡镇人民政府："]
    shipped = [t for t in shipped if t != "县直各有关单位："]
    day = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
    assert [day.sub("", t) for t in mine if t] == [day.sub("", t) for t in shipped if t]


def test_a_district_or_city_calls_itself_what_it_is(tmp_path, monkeypatch):
    """我区 / 区直各有关单位 / 区考核办 for a district, 我市 for a county-level city; 县 for the demo."""
    from kaohe_excel.write.document import render_document
    from kaohe_excel.write.reports import place_word

    assert [place_word(u) for u in ("叶县", "雁江区", "汝州市", "达尔罕茂明安联合旗", "", None, "高新技术产业开发区管委会")] \
        == ["县", "区", "市", "旗", "县", "县", "县"]
    import kaohe_excel.write.document as D

    seen = []

    def keep(template, context, out):  # the context the run renders the bulletin with
        seen.append(dict(context))
        return render_document(template, context, out)

    monkeypatch.setattr(D, "render_document", keep)
    ws = _ws(tmp_path)
    _run(ws, "2023-08")
    demo_text = "\n".join(t for _s, t in _paragraphs(_one(ws / "output" / "2023-08", "*情况通报（稿）.docx")))
    assert seen[-1]["place"] == "县" and "县直各有关单位：" in demo_text and "我县综合绩效考核" in demo_text
    out = tmp_path / "o.docx"
    render_document(SHIPPED, {**seen[-1], "county": "雁江区", "place": "区"}, out)
    text = "\n".join(t for _s, t in _paragraphs(out))
    assert "区直各有关单位：" in text and "我区综合绩效考核" in text and "区考核办将持续跟踪" in text
    assert "我县" not in text and "县直" not in text and "县考核办" not in text


def test_a_constraint_nobody_reported_is_said_in_the_bulletin(tmp_path):
    """Item 11 of the city's table (a constraint) is in no month's sheet: the bulletin says it is
    unknown whether it happened, as the run's summary and 得分测算 do (helper-37: 暂无数据或文字报送)."""
    from tests import league_city as lc

    city = lc.build_workspace(tmp_path / "city").root
    ws = lc.copy_input(city, tmp_path / "county", county=lc.LS)
    summary = _run(ws, lc.JUNE)
    assert "重大环境污染事件" in summary.unreported, summary.unreported
    text = "".join(t for _s, t in _paragraphs(_one(ws / "output" / lc.JUNE, "*通报*.docx")))
    assert "约束条件「重大环境污染事件」无人报送，是否发生不明（如已发生，不参与排名）" in text, text[:600]


def test_items_are_listed_under_the_units_the_system_makes_responsible():
    """The county's whole 一览表 handed in by 政府办 (it fills every row): 预警通报 and the bulletin list
    each item under its 牵头单位 as 部门考核 does, never everything under 政府办; a 配合单位 that
    reported keeps its item."""
    from kaohe_excel.assess.results import IndicatorResult, MonthResult
    from kaohe_excel.model import Indicator, IndicatorSystem
    from kaohe_excel.units import DepartmentIndex
    from kaohe_excel.write.reports import bulletin_context

    def ind(no, lead, support=()):
        return Indicator(no=no, row=no + 3, path=["经济发展"], name=f"指标{no}", name_raw=f"指标{no}", points=3,
                         lead=list(lead), support=list(support) or None, cell=f"B{no + 3}")

    system = IndicatorSystem(title="t", file="s.xlsx", sheet="s", indicators=[
        ind(1, ["县科学技术局"]), ind(2, ["县发展和改革委员会"], ["县统计局"]), ind(3, ["县政府办"])])
    system.assign_keys()
    names = DepartmentIndex.from_system(system, "翠屏县").resolve

    def red(no, lead, support, department):
        return IndicatorResult(no=no, name=f"指标{no}", category="经济发展", kind="scored", points=3, direction="higher",
                               direction_source="默认", lead=lead, support=support, rank=9, group_size=9, colour="red",
                               department=department)

    res = MonthResult(month="2024-06", system_title=None, county="翠屏县", indicators=[
        red(1, ["县科学技术局"], [], "政府办"), red(2, ["县发展和改革委员会"], ["县统计局"], "统计局"),
        red(3, ["县政府办"], [], "政府办")])
    groups = {g["department"]: [x["no"] for x in g["items"]] for g in bulletin_context(res, {}, names)["groups"]}
    assert groups == {"科学技术局": [1], "统计局": [2], "政府办": [3]}, groups


def test_a_unit_that_owes_nothing_is_listed_but_no_unit_that_should_report():
    """政府办 handed in the county's whole 一览表 but answers for no item: 报送情况 lists it (应报 0)
    and counts 应报单位 as the check does, without it."""
    from kaohe_excel.write.reports import status_context

    rows = [{"department": "发改委", "owed": 3, "status": "已报送"}, {"department": "财政局", "owed": 2, "status": "未报送"},
            {"department": "政府办", "owed": 0, "status": "已报送"}]
    ctx = status_context(rows, None)
    assert ctx["counts"] == {"submitted": 1, "late": 0, "missing": 1, "total": 2} and len(ctx["rows"]) == 3


def test_a_lateness_taken_from_the_file_time_is_said_to_be_inferred_in_the_bulletin():
    """报送情况 marks a late report known only by its file time 推定; the bulletin said 3月15日报送 as a fact."""
    from kaohe_excel.write.reports import notice_context

    rows = [{"department": "农业农村局", "owed": 2, "status": "逾期报送", "submitted_at": "2024-03-15 09:00",
             "note": "按文件修改时间（推定）判断"},
            {"department": "财政局", "owed": 1, "status": "逾期报送", "submitted_at": "2024-03-09 10:00",
             "note": "按填报日期判断"}]
    from kaohe_excel.assess.results import MonthResult

    res = MonthResult(month="2024-02", system_title=None, county="青岚县")
    late = notice_context(res, None, {"counts": {"red": 0, "yellow": 0, "green": 0}, "groups": []},
                          {"rows": rows}, {"trend": [], "estimated_rank": None, "total": 0, "total_points": 0})[
        "status"]["late"]
    assert late == [{"department": "农业农村局", "submitted_at": "3月15日（推定）"},
                    {"department": "财政局", "submitted_at": "3月9日"}], late
