"""flows: what each command runs, start to end, and the summaries it prints.

    run.run_workspace      kaohe run     read -> assess -> write the reports
    check.check_workspace  kaohe check   read and validate, write nothing
    forms.write_forms      kaohe forms   next month's fill-in forms
    verify.verify_workspace  kaohe verify  signed reports checked against their recorded SHA-256
    watch.watch_workspace  kaohe watch   rebuild a month (run_workspace) as its files land in input/
    report_text            the text `kaohe assess` prints

cli.py only wires options to these; read/, assess/ and write/ never import from here.
"""
