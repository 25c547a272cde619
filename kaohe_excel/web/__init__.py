"""web: the local page (`kaohe serve`), on top of flows — never below them.

    server.py      serve(): checks the port, prints the address, runs uvicorn, Ctrl-C stops it
    app.py         the Starlette routes: each calls a flows function and renders a template
    security.py    loopback Host check or a token, Origin + CSRF on every POST, size bounds
    jobs.py        「生成报表」 in a background thread with visible progress (flows.run)
    sheet_view.py  a written report read back (python-calamine) with its conditional colours
    templates/     the pages (Jinja, Chinese); static/  the CSS and the one script (no CDN)

Imported only by `kaohe serve`: starlette and uvicorn never load for `kaohe run`.
"""
