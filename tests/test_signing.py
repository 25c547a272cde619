"""Sign-off that means signing (issue 11.6, 12.2): names given to `run` fill a draft's
审核/签发 lines without signing it; only `kaohe sign` or a name the clerk typed on the
签发 line signs; `sign` checks what it is given, keeps every signing, takes the workspace
lock, and stops on a record it cannot read exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from kaohe_excel.write.signoff import REGISTRY, is_signed, read_registry, RecordError

ROOT = Path(__file__).resolve().parents[1]


from tests.kaohe_cli import cli as _cli  # noqa: E402


@pytest.fixture()
def ws(tmp_path) -> Path:
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def _overview(ws: Path) -> list[Path]:
    return sorted((ws / "output" / "2023-08").glob("*一览表*.xlsx"))


def _type_on_signoff_line(path: Path, name: str, *, beside: bool, bold: bool = False) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("签发："):
                if beside:
                    c.value = "签发："
                    target = ws.cell(c.row, c.column + 1)
                else:
                    target = c
                    name = "签发：" + name
                target.value = name
                if bold:
                    target.font = Font(bold=True)
                wb.save(path)
                return
    raise AssertionError("no 签发 line")


def test_names_given_to_run_do_not_sign_and_reruns_do_not_pile_up(ws):
    for _ in range(3):
        p = _cli(ws, "run", "--reviewer", "审核甲", "--issuer", "签发乙")
        assert p.returncode in (0, 1), p.stderr
    files = _overview(ws)
    assert len(files) == 1 and "第2版" not in files[0].name
    texts = [str(c.value) for row in openpyxl.load_workbook(files[0]).active.iter_rows() for c in row if c.value]
    assert any("签发：签发乙" in t for t in texts)  # the draft carries the names
    assert not is_signed(files[0])


def test_a_name_the_clerk_typed_signs(ws):
    _cli(ws, "run")
    f = _overview(ws)[0]
    _type_on_signoff_line(f, "王某某", beside=False)
    assert is_signed(f)
    _cli(ws, "run")
    names = [p.name for p in _overview(ws)]
    assert len(names) == 2 and any("（第2版）" in n for n in names)


@pytest.mark.parametrize("bold", [False, True], ids=["plain", "bold"])
def test_a_name_in_the_cell_beside_the_label_signs(tmp_path, bold):
    wb = openpyxl.Workbook()
    sh = wb.active
    sh["A1"] = "得分测算"
    sh["A20"], sh["C20"], sh["D20"], sh["F20"] = "审核：", "签发：", "李某", "日期："
    if bold:
        sh["D20"].font = Font(bold=True)
    f = tmp_path / "output" / "2023-08" / "叶县2023年8月得分测算.xlsx"
    f.parent.mkdir(parents=True)
    wb.save(f)
    assert is_signed(f)
    sh["D20"] = None
    wb.save(f)
    assert not is_signed(f)  # 签发： then 日期： : nobody signed


def test_a_department_remark_never_signs(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "预警通报"
    wb.active["H5"] = "需县领导签发：待定"
    wb.active["A9"] = "审核：　　签发：　　日期："
    f = tmp_path / "output" / "2023-08" / "叶县2023年8月预警通报.xlsx"
    f.parent.mkdir(parents=True)
    wb.save(f)
    assert not is_signed(f)


def test_sign_checks_what_it_is_given(ws):
    _cli(ws, "run")
    f = _overview(ws)[0]
    bad = [
        (ws / "input" / "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表.xlsx", "甲", "乙", None, "output/"),
        (f, "  ", "乙", None, "姓名"),
        (f, "甲", "乙", "2023-02-30", "不存在"),
        (f, "甲", "乙", "下周一", "无法识别"),
    ]
    for path, rev, iss, date, said in bad:
        args = ["sign", str(path), "--reviewer", rev, "--issuer", iss] + (["--date", date] if date else [])
        p = _cli(ws, *args)
        assert p.returncode == 2 and said in p.stderr, (args, p.stderr)
    assert not (ws / "input" / REGISTRY).exists()
    assert not (f.parent / REGISTRY).exists()


def test_every_signing_is_kept(ws):
    _cli(ws, "run")
    f = _overview(ws)[0]
    assert _cli(ws, "sign", str(f), "--reviewer", "甲", "--issuer", "乙", "--date", "2023年9月6日").returncode == 0
    assert _cli(ws, "sign", str(f), "--reviewer", "丙", "--issuer", "丁").returncode == 0
    entries = read_registry(f.parent)[f.name]
    assert [(e["审核"], e["签发"]) for e in entries] == [("甲", "乙"), ("丙", "丁")]
    assert entries[0]["日期"] == "2023-09-06"


def test_sign_waits_for_no_run(ws):
    _cli(ws, "run")
    f = _overview(ws)[0]
    from kaohe_excel.fsutil import workspace_lock

    with workspace_lock(ws):
        p = _cli(ws, "sign", str(f), "--reviewer", "甲", "--issuer", "乙")
    assert p.returncode == 2 and "[错误]" in p.stderr, p.stderr
    assert not (f.parent / REGISTRY).exists()


@pytest.mark.parametrize("text", ['{"a.xlsx": [{"审核": "甲", "签发": "乙"}],}', "null", "[]",
                                  '{"a.xlsx": null}'],
                         ids=["trailing comma", "null", "list", "null entry"])
def test_a_record_that_cannot_be_read_stops_run_and_sign(ws, text):
    _cli(ws, "run")
    f = _overview(ws)[0]
    reg = f.parent / REGISTRY
    reg.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError):
        read_registry(f.parent)
    p = _cli(ws, "run")
    assert p.returncode == 2 and REGISTRY in p.stderr, p.stdout + p.stderr
    p = _cli(ws, "sign", str(f), "--reviewer", "甲", "--issuer", "乙")
    assert p.returncode == 2
    assert reg.read_text(encoding="utf-8") == text  # nothing wiped


def test_a_record_notepad_saved_with_a_bom_still_protects(ws):
    _cli(ws, "run")
    f = _overview(ws)[0]
    reg = f.parent / REGISTRY
    reg.write_bytes("\ufeff".encode("utf-8") + json.dumps({f.name: {"审核": "甲", "签发": "乙", "日期": "2023-09-06"}},
                                                          ensure_ascii=False).encode("utf-8"))
    assert is_signed(f)
    _cli(ws, "run")
    assert any("（第2版）" in p.name for p in _overview(ws))


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("lose", ["deleted", "emptied"])
def test_a_signed_report_whose_record_is_lost_is_still_never_overwritten(ws, lose):
    """An acceptance probe (helper-33) moved 签发记录.json away (or left it {}): the next run wrote
    over the signed, protected 一览表 and over the signed bulletin. Signing leaves its own marks:
    the workbook's protected sheets, and the draft note taken off what is no longer a draft."""
    _cli(ws, "run")
    out = ws / "output" / "2023-08"
    book = _overview(ws)[0]
    (bulletin,) = out.glob("*通报（稿）.docx")
    for f in (book, bulletin):
        assert _cli(ws, "sign", str(f), "--reviewer", "审核甲", "--issuer", "签发乙").returncode == 0
    kept = {f: _digest(f) for f in (book, bulletin)}
    if lose == "deleted":
        (out / REGISTRY).unlink()
    else:
        (out / REGISTRY).write_text("{}", encoding="utf-8")
    assert _cli(ws, "run").returncode in (0, 1)
    assert {f: _digest(f) for f in kept} == kept
    assert any("（第2版）" in p.name for p in _overview(ws))
    assert list(out.glob("*通报（稿）（第2版）.docx"))


