"""flows: what each command runs, start to end, and the summaries it prints.

    run.run_workspace      kaohe run     read -> assess -> write the reports
    check.check_workspace  kaohe check   read and validate, write nothing
    forms.write_forms      kaohe forms   next month's fill-in forms
    report_text            the text `kaohe assess` prints

cli.py only wires options to these; read/, assess/ and write/ never import from here.
"""
