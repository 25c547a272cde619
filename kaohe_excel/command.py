"""The `kaohe` command as installed (pip's console script) and as `python -m kaohe_excel`: the
collector is set before anything is imported (kaohe_excel.collector), then the CLI runs."""

from kaohe_excel import collector


def entry() -> None:
    collector.starting()
    from kaohe_excel.cli import entry as command

    command()
