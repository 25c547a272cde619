"""write: the model and assess's results -> workbooks (never reads an input file).

    reports.py      the report set from templates/*.xlsx: one context per report, built
                    from assess's figures only (one truth), written all-or-none
    forms.py        next month's fill-in forms (附件2) per department
    signoff.py      审核/签发 records: a signed report is never overwritten; signing protects
                    its sheets and records its SHA-256, which verify_folder checks
    field_help.py   what each template field means, for `kaohe template check`
    engine.py       the xlsx template engine (Jinja in cells); its stages in _tpl_*.py
"""
