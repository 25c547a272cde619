"""Issue 14: in the view from above every unit of a month is assessed with one dict of what all
of them share (each indicator's ranking, every unit's score, …). That must change nothing: each
unit's result is exactly what assessing that unit alone gives (problems aside: a missing peer
figure is said once for all units there). Checked on the demo month (叶县's departments' sheets
joined as its column) and on the invented city 汀澜市 (per-unit points, `---`, two months)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kaohe_excel.assess import assess_month
from kaohe_excel.config import load_config
from kaohe_excel.flows.evaluate import assess_units
from kaohe_excel.workspace import load_month
from tests import league_city as lc

ROOT = Path(__file__).resolve().parents[1]


def _demo(root: Path) -> Path:
    shutil.copytree(ROOT / "input", root / "input")
    return root


def _city(root: Path) -> Path:
    lc.build_workspace(root)
    return root


@pytest.mark.parametrize("make", [_demo, _city], ids=["demo", "city"])
def test_every_unit_as_if_assessed_alone(tmp_path, make):
    ws = make(tmp_path / "ws")
    cfg = load_config(ws)
    mi = load_month(ws, None, config=cfg, all_units=True)
    by_month = assess_units(mi, cfg)
    assert len(by_month) == 2 and all(len(units) >= 5 for units in by_month.values())
    for m, units in by_month.items():
        peers = mi.peers if m == mi.month else mi.history[m].peers
        for u, res in units.items():
            history = {pm: by_month[pm][u] for pm in by_month if pm < m and u in by_month[pm]}
            alone = assess_month(mi.system, {}, peers, dataclasses.replace(cfg, county=u), m, history=history)
            got, want = res.to_json(), alone.to_json()
            got.pop("problems"), want.pop("problems")
            assert got == want, (m, u, [(a["no"], a["score"], b["score"]) for a, b in
                                        zip(got["indicators"], want["indicators"]) if a != b][:5])
