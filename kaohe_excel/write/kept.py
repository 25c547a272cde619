"""A report left as it is when nothing it is made from has changed.

A re-run after one department's corrected sheet used to write every report again. Now a report
whose template, data and writing code are what they were when a run last wrote it, and whose
file is still exactly what that run wrote, is kept: only the reports that change are rewritten
(their files' times say which), and an unchanged report open in Excel or WPS does not stop the
run. Recorded per output folder in .kaohe-报表记录.json: file name -> the key of what was rendered
and the SHA-256 of the file it gave. Data only, and only ever trusted together with the file's
own digest: a record that does not match (a file edited, signed, replaced, or a run that stopped
before moving its files into place) means the report is rendered again. The minute of the run
(generated_at) counts only for a template that prints it.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import pickle
from pathlib import Path

from kaohe_excel.fsutil import read_regular, write_json
from kaohe_excel.write._tpl_package import MAX_TEMPLATE_BYTES

RECORD = ".kaohe-报表记录.json"
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a folder's record of a few hundred reports; anything larger is not ours

_stamp: list[str] = []
_PENDING: dict[str, tuple[str | None, str]] = {}  # report path -> (key, digest) of a render staged for it


def _writer_stamp() -> str:
    """The writing code as it is now: the version, every module of write/ (size and time, as
    __pycache__ checks a source) and the libraries that render (their package files)."""
    if not _stamp:
        from importlib.util import find_spec

        from kaohe_excel.fsutil import files_stamp

        files = sorted(Path(__file__).resolve().parent.glob("*.py"))
        files.append(Path(__file__).resolve().parents[1] / "assess" / "results.py")  # cn_number, labels
        for name in ("jinja2", "docxtpl", "docx", "markupsafe"):
            try:
                spec = find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.origin:
                files.append(Path(spec.origin))
        _stamp.append(files_stamp(files))
    return _stamp[0]


# Context entries that change with the clock (generated_at: the minute of the run). Every report's
# context has them; only a template that names one depends on it.
_CLOCK_KEYS = ("generated_at",)
_MAX_TEMPLATE_TEXT = 64 * 1024 * 1024
_NAMED: dict[str, frozenset] = {}


def _clock_keys_named(tpl: bytes, digest: str | None = None) -> frozenset:
    """Which _CLOCK_KEYS the template's text names anywhere (its XML parts with their tags taken
    out: Word and Excel split a cell's or a line's text into runs). A template that cannot be
    looked into names them all (then the clock renders it again each minute, as before).
    Kept per template `digest` (its SHA-256)."""
    digest = digest or hashlib.sha256(tpl).hexdigest()
    got = _NAMED.get(digest)
    if got is None:
        got = _names_found_before().get(digest)
    if got is None:
        got = frozenset(_CLOCK_KEYS)
        try:
            import re
            import zipfile
            import zlib

            seen, left = set(), _MAX_TEMPLATE_TEXT
            with zipfile.ZipFile(io.BytesIO(tpl)) as z:
                for info in z.infolist():  # every part, whatever its name
                    if info.file_size > left:
                        raise ValueError("too large")
                    left -= info.file_size
                    raw = re.sub(rb"<[^>]*>", b"", z.read(info)).decode("utf-8", "replace")
                    text = html.unescape(html.unescape(raw))  # as the engine reads cell text (&#95; is _)
                    seen.update(k for k in _CLOCK_KEYS if k in text)
            got = frozenset(seen)
        except (OSError, ValueError, RuntimeError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError):
            pass
        else:
            _keep_names_found(digest, got)
    _NAMED[digest] = got
    return got


# What _clock_keys_named found in each template, kept in the user's cache (usercache) across
# runs: looking into a template inflates every part of it (~0.5 ms a template, each run). One
# small file, keyed by the writing code (a change to how it looks misses); only names of
# _CLOCK_KEYS are taken from it.
_NAMES_MAGIC = b"kaohe-clock-names\x001\n"
_NAMES_MAX = 256  # templates (each version of each) remembered
_NAMES_BYTES = 64 * 1024
_names_state: dict = {}


def _names_file() -> Path | None:
    from kaohe_excel import usercache

    where = usercache.folder()
    return None if where is None else where / "templates" / "clock-names.bin"


def _names_key() -> bytes:
    return hashlib.sha256(b"clock-names\0" + _writer_stamp().encode("utf-8")).digest()


def _names_found_before() -> dict[str, frozenset]:
    if "kept" not in _names_state:
        from kaohe_excel import usercache

        kept: dict[str, frozenset] = {}
        path = _names_file()
        payload = usercache.read_entry(path, _NAMES_MAGIC, _names_key(), _NAMES_BYTES) if path else None
        try:
            data = json.loads(payload.decode("utf-8")) if payload is not None else {}
        except (ValueError, RecursionError):
            data = {}
        if isinstance(data, dict):
            for digest, names in data.items():
                if isinstance(digest, str) and len(digest) == 64 and isinstance(names, list) and \
                        all(n in _CLOCK_KEYS for n in names):
                    kept[digest] = frozenset(names)
        _names_state["kept"] = kept
    return _names_state["kept"]


def _keep_names_found(digest: str, names: frozenset) -> None:
    """Best effort: a cache that cannot be written is no cache."""
    from kaohe_excel import usercache

    kept = _names_found_before()
    kept.pop(digest, None)
    kept[digest] = names
    while len(kept) > _NAMES_MAX:  # the oldest found first
        kept.pop(next(iter(kept)))
    path = _names_file()
    if path is None:
        return
    payload = json.dumps({d: sorted(n) for d, n in kept.items()}).encode("utf-8")
    try:
        usercache.write_entry(path, _NAMES_MAGIC, _names_key(), payload)
    except OSError:
        pass


def render_key(template: Path, context: dict, file_name: str) -> tuple[str | None, str | None]:
    """(what a render depends on, as one digest; the template's own digest). (None, None) when the
    data cannot be taken as bytes: it is then always rendered. The render reads the template
    again: `remember` is given its digest to check it is still these bytes."""
    try:
        tpl = read_regular(template, MAX_TEMPLATE_BYTES)  # (a FIFO or /dev/zero named .xlsx: the render says why)
        tpl_digest = hashlib.sha256(tpl).hexdigest()
        named = _clock_keys_named(tpl, tpl_digest)
        used = {k: v for k, v in context.items() if k not in _CLOCK_KEYS or k in named}
        buf = io.BytesIO()
        p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        p.fast = True  # no memo: equal data gives equal bytes, whether or not it shares objects
        p.dump(used)
        data = buf.getvalue()
    except Exception:  # noqa: BLE001 - not keyable: rendered as always
        return None, None
    h = hashlib.sha256()
    for part in (_writer_stamp().encode("utf-8"), file_name.encode("utf-8"), tpl_digest.encode("ascii"), data):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest(), tpl_digest


def _record(folder: Path) -> dict:
    f = Path(folder) / RECORD
    try:
        data = json.loads(read_regular(f, MAX_RECORD_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # ([[[… nested past the parser's depth)
        return {}
    return data if isinstance(data, dict) else {}


def unchanged(target: Path, key: str | None) -> bool:
    """Is the report at `target` the one a render with this key gave?"""
    same = key is not None and rendered_key(target) == key
    if same:  # (a render staged for it by an earlier run of this process that stopped is not its record)
        _PENDING.pop(str(target), None)
    return same


def rendered_key(target: Path) -> str | None:
    """The key of the render the report at `target` is, byte for byte as a run wrote it (None:
    no such report, not ours, or changed since)."""
    from kaohe_excel.fsutil import file_digest

    if not target.is_file():
        return None
    got = _record(target.parent).get(target.name)
    if not isinstance(got, dict) or not isinstance(got.get("key"), str) or not isinstance(got.get("sha256"), str):
        return None
    try:
        return got["key"] if file_digest(target) == got["sha256"] else None
    except OSError:
        return None


def remember(target: Path, key: str | None, staged: Path, template: Path, tpl_digest: str | None) -> None:
    """Note the key of the render staged for `target` and the digest of what it gave; kept in
    the folder's record by `note_written` once the run has moved its reports into place (a
    run that stops before leaves the record as it was). A template saved again between the
    key and the render (the render read other bytes than `tpl_digest`) keys nothing."""
    from kaohe_excel.fsutil import file_digest

    if key is not None:
        try:
            if file_digest(template) != tpl_digest:
                key = None
        except OSError:
            key = None
    _PENDING[str(target)] = (key, file_digest(staged))


def pending_digest(target: Path) -> str | None:
    """The SHA-256 of the render staged for `target` (see remember), when one is."""
    got = _PENDING.get(str(target))
    return got[1] if got else None


def take_pending(target: Path) -> tuple | None:
    """What remember noted for `target`, taken away (a worker process hands it to the run)."""
    return _PENDING.pop(str(target), None)


def note_pending(target: Path, pending: tuple | None) -> None:
    """What a worker's remember noted for `target`, noted here (None: the report was kept as it
    was, and nothing staged earlier in this process is its record)."""
    if pending is None:
        _PENDING.pop(str(target), None)
    else:
        _PENDING[str(target)] = pending


def note_written(paths: list[Path]) -> dict[str, str]:
    """Record the renders staged for these reports, now in place (see remember); gives the
    sha256 remember took of each (str(path) -> digest: the bytes moved into place)."""
    by_folder: dict[Path, list[tuple[str, str | None, str]]] = {}
    digests: dict[str, str] = {}
    for p in paths:
        got = _PENDING.pop(str(p), None)
        if got is not None:
            by_folder.setdefault(Path(p).parent, []).append((Path(p).name, *got))
            digests[str(p)] = got[1]
    for folder, done in by_folder.items():
        notes = _record(folder)
        for name, key, digest in done:
            if key is None:
                notes.pop(name, None)
            else:
                notes[name] = {"key": key, "sha256": digest}
        try:
            write_json(folder / RECORD, notes, durable=False)
        except OSError:
            pass  # only a saving of time: those reports are rendered again next run
    return digests


def forget(folder: Path, names: list[str]) -> None:
    """Drop these reports from the folder's record (their files were removed)."""
    notes = _record(folder)
    if not any(n in notes for n in names):
        return
    for n in names:
        notes.pop(n, None)
    try:
        write_json(Path(folder) / RECORD, notes, durable=False)
    except OSError:
        pass  # an entry for a file that is gone is never taken: unchanged() finds no file


_writer_stamp()  # taken when the writing code is loaded: a process that loaded older code never
# records its renders under a newer stamp (a long-lived `kaohe serve` after an update)
