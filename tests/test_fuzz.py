"""Fuzz: real-looking fixtures mutated 2,500 ways must each end in parsed grids
(or an IndicatorSystem) or a named InputError — never another exception, a
Rust panic, an abort, or a hang.

Mutants are made from a fixed seed inside two worker processes (the CI box has
two cores); a worker that dies (abort) or a batch that overruns fails the test
and names the mutant. Reproduce one with `python tests/test_fuzz.py KIND INDEX`.
"""

from __future__ import annotations

import io
import random
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SEED = 20231006
# a file that takes this long is a hang (a loop without end), not slowness: speed is
# bench/bench_inputs.py's, and a loaded machine (CI, other jobs) must not fail this test
PER_MUTANT_SECONDS = 30.0
COUNTS = {"zip_bytes": 600, "xml": 1000, "values": 100, "xls_bytes": 400, "biff": 400}
BATCH = 20

# ------------------------------------------------------------------ mutation
SNIPPETS = [
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    b"<row>", b"</row>", b"<c>", b"</c>", b"<c><v>1</v></c>" * 50, b'<c r="A0"><v>1</v></c>',
    b'<c r="ZZZZZZZ99999999999"><v>1</v></c>', b'<c t="s"><v>99999999</v></c>', b'<c t="s"><v>-1</v></c>',
    b'<c t="e"><v>#N/A</v></c>', b'<c t="b"><v>2</v></c>', b'<c t="d"><v>not a date</v></c>',
    b'<c r="B2" t="n"><v>1e309</v></c>', b'<c r="B2"><v>NaN</v></c>', b'<c r="B2" t="str"><f>1/0</f><v></v></c>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="Z9:A1"/>', b'<mergeCell ref="garbage"/>',
    b"<!DOCTYPE x>", b"&amp;", b"&#0;", b"&#xD800;", b"&undefined;", b"<![CDATA[<c r=\"XFD1\">]]>",
    b"\xff\xfe", b"\x00", "附件２\u202e\U0001F600".encode(), b'<dimension ref="A1:XFD1048576"/>',
    b'<sheet name="x" sheetId="9" r:id="rId99"/>', b'<si><t>' + b"x" * 5000 + b"</t></si>", b"<si/>" * 100,
    b'<row r="4294967296"><c r="A4294967296"><v>1</v></c></row>', b'<row r="-5">', b'<c r="A1" s="99999">',
]
ODD_VALUES = [
    "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", 1e308, -1e-308, float("inf"), -0.0, 2**62, -2**63,
    "", " ", "\t", "　", "第3名", "3/6", "增长6.2%", "—", "/", "---", "约束条件", "扣1.3分", "３", "x" * 32767,
    "\u202e反向", "😀", "牵头：县发改局\n参与：县统计局", True, False, None, 0, 1.5, "1,234.5", "1.2.3",
]


def _fixtures() -> dict[str, bytes]:
    sys.path.insert(0, str(HERE))
    import tempfile

    import hostile as h

    with tempfile.TemporaryDirectory() as d:
        x = h.official_xlsx(Path(d) / "a.xlsx").read_bytes()
    return {"xlsx": x, "xls": h._official_xls_bytes(), "xls_stream": h._official_xls_workbook().get_biff_data()}


