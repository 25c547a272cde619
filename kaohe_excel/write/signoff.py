"""Signed reports are never overwritten; drafts are.

A report counts as signed when the clerk recorded it with `kaohe sign` (entries in
`签发记录.json` beside it) or typed a name on its 签发 line (after `签发：` in the same
cell or in the cell beside it, plain or bold). The Word bulletin (.docx) has no 签发
cells: it counts as signed once recorded, or once changed since the run wrote it (the
office edits its prose in Word; a run never throws those edits away). The names `kaohe run --issuer` writes
into a draft do not sign it: each run notes its drafts (digest and the names it wrote)
in `.kaohe-草稿.json`, so re-running a draft replaces it instead of piling up 第N版.
Text a department wrote (a remark 需县领导签发：待定) is never a sign-off line.

The record is read exactly: a file that is not a JSON object of lists of entries stops
the command with a message (a record that cannot be read must not silently disable the
protection, nor be wiped by the next sign).

Signing also protects the workbook's sheets (`protect_sheets`), then records the SHA-256
of the protected file, so `kaohe verify` can later tell a signed report from an altered one
(`verify_folder`). The protection has no password: it stops a slip of the hand, while the
recorded digest is the proof; a password everyone knows would add nothing.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kaohe_excel.fsutil import atomic_output, file_digest, read_regular, safe_file_part, write_json
from kaohe_excel.problems import ERROR, InputError, Problem
from kaohe_excel.write.kept import rendered_key

REGISTRY = "签发记录.json"
DRAFTS = ".kaohe-草稿.json"
# a 签发 label at the start of a cell or after another label's text (审核：甲　签发：乙)
_LABEL_RE = re.compile(r"(?:^|[\s　])签\s*发\s*(?:人)?\s*[:：]\s*")
_NOT_A_NAME = re.compile(r"^[\s　_＿\-—.·。，,]*$|^(待定|未定|暂无|无|空|（?签字）?|\(?签字\)?|签名|盖章)$")
MAX_SIGN_NAME = 40  # characters of a reviewer's or issuer's name (two names and a title fit)
_MAX_RECORD = 32 * 1024 * 1024  # a signing record or the drafts note (a province's month: ~50 KB)
_MAX_REPORT = 50_000_000  # bytes of one report's XML we are willing to look through


class RecordError(InputError):
    """签发记录.json (or the drafts note) cannot be read exactly."""


def _load_json(f: Path) -> dict:
    """The record as written; a BOM (Notepad's) is fine, anything not an object is not."""
    try:
        text = read_regular(f, _MAX_RECORD).decode("utf-8-sig")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise RecordError(Problem(f.name, None, None, ERROR,
                                  f"「{f}」无法读取（不是完整的记录，可能被改坏了）：它记录了哪些报表已签发，读不出来就无法保护已签发的报表。"
                                  "请用记事本打开改正（应为 { \"报表名.xlsx\": [ {\"审核\": …, \"签发\": …, \"日期\": …} ] }），"
                                  "或从备份恢复后重试")) from None
    if not isinstance(data, dict):
        raise RecordError(Problem(f.name, None, None, ERROR,
                                  f"「{f}」的内容应是以报表名为键的记录（{{ … }}），现在是「{text.strip()[:20]}」；"
                                  "请从备份恢复或改正后重试"))
    return data


def read_registry(folder: Path) -> dict[str, list[dict]]:
    """Report name -> every signing of it, oldest first (an older record's single entry
    per report reads as a list of one)."""
    f = Path(folder) / REGISTRY
    if not f.exists():
        return {}
    data = _load_json(f)
    out: dict[str, list[dict]] = {}
    for name, entry in data.items():
        entries = entry if isinstance(entry, list) else [entry]
        if not entries or not all(isinstance(e, dict) and e.get("签发") for e in entries):
            raise RecordError(Problem(f.name, None, None, ERROR,
                                      f"「{f}」中「{name}」的签发记录不完整（应有审核、签发、日期），无法确认是否已签发；"
                                      "请改正或从备份恢复后重试"))
        out[name] = entries
    return out


def _drafts(folder: Path) -> dict:
    f = Path(folder) / DRAFTS
    if not f.exists():
        return {}
    try:
        return _load_json(f)
    except RecordError:
        return {}  # only a note of our own drafts: without it a draft with names reads as signed


def note_drafts(paths: list[Path], signoff: dict | None) -> None:
    """Remember the drafts a run wrote (digest, and the names it put on them), and what each
    was rendered from (write/kept.py: an unchanged report is left as it is next run)."""
    from kaohe_excel.write.kept import note_written

    digests = note_written(paths)
    by_folder: dict[Path, list[Path]] = {}
    for p in paths:
        by_folder.setdefault(Path(p).parent, []).append(Path(p))
    names = {k: (signoff or {}).get(k, "") for k in ("reviewer", "issuer")}
    for folder, ps in by_folder.items():
        notes = _drafts(folder)
        for p in ps:
            digest = digests.get(str(p)) or file_digest(p)
            notes[p.name] = {"sha256": digest, "审核": names["reviewer"], "签发": names["issuer"]}
        # not flushed to disk (a province's run writes 121 of them): a note lost to a power cut only
        # makes the folder's drafts read as signed (a Word bulletin always, a workbook when it carries
        # names: is_signed), and the next run writes its reports beside them, never over them
        write_json(folder / DRAFTS, notes, durable=False)


def note_drafts_coming(staged: list[tuple[Path | None, Path]], signoff: dict | None) -> None:
    """Before a run moves its staged reports into place: each one's note also takes the digest of the
    file about to replace it, beside the draft's there now (`或`). A run stopped part-way (killed, a
    power cut) leaves some reports new and some old: each still reads as the run's draft, never as
    signed (the next run then wrote a 第2版 of an unsigned report and said 同名报表已签发)."""
    from kaohe_excel.write.kept import pending_digest

    names = {k: (signoff or {}).get(k, "") for k in ("reviewer", "issuer")}
    by_folder: dict[Path, list[tuple[Path, Path]]] = {}
    for tmp, target in staged:
        if tmp is not None:
            by_folder.setdefault(Path(target).parent, []).append((Path(tmp), Path(target)))
    for folder, pairs in by_folder.items():
        notes = _drafts(folder)
        for tmp, target in pairs:
            now = notes.get(target.name)
            before = [now["sha256"]] if isinstance(now, dict) and isinstance(now.get("sha256"), str) else []
            notes[target.name] = {"sha256": pending_digest(target) or file_digest(tmp), "审核": names["reviewer"],
                                  "签发": names["issuer"], "或": before}
        write_json(folder / DRAFTS, notes, durable=False)


def _a_draft_of_ours(draft, path: Path) -> bool:
    """The file at `path` is a draft the run wrote as it is (its note's digest, or while a run moves
    its reports into place the one it replaces)."""
    if not isinstance(draft, dict):
        return False
    known = [draft.get("sha256")] + [d for d in draft.get("或") or [] if isinstance(d, str)]
    return file_digest(path) in known


def drafts_and_signed(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(the reports among `paths` a run may replace or remove, the signed ones it must leave):
    is_signed's one rule. Asked before a run moves anything: a record that cannot be read stops
    it (RecordError) with nothing changed."""
    drafts, signed = [], []
    for p in paths:
        (signed if is_signed(p) else drafts).append(Path(p))
    return drafts, signed


def drop_stale_pdfs(reports: list[Path]) -> list[Path]:
    """The PDFs beside reports this run wrote anew (`kaohe pdf`, `--pdf`, the page's download), made
    from the report before it: removed, so no page printed from them disagrees with the report
    (the page makes a PDF again when asked; a PDF open in a viewer stays and says its own date)."""
    gone = []
    for report in reports:
        try:
            newer_than = Path(report).stat().st_mtime_ns
        except OSError:
            continue
        pdf = _remove_pdf_of(report, older_than=newer_than)
        if pdf is not None:
            gone.append(pdf)
    return gone


def _remove_pdf_of(report: Path, older_than: int | None = None) -> Path | None:
    """The PDF beside `report`, removed (only when older than `older_than` ns, if given); None when
    there is none, or it cannot go (open in a viewer: it says its own date)."""
    pdf = Path(report).with_suffix(".pdf")
    try:
        if not pdf.is_file() or pdf.is_symlink() or (older_than is not None and pdf.stat().st_mtime_ns >= older_than):
            return None
        pdf.unlink()
    except OSError:
        return None
    return pdf


def remove_drafts(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Remove these drafts (drafts_and_signed's first list), each with the PDF made of it, when
    the run's figures no longer back them (a unit with no data this month): a report left there
    would read as current. (removed, not removable: open in Excel/WPS on Windows). Their notes go
    with them; a folder left holding only our notes goes too."""
    from kaohe_excel.write.kept import RECORD, forget

    removed, busy = [], []
    for p in paths:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            busy.append(p)
            continue
        removed.append(p)
        _remove_pdf_of(p)
    by_folder: dict[Path, list[str]] = {}
    for p in removed:
        by_folder.setdefault(p.parent, []).append(p.name)
    for folder, names in by_folder.items():
        forget(folder, names)
        notes = _drafts(folder)
        if any(n in notes for n in names):
            for n in names:
                notes.pop(n, None)
            write_json(folder / DRAFTS, notes, durable=False)
        _remove_if_only_notes(folder, (RECORD, DRAFTS))
    return removed, busy


def _remove_if_only_notes(folder: Path, notes: tuple[str, ...]) -> None:
    """The folder, when nothing but our own notes is left in it (as a first run would have none)."""
    try:
        left = list(folder.iterdir())
        if any(p.name not in notes or not p.is_file() for p in left):
            return
        for p in left:
            p.unlink()
        folder.rmdir()
    except OSError:
        pass  # (what stays is our notes: harmless)


def signed_names(path: Path) -> list[str]:
    """Names standing on the workbook's 签发 lines: after `签发：` in the cell, or in the
    next filled cell of the row when the label stands alone."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > _MAX_REPORT:
                return []
        wb = CalamineWorkbook.from_path(str(path))
        sheets = [wb.get_sheet_by_index(i).to_python(skip_empty_area=False) for i in range(len(wb.sheet_names))]
    except Exception:  # noqa: BLE001 - not a workbook we can read: nothing signed in it
        return []
    names = []
    for rows in sheets:
        for row in rows:
            cells = [str(v).strip() if v not in (None, "") else "" for v in row]
            for i, text in enumerate(cells):
                m = _LABEL_RE.search(text)
                if not m:
                    continue
                rest = re.split(r"[\s　]*(?:日\s*期|审\s*核)\s*[:：]", text[m.end():])[0].strip(" 　")
                if not rest:  # 签发： alone: the name is in the next filled cell
                    rest = next((t for t in cells[i + 1:] if t), "")
                    if re.match(r"^(日\s*期|审\s*核)\s*[:：]", rest):
                        rest = ""
                if not _NOT_A_NAME.match(rest):
                    names.append(rest)
    return names


RENDER_KEY = "报表键"  # a signing's note of the render the signed file was, when signed as the run wrote it


def signed_render(path: Path) -> str | None:
    """The key of the render the signed report at `path` was (write/kept.render_key), when it was
    signed just as a run wrote it and is unchanged since; else None (not signed, edited before
    or after signing, or signed before signings noted it)."""
    entries = read_registry(Path(path).parent).get(Path(path).name) or []
    keyed = [e for e in entries if isinstance(e.get(RENDER_KEY), str) and isinstance(e.get("sha256"), str)]
    if not keyed:
        return None
    try:
        now = file_digest(path)
    except OSError:
        return None
    return next((e[RENDER_KEY] for e in reversed(keyed) if e["sha256"] == now), None)


def signed_kept(staged: list[tuple[Path | None, Path]]) -> list[Path]:
    """Of a run's staged reports, the signed ones it left standing (reports.stage_report: nothing
    staged, the signed report given back, its figures the same). A report left as it was is either
    that or our own unchanged draft, which no signing record names: the records say which."""
    records: dict[Path, dict] = {}
    out = []
    for tmp, target in staged:
        if tmp is None:
            folder = Path(target).parent
            if folder not in records:
                records[folder] = read_registry(folder)
            if records[folder].get(Path(target).name):
                out.append(target)
    return out


def is_signed(path: Path) -> bool:
    """Whether a run must leave `path` alone (and write 第2版 beside it): the record says it was
    signed (even when the file was moved away: its name stays the signed report's), else it is no
    longer the draft the run wrote and carries what signing leaves: a Word bulletin changed, a
    workbook's protected sheets (kaohe sign, its record lost) or names on its 签发 line."""
    path = Path(path)
    if read_registry(path.parent).get(path.name):
        return True
    if not path.exists():
        return False
    draft = _drafts(path.parent).get(path.name)
    if _a_draft_of_ours(draft, path):
        return False  # our own draft, as written (names given to run do not sign it)
    if path.suffix.lower() == ".docx":
        return True  # a bulletin is prose the office rewrites: one changed since the run wrote it is theirs
    if _protected(path):
        return True  # the run writes no protection: kaohe sign (or the clerk) locked it
    names = signed_names(path)
    run_names = {draft.get("签发")} if isinstance(draft, dict) and draft.get("签发") else set()
    return any(n not in run_names for n in names)


def _protected(path: Path) -> bool:
    """Some worksheet of the workbook is protected (保护工作表)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            if sum(i.file_size for i in infos) > _MAX_REPORT:
                return False
            return any(_protection_on(z.read(i).decode("utf-8", "replace")) for i in infos)
    except Exception:  # noqa: BLE001 - not a workbook we can read: nothing to tell
        return False


def output_path(path: Path) -> Path:
    """Where to write a report: its own name, unless a signed report holds it."""
    path = Path(path)
    if not is_signed(path):
        return path
    n = 2
    while True:
        cand = version_path(path, n)
        if not is_signed(cand):
            return cand
        n += 1


def version_path(path: Path, n: int) -> Path:
    """The report's n-th version beside it: …一览表（第2版）.xlsx; the first is the report itself."""
    path = Path(path)
    return path if n <= 1 else path.with_name(f"{path.stem}（第{n}版）{path.suffix}")


_VERSION = re.compile(r"（第(\d+)版）$")


def version_of(path: Path) -> tuple[str, int]:
    """(the report's own name, its version): …一览表（第2版）.xlsx is (…一览表, 2); a name output_path
    left as it was is version 1."""
    stem = Path(path).stem
    m = _VERSION.search(stem)
    return (stem[:m.start()], int(m.group(1))) if m else (stem, 1)


def versions(path: Path) -> list[Path]:
    """The files that are `path`'s report: itself and each 第N版 written beside a signed one."""
    path = Path(path)
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    stem = path.stem
    return sorted((p for p in entries if p.suffix == path.suffix and version_of(p)[0] == stem
                   and p.is_file() and not p.is_symlink()), key=lambda p: version_of(p)[1])


def parse_sign_date(text: str | None) -> str:
    """'2023-09-06', '2023/9/6', '2023年9月6日' -> ISO; ValueError (Chinese) for anything else."""
    if text is None or not str(text).strip():
        return _dt.date.today().isoformat()
    t = re.sub(r"\s+", "", str(text))
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", t)
    if not m:
        raise ValueError(f"日期「{text}」无法识别，应写成 2023-09-06 或 2023年9月6日")
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise ValueError(f"日期「{text}」不存在（请核对月份和日）") from None


def sign(path: Path, reviewer: str, issuer: str, date: str | None = None) -> dict:
    """Record that `path` was reviewed and issued; later runs will not overwrite it.
    Every signing is kept (a second one is added, never written over)."""
    path = Path(path)
    reviewer, issuer = (reviewer or "").strip(), (issuer or "").strip()
    if not reviewer or not issuer:
        raise ValueError("审核人和签发人都要填写姓名")
    for role, name in (("审核人", reviewer), ("签发人", issuer)):  # a name, as it stands on a 签发 line
        if len(name) > MAX_SIGN_NAME or re.search(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", name):
            raise ValueError(f"{role}「{name[:20]}{'…' if len(name) > 20 else ''}」不像姓名（含换行、控制字符，"
                             f"或超过 {MAX_SIGN_NAME} 个字）；请只写姓名，如 王某某")
    day = parse_sign_date(date)
    reg = read_registry(path.parent)  # a record that cannot be read stops us before the file is touched
    rendered = rendered_key(path)  # signed as a run wrote it: what it was rendered from (signed_render)
    if path.suffix.lower() == ".xlsx":  # a bulletin (.docx) is kept as Word wrote it: its digest is the proof
        protect_sheets(path)
    entry = {"审核": reviewer, "签发": issuer, "日期": day, "sha256": file_digest(path),
             "登记时间": _dt.datetime.now().isoformat(timespec="seconds")}
    if rendered is not None:
        entry[RENDER_KEY] = rendered
    reg.setdefault(path.name, []).append(entry)
    write_json(path.parent / REGISTRY, reg)
    drafts = _drafts(path.parent)
    if path.name in drafts:  # no longer the run's draft: without the record it still reads as signed
        del drafts[path.name]
        write_json(path.parent / DRAFTS, drafts)
    return entry


# ---------------------------------------------------------------- protection
# Each worksheet locked as Excel/WPS's 保护工作表 does with no password: cells cannot be
# typed over, while formatting cells, columns and rows (widths for printing) and selecting
# stay allowed, as an office wants of a report it still prints and reads.
_PROTECTION = ('<{p}sheetProtection sheet="1" objects="1" scenarios="1" '
               'formatCells="0" formatColumns="0" formatRows="0"/>')
_SHEET_DATA_END = re.compile(r"</(\w+:)?sheetData\s*>|<(\w+:)?sheetData\b[^>]*/>")
_CALC_PR = re.compile(r"\s*<(?:\w+:)?sheetCalcPr\b[^>]*/>")
_OLD_PROTECTION = re.compile(r"<(?:\w+:)?sheetProtection\b[^>]*?(?:/>|>.*?</(?:\w+:)?sheetProtection\s*>)", re.S)


def _protection_on(xml: str, found=None) -> bool:
    """The worksheet part's protection is on (sheet="1"); `found`: its sheetProtection tag, when sought already."""
    found = found if found is not None else _OLD_PROTECTION.search(xml)
    return bool(found and re.search(r"""\bsheet\s*=\s*["'](?:1|true)["']""", found.group(0)))


def protected_sheet_xml(xml: str) -> str:
    """A worksheet part with sheet protection on. Protection the clerk set (perhaps with a
    password) is kept as it is; one switched off (sheet="0") is replaced. Text edits only:
    the rest of the part reaches the file byte for byte."""
    old = _OLD_PROTECTION.search(xml)
    if _protection_on(xml, old):
        return xml
    if old:
        xml = xml[:old.start()] + xml[old.end():]
    end = _SHEET_DATA_END.search(xml)
    if end is None:  # not a worksheet with cells: nothing to protect
        return xml
    at = end.end()
    calc = _CALC_PR.match(xml, at)  # the schema puts sheetCalcPr between sheetData and sheetProtection
    if calc:
        at = calc.end()
    return xml[:at] + _PROTECTION.format(p=end.group(1) or end.group(2) or "") + xml[at:]


def protect_sheets(path: Path) -> bool:
    """Protect every worksheet of the report at `path`, written atomically (the file keeps
    its permissions). False when every sheet was protected already: the file is not touched,
    so signing a signed report twice leaves it as it was. ValueError (Chinese) for a file
    that is not a workbook."""
    from kaohe_excel.write._tpl_package import CT_WORKSHEET, Package

    path = Path(path)
    try:
        pkg = Package(path)
        changed = {}
        for name in pkg.names:
            if pkg.content_type(name) == CT_WORKSHEET:
                xml = pkg.text(name)
                new = protected_sheet_xml(xml)
                if new != xml:
                    changed[name] = new
    except (ValueError, zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise ValueError(f"「{path.name}」不是可以签发的 .xlsx 报表（无法打开，可能已损坏；技术信息：{exc}）") from None
    if not changed:
        return False
    mode = os.stat(path).st_mode & 0o777
    with atomic_output(path) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for info in pkg.zf.infolist():
                fresh = zipfile.ZipInfo(info.filename, info.date_time)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                fresh.external_attr = info.external_attr
                data = changed[info.filename].encode("utf-8") if info.filename in changed else pkg.read(info.filename)
                zf.writestr(fresh, data)
        os.chmod(tmp, mode)  # the temporary file is 0600; the report keeps what it had
    return True


# ---------------------------------------------------------------- verify
UNCHANGED, CHANGED, MISSING, UNKNOWN = "未改动", "已改动", "缺失", "无法核对"


@dataclass(frozen=True)
class SignedCheck:
    """One signed report checked against the latest signing of it in the record."""
    path: Path
    status: str  # UNCHANGED / CHANGED / MISSING / UNKNOWN (the record holds no sha256)
    entry: dict  # the latest signing: 审核, 签发, 日期, sha256, 登记时间
    signings: int  # how many times it was signed
    digest: str | None  # the file's SHA-256 now (None when missing)


def verify_folder(folder: Path) -> list[SignedCheck]:
    """Every report in `folder`'s 签发记录.json, each against the latest signing of it
    (an earlier signing recorded an earlier file). RecordError for a record that cannot be read."""
    folder = Path(folder)
    out = []
    for name, entries in sorted(read_registry(folder).items()):
        entry = entries[-1]
        path = folder / name
        if Path(name).name != name or name in (".", ".."):  # a hand-edited record naming a file elsewhere
            out.append(SignedCheck(folder / safe_file_part(name), UNKNOWN, entry, len(entries), None))
            continue
        try:
            digest = file_digest(path) if path.is_file() else None
        except OSError:  # no permission: neither proven nor missing
            out.append(SignedCheck(path, UNKNOWN, entry, len(entries), None))
            continue
        recorded = entry.get("sha256")
        if digest is None:
            status = MISSING
        elif not isinstance(recorded, str) or not recorded:
            status = UNKNOWN
        else:
            status = UNCHANGED if recorded.lower() == digest else CHANGED
        out.append(SignedCheck(path, status, entry, len(entries), digest))
    return out
