"""Workbooks saved by a real spreadsheet program (LibreOffice Calc), read as a clerk's files.

Generated fixtures are written by openpyxl, xlsxwriter and xlwt; what clerks send was last
saved by Excel, WPS or LibreOffice, which write shared strings, styles, merged cells,
number formats, hidden rows/columns/sheets and cached formula values their own way.
tests/real_saved/ holds demo files (演示数据) that LibreOffice Calc opened and saved as
.xlsx ("Calc MS Excel 2007 XML") and .xls ("MS Excel 97"), next to byte copies of the
files it opened (tests/real_saved/source/; see README.md there and make.py).

Each test builds a workspace from the LibreOffice-saved files and one from the files they
came from, runs `kaohe check --json` / `kaohe assess --json` / `kaohe spec --json` in a
separate process as a clerk would, and compares the two: the LibreOffice save must not
change what is read. Nothing here is a hard-coded result; the originals are the truth.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from tests.kaohe_cli import cli_json

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "real_saved"
SOURCE = HERE / "source"
SAVED = HERE / "libreoffice"
MONTH = "2023-08"
FORMATS = ("xlsx", "xls")
SYSTEM_STEM = "附件2：叶县2023年度高质量发展综合绩效指标完成情况一览表"
PREVIOUS = ROOT / "input" / "2023-07"  # the demo's July, the same in both workspaces (rank changes)


# ----------------------------------------------------------------------------- helpers

def _saved_name(source: Path, fmt: str) -> str:
    return f"{source.stem}.{fmt}"


def _renames(sources: list[Path], fmt: str) -> list[tuple[re.Pattern, str]]:
    """LibreOffice file name -> original file name, as patterns for the JSON text
    (`X.xls` must not match inside `X.xlsx`)."""
    out = []
    for s in sources:
        saved = _saved_name(s, fmt)
        if saved != s.name:
            out.append((re.compile(re.escape(saved) + r"(?![A-Za-z0-9])"), s.name))
    return out


def _normalise(obj, renames):
    """The JSON with LibreOffice file names written as the originals' names."""
    if isinstance(obj, str):
        for pat, name in renames:
            obj = pat.sub(name, obj)
        return obj
    if isinstance(obj, list):
        return [_normalise(x, renames) for x in obj]
    if isinstance(obj, dict):
        return {_normalise(k, renames): _normalise(v, renames) for k, v in obj.items()}
    return obj


def _month_sources() -> list[Path]:
    return sorted(p for p in (SOURCE / MONTH).iterdir() if p.is_file())


def _system_source() -> Path:
    return next(SOURCE.glob(f"{SYSTEM_STEM}.*"))


def _demo_workspace(root: Path, system: Path, month_files: list[Path]) -> Path:
    """input/ with the system, input/2023-08/ with `month_files`, and the demo's July."""
    (root / "input" / MONTH).mkdir(parents=True)
    shutil.copy2(system, root / "input" / system.name)
    for f in month_files:
        shutil.copy2(f, root / "input" / MONTH / f.name)
    if PREVIOUS.is_dir():
        shutil.copytree(PREVIOUS, root / "input" / PREVIOUS.name)
    return root


def _problem_key(p: dict) -> tuple:
    return (p["file"], p["sheet"], p["cell"], p["level"], p["message"])


def _show(problems) -> str:
    return "\n".join(f"  {p[3]} {p[0]} [{p[1]}] {p[2]}: {p[4]}" for p in problems)


def _by_key(items: list[dict], *keys: str) -> dict:
    out: dict = {}
    for it in items:
        k = tuple(it.get(x) for x in keys)
        assert k not in out, f"two items with {keys}={k}"
        out[k] = it
    return out


def _field_diffs(orig: dict, saved: dict, fields) -> list[str]:
    lines = []
    for key in sorted(set(orig) | set(saved), key=str):
        a, b = orig.get(key), saved.get(key)
        if a is None or b is None:
            lines.append(f"  {key}: {'only in the original' if b is None else 'only in the LibreOffice copy'}")
            continue
        for f in fields:
            if a.get(f) != b.get(f):
                lines.append(f"  {key} {f}: original {a.get(f)!r}, LibreOffice {b.get(f)!r}")
    return lines


# ----------------------------------------------------------------------------- the files

