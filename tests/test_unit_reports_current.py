"""The view from above leaves no unit report of the month that its figures contradict (an
acceptance tester's find): after a correction, `kaohe run --all-units` brings up to date the
得分测算 and 预警通报 an earlier `--unit-reports all` wrote, not only the 一览表 it was asked for;
a unit with no data this month loses the reports an earlier run wrote of it (a cold run has
no such folder); a signed report is never touched, and a new version stands beside it.

On 霁州市 (tests/jizhou.py: June is each unit's own 一览表, one file a unit). The truth is a cold
run on a copy of the same input/: every file and every cell of its unit reports. The code under
test runs only as separate processes, as a clerk's machine runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

from python_calamine import CalamineWorkbook

from kaohe_excel.fsutil import file_digest, tree_digest
from tests import jizhou as jz
from tests.kaohe_cli import cli

JUNE = jz.M6
FOLDER = "2024年6月"


def _run(root: Path, *more: str) -> str:
    p = cli(root, "run", "--all-units", "--month", JUNE, *more)
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return p.stdout


def _unit_file(root: Path, unit: str) -> Path:
    return root / "input" / FOLDER / f"{unit}2024年6月完成情况.xlsx"


def _reports(root: Path) -> dict[str, list]:
    """Every report of the month's unit folders (relative path -> its sheets' cells)."""
    out = {}
    month = root / "output" / JUNE
    for p in sorted(month.glob("*/*")):
        if p.is_file() and not p.name.startswith("."):
            wb = CalamineWorkbook.from_path(str(p)) if p.suffix == ".xlsx" else None
            out[p.relative_to(month).as_posix()] = (
                [wb.get_sheet_by_name(s).to_python() for s in wb.sheet_names] if wb else file_digest(p))
    return out


def _cold(root: Path, tmp: Path) -> dict[str, list]:
    """What a first run on the same input/ writes with every unit report."""
    cold = tmp / "cold"
    shutil.copytree(root / "input", cold / "input")
    if (root / "kaohe.toml").exists():
        shutil.copy2(root / "kaohe.toml", cold / "kaohe.toml")
    _run(cold, "--unit-reports", "all")
    return _reports(cold)


def _correct_nanping(root: Path) -> None:
    """南屏县 corrects its 地区生产总值增速 (6.x% -> 9.9%): first among the counties now, so its
    scores and colours move, and so do the places of the units it passes."""
    jz.edit_row(_unit_file(root, jz.NP), 1, {5: "增长9.9%"})


def _differences(got: dict, want: dict) -> list[str]:
    out = [f"只在本次运行中：{n}" for n in sorted(set(got) - set(want))]
    out += [f"冷运行才有：{n}" for n in sorted(set(want) - set(got))]
    out += [f"内容不同：{n}" for n in sorted(set(got) & set(want)) if got[n] != want[n]]
    return out


def test_reports_an_earlier_run_wrote_are_brought_up_to_date_by_a_default_run(tmp_path):
    """`--unit-reports all`, a correction, then the default run (一览表 only): 南屏县's 得分测算
    said its old total beside a 一览表 with the new figure. Every report in the unit folders is
    now what a cold run writes; the summary says the extra ones were updated."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    scores = next((root / "output" / JUNE / jz.NP).glob("*得分测算.xlsx"))
    before = file_digest(scores)
    _correct_nanping(root)
    said = _run(root)

    diff = _differences(_reports(root), _cold(root, tmp_path))
    assert not diff, diff
    assert file_digest(scores) != before
    assert "以前生成的各单位报表（预警通报、得分测算）16 个也已按本次数字更新" in said, said


def test_a_unit_with_no_data_this_month_keeps_no_report_of_its_old_figures(tmp_path):
    """青溪县's June file deleted: the league says 本月没有数据、未参评 and still counts it among the
    units compared (read/month_files.read_unit_reports), so its folder holds what a cold run
    writes of it (no figure, why it has no place), never a 一览表, 得分测算 or 预警通报 of the
    deleted figures; the inputs are untouched."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    before = _reports(root)
    _unit_file(root, jz.QX).unlink()
    inputs = tree_digest(root / "input")
    said = _run(root, "--unit-reports", "all")

    assert tree_digest(root / "input") == inputs
    now = _reports(root)
    diff = _differences(now, _cold(root, tmp_path))
    assert not diff, diff
    mine = [k for k in now if k.startswith(f"{jz.QX}/")]
    assert len(mine) == 3 and all(now[k] != before[k] for k in mine), mine
    assert f"本月没有数据、未参评：{jz.QX}" in said, said


def test_the_reports_of_a_unit_the_run_no_longer_assesses_go(tmp_path):
    """A folder named for a unit the system does not have (its file since renamed to the right
    unit): its 一览表, 得分测算 and 预警通报 are not what a cold run writes, and go; the summary
    names what went; a file the clerk put there stays."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    stray = root / "output" / JUNE / "青溪区"
    shutil.copytree(root / "output" / JUNE / jz.QX, stray)
    for f in stray.glob(f"{jz.QX}*"):
        f.rename(f.with_name(f.name.replace(jz.QX, "青溪区")))
    (stray / "情况说明.txt").write_text("待核实。", encoding="utf-8")
    said = _run(root, "--unit-reports", "all")

    assert sorted(p.name for p in stray.iterdir() if not p.name.startswith(".")) == ["情况说明.txt"]
    assert "已删除 3 个" in said and "青溪区" in said.split("已删除")[1], said


