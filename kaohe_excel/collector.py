"""How a kaohe process collects cyclic garbage (set up as the `kaohe` command starts, by its
one-off commands and by each worker; `kaohe serve` and `kaohe watch`, which run for days, keep
Python's defaults).

A run allocates millions of small containers (cells, rows, entries, results) and keeps few of
them in cycles. With Python's default thresholds (700, 10, 10) a province's run spent about an
eighth of its CPU in the collector: every few hundred allocations a young collection, and now and
then a full one over everything the run holds. Collecting young objects every 50,000 allocations
instead leaves what few cycles do form (a read sheet forms none: tables.find_table, Grid.source)
a few megabytes at most.
The command's own imports (click, Jinja, the package: ~50,000 objects that live as long as the
process) were collected too: young collections over them while they were imported (~11 ms of a
0.33 s county month), then one over all of them once the run had allocated 50,000 more (~10 ms).
So the thresholds are set before the imports (`starting`, the command's first line), and what
the command has imported is frozen out of every collection once it is known to be a one-off
(`batch_collector`).
Standard library only, and import-light (the command imports it before anything else).
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 10)
PYTHON_DEFAULTS = gc.get_threshold()  # the interpreter's own, as this module is first imported


def starting() -> None:
    """The `kaohe` command's first step, before it imports anything: collect seldom while importing."""
    gc.set_threshold(*THRESHOLDS)


def batch_collector(freeze: bool = True) -> None:
    """Collect as a batch job does: seldom, the same in every process of a run, never over what
    was imported to do the job (`freeze`: only in a process that ends with the job, never in a
    test's process, where a frozen object that later became garbage would never be collected)."""
    gc.set_threshold(*THRESHOLDS)
    if freeze:
        gc.freeze()


def long_running() -> None:
    """`kaohe serve` and `kaohe watch` run for days: Python's own collector."""
    gc.unfreeze()
    gc.set_threshold(*PYTHON_DEFAULTS)


def worker_start(avoid: list, compile_folder) -> None:
    """A run's worker process (spawned: it inherits nothing): the same collector, never the
    cache folders its parent was told to keep out of, and the parent's kept regular
    expressions and dataclass methods (compile_cache) when the parent uses them."""
    from kaohe_excel import usercache

    for folder in avoid:
        usercache.keep_out_of(folder)
    if compile_folder is not None:
        from kaohe_excel import compile_cache

        compile_cache.install(compile_folder)
    batch_collector()


__all__ = ["THRESHOLDS", "PYTHON_DEFAULTS", "starting", "batch_collector", "long_running", "worker_start"]
