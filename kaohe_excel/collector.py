"""How a kaohe process collects cyclic garbage (set up once by the CLI's one-off commands and by
each worker; `kaohe serve` and `kaohe watch`, which run for days, keep Python's defaults).

A run allocates millions of small containers (cells, rows, entries, results) and keeps few of
them in cycles. With Python's default thresholds (700, 10, 10) a province's run spent about an
eighth of its CPU in the collector: every few hundred allocations a young collection, and now and
then a full one over everything the run holds. Collecting young objects every 50,000 allocations
instead leaves what few cycles do form (a read sheet forms none: tables.find_table, Grid.source)
a few megabytes at most.
Standard library only, and import-light (the CLI imports it before anything else).
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 10)


def batch_collector() -> None:
    """Collect as a batch job does: seldom, the same in every process of a run."""
    gc.set_threshold(*THRESHOLDS)


def worker_start(avoid: list, compile_folder) -> None:
    """A run's worker process (spawned: it inherits nothing): the same collector, never the
    cache folders its parent was told to keep out of, and the parent's kept regular
    expressions and dataclass methods (compile_cache) when the parent uses them."""
    from kaohe_excel import usercache

    batch_collector()
    for folder in avoid:
        usercache.keep_out_of(folder)
    if compile_folder is not None:
        from kaohe_excel import compile_cache

        compile_cache.install(compile_folder)


__all__ = ["THRESHOLDS", "batch_collector", "worker_start"]
