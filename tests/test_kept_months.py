"""The view from above keeps each earlier month as its units' briefs (flows/kept_months.py): a
monthly run reads and assesses its new month only, and gives what reading every month gives; a
month whose files, system, settings or code changed is read again."""

from __future__ import annotations

import json
import shutil

import pytest

from kaohe_excel import workspace as W
from kaohe_excel.flows import evaluate as E
from kaohe_excel.flows import kept_months as K
from tests import league_city as lc


def _league(s) -> list:
    assert s.fatal is None, s.fatal
    return [(r.unit, r.total, r.total_points, r.rank, r.prev_rank, r.rank_change) for r in s.league.rows] + [
        [(c.unit, c.rank, c.colour, c.score, c.prev_rank, c.rank_change) for c in li.cells] for li in s.league.indicators]


@pytest.fixture
def read_months(monkeypatch) -> list:
    """The months each run reads from their files (here or in a worker of this process)."""
    seen: list = []
    real = W.load_month

    def spy(ws, month=None, **kw):
        got = real(ws, month, **kw)
        seen.append(got.month)
        return got

    monkeypatch.setattr(W, "load_month", spy)
    monkeypatch.setenv("KAOHE_JOBS", "1")  # (one process: every read is seen)
    return seen


def test_a_monthly_run_reads_its_new_month_only_and_gives_the_same_league(tmp_path, read_months):
    ws = lc.build_workspace(tmp_path / "ws").root
    first = _league(E.evaluate_workspace(ws))
    kept = ws / "output" / ".kaohe-cache" / K.FOLDER / f"{lc.MAY}.json"
    assert read_months == [lc.JUNE, lc.MAY] and kept.is_file()
    read_months.clear()
    second = E.evaluate_workspace(ws)
    assert read_months == [lc.JUNE] and _league(second) == first  # May from what was kept, the same figures
    assert {r.unit: r.rank_change for r in second.league.rows} == lc.PLACE_CHANGES  # (against May, as by hand)
    # the same as a run that keeps nothing (the rank changes against May included)
    fresh = tmp_path / "fresh"
    shutil.copytree(ws / "input", fresh / "input")
    shutil.copy(ws / "kaohe.toml", fresh / "kaohe.toml")
    assert _league(E.evaluate_workspace(fresh)) == first


def test_a_month_whose_file_changed_is_read_again(tmp_path, read_months, monkeypatch):
    ws = lc.build_workspace(tmp_path / "ws").root
    E.evaluate_workspace(ws)
    read_months.clear()
    # the bureau corrects May: 汀东区 first on GDP growth instead of last but one
    may = [list(row) for row in lc.PEERS[lc.MAY]]
    may[0][3] = [9.9, 6.0, 7.0, 6.5, 8.8]
    monkeypatch.setitem(lc.PEERS, lc.MAY, [tuple(row) for row in may])
    lc.write_peers_xls(ws / "input" / lc.MAY / lc.PEER_FILES[lc.MAY], lc.MAY)
    changed = _league(E.evaluate_workspace(ws))
    assert read_months == [lc.JUNE, lc.MAY]
    fresh = tmp_path / "fresh"
    shutil.copytree(ws / "input", fresh / "input")
    shutil.copy(ws / "kaohe.toml", fresh / "kaohe.toml")
    assert _league(E.evaluate_workspace(fresh)) == changed
    gdp = next(li for li in E.evaluate_workspace(ws).league.indicators if li.no == 1)
    assert next(c for c in gdp.cells if c.unit == lc.TD).prev_rank == 1  # May as corrected


