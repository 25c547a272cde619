"""A re-run leaves a report as it is when its template, its data and the writing code are what
they were and its file is exactly what the last run wrote (write/kept.py); any change to one of
them renders it again. On the demo workspace, run in this process twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from kaohe_excel.fsutil import file_digest
from kaohe_excel.write.kept import RECORD

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2023-08"


@pytest.fixture()
def ws(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    return tmp_path


def _run(ws):
    from kaohe_excel.flows.run import run_workspace

    summary = run_workspace(ws)
    assert summary.fatal is None and len(summary.written) == 7
    return summary


def _reports(ws) -> dict[str, tuple[int, int, str]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino, file_digest(p))
            for p in (ws / "output" / MONTH).iterdir() if not p.name.startswith(".")}


def _cells(path: Path) -> list:
    wb = CalamineWorkbook.from_path(str(path))
    return [wb.get_sheet_by_name(s).to_python() for s in wb.sheet_names]


def test_a_rerun_with_nothing_new_leaves_every_report(ws, monkeypatch):
    import datetime as dt

    from kaohe_excel.write import reports as R

    first = _run(ws)
    before = _reports(ws)

    import types

    real = dt.datetime

    class Later(real):  # the same run an hour later (the same day)
        @classmethod
        def now(cls, tz=None):
            got = real.now(tz)
            return got + dt.timedelta(hours=1) if got.hour < 23 else got - dt.timedelta(hours=1)

    monkeypatch.setattr(R, "_dt", types.SimpleNamespace(**{**{n: getattr(dt, n) for n in dir(dt) if not n.startswith("_")},
                                                           "datetime": Later}))
    second = _run(ws)
    assert second.written == first.written  # every report is still named as this run's
    after = _reports(ws)
    # 报送情况 and 校验报告 print the minute they were made (generated_at): those two are new;
    # the others do not name it, and are left as they were
    moved = {n for n in before if before[n] != after[n]}
    assert moved == {n for n in before if "报送情况" in n or "校验报告" in n}, moved
    record = json.loads((ws / "output" / MONTH / RECORD).read_text(encoding="utf-8"))
    assert {n: r["sha256"] for n, r in record.items()} == {n: d for n, (_t, _i, d) in after.items()}


def test_changed_data_renders_only_that_report(ws, monkeypatch):
    from kaohe_excel.write import reports as R

    _run(ws)
    before = _reports(ws)
    real = R.overview_context

    def with_a_note(*a, **k):
        ctx = real(*a, **k)
        ctx["categories"][0]["indicators"][0]["name"] += "（更正后）"
        return ctx

    monkeypatch.setattr(R, "overview_context", with_a_note)
    _run(ws)
    after = _reports(ws)
    changed = {n for n in before if before[n][2] != after[n][2]}
    overview = next(n for n in before if "一览表" in n)
    assert overview in changed
    assert not changed - {overview} - {n for n in before if "报送情况" in n or "校验报告" in n}
    assert any("（更正后）" in str(row) for sheet in _cells(ws / "output" / MONTH / overview) for row in sheet)


def test_a_changed_template_renders_again(ws):
    _run(ws)
    before = _reports(ws)
    own = ws / "templates"
    own.mkdir()
    shipped = ROOT / "templates" / "预警通报.xlsx"
    data = bytearray(shipped.read_bytes())
    (own / "预警通报.xlsx").write_bytes(bytes(data))  # the same bytes: still the same report
    _run(ws)
    name = next(n for n in before if "预警通报" in n)
    assert _reports(ws)[name] == before[name]
    # the same template saved again by Excel (another zip, the same sheets) is another template
    import zipfile

    with zipfile.ZipFile(shipped) as src, zipfile.ZipFile(own / "预警通报.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename), compresslevel=1)
    _run(ws)
    after = _reports(ws)[name]
    assert after[:2] != before[name][:2]  # moved into place anew
    assert _cells(ws / "output" / MONTH / name)  # and readable


@pytest.mark.parametrize("how", ["edited", "record_lies", "record_broken"])
def test_a_report_not_as_written_is_rendered_again(ws, how):
    _run(ws)
    folder = ws / "output" / MONTH
    name = next(p.name for p in folder.iterdir() if "得分测算" in p.name)
    want = _cells(folder / name)
    if how == "edited":  # a clerk typed into it (unsigned): the run writes its own again
        (folder / name).write_bytes((folder / name).read_bytes() + b"\0")
    elif how == "record_lies":  # a record naming another digest never keeps the file there
        rec = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        rec[name]["sha256"] = "0" * 64
        (folder / RECORD).write_text(json.dumps(rec), encoding="utf-8")
    else:
        (folder / RECORD).write_text("[1, 2", encoding="utf-8")
    before = (folder / name).stat().st_mtime_ns, (folder / name).stat().st_ino
    _run(ws)
    assert ((folder / name).stat().st_mtime_ns, (folder / name).stat().st_ino) != before
    assert _cells(folder / name) == want
    rec = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    assert rec[name]["sha256"] == file_digest(folder / name)


def test_a_kept_report_edited_during_the_run_is_not_taken_for_our_draft(ws, monkeypatch):
    """A report left as it was may be open in Word meanwhile: an edit saved while the run goes on is
    the office's, not a draft of ours (its note keeps the digest the run wrote); the next run
    writes a new version beside it instead of overwriting the edit."""
    import kaohe_excel.flows.run as run_flow
    from kaohe_excel.write.signoff import is_signed

    _run(ws)
    folder = ws / "output" / MONTH
    notice = next(p for p in folder.iterdir() if p.suffix == ".docx")
    real = run_flow.commit_staged

    def commit_then_edit(staged, **kw):
        done = real(staged, **kw)
        notice.write_bytes(notice.read_bytes() + b"\0")  # saved from Word after the kept check
        return done

    monkeypatch.setattr(run_flow, "commit_staged", commit_then_edit)
    _run(ws)
    monkeypatch.setattr(run_flow, "commit_staged", real)
    edited = notice.read_bytes()
    assert is_signed(notice)  # the office's now
    third = _run(ws)
    assert notice.read_bytes() == edited
    assert any("第2版" in p.name and p.suffix == ".docx" for p in third.written)


def test_what_a_template_prints_of_the_clock_is_found_however_written(tmp_path):
    """The minute counts for a template that names generated_at anywhere: split over text runs,
    written with character references (the engine unescapes cell text), in any part."""
    import zipfile

    from kaohe_excel.write import kept

    def template(name: str, text: bytes) -> bytes:
        f = tmp_path / "模板.xlsx"
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("[Content_Types].xml", b"<Types/>")
            z.writestr(name, text)
        return f.read_bytes()

    assert kept._clock_keys_named(template("xl/sharedStrings.xml", b"<si><t>{{ county }}</t></si>")) == frozenset()
    for i, text in enumerate((b"<si><r><t>{{ gener</t></r><r><t>ated_at }}</t></r></si>",
                              b"<si><t>{{ generated&#95;at }}</t></si>",
                              b"<si><t>{{ generated&amp;#95;at }}</t></si>")):
        assert kept._clock_keys_named(template(f"xl/part{i}.bin", text)) == {"generated_at"}, text
    assert kept._clock_keys_named(b"not a zip") == {"generated_at"}  # cannot look inside: counts


def test_what_a_template_names_is_kept_per_user_and_only_our_names_are_taken(tmp_path, monkeypatch):
    """A later process does not look into a template again (the names found are in the user's
    cache); a kept file that names anything but the clock keys, or is not ours, is looked past."""
    import zipfile

    from kaohe_excel import usercache
    from kaohe_excel.write import kept

    monkeypatch.setenv(usercache.ENV_VAR, str(tmp_path / "cache"))
    monkeypatch.setitem(usercache._state, "resolved", None)
    monkeypatch.setitem(usercache._state, "avoid", [])

    def fresh_process():
        monkeypatch.setattr(kept, "_NAMED", {})
        monkeypatch.setattr(kept, "_names_state", {})

    f = tmp_path / "模板.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("xl/sharedStrings.xml", b"<si><t>{{ generated_at }}</t></si>")
    plain = tmp_path / "无时间.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("xl/sharedStrings.xml", b"<si><t>{{ county }}</t></si>")
    fresh_process()
    assert kept._clock_keys_named(f.read_bytes()) == {"generated_at"}
    assert kept._clock_keys_named(plain.read_bytes()) == frozenset()
    kept_file = kept._names_file()
    assert kept_file is not None and kept_file.is_file()

    fresh_process()
    looked = []
    real_zip = zipfile.ZipFile
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: looked.append(a) or real_zip(*a, **k))
    assert kept._clock_keys_named(f.read_bytes()) == {"generated_at"}
    assert kept._clock_keys_named(plain.read_bytes()) == frozenset()
    assert looked == []  # both from the kept names

    # a kept file naming something else for the plain template: looked past, the template looked into
    import hashlib
    import json

    digest = hashlib.sha256(plain.read_bytes()).hexdigest()
    usercache.write_entry(kept_file, kept._NAMES_MAGIC, kept._names_key(),
                          json.dumps({digest: ["generated_at", "__class__"]}).encode("utf-8"))
    fresh_process()
    assert kept._clock_keys_named(plain.read_bytes()) == frozenset() and len(looked) == 1
    kept_file.write_bytes(b"garbage")  # not ours at all: a miss, and written again
    fresh_process()
    assert kept._clock_keys_named(f.read_bytes()) == {"generated_at"} and len(looked) == 2
    fresh_process()
    assert kept._clock_keys_named(f.read_bytes()) == {"generated_at"} and len(looked) == 2
    usercache.write_entry(kept_file, kept._NAMES_MAGIC, kept._names_key(), b"[" * 60_000)  # past json's depth
    fresh_process()
    assert kept._clock_keys_named(f.read_bytes()) == {"generated_at"} and len(looked) == 3


def test_a_garbled_record_is_no_record(ws):
    _run(ws)
    folder = ws / "output" / MONTH
    (folder / RECORD).write_text("[" * 200_000, encoding="utf-8")
    before = _reports(ws)
    _run(ws)  # rendered again, no traceback
    assert all(_reports(ws)[n][:2] != before[n][:2] for n in before)


def test_a_template_saved_during_its_render_keys_nothing(ws, monkeypatch):
    """The render reads the template again: saved in between (then put back), the report it gave
    must not pass for the old template's."""
    import zipfile

    from kaohe_excel.write import engine

    own = ws / "templates"
    own.mkdir()
    shipped = (ROOT / "templates" / "预警通报.xlsx").read_bytes()
    (own / "预警通报.xlsx").write_bytes(shipped)
    real = engine.render

    def saved_meanwhile(template, *a, **k):
        if Path(template).name == "预警通报.xlsx":
            with zipfile.ZipFile(ROOT / "templates" / "预警通报.xlsx") as src, \
                    zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    dst.writestr(info.filename, src.read(info.filename), compresslevel=1)
        return real(template, *a, **k)

    monkeypatch.setattr(engine, "render", saved_meanwhile)
    _run(ws)
    monkeypatch.setattr(engine, "render", real)
    (own / "预警通报.xlsx").write_bytes(shipped)  # put back
    name = next(n for n in _reports(ws) if "预警通报" in n)
    before = _reports(ws)[name]
    _run(ws)
    assert _reports(ws)[name][:2] != before[:2]  # rendered again
