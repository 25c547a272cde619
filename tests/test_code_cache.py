"""Issue 14: compiled template code is kept per user (write/_tpl_codecache), like __pycache__.
A run from kept code writes exactly what a run without it writes; an entry that is damaged or
not ours is ignored and written again; a changed template or environment misses; the code
kept still runs in the sandbox; the cache is never inside the workspace."""

from __future__ import annotations

import marshal
import re
import shutil
import types
import zipfile
from pathlib import Path

import jinja2
import pytest

from kaohe_excel import usercache
from kaohe_excel.write import _tpl_codecache as cc
from kaohe_excel.write import _tpl_refs
from kaohe_excel.write._tpl_sandbox import make_environment
from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]
_CLOCK = re.compile(rb"20\d\d-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?")  # 统计时间/校验时间 of the run


@pytest.fixture
def cache_at(monkeypatch):
    """Point this process's cache at a folder (or turn it off with ''), as a fresh process would."""

    def point(value: str) -> None:
        monkeypatch.setenv(usercache.ENV_VAR, value)
        monkeypatch.setitem(usercache._state, "avoid", [])
        monkeypatch.setitem(usercache._state, "resolved", None)

    yield point
    usercache._state["resolved"] = None


def _reports(folder: Path) -> dict:
    out = {}
    for f in sorted(folder.iterdir()):
        if f.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(f) as z:
                out[f.name] = {n: _CLOCK.sub(b"", z.read(n)) for n in z.namelist() if n != "docProps/core.xml"}
    return out


def _run(ws: Path, cache: str) -> dict:
    shutil.rmtree(ws / "output", ignore_errors=True)
    p = cli(ws, "run", "--month", "2023-08") if cache is None else _cli_with(ws, cache)
    assert p.returncode in (0, 1), p.stdout + p.stderr
    return _reports(ws / "output" / "2023-08")


def _cli_with(ws: Path, cache: str):
    import os

    old = os.environ.get(usercache.ENV_VAR)
    os.environ[usercache.ENV_VAR] = cache
    try:
        return cli(ws, "run", "--month", "2023-08")
    finally:
        if old is None:
            os.environ.pop(usercache.ENV_VAR, None)
        else:
            os.environ[usercache.ENV_VAR] = old