def test_a_signed_report_of_a_unit_with_no_data_is_kept_as_signed(tmp_path):
    """青溪县's 得分测算 was signed (kaohe sign) before its file was deleted: it stays byte for byte,
    with its record (kaohe verify: 未改动); the month's figures of it (none) are in a 第2版 beside
    it, as a cold run writes them; a file the clerk put in the folder stays."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    folder = root / "output" / JUNE / jz.QX
    scores = next(folder.glob("*得分测算.xlsx"))
    p = cli(root, "sign", str(scores), "--reviewer", "王某", "--issuer", "李某", "--date", "2024-07-08")
    assert p.returncode == 0, p.stdout + p.stderr
    signed = file_digest(scores)
    (folder / "情况说明.txt").write_text("青溪县6月数据待统计局核实。", encoding="utf-8")
    _unit_file(root, jz.QX).unlink()
    _run(root)

    assert file_digest(scores) == signed
    second = scores.with_name(f"{scores.stem}（第2版）{scores.suffix}")
    assert second.is_file() and (folder / "情况说明.txt").is_file(), list(folder.iterdir())
    v = cli(root, "verify", "--month", JUNE)
    assert v.returncode == 0 and "未改动" in v.stdout, v.stdout + v.stderr
    cold = _cold(root, tmp_path)
    assert _reports(root)[f"{jz.QX}/{second.name}"] == cold[f"{jz.QX}/{scores.name}"]


def test_a_signed_report_not_asked_for_gets_its_new_version_beside_it(tmp_path):
    """南屏县's 得分测算 signed, then its figure corrected and the default run: the signed one is
    kept as it was and a 第2版 beside it holds what a cold run's 得分测算 holds."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    folder = root / "output" / JUNE / jz.NP
    scores = next(folder.glob("*得分测算.xlsx"))
    p = cli(root, "sign", str(scores), "--reviewer", "王某", "--issuer", "李某")
    assert p.returncode == 0, p.stdout + p.stderr
    signed = file_digest(scores)
    _correct_nanping(root)
    _run(root)

    assert file_digest(scores) == signed
    second = scores.with_name(f"{scores.stem}（第2版）{scores.suffix}")
    assert second.is_file(), list(folder.iterdir())
    cold = _cold(root, tmp_path)
    assert _reports(root)[f"{jz.NP}/{second.name}"] == cold[f"{jz.NP}/{scores.name}"]


def test_an_unreadable_signing_record_of_such_a_unit_stops_the_run_with_nothing_changed(tmp_path):
    """青溪县's 签发记录.json spoilt by hand: the run cannot tell its signed reports from drafts, so it
    stops (exit 2, the record named) before any report is moved or removed."""
    root = jz.build(tmp_path / "ws")
    _run(root, "--unit-reports", "all")
    (root / "output" / JUNE / jz.QX / "签发记录.json").write_text("{ 被改坏", encoding="utf-8")
    _unit_file(root, jz.QX).unlink()  # (the others' places move: their reports would be written again)
    before = tree_digest(root / "output" / JUNE)
    p = cli(root, "run", "--all-units", "--month", JUNE)
    assert p.returncode == 2 and "签发记录.json" in p.stderr, p.stdout + p.stderr
    assert tree_digest(root / "output" / JUNE) == before


def test_a_run_with_nothing_changed_says_its_reports_were_left_as_they_were(tmp_path):
    """A second run on the same files writes nothing anew, and its summary says so (it said 已写入 N
    个工作簿 as if every one were new, while their file times showed otherwise)."""
    import re

    root = jz.build(tmp_path / "ws")
    first = _run(root)
    assert "与上次生成的相同" not in first
    second = _run(root)
    m = re.search(r"已写入 (\d+) 个工作簿（其中 (\d+) 个与上次生成的相同，保留原文件）", second)
    # (all of them, but for the league and its 校验报告 when the minute they print has turned meanwhile)
    assert m and int(m.group(1)) - 2 <= int(m.group(2)) <= int(m.group(1)), second
