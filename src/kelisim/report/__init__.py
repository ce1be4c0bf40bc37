"""The regional report for the bi-monthly meeting on the interethnic situation: gathered from
the store (``build``), drawn (``chart``, ``maps``), rendered as HTML and PDF (``render``) and
written on a schedule (``schedule``). See docs/report.md."""