def test_reports_from_kept_code_are_the_reports_without_it_and_a_damaged_entry_is_written_again(tmp_path, cache_at):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    cache = tmp_path / "user-cache"
    without = _run(ws, "")  # the cache turned off
    assert not cache.exists()
    cold = _run(ws, str(cache))
    entries = sorted((cache / "jinja").glob("*.code"))
    assert len(entries) > 20 and sorted((cache / "jinja").glob("*.ok"))
    warm = _run(ws, str(cache))
    assert len(without) == 7 and cold == without and warm == without
    assert sorted((cache / "jinja").glob("*.code")) == entries  # nothing new: every compile came from the cache

    # damaged, foreign and planted entries: each is ignored and written again
    stranger = marshal.dumps(compile("import os; os.remove('x')", "<x>", "exec"))
    for k, e in enumerate(entries):
        data = e.read_bytes()
        head = len(cc.MAGIC)
        if k % 4 == 0:
            e.write_bytes(data[: len(data) // 2])  # cut short
        elif k % 4 == 1:
            e.write_bytes(data[:head] + bytes(32) + data[head + 32:])  # another key
        elif k % 4 == 2:
            e.write_bytes(data[: head + 64] + stranger)  # payload not the one the checksum is of
        else:
            e.write_bytes(b"garbage")
    shutil.rmtree(cache / "docx")  # the bulletin the whole docxtpl way too: it compiles its every part
    again = _run(ws, str(cache))
    assert again == without
    cache_at(str(cache))
    assert all(isinstance(cc.get(e.stem), types.CodeType) for e in entries)  # each written again, whole


def test_the_cache_is_never_inside_the_workspace(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "input", ws / "input")
    before = {p for p in ws.rglob("*")}
    inside = ws / "templates-cache"
    _run(ws, str(inside))  # asked for a folder inside the workspace: no cache at all
    assert not inside.exists()
    _run(ws, str(ws))  # the workspace itself
    new = {p for p in ws.rglob("*")} - before
    assert new and all(p == ws / "output" or (ws / "output") in p.parents for p in new)
    assert not [p for p in new if p.suffix in (".code", ".ok")]
    _run(ws, "relative/cache")  # not an absolute path: off
    assert not (ws / "relative").exists()


def test_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(usercache.ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    import os
    import sys

    want = {"nt": tmp_path / "local" / "kaohe-excel" / "cache"}.get(os.name) or (
        tmp_path / "home" / "Library" / "Caches" / "kaohe-excel" if sys.platform == "darwin"
        else tmp_path / "xdg" / "kaohe-excel")
    assert usercache.default_folder() == want
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG rule: ignored
    if os.name != "nt" and sys.platform != "darwin":
        assert usercache.default_folder() == tmp_path / "home" / ".cache" / "kaohe-excel"
    monkeypatch.setenv(usercache.ENV_VAR, "")
    assert usercache.default_folder() is None


def _code(env, source: str):
    return env.compile(source)


def test_kept_code_is_the_code_the_sandbox_makes_and_a_changed_template_misses(cache_at, tmp_path):
    cache_at(str(tmp_path / "c"))
    env = make_environment()
    src = "{{ '%.1f'|format(x) }}·{{ items|join('、') }}"
    fresh = jinja2.sandbox.ImmutableSandboxedEnvironment.compile(env, src)  # what the sandbox itself makes
    first = _code(env, src)
    entries = set((tmp_path / "c" / "jinja").glob("*.code"))
    assert len(entries) == 1
    again = _code(make_environment(), src)  # another environment of the same kind: the kept code
    assert set((tmp_path / "c" / "jinja").glob("*.code")) == entries
    assert marshal.dumps(again) == marshal.dumps(first) == marshal.dumps(fresh)
    assert env.from_string(src).render(x=2.25, items=["甲", "乙"]) == "2.2·甲、乙"

    _code(env, src + " ")  # one character more: another entry
    assert len(set((tmp_path / "c" / "jinja").glob("*.code"))) == 2
    _code(make_environment(document=True), src)  # another environment (autoescape): another entry
    _code(make_environment(filters={"cn": str}), src)  # another filter set: another entry
    assert len(set((tmp_path / "c" / "jinja").glob("*.code"))) == 4
    doc = make_environment(document=True)
    doc.finalize = lambda v: "" if v is None else v  # finalize set after the environment was made
    _code(doc, src)
    assert len(set((tmp_path / "c" / "jinja").glob("*.code"))) == 5


def test_kept_code_still_runs_in_the_sandbox(cache_at, tmp_path):
    cache_at(str(tmp_path / "c"))
    src = "{{ x.__class__.__mro__ }}"
    for _ in range(2):  # compiled, then loaded from the cache
        with pytest.raises(jinja2.exceptions.SecurityError):
            make_environment().from_string(src).render(x="")
        with pytest.raises(jinja2.exceptions.SecurityError):
            make_environment().from_string("{{ 'x' * n }}").render(n=10 ** 6)
    assert len(list((tmp_path / "c" / "jinja").glob("*.code"))) == 2


def test_a_syntax_error_is_never_kept(cache_at, tmp_path):
    cache_at(str(tmp_path / "c"))
    for _ in range(2):
        with pytest.raises(jinja2.TemplateSyntaxError):
            make_environment().from_string("{{ x ")
        with pytest.raises(jinja2.TemplateSyntaxError):  # the sandbox's own parse check (nested loop in a cell)
            make_environment().from_string("{% for a in x %}{% for b in a %}{% endfor %}{% endfor %}")
    assert not list((tmp_path / "c" / "jinja").glob("*.code"))


def test_bounded_number_of_entries(cache_at, tmp_path, monkeypatch):
    cache_at(str(tmp_path / "c"))
    monkeypatch.setattr(cc, "MAX_ENTRIES", 5)
    monkeypatch.setitem(cc._state, "kept", None)
    env = make_environment()
    for k in range(12):
        _code(env, f"{{{{ x + {k} }}}}")
    assert len(list((tmp_path / "c" / "jinja").glob("*.code"))) == 5


def test_name_characters_written_as_their_complement_are_the_same_set():
    plain = re.compile(r"[A-Za-z0-9_.\u00a1-\uffff\\]")
    plain_name = re.compile(r"[A-Za-z0-9_.\u00a1-\uffff]")
    after = re.compile(r"[A-Za-z0-9_(.\u00a1-\uffff!\[]")
    lookahead = re.compile(_tpl_refs._REF.pattern[_tpl_refs._REF.pattern.rindex("(?!") + 3:-1])
    name = re.compile(_tpl_refs._NAME_CHAR)
    for cp in [*range(0x10000), 0x10000, 0x1F600, 0x2A6D6, 0x10FFFF]:
        ch = chr(cp)
        assert bool(plain.match(ch)) == bool(_tpl_refs._IDENT.match(ch)), hex(cp)
        assert bool(plain_name.match(ch)) == bool(name.match(ch)), hex(cp)
        assert bool(after.match(ch)) == bool(lookahead.match(ch)), hex(cp)
