"""Issue 11.2: lateness that is true. A form's 填报日期 when filled; else when a run first
saw it (a run after the deadline that did not yet find it proves it late); else the file's
time, said to be 推定 — and a form copied in today is never late for that alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from kaohe_excel.model import Submission
from kaohe_excel.assess.intake import arrival
from kaohe_excel.workspace import read_arrivals
from tests.kaohe_cli import cli as _cli

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = dt.date(2023, 9, 6)
TODAY = dt.date(2023, 9, 20)


def _sub(filled: str | None = None, mtime: dt.datetime | None = None) -> Submission:
    return Submission(file="叶县水利局8月报.xlsx", sheet="Sheet1", department="水利局", month="2023-08",
                      filled_date=filled, mtime=mtime.timestamp() if mtime else None)


def test_filled_date_decides():
    assert arrival(_sub("2023-09-05"), DEADLINE, {}, TODAY) == ("2023-09-05", "填报日期", False)
    assert arrival(_sub("2023-09-07"), DEADLINE, {}, TODAY)[1:] == ("填报日期", True)


def test_first_seen_before_the_deadline_is_on_time():
    arr = {"runs": ["2023-09-04T09:00:00"], "files": {"叶县水利局8月报.xlsx": {"first_seen": "2023-09-04T09:00:00"}}}
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 19)), DEADLINE, arr, TODAY) == ("2023-09-04T09:00", "首次读取时间", False)


def test_first_seen_after_a_run_that_did_not_find_it_is_late():
    arr = {"runs": ["2023-09-08T09:00:00", "2023-09-12T10:00:00"],
           "files": {"叶县水利局8月报.xlsx": {"first_seen": "2023-09-12T10:00:00"}}}
    when, basis, late = arrival(_sub(), DEADLINE, arr, TODAY)
    assert (basis, late) == ("首次读取时间", True)


def test_first_seen_late_without_an_earlier_run_proves_nothing_and_the_file_time_is_presumed():
    arr = {"runs": ["2023-09-12T10:00:00"], "files": {"叶县水利局8月报.xlsx": {"first_seen": "2023-09-12T10:00:00"}}}
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 5, 17)), DEADLINE, arr, TODAY) == \
        ("2023-09-05T17:00", "文件修改时间（推定）", False)
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 8, 17)), DEADLINE, arr, TODAY)[1:] == ("文件修改时间（推定）", True)


def test_a_file_put_in_today_is_not_late_for_that():
    now = dt.datetime.combine(TODAY, dt.time(10, 0))
    when, basis, late = arrival(_sub(mtime=now), DEADLINE, {}, TODAY)
    assert late is False and "报送时间不明" in basis


def test_run_records_arrivals_and_check_uses_them(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    assert _cli(tmp_path, "run").returncode in (0, 1)
    rec = read_arrivals(tmp_path / "output" / "2023-08")
    assert len(rec["runs"]) == 1 and len(rec["files"]) >= 20
    first = next(iter(rec["files"].values()))["first_seen"]
    assert _cli(tmp_path, "run").returncode in (0, 1)
    rec2 = read_arrivals(tmp_path / "output" / "2023-08")
    assert len(rec2["runs"]) == 2 and next(iter(rec2["files"].values()))["first_seen"] == first  # unchanged files keep it
    d = json.loads(_cli(tmp_path, "check", "--json").stdout)
    bases = {x["department"]: x["basis"] for x in d["status"]["departments"] if x["sent"]}
    assert set(bases.values()) <= {"填报日期", "首次读取时间", "文件修改时间（推定）", "报送时间不明（文件是截止后放入的）"}
    assert os.listdir(tmp_path / "input" / "2023-08")  # input untouched by the record


def test_a_resaved_file_keeps_when_it_first_arrived(tmp_path):
    """Seen on time by a run, saved again after the deadline: still on time."""
    from kaohe_excel.model import MonthInput
    from kaohe_excel.workspace import record_arrivals

    folder = tmp_path / "input" / "2023-08"
    folder.mkdir(parents=True)
    f = folder / "叶县水利局8月报.xlsx"
    f.write_bytes(b"first")
    mi = MonthInput(workspace=tmp_path, month="2023-08", folder=folder, submissions=[_sub()])
    out = tmp_path / "output" / "2023-08"
    record_arrivals(out, mi, dt.datetime(2023, 9, 3, 9))
    f.write_bytes(b"saved again")
    record_arrivals(out, mi, dt.datetime(2023, 9, 10, 9))
    arr = read_arrivals(out)
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 9)), DEADLINE, arr, TODAY)[1:] == ("首次读取时间", False)


def test_put_in_after_the_deadline_stays_unknown_the_next_day():
    arr = {"runs": ["2023-09-10T09:00:00"], "files": {"叶县水利局8月报.xlsx": {"first_seen": "2023-09-10T09:00:00"}}}
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 10, 8, 55)), DEADLINE, arr, dt.date(2023, 9, 11))[2] is False


def test_a_hand_edited_record_is_ignored_not_fatal(tmp_path):
    (tmp_path / ".kaohe-到达记录.json").write_text(
        '{"runs": ["昨天"], "files": {"a.xlsx": {"first_seen": "2023/10/05 9:00"}}}', encoding="utf-8")
    assert read_arrivals(tmp_path) == {"runs": [], "files": {}}


def test_a_file_no_run_has_seen_after_a_run_past_the_deadline_is_late_at_once():
    """A run after the deadline did not find it (it is in no run's record): late on the run that
    first sees it, not only on the next one (helper-36: 逾期 1 then 2 on the same files)."""
    arr = {"runs": ["2023-09-08T09:00:00"], "files": {"别的单位.xlsx": {"first_seen": "2023-09-01T09:00:00"}}}
    now = dt.datetime.combine(TODAY, dt.time(10, 0))
    assert arrival(_sub(mtime=now), DEADLINE, arr, TODAY)[1:] == ("首次读取时间", True)
    on_time = {"runs": ["2023-09-05T09:00:00"], "files": {}}  # the only run was before the deadline: proves nothing
    assert arrival(_sub(mtime=now), DEADLINE, on_time, TODAY)[2] is False
    # only renamed since that run (its time is from before it): judged by its time, not late for the new name
    assert arrival(_sub(mtime=dt.datetime(2023, 9, 5, 17)), DEADLINE, arr, TODAY) == \
        ("2023-09-05T17:00", "文件修改时间（推定）", False)
