"""Issue 14: the `kaohe` command keeps its compiled regular expressions per user (regex_cache),
as __pycache__ keeps bytecode. A pattern from kept code matches exactly as one compiled anew;
a kept file that is damaged, someone else's or holds code the engine refuses is compiled
anew and written again; nothing is kept inside the workspace; and a run from kept patterns
says and writes what a run without them does."""

from __future__ import annotations

import marshal
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from kaohe_excel import regex_cache, usercache
from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not regex_cache.supported(), reason="a Python whose regex compiler is not known")

# patterns as the readers write them: Chinese words, named groups, flags, look-behind, bytes
PATTERNS = [
    (r"(?P<year>20[0-9]{2})年度?(?:截至|截止)?(?P<month>[0-9一二三四五六七八九十]{1,3})月", 0),
    (r"(?<![0-9])(20[0-9]{2})(0[1-9]|1[0-2])(?![0-9])", 0),
    (r"责任单位|牵头单位|责任部门", 0),
    (r"^\s*注[:：]", re.M),
    (r"rank\s*(\d+)", re.I),
    (rb"<!DOCTYPE|<!ENTITY", 0),
]
TEXTS = ["2023年度截至8月底", "截至2024年12月", "202311报表", "牵头单位：发改委", "说明\n注：演示数据",
         "RANK 3", "Rank12", b"<!DOCTYPE x>", b"<root/>"]


def _fresh(pattern, flags):
    """Compiled by Python itself, outside re's own cache."""
    return regex_cache._state["compile"](pattern, flags) if regex_cache._state["compile"] else \
        re._compiler.compile(pattern, flags)


def _behaviour(compiled) -> list:
    out = [compiled.pattern, compiled.flags, compiled.groups, dict(compiled.groupindex)]
    for text in TEXTS:
        if isinstance(text, type(compiled.pattern)):
            out.append([(m.span(), m.groups(), m.groupdict()) for m in compiled.finditer(text)])
            out.append(compiled.sub(text[:0], text))
    return out


@pytest.fixture
def installed(tmp_path):
    folder = tmp_path / "user-cache"
    yield folder
    regex_cache.uninstall()


def _kept_file(folder: Path) -> Path:
    (path,) = (folder / "regex").glob("*.bin")
    return path


def test_kept_patterns_match_as_patterns_compiled_anew(installed):
    expected = [_behaviour(_fresh(p, f)) for p, f in PATTERNS]
    assert regex_cache.install(installed)
    assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
    regex_cache.save()
    regex_cache.uninstall()
    kept = marshal.loads(usercache.read_entry(_kept_file(installed), regex_cache.MAGIC,
                                              regex_cache._version_key(), regex_cache.MAX_BYTES))
    assert {(p, f) for p, f in PATTERNS} <= set(kept)

    parsed = []
    real_parse = re._parser.parse
    re._parser.parse = lambda *a, **k: parsed.append(a[0]) or real_parse(*a, **k)
    try:
        assert regex_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
    finally:
        re._parser.parse = real_parse
    assert parsed == []  # every one from kept code
    assert regex_cache.folder() == installed