def test_what_was_kept_is_used_only_as_it_was_kept(tmp_path, read_months):
    """Settings changed, a kept file broken or reshaped: May is read again, never guessed."""
    ws = lc.build_workspace(tmp_path / "ws").root
    first = _league(E.evaluate_workspace(ws))
    kept = ws / "output" / ".kaohe-cache" / K.FOLDER / f"{lc.MAY}.json"
    from kaohe_excel.usercache import sealed, unsealed

    def payload() -> dict:
        return json.loads(unsealed(kept.read_bytes()).decode("utf-8"))

    def first_total(data: dict) -> dict:  # a well-formed figure changed by hand
        unit = next(iter(data["units"]))
        return {**data, "units": {**data["units"], unit: [99.5, *data["units"][unit][1:]]}}

    for spoil in (lambda: kept.write_text("{", encoding="utf-8"),
                  # edited by hand: well-formed, its seal no longer its own
                  lambda: kept.write_bytes(json.dumps(first_total(payload()), ensure_ascii=False).encode("utf-8")),
                  lambda: kept.write_bytes(json.dumps(first_total(payload())).encode("utf-8") + kept.read_bytes()[-66:]),
                  # sealed but not our shape
                  lambda: kept.write_bytes(sealed(json.dumps({**payload(), "units": {"汀东区": [1, 2, True, 1, [1], ["red"], 0]}})
                                                  .encode("utf-8"))),
                  lambda: (ws / "kaohe.toml").write_text('unreported_events = "none"\n' + lc.COMPLETION_TOML,
                                                         encoding="utf-8")):
        spoil()
        read_months.clear()
        got = _league(E.evaluate_workspace(ws))
        assert read_months == [lc.JUNE, lc.MAY]
        assert kept.is_file()  # kept again, as read
        fresh = tmp_path / f"fresh{len(list(tmp_path.iterdir()))}"
        shutil.copytree(ws / "input", fresh / "input")
        shutil.copy(ws / "kaohe.toml", fresh / "kaohe.toml")
        assert got == _league(E.evaluate_workspace(fresh))
    assert got != first  # (the settings changed the figures: May's brief under the old ones was not used)


def test_a_kept_month_decodes_only_our_shape():
    keys = [[1, 0, "", ""], [None, 0, "", "外贸"]]
    good = {"keys": keys, "units": {"汀东区": [12.5, 19, False, 2, [1, None], ["green", None], 0.0]}}
    briefs = K._decode("2024-05", good)
    assert briefs["汀东区"].ranks == (1, None) and briefs["汀东区"].keys[1].name == "外贸"
    assert K._encode(briefs) == good
    for bad in ({**good, "units": {"汀东区": [12.5, 19, "no", 2, [1, None], ["green", None], 0.0]}},
                {**good, "units": {"汀东区": [12.5, 19, False, 2, [1], ["green", None], 0.0]}},
                {**good, "units": {"汀东区": [12.5, 19, False, 2, [1, "x"], ["green", None], 0.0]}},
                {**good, "keys": [[1.5, 0, "", ""]] + keys[1:]}):
        assert K._decode("2024-05", bad) is None
    with pytest.raises(ValueError):
        K._decode("2024-05", {**good, "units": {"汀东区": ["12", 19, False, 2, [1, None], ["green", None], 0.0]}})


def test_assess_uses_the_kept_months_and_keeps_nothing(tmp_path, read_months):
    """`kaohe assess --all-units` (load_units without keep_reads) takes what a run kept, and
    writes nothing itself: not on a workspace that never ran, not over what a run kept."""
    from kaohe_excel.config import load_config

    ws = lc.build_workspace(tmp_path / "ws").root
    (ws / "output").mkdir()
    E.load_units(ws, None, load_config(ws))
    assert read_months == [lc.JUNE, lc.MAY] and not (ws / "output" / ".kaohe-cache" / K.FOLDER).exists()
    E.evaluate_workspace(ws)
    kept = ws / "output" / ".kaohe-cache" / K.FOLDER / f"{lc.MAY}.json"
    before = kept.stat().st_mtime_ns
    read_months.clear()
    _mi, by_month = E.load_units(ws, None, load_config(ws))
    assert read_months == [lc.JUNE] and kept.stat().st_mtime_ns == before
    assert sorted(by_month) == [lc.MAY, lc.JUNE]