def test_a_signed_report_moved_away_keeps_its_name_for_itself(ws):
    """The signed 一览表 renamed (一览表-已签发.xlsx): the run wrote a fresh draft under the signed
    name, and `verify` then called that draft 已改动 instead of the signed file 缺失."""
    _cli(ws, "run")
    book = _overview(ws)[0]
    assert _cli(ws, "sign", str(book), "--reviewer", "审核甲", "--issuer", "签发乙").returncode == 0
    book.rename(book.with_name("一览表-已签发.xlsx"))
    assert _cli(ws, "run").returncode in (0, 1)
    assert not book.exists() and any("（第2版）" in p.name for p in _overview(ws))
    p = _cli(ws, "verify")
    assert "xlsx：缺失（" in p.stdout and "xlsx：已改动" not in p.stdout, p.stdout


@pytest.mark.parametrize("name", ["王某\n某", "王" * 41, "王某\u202e某"], ids=["newline", "too-long", "bidi"])
def test_a_name_that_is_no_name_is_refused_and_nothing_is_signed(ws, name):
    """helper-33 signed with a newline, a right-to-left override or 40,000 characters in the name."""
    _cli(ws, "run")
    book = _overview(ws)[0]
    before = _digest(book)
    p = _cli(ws, "sign", str(book), "--reviewer", "审核甲", "--issuer", name)
    assert p.returncode != 0 and "不像姓名" in p.stdout + p.stderr, p.stdout + p.stderr
    assert _digest(book) == before and not read_registry(book.parent)