def test_a_damaged_or_foreign_file_and_refused_code_are_compiled_anew(installed):
    expected = [_behaviour(_fresh(p, f)) for p, f in PATTERNS]
    regex_cache.install(installed)
    for p, f in PATTERNS:
        re._compiler.compile(p, f)
    regex_cache.save()
    regex_cache.uninstall()
    path = _kept_file(installed)
    good = path.read_bytes()
    head = len(regex_cache.MAGIC)
    payload = good[head + 64:]
    kept = marshal.loads(payload)
    bad_code = {k: (v[0], [999999] * len(v[1]), *v[2:]) for k, v in kept.items()}  # not the engine's code
    wrong_type = {k: ("flags", None) for k in kept}
    for damaged in (good[: len(good) // 2], b"garbage", good[:head] + bytes(32) + good[head + 32:],
                    good[: head + 64] + marshal.dumps(bad_code)):  # checksum of another payload
        path.write_bytes(damaged)
        regex_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
        regex_cache.save()
        regex_cache.uninstall()
        assert path.read_bytes() != damaged  # written again, whole
    for planted in (bad_code, wrong_type):  # a well-formed file whose code the engine refuses
        usercache.write_entry(path, regex_cache.MAGIC, regex_cache._version_key(), marshal.dumps(planted))
        regex_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
        regex_cache.uninstall()


def test_nothing_is_installed_without_a_cache_folder(monkeypatch):
    monkeypatch.setenv(usercache.ENV_VAR, "")  # the cache turned off
    monkeypatch.setitem(usercache._state, "resolved", None)
    assert not regex_cache.install()
    assert re._compiler.compile is not regex_cache._compile and regex_cache.folder() is None
    usercache._state["resolved"] = None


def test_bounded_past_max_entries_to_what_the_process_used(installed, monkeypatch):
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 5)
    regex_cache.install(installed)
    for i in range(12):
        re._compiler.compile(f"单位{i}[:：]", 0)
    regex_cache.save()
    regex_cache.uninstall()
    regex_cache.install(installed)
    assert len(regex_cache._state["kept"]) == 12  # this process used them all
    re._compiler.compile("另一个", 0)
    regex_cache.save()
    regex_cache.uninstall()
    regex_cache.install(installed)
    assert list(regex_cache._state["kept"]) == [("另一个", 0)]


def test_a_run_from_kept_patterns_is_a_run_without_them_and_never_keeps_them_in_the_workspace(tmp_path):
    import os

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    cache = tmp_path / "user-cache"

    def run(where: str):
        shutil.rmtree(ws / "output", ignore_errors=True)
        old = os.environ.get(usercache.ENV_VAR)
        os.environ[usercache.ENV_VAR] = where
        try:
            p = cli(ws, "run", "--month", "2023-08")
        finally:
            os.environ[usercache.ENV_VAR] = old if old is not None else ""
            if old is None:
                del os.environ[usercache.ENV_VAR]
        assert p.returncode in (0, 1), p.stderr
        clock = re.compile(rb"20\d\d-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?")  # 统计时间/校验时间 of the run
        written = {}
        for f in sorted((ws / "output" / "2023-08").glob("*.xlsx")):
            with zipfile.ZipFile(f) as z:
                written[f.name] = {n: clock.sub(b"", z.read(n)) for n in z.namelist() if n != "docProps/core.xml"}
        return p.stdout, written

    without = run("")
    cold = run(str(cache))
    kept = _kept_file(cache)
    before = kept.stat().st_mtime_ns
    warm = run(str(cache))
    assert without == cold == warm and len(warm[1]) == 6 and "测算得分" in warm[0]
    assert kept.stat().st_mtime_ns == before  # nothing new to keep: every pattern came from it
    assert len(marshal.loads(kept.read_bytes()[len(regex_cache.MAGIC) + 64:])) > 100

    run(str(ws / "cache"))  # a folder inside the workspace: no cache at all
    assert not (ws / "cache").exists()


def test_what_another_process_kept_meanwhile_is_kept_too(installed):
    regex_cache.install(installed)
    re._compiler.compile("工作进程的[：:]", 0)
    theirs = {("工作进程的[：:]", 0): regex_cache._state["kept"][("工作进程的[：:]", 0)]}
    regex_cache.uninstall()  # (nothing saved)
    regex_cache.install(installed)
    re._compiler.compile("本进程的[：:]", 0)
    path = installed / "regex" / f"{regex_cache._version_key().hex()[:24]}.bin"
    usercache.write_entry(path, regex_cache.MAGIC, regex_cache._version_key(), marshal.dumps(theirs))  # a worker's, at its exit
    regex_cache.save()  # the run's own, after its workers
    regex_cache.uninstall()
    kept = marshal.loads(usercache.read_entry(path, regex_cache.MAGIC, regex_cache._version_key(), regex_cache.MAX_BYTES))
    assert {("工作进程的[：:]", 0), ("本进程的[：:]", 0)} <= set(kept)