def test_the_saved_files_are_libreoffice_saves_of_every_source():
    """Every source file has a LibreOffice .xlsx and .xls, and they really are
    LibreOffice's: docProps/app.xml names LibreOffice; the .xls WRITEACCESS record
    names Calc (xlwt and Excel write neither)."""
    import olefile

    sources = [p for p in SOURCE.rglob("*") if p.is_file()]
    assert len(sources) >= 10, sources
    for fmt in FORMATS:
        for src in sources:
            rel = src.relative_to(SOURCE).parent
            saved = SAVED / fmt / rel / _saved_name(src, fmt)
            assert saved.is_file(), f"no LibreOffice {fmt} for {src.relative_to(SOURCE)}: run tests/real_saved/make.py"
            if fmt == "xlsx":
                with zipfile.ZipFile(saved) as z:
                    app = z.read("docProps/app.xml").decode("utf-8")
                assert "<Application>LibreOffice/" in app, (saved, app)
            else:
                assert olefile.isOleFile(str(saved)), saved
                with olefile.OleFileIO(str(saved)) as ole:
                    stream = ole.openstream("Workbook").read()
                at = stream.find(b"\x5c\x00\x70\x00")  # WRITEACCESS, 112 bytes
                assert at >= 0 and b"Calc" in stream[at:at + 116], saved
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    assert total < 1_000_000, f"tests/real_saved is {total} bytes; keep it under 1 MB"


# ----------------------------------------------------------------------------- the demo month

@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    """`check` and `assess` on the original files and on each LibreOffice copy:
    {"orig" | "xlsx" | "xls": {"check": …, "assess": …, "renames": …, "files": […]}}."""
    runs = {}
    system, month = _system_source(), _month_sources()
    for label in ("orig", *FORMATS):
        if label == "orig":
            sys_file, files, renames = system, month, []
        else:
            sys_file = SAVED / label / _saved_name(system, label)
            files = [SAVED / label / MONTH / _saved_name(s, label) for s in month]
            renames = _renames([system, *month], label)
        ws = _demo_workspace(tmp_path_factory.mktemp(f"demo-{label}"), sys_file, files)
        runs[label] = {
            "check": _normalise(cli_json(ws, "check", "--month", MONTH), renames),
            "assess": _normalise(cli_json(ws, "assess", "--month", MONTH), renames),
            "files": [sys_file, *files],
        }
    return runs


def test_the_original_demo_month_is_read_at_all(demo_runs):
    """Guard against a vacuous comparison: the originals give the system, the peers and
    every department's sheet, .xls ones included, with values and ranks."""
    check = demo_runs["orig"]["check"]
    assert check["system"]["indicators"] >= 40, check["system"]
    assert check["peers"] and len(check["peers"]["rows"]) >= 30, check["peers"]
    kinds = Counter(f["kind"] for f in check["files"])
    assert kinds["system"] == 1 and kinds["peers"] == 1 and kinds["submission"] == len(_month_sources()) - 1, kinds
    used = [e for e in check["entries"] if e["used"]]
    assert len(used) >= 25
    assert sum(e["actual"] is not None for e in used) >= 15 and sum(e["rank"] is not None for e in used) >= 15
    assert {e["file"] for e in used} >= {s.name for s in _month_sources() if s.suffix == ".xls"}


ENTRY_FIELDS = ("department", "actual", "actual_raw", "rank", "rank_raw", "last_year", "last_year_raw",
                "last_year_rank", "target", "target_raw", "warning_raw", "file", "sheet", "cell", "rank_cell",
                "row", "used")