def _flip(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    op = rnd.randrange(6)
    if op == 0:  # flip a few bytes
        for _ in range(rnd.randint(1, 8)):
            b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
    elif op == 1:  # truncate
        del b[rnd.randrange(1, len(b)):]
    elif op == 2:  # delete a span
        i = rnd.randrange(len(b))
        del b[i:i + rnd.randint(1, 64)]
    elif op == 3:  # duplicate a span
        i = rnd.randrange(len(b))
        b[i:i] = b[i:i + rnd.randint(1, 256)]
    elif op == 4:  # overwrite with 0xFF/0x00 (sizes, offsets, counts)
        i = rnd.randrange(len(b))
        fill = rnd.choice([0x00, 0xFF, 0x7F])
        for k in range(i, min(len(b), i + rnd.choice([1, 2, 4]))):
            b[k] = fill
    else:  # random bytes at a random place
        i = rnd.randrange(len(b))
        b[i:i + 4] = bytes(rnd.getrandbits(8) for _ in range(4))
    return bytes(b)


def _mutate_xml(xml: bytes, rnd: random.Random) -> bytes:
    op = rnd.randrange(5)
    if op == 0:
        i = rnd.randrange(len(xml) + 1)
        return xml[:i] + rnd.choice(SNIPPETS) + xml[i:]
    if op == 1:  # insert at a tag boundary, where it parses further
        cuts = [i for i in range(len(xml)) if xml[i:i + 1] == b"<"] or [0]
        i = rnd.choice(cuts)
        return xml[:i] + rnd.choice(SNIPPETS) + xml[i:]
    if op == 2:
        i = rnd.randrange(len(xml))
        return xml[:i] + xml[i + rnd.randint(1, 40):]
    if op == 3:  # change one number (an index, a position, a count)
        import re

        nums = list(re.finditer(rb"\d+", xml))
        if nums:
            m = rnd.choice(nums)
            new = str(rnd.choice([0, 1, 2**31, 2**32 + 1, 10**12, 16385, 1048577, -1, 99999])).encode()
            return xml[:m.start()] + new + xml[m.end():]
    return _flip(xml, rnd)


def make_mutant(kind: str, index: int, fx: dict[str, bytes]) -> tuple[str, bytes]:
    rnd = random.Random(f"{SEED}:{kind}:{index}")
    if kind == "zip_bytes":
        return ".xlsx", _flip(fx["xlsx"], rnd)
    if kind == "xml":
        with zipfile.ZipFile(io.BytesIO(fx["xlsx"])) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
        weights = {"xl/worksheets/sheet1.xml": 6, "xl/sharedStrings.xml": 3, "xl/workbook.xml": 2,
                   "xl/_rels/workbook.xml.rels": 1, "xl/styles.xml": 1, "[Content_Types].xml": 1,
                   "xl/worksheets/sheet2.xml": 1}
        names = [n for n in weights if n in members]
        for _ in range(rnd.randint(1, 3)):
            name = rnd.choices(names, [weights[n] for n in names])[0]
            members[name] = _mutate_xml(members[name], rnd)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, d in members.items():
                zf.writestr(n, d)
        return ".xlsx", buf.getvalue()
    if kind == "values":
        import hostile as h

        rows = [[rnd.choice(ODD_VALUES) for _ in range(len(h.HEADER))] for _ in range(rnd.randint(0, 8))]
        suffix = rnd.choice([".xlsx", ".xls"])
        buf = io.BytesIO()
        if suffix == ".xls":
            rows = [[v if not (isinstance(v, str) and len(v) > 255) else v[:255] for v in r] for r in rows]
            rows = [[0 if isinstance(v, float) and v in (float("inf"),) else v for v in r] for r in rows]
            h._official_xls_workbook(rows).save(buf)
        else:
            import tempfile

            with tempfile.TemporaryDirectory() as d:
                buf.write(h.official_xlsx(Path(d) / "v.xlsx", rows).read_bytes())
        return suffix, buf.getvalue()
    if kind == "xls_bytes":
        return ".xls", _flip(fx["xls"], rnd)
    if kind == "biff":  # valid container, mutated BIFF records inside
        import struct

        from xlwt.CompoundDoc import XlsDoc

        stream = bytearray(fx["xls_stream"])
        for _ in range(rnd.randint(1, 4)):
            # walk to a random record and damage its header or body
            pos, recs = 0, []
            while pos + 4 <= len(stream):
                recs.append(pos)
                pos += 4 + struct.unpack_from("<H", stream, pos + 2)[0]
            at = rnd.choice(recs)
            where = rnd.choice(["len", "type", "body", "rowcol"])
            if where == "len":
                struct.pack_into("<H", stream, at + 2, rnd.choice([0, 1, 3, 0xFFFF, rnd.randrange(8224)]))
            elif where == "type":
                struct.pack_into("<H", stream, at, rnd.choice([0x002F, 0x0809, 0x000A, 0x00E5, 0x00FC, 0x0085,
                                                               0x0203, 0x00BD, rnd.randrange(0x900)]))
            elif where == "rowcol" and at + 8 <= len(stream):
                struct.pack_into("<HH", stream, at + 4, rnd.choice([0, 65535, 20000]), rnd.choice([0, 255, 16383]))
            else:
                stream = bytearray(_flip(bytes(stream), rnd))
        buf = io.BytesIO()
        XlsDoc().save(buf, bytes(stream))
        return ".xls", buf.getvalue()
    raise ValueError(kind)


# -------------------------------------------------------------------- worker
_FX: dict[str, bytes] | None = None


def _outcome(path: Path) -> str:
    """'grids', 'system', 'input-error', or 'BUG: ...' for anything else."""
    from kaohe_excel.problems import InputError
    from kaohe_excel.read.workbook import read_workbook

    try:
        grids = read_workbook(path)
        assert isinstance(grids, list)
        out = "grids"
    except InputError as e:
        assert e.problem.message and e.problem.file == path.name
        out = "input-error"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # a pyo3 PanicException is a BaseException
        return f"BUG read_workbook: {type(e).__name__}: {str(e)[:200]}"
    try:
        from kaohe_excel.read.workbook import read_system
    except ImportError:
        return out
    try:
        system = read_system(path)
        if type(system).__name__ != "IndicatorSystem":
            return f"BUG read_system returned {type(system).__name__}"
    except InputError:
        pass
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:
        return f"BUG read_system: {type(e).__name__}: {str(e)[:200]}"
    return out


def run_batch(kind: str, indices: list[int], folder: str) -> list[tuple[str, int, str, float]]:
    global _FX
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    if _FX is None:
        _FX = _fixtures()
    results = []
    for i in indices:
        suffix, data = make_mutant(kind, i, _FX)
        path = Path(folder) / f"{kind}_{i}{suffix}"
        path.write_bytes(data)
        t = time.perf_counter()
        out = _outcome(path)
        dt = time.perf_counter() - t
        if path.read_bytes() != data:
            out = "BUG: input file was modified"
        path.unlink()
        results.append((kind, i, out, dt))
    return results


def test_fuzz_every_mutant_is_data_or_named_problem(tmp_path):
    total = sum(COUNTS.values())
    assert total >= 1000
    jobs = [(kind, list(range(s, min(s + BATCH, n)))) for kind, n in COUNTS.items() for s in range(0, n, BATCH)]
    results, bugs = [], []
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [(job, pool.submit(run_batch, job[0], job[1], str(tmp_path))) for job in jobs]
        for (kind, idx), fut in futures:
            try:
                results.extend(fut.result(timeout=PER_MUTANT_SECONDS * len(idx) + 60))
            except BrokenProcessPool:
                bugs.append(f"{kind} {idx[0]}..{idx[-1]}: a worker died (abort / Rust panic=abort / OOM)")
                break
            except TimeoutError:
                bugs.append(f"{kind} {idx[0]}..{idx[-1]}: batch did not finish in time (hang)")
                for p in pool._processes.values():  # stop the stuck worker so the pool can close
                    p.kill()
                break
    for kind, i, out, dt in results:
        if out.startswith("BUG"):
            bugs.append(f"{kind} {i}: {out}")
        if dt > PER_MUTANT_SECONDS:
            bugs.append(f"{kind} {i}: took {dt:.1f} s")
    assert not bugs, "\n".join(bugs[:40])
    assert len(results) == total
    counts = {}
    for _, _, out, _ in results:
        counts[out] = counts.get(out, 0) + 1
    # the mutations must reach the parser, not only the pre-checks
    assert counts.get("grids", 0) + counts.get("system", 0) >= 100, counts
    assert counts.get("input-error", 0) >= 100, counts
    print(f"fuzz: {total} mutants in {time.perf_counter() - started:.1f} s: {counts}")


if __name__ == "__main__":  # reproduce: python tests/test_fuzz.py xml 17
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        print(run_batch(sys.argv[1], [int(sys.argv[2])], d))
