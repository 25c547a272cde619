"""Issue 14: the `kaohe` command keeps its compiled regular expressions and the methods
dataclasses writes per user (compile_cache), as __pycache__ keeps bytecode. A pattern from kept
code matches exactly as one compiled anew, and a dataclass made from kept methods behaves as one
made anew; a kept file that is damaged, someone else's or holds code the engine refuses is
compiled anew and written again; nothing is kept inside the workspace; and a run from kept
patterns says and writes what a run without them does."""

from __future__ import annotations

import marshal
import re
import shutil
import zipfile
from dataclasses import InitVar  # (found by name: the annotations below are strings)
from pathlib import Path

import pytest

from kaohe_excel import compile_cache, usercache
from tests.kaohe_cli import cli

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not compile_cache.supported(), reason="a Python whose regex compiler is not known")

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
    return compile_cache._state["compile"](pattern, flags) if compile_cache._state["compile"] else \
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
    compile_cache.uninstall()


def _kept_file(folder: Path) -> Path:
    (path,) = (folder / "regex").glob("*.bin")
    return path


def test_kept_patterns_match_as_patterns_compiled_anew(installed):
    expected = [_behaviour(_fresh(p, f)) for p, f in PATTERNS]
    assert compile_cache.install(installed)
    assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
    compile_cache.save()
    compile_cache.uninstall()
    kept = marshal.loads(usercache.read_entry(_kept_file(installed), compile_cache.MAGIC,
                                              compile_cache._version_key(), compile_cache.MAX_BYTES))
    assert {(p, f) for p, f in PATTERNS} <= set(kept)

    parsed = []
    real_parse = re._parser.parse
    re._parser.parse = lambda *a, **k: parsed.append(a[0]) or real_parse(*a, **k)
    try:
        assert compile_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
    finally:
        re._parser.parse = real_parse
    assert parsed == []  # every one from kept code
    assert compile_cache.folder() == installed