@pytest.mark.parametrize("fmt", FORMATS)
def test_month_entries_read_the_same(demo_runs, fmt):
    """Per indicator and department: completion value, written rank, last year, target,
    warning text, and the sheet and cell they were read from."""
    orig = _by_key(demo_runs["orig"]["check"]["entries"], "no", "department", "file")
    saved = _by_key(demo_runs[fmt]["check"]["entries"], "no", "department", "file")
    diffs = _field_diffs(orig, saved, ENTRY_FIELDS)
    assert not diffs, f"LibreOffice {fmt} copies are read differently:\n" + "\n".join(diffs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_month_files_submissions_and_peers_read_the_same(demo_runs, fmt):
    """Which file is which (system / peers / submission), its sheets, department, month,
    row count, 填报日期 and sign-off; the peer table; who reported, late and missing."""
    o, s = demo_runs["orig"]["check"], demo_runs[fmt]["check"]
    assert s["system"] == o["system"]
    assert s["files"] == o["files"]
    assert s["peers"] == o["peers"]
    assert s["status"] == o["status"]
    assert s["month"] == o["month"] and s["months"] == o["months"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_month_problems_are_the_same(demo_runs, fmt):
    """No problem appears or disappears because LibreOffice saved the files (the demo's
    deliberate ones stay: the #DIV/0! cell, the rank of 7, the conflict on indicator 15)."""
    o = Counter(map(_problem_key, demo_runs["orig"]["check"]["problems"]))
    s = Counter(map(_problem_key, demo_runs[fmt]["check"]["problems"]))
    new, lost = s - o, o - s
    assert not new and not lost, (f"LibreOffice {fmt}: new problems:\n{_show(new)}\n"
                                  f"problems no longer found:\n{_show(lost)}")
    assert demo_runs[fmt]["check"]["decisions"] == demo_runs["orig"]["check"]["decisions"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_libreoffice_file_is_read_without_an_error_of_its_own(demo_runs, fmt):
    """Each LibreOffice-saved file is used, recognised as what the original is, with no
    note, and has no error-level problem: none about the file as a whole, and no cell
    error the original does not have (the original's are the demo's deliberate errors)."""
    o_check, s_check = demo_runs["orig"]["check"], demo_runs[fmt]["check"]
    o_files = {f["file"]: f for f in o_check["files"]}
    o_errors = Counter(_problem_key(p) for p in o_check["problems"] if p["level"] == "error")
    for sf in s_check["files"]:
        assert sf["used"] and not sf["note"], sf
        assert sf["kind"] == o_files[sf["file"]]["kind"], (sf, o_files[sf["file"]])
        name = Path(sf["file"]).name
        errors = [p for p in s_check["problems"] if p["level"] == "error" and p["file"] == name]
        assert all(p["cell"] for p in errors), f"{name}: {errors}"
        extra = Counter(map(_problem_key, errors)) - o_errors
        assert not extra, f"LibreOffice {fmt} {name}: errors the original does not have:\n{_show(extra)}"
    assert len(s_check["files"]) == len(demo_runs[fmt]["files"])


ASSESS_FIELDS = ("name", "category", "kind", "points", "direction", "department", "lead", "support",
                 "actual", "actual_raw", "actual_source", "display", "unit", "target", "rank", "rank_source",
                 "computed_rank", "reported_rank", "last_year_rank", "year_change", "peer_values", "peer_ranks",
                 "colour", "score", "prev_rank", "rank_change", "unreported", "not_assessed", "qualitative")


@pytest.mark.parametrize("fmt", FORMATS)
def test_assess_gives_the_same_values_ranks_colours_and_scores(demo_runs, fmt):
    o, s = demo_runs["orig"]["assess"], demo_runs[fmt]["assess"]
    assert len(o["indicators"]) >= 40
    diffs = _field_diffs(_by_key(o["indicators"], "no"), _by_key(s["indicators"], "no"), ASSESS_FIELDS)
    assert not diffs, f"LibreOffice {fmt}: assess differs:\n" + "\n".join(diffs)
    for key in ("county", "group", "subtotals", "total", "total_points", "unscored", "estimated_rank",
                "estimated_totals", "problems", "decisions"):
        assert s[key] == o[key], f"LibreOffice {fmt}: assess {key} differs"


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_else_differs(demo_runs, fmt):
    """The whole `check` and `assess` output, file names aside, is the same."""
    for cmd in ("check", "assess"):
        o, s = demo_runs["orig"][cmd], demo_runs[fmt][cmd]
        keys = [k for k in sorted(set(o) | set(s)) if o.get(k) != s.get(k)]
        assert not keys, f"LibreOffice {fmt}: `{cmd}` differs in {keys}"


# ----------------------------------------------------------------------------- formulas and hidden content

EXTRA_NAME = "叶县工信局2023年8月指标进展情况.xlsx"


def _extra_run(tmp_path: Path, sheet: Path, renames) -> dict:
    ws = _demo_workspace(tmp_path, _system_source(), [sheet])
    shutil.rmtree(ws / "input" / PREVIOUS.name, ignore_errors=True)
    return _normalise(cli_json(ws, "check", "--month", MONTH), renames)


@pytest.fixture(scope="module")
def extra_plain(tmp_path_factory) -> dict:
    """The typed-values sheet as make.py wrote it (openpyxl): the truth."""
    return _extra_run(tmp_path_factory.mktemp("extra-orig"), SOURCE / "extra" / "plain" / MONTH / EXTRA_NAME, [])


def test_the_extra_sheet_holds_what_it_should(extra_plain):
    """Guard: the typed sheet gives values for 2, 9, 12, 14, the #DIV/0! error on 17,
    a date-cell 填报日期, and the hidden row, column and sheet are reported."""
    entries = {e["no"]: e for e in extra_plain["entries"] if e["used"]}
    assert sorted(entries) == [2, 9, 12, 14, 17], entries
    assert all(entries[n]["actual"] is not None for n in (2, 9, 12, 14))
    assert entries[17]["actual"] is None and entries[17]["actual_raw"] == "#DIV/0!"
    assert all(entries[n]["warning_raw"] for n in entries)
    sub = next(f for f in extra_plain["files"] if f["kind"] == "submission")["submissions"][0]
    assert sub["filled_date"] and sub["department"] == "工信局", sub
    cells = {(p["sheet"], p["cell"]) for p in extra_plain["problems"]}
    assert {("8月", "H9"), ("8月", "G3"), ("8月", "A6"), ("去年", None)} <= cells, extra_plain["problems"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["plain", "formulas"])
def test_libreoffice_saved_formulas_and_hidden_content_read_like_typed_values(tmp_path, extra_plain, fmt, kind):
    """工信局's sheet with =ROUND(K/L,3) values (0.0% format), =ROUND(K/L*100,1) with a
    0.0"%" format, =IF(…) warning text, a formula giving #DIV/0!, =DATE(…) as 填报日期,
    a two-colour name, a hidden row, a hidden column and a hidden sheet: LibreOffice
    computed and cached the formulas on save; the copy must read exactly like the sheet
    with the values typed in (`plain` re-saved tests LibreOffice's writing alone)."""
    saved = SAVED / fmt / "extra" / kind / MONTH / f"{Path(EXTRA_NAME).stem}.{fmt}"
    got = _extra_run(tmp_path, saved, _renames([SOURCE / "extra" / kind / MONTH / EXTRA_NAME], fmt))
    diffs = _field_diffs(_by_key(extra_plain["entries"], "no", "department", "file"),
                         _by_key(got["entries"], "no", "department", "file"), ENTRY_FIELDS)
    assert not diffs, f"LibreOffice {fmt} ({kind}) read differently:\n" + "\n".join(diffs)
    o, s = Counter(map(_problem_key, extra_plain["problems"])), Counter(map(_problem_key, got["problems"]))
    assert s == o, f"new:\n{_show(s - o)}\nlost:\n{_show(o - s)}"
    assert got["files"] == extra_plain["files"]
    assert got["status"] == extra_plain["status"]


# ----------------------------------------------------------------------------- indicator systems

FILTERED = "指标体系（筛选了工信局）"
def _system_sources() -> list[Path]:
    return sorted([_system_source(), *(p for p in (SOURCE / "systems").iterdir() if p.is_file())])


def _system_cases():
    for source in _system_sources():
        for fmt in FORMATS:
            yield pytest.param(source, fmt, id=f"{source.stem[:24]}-{fmt}")


def _spec_both(tmp_path: Path, source: Path, fmt: str) -> tuple[dict, dict, Path]:
    """`kaohe spec --json` on the original and on its LibreOffice copy (file names as the original's)."""
    rel = source.relative_to(SOURCE).parent
    saved = SAVED / fmt / rel / _saved_name(source, fmt)
    (tmp_path / "orig").mkdir()
    (tmp_path / fmt).mkdir()
    orig_copy = Path(shutil.copy2(source, tmp_path / "orig" / source.name))
    saved_copy = Path(shutil.copy2(saved, tmp_path / fmt / saved.name))
    orig = cli_json(tmp_path / "orig", "spec", orig_copy.name)
    got = _normalise(cli_json(tmp_path / fmt, "spec", saved_copy.name), _renames([source], fmt))
    return orig, got, saved


@pytest.mark.parametrize("source, fmt", list(_system_cases()))
def test_systems_read_the_same(tmp_path, source, fmt):
    """`kaohe spec --json`: every indicator (number, name, category path, kind, points,
    per-unit points and targets, lead and participating units, cell), totals and problems
    are the same for the LibreOffice copy as for the original."""
    orig, got, saved = _spec_both(tmp_path, source, fmt)
    assert orig["indicators"], orig
    diffs = _field_diffs(_by_key(orig["indicators"], "sheet", "row"), _by_key(got["indicators"], "sheet", "row"),
                         sorted({k for i in orig["indicators"] for k in i}))
    assert not diffs, f"{saved.relative_to(HERE)} read differently:\n" + "\n".join(diffs)
    assert got == orig  # title, sheet, units, totals and problems too


def test_a_filtered_system_saved_as_xls_keeps_every_indicator(tmp_path):
    """tests/real_saved/libreoffice/xls/systems/指标体系（筛选了工信局）.xls, sheet 一览表: rows 5,
    7–10, 13, 21, 25, 27–32, 34–37, 39–46, 48–54, 56–59 are hidden by the AutoFilter on D = 工信局
    (a FILTERMODE record in the sheet), not deleted: all 49 indicators are read, as from the .xlsx."""
    orig, got, _ = _spec_both(tmp_path, SOURCE / "systems" / f"{FILTERED}.xlsx", "xls")
    assert len(orig["indicators"]) == 49 and any("筛选" in p["message"] for p in orig["problems"])  # guard
    assert [(i["no"], i["name"], i["points"]) for i in got["indicators"]] == \
        [(i["no"], i["name"], i["points"]) for i in orig["indicators"]]
    assert got["total_points"] == orig["total_points"]
