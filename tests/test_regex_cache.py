"""Issue 14: compiled regular expressions kept per user (regex_cache). A pattern from the kept
table is the pattern the standard compiler makes; a damaged table or an entry the regex engine
refuses is compiled again; nothing is kept inside the workspace the command names."""

from __future__ import annotations

import re
from re import _compiler

import pytest

from kaohe_excel import regex_cache, usercache

PATTERNS = [
    (r"[\u4e00-\u9fa5]{1,6}?(?:自治县|自治旗|县|区|市|旗)", 0),
    (r"(?P<no>[0-9]+)[、.．]\s*(?P<name>.+?)$", re.M),
    (r"^\s*(?:第)?([一二三四五六七八九十]+)", re.I | re.S),
    (rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S),
    (r"(a)(?P<x>b)?(?(x)c|d)", 0),
]


@pytest.fixture
def kept(monkeypatch, tmp_path):
    """install() for this process with the cache in tmp_path; re's compiler restored after."""
    monkeypatch.setenv(usercache.ENV_VAR, str(tmp_path / "cache"))
    monkeypatch.setitem(usercache._state, "avoid", [])
    monkeypatch.setitem(usercache._state, "resolved", None)
    monkeypatch.setattr(_compiler, "compile", _compiler.compile)
    monkeypatch.setattr(regex_cache, "_state", {"table": None, "path": None, "added": 0})
    monkeypatch.setattr("atexit.register", lambda f: None)  # saved by hand below
    re.purge()
    yield tmp_path / "cache"
    re.purge()
    usercache._state["resolved"] = None


def test_a_kept_pattern_is_the_pattern_the_compiler_makes(kept):
    original = _compiler.compile
    regex_cache.install(["kaohe", "run", "-w", str(kept.parent / "ws")])
    assert _compiler.compile is not original
    first = [re.compile(p, f) for p, f in PATTERNS]
    assert first == [original(p, f) for p, f in PATTERNS]  # the same flags, groups and engine code
    regex_cache._save()
    table = regex_cache._load(regex_cache._state["path"])
    assert {(p, int(f)) for p, f in PATTERNS} <= set(table)

    # another process: every pattern from the kept table, none compiled
    _compiler.compile = original
    regex_cache._state.update(table=None, path=None, added=0)
    re.purge()
    regex_cache.install(["kaohe", "run"])
    again = [re.compile(p, f) for p, f in PATTERNS]
    assert again == first and regex_cache._state["added"] == 0
    assert re.compile(PATTERNS[1][0], PATTERNS[1][1]).match("12、地区生产总值").group("name") == "地区生产总值"


def test_a_damaged_table_or_a_refused_entry_is_compiled_again(kept):
    original = _compiler.compile
    regex_cache.install(["kaohe", "run"])
    [re.compile(p, f) for p, f in PATTERNS]
    regex_cache._save()
    path = regex_cache._state["path"]
    data = path.read_bytes()

    path.write_bytes(data[:-10])  # cut short: the checksum fails
    assert regex_cache._load(path) == {}
    path.write_bytes(b"garbage")
    assert regex_cache._load(path) == {}

    # an entry whose engine code is nonsense: the engine refuses it, the pattern is compiled again
    table = {(p, int(f)): (int(f), [9999, 1, 2, 3], 0, {}, (None,)) for p, f in PATTERNS}
    regex_cache._state.update(table=None, path=None, added=0)
    _compiler.compile = original
    import hashlib
    import marshal

    payload = marshal.dumps(table)
    path.write_bytes(regex_cache.MAGIC + hashlib.sha256(payload).digest() + payload)
    re.purge()
    regex_cache.install(["kaohe", "run"])
    assert [re.compile(p, f) for p, f in PATTERNS] == [original(p, f) for p, f in PATTERNS]
    assert regex_cache._state["added"] == len(PATTERNS)


def test_nothing_is_kept_inside_the_workspace_the_command_names(kept, monkeypatch):
    ws = kept  # the cache folder is the workspace itself, or inside it
    for argv in (["kaohe", "run", "-w", str(ws)], ["kaohe", "run", f"--workspace={ws.parent}"],
                 ["kaohe", "check", f"-w{ws}"]):
        monkeypatch.setitem(usercache._state, "avoid", [])
        monkeypatch.setitem(usercache._state, "resolved", None)
        original = _compiler.compile
        regex_cache.install(argv)
        assert _compiler.compile is original and regex_cache._state["path"] is None, argv
    monkeypatch.chdir(ws.parent)  # no -w: the current folder is the workspace
    monkeypatch.setitem(usercache._state, "avoid", [])
    monkeypatch.setitem(usercache._state, "resolved", None)
    regex_cache.install(["kaohe", "run"])
    assert regex_cache._state["path"] is None
    assert regex_cache._workspace_in(["kaohe", "run", "-m", "2023-08"]) == "."