def test_a_report_signed_as_written_stands_while_its_figures_stay_and_only_then(ws):
    """A re-run with the same figures writes no 第2版 of a report signed as the run wrote it (the
    leader would be asked to sign the same figures again): the signed file stands, the summary says
    so. A report edited before it was signed, or changed after, still gets its 第2版: what the run
    would write is not what was signed."""
    from kaohe_excel.write.signoff import RENDER_KEY

    assert _cli(ws, "run").returncode in (0, 1)
    overview, = _overview(ws)
    scores, = (ws / "output" / "2023-08").glob("*得分测算.xlsx")
    wb = openpyxl.load_workbook(scores)  # the clerk corrects a cell by hand, then has it signed
    wb.worksheets[0]["A1"] = str(wb.worksheets[0]["A1"].value) + "（修订）"
    wb.save(scores)
    for f in (overview, scores):
        assert _cli(ws, "sign", str(f), "--reviewer", "审核甲", "--issuer", "签发乙").returncode == 0
    reg = read_registry(overview.parent)
    assert RENDER_KEY in reg[overview.name][-1] and RENDER_KEY not in reg[scores.name][-1]
    signed = {f: f.read_bytes() for f in (overview, scores)}
    p = _cli(ws, "run")
    assert p.returncode in (0, 1), p.stderr
    assert {f: f.read_bytes() for f in signed} == signed
    v2 = lambda f: f.with_name(f"{f.stem}（第2版）{f.suffix}")  # noqa: E731
    assert not v2(overview).exists() and f"{overview.name}（已签发；本次数据未变" in p.stdout
    assert v2(scores).exists()  # signed with the clerk's edit: the run's own figures go beside it
    # the signed 一览表 saved again after signing (not by kaohe): the run's version goes beside it
    openpyxl.load_workbook(overview).save(overview)
    p = _cli(ws, "run")
    assert p.returncode in (0, 1), p.stderr
    assert v2(overview).exists()


def test_a_run_stopped_while_moving_its_reports_leaves_drafts_that_read_as_drafts(ws, monkeypatch):
    """A run killed after moving its first report into place (the others still the last run's): the
    next run took its own unsigned drafts for signed ones and wrote 第2版 beside them, saying 同名报表
    已签发 (helper-51). Each report's note knows both files while the run moves them."""
    import kaohe_excel.fsutil as fs
    from kaohe_excel.flows.run import run_workspace
    from tests.month_fixtures import take_back_a_report

    assert run_workspace(ws).fatal is None
    out = ws / "output" / "2023-08"
    take_back_a_report(ws / "input" / "2023-08")  # every report changes
    real, moved = fs._replace, []

    def replace_then_die(src, dst):
        real(src, dst)
        if not Path(dst).name.startswith("."):
            moved.append(Path(dst))
            raise KeyboardInterrupt  # the process ends here (kill -9 leaves the rest as it is)

    monkeypatch.setattr(fs, "_replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        run_workspace(ws, signoff={"reviewer": "审核甲", "issuer": "签发乙"})
    monkeypatch.setattr(fs, "_replace", real)
    reports = [p for p in out.iterdir() if p.suffix in (".xlsx", ".docx") and not p.name.startswith(".")]
    assert len(moved) == 1 and len(reports) == 7 and not [p for p in reports if is_signed(p)]
    s = run_workspace(ws)
    assert s.fatal is None and not [p for p in out.iterdir() if "第2版" in p.name]


def test_signing_the_bulletin_says_what_was_done_to_it(ws):
    """A Word bulletin has no worksheets to protect: signing it says its digest was kept, not
    各工作表已设为保护 (helper-51); a workbook still says its sheets were protected."""
    assert _cli(ws, "run").returncode in (0, 1)
    out = ws / "output" / "2023-08"
    (doc,) = out.glob("*通报（稿）.docx")
    p = _cli(ws, "sign", str(doc), "--reviewer", "审核甲", "--issuer", "签发乙")
    assert p.returncode == 0 and "已记下文件的 SHA-256" in p.stdout and "工作表" not in p.stdout, p.stdout
    p = _cli(ws, "sign", str(_overview(ws)[0]), "--reviewer", "审核甲", "--issuer", "签发乙")
    assert p.returncode == 0 and "各工作表已设为保护" in p.stdout