def test_a_linked_folder_in_a_month_does_not_hang_its_key(tmp_path):
    """A month folder holding a link to itself (a loop) is walked as month_files walks it: linked
    folders are not followed, and the month still has its key."""
    from kaohe_excel.config import load_config
    from kaohe_excel.workspace import folders_of_months, load_month

    ws = lc.build_workspace(tmp_path / "ws").root
    may = ws / "input" / lc.MAY
    try:
        (may / "回环").symlink_to(may, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    mi = load_month(ws, lc.JUNE, all_units=True, with_history=False, load_earlier=False)
    base = K.base_key(ws / "input", mi.root[0], load_config(ws))
    folders = folders_of_months(ws / "input", mi.root[0])
    key = K.month_key(base, folders, lc.MAY)
    assert key is not None and key == K.month_key(base, folders, lc.MAY)
    (may / "补报.xlsx").write_bytes((may / lc.PEER_FILES[lc.MAY]).read_bytes())  # a new file: another key
    assert K.month_key(base, folders, lc.MAY) != key


def _fresh(ws, to) -> list:
    """The league of a run on a copy of the inputs with nothing kept (file times kept too)."""
    shutil.copytree(ws / "input", to / "input")
    shutil.copy(ws / "kaohe.toml", to / "kaohe.toml")
    return _league(E.evaluate_workspace(to))


def test_a_month_follows_the_month_before_it(tmp_path, read_months):
    """May's peer table byte for byte the month before's is dropped as a copy: an April folder
    holding that copy, made after May was kept, makes the next run read May again, as a fresh
    run reads it (the league then compares June with no May)."""
    ws = lc.build_workspace(tmp_path / "ws").root
    E.evaluate_workspace(ws)
    april = ws / "input" / "2024-04"
    april.mkdir()
    shutil.copy2(ws / "input" / lc.MAY / lc.PEER_FILES[lc.MAY], april / lc.PEER_FILES[lc.MAY].replace("1-5月", "1-4月"))
    read_months.clear()
    got = _league(E.evaluate_workspace(ws))
    assert lc.MAY in read_months
    assert got == _fresh(ws, tmp_path / "fresh")


def test_a_month_follows_its_files_times(tmp_path, read_months):
    """Two peer tables in May (the bureau's 更正 beside the first): the newer is used. The first
    saved again later (same bytes, a newer time) is the one a fresh run uses, and so the next run."""
    import os

    ws = lc.build_workspace(tmp_path / "ws").root
    may = ws / "input" / lc.MAY
    first = may / lc.PEER_FILES[lc.MAY]
    corrected = may / lc.PEER_FILES[lc.MAY].replace(".xls", "（更正）.xls")
    shutil.copy2(first, corrected)
    rows = [list(row) for row in lc.PEERS[lc.MAY]]
    rows[0][3] = [9.9, 6.0, 7.0, 6.5, 8.8]  # GDP growth: 汀东区 first
    saved = dict(lc.PEERS)
    try:
        lc.PEERS[lc.MAY] = [tuple(row) for row in rows]
        lc.write_peers_xls(corrected, lc.MAY)
    finally:
        lc.PEERS.clear()
        lc.PEERS.update(saved)
    os.utime(first, (1_715_000_000, 1_715_000_000))
    os.utime(corrected, (1_715_100_000, 1_715_100_000))
    with_corrected = _league(E.evaluate_workspace(ws))
    os.utime(first, (1_715_200_000, 1_715_200_000))  # the first saved again: now the newer
    read_months.clear()
    got = _league(E.evaluate_workspace(ws))
    assert lc.MAY in read_months
    assert got == _fresh(ws, tmp_path / "fresh") and got != with_corrected


def test_a_system_in_the_month_folder_keeps_no_month(tmp_path, read_months):
    """The system found in this month's folder (none in input/): the earlier months are assessed
    with it, so none is kept under a key that does not know it; each run reads them again."""
    ws = lc.build_workspace(tmp_path / "ws").root
    (ws / "input" / lc.SYSTEM_FILE).rename(ws / "input" / lc.JUNE / lc.SYSTEM_FILE)
    first = _league(E.evaluate_workspace(ws))
    assert not (ws / "output" / ".kaohe-cache" / K.FOLDER / f"{lc.MAY}.json").exists()
    read_months.clear()
    assert _league(E.evaluate_workspace(ws)) == first and lc.MAY in read_months