def test_a_damaged_or_foreign_file_and_refused_code_are_compiled_anew(installed):
    expected = [_behaviour(_fresh(p, f)) for p, f in PATTERNS]
    compile_cache.install(installed)
    for p, f in PATTERNS:
        re._compiler.compile(p, f)
    compile_cache.save()
    compile_cache.uninstall()
    path = _kept_file(installed)
    good = path.read_bytes()
    head = len(compile_cache.MAGIC)
    payload = good[head + 64:]
    kept = {k: marshal.loads(v) for k, v in marshal.loads(payload).items()}  # each entry marshalled on its own
    bad_code = {k: marshal.dumps((v[0], [999999] * len(v[1]), *v[2:])) for k, v in kept.items()}  # not the engine's code
    wrong_type = {k: marshal.dumps(("flags", None)) for k in kept}
    not_marshal = {k: b"\xff not marshal" for k in kept}
    not_bytes = {k: ("flags", None) for k in kept}
    for damaged in (good[: len(good) // 2], b"garbage", good[:head] + bytes(32) + good[head + 32:],
                    good[: head + 64] + marshal.dumps(bad_code)):  # checksum of another payload
        path.write_bytes(damaged)
        compile_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
        compile_cache.save()
        compile_cache.uninstall()
        assert path.read_bytes() != damaged  # written again, whole
    for planted in (bad_code, wrong_type, not_marshal, not_bytes):  # a well-formed file whose code the engine refuses
        usercache.write_entry(path, compile_cache.MAGIC, compile_cache._version_key(), marshal.dumps(planted))
        compile_cache.install(installed)
        assert [_behaviour(re._compiler.compile(p, f)) for p, f in PATTERNS] == expected
        compile_cache.uninstall()


def test_nothing_is_installed_without_a_cache_folder(monkeypatch):
    monkeypatch.setenv(usercache.ENV_VAR, "")  # the cache turned off
    monkeypatch.setitem(usercache._state, "resolved", None)
    assert not compile_cache.install()
    assert re._compiler.compile is not compile_cache._compile and compile_cache.folder() is None
    usercache._state["resolved"] = None


def test_bounded_past_max_entries_to_what_the_process_used(installed, monkeypatch):
    monkeypatch.setattr(compile_cache, "MAX_ENTRIES", 5)
    compile_cache.install(installed)
    for i in range(12):
        re._compiler.compile(f"单位{i}[:：]", 0)
    compile_cache.save()
    compile_cache.uninstall()
    compile_cache.install(installed)
    assert len(compile_cache._regex.kept) == 12  # this process used them all
    re._compiler.compile("另一个", 0)
    compile_cache.save()
    compile_cache.uninstall()
    compile_cache.install(installed)
    assert list(compile_cache._regex.kept) == [("另一个", 0)]


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
    assert len(marshal.loads(kept.read_bytes()[len(compile_cache.MAGIC) + 64:])) > 100

    run(str(ws / "cache"))  # a folder inside the workspace: no cache at all
    assert not (ws / "cache").exists()


def test_what_another_process_kept_meanwhile_is_kept_too(installed):
    compile_cache.install(installed)
    re._compiler.compile("工作进程的[：:]", 0)
    theirs = {("工作进程的[：:]", 0): compile_cache._regex.kept[("工作进程的[：:]", 0)]}
    compile_cache.uninstall()  # (nothing saved)
    compile_cache.install(installed)
    re._compiler.compile("本进程的[：:]", 0)
    path = installed / "regex" / f"{compile_cache._version_key().hex()[:24]}.bin"
    usercache.write_entry(path, compile_cache.MAGIC, compile_cache._version_key(), marshal.dumps(theirs))  # a worker's, at its exit
    compile_cache.save()  # the run's own, after its workers
    compile_cache.uninstall()
    kept = marshal.loads(usercache.read_entry(path, compile_cache.MAGIC, compile_cache._version_key(), compile_cache.MAX_BYTES))
    assert {("工作进程的[：:]", 0), ("本进程的[：:]", 0)} <= set(kept)


def _model_classes():
    """Dataclasses as the model writes them: defaults, factories, frozen, order, slots, keyword-only,
    a field left out of __init__ and __repr__, a __post_init__, string annotations."""
    from dataclasses import dataclass, field

    @dataclass
    class Entry:
        no: int
        name: str = ""
        values: list = field(default_factory=list)
        note: str | None = field(default=None, repr=False)
        seen: int = field(default=0, init=False)

        def __post_init__(self):
            self.seen = len(self.values)

    @dataclass(frozen=True, order=True)
    class Place:
        rank: int
        unit: str = "叶县"

    @dataclass(slots=True, kw_only=True)
    class Flags:
        hidden: frozenset = frozenset()
        scale: InitVar[int] = 1
        size: int = 0

        def __post_init__(self, scale):
            self.size = len(self.hidden) * scale

    return Entry, Place, Flags


def _dataclass_behaviour() -> list:
    import dataclasses
    import inspect

    Entry, Place, Flags = _model_classes()
    e, p, f = Entry(3, "地区生产总值", [1, 2]), Place(2), Flags(hidden=frozenset({1, 2}), scale=3)
    out = [repr(e), e == Entry(3, "地区生产总值", [1, 2]), e != Entry(4), e.seen, Entry(1).values is not Entry(1).values,
           repr(p), p < Place(3), hash(p) == hash(Place(2)), [repr(x) for x in sorted([Place(3, "甲"), Place(1)])], f.size, repr(f)]
    try:
        p.rank = 1
    except dataclasses.FrozenInstanceError as exc:
        out.append(type(exc).__name__)
    for cls in (Entry, Place, Flags):
        for name in ("__init__", "__repr__", "__eq__", "__lt__", "__setattr__", "__hash__"):
            fn = cls.__dict__.get(name)
            if inspect.isfunction(fn):
                out.append((cls.__name__, name, str(inspect.signature(fn)), fn.__qualname__,
                            {k: str(v) for k, v in fn.__annotations__.items()}))
    return out


def test_dataclasses_made_from_kept_methods_behave_as_made_anew(installed):
    import builtins
    import dataclasses

    expected = _dataclass_behaviour()
    assert compile_cache.install(installed)
    assert dataclasses.exec is compile_cache._exec
    assert _dataclass_behaviour() == expected
    assert compile_cache._code.new >= 10
    compile_cache.save()
    compile_cache.uninstall()
    assert "exec" not in vars(dataclasses)

    compiled = []
    real_compile = builtins.compile
    builtins.compile = lambda *a, **k: compiled.append(a[0]) or real_compile(*a, **k)
    try:
        assert compile_cache.install(installed)
        assert _dataclass_behaviour() == expected
    finally:
        builtins.compile = real_compile
    assert compiled == [] and compile_cache._code.new == 0  # every method from kept code
    compile_cache.uninstall()

    (path,) = (installed / "code").glob("*.bin")
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], b"garbage"):
        path.write_bytes(damaged)
        assert compile_cache.install(installed)
        assert _dataclass_behaviour() == expected and compile_cache._code.new >= 10
        compile_cache.save()
        compile_cache.uninstall()
        assert path.read_bytes() != damaged
    planted = {text: marshal.dumps("not code") for text in marshal.loads(good[len(compile_cache.CODE_MAGIC) + 64:])}
    usercache.write_entry(path, compile_cache.CODE_MAGIC, compile_cache._version_key(), marshal.dumps(planted))
    assert compile_cache.install(installed)
    assert _dataclass_behaviour() == expected
