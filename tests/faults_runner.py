"""Run the ``kelisim`` command with a SIGKILL waiting before a chosen SQL statement.

    python -m tests.faults_runner PATTERN NTH -- [kelisim arguments]

The process kills itself (SIGKILL: no cleanup) just before the first statement matching
PATTERN in the NTH transaction that runs one, so a fault test lands the kill at an exact point
of a real ``kelisim watch`` (after a commit, inside a transaction).
"""

from __future__ import annotations

import os
import re
import signal
import sys

import sqlalchemy as sa


def kill_before(pattern: str, nth: int = 1) -> None:
    """SIGKILL this process just before the first SQL statement matching ``pattern`` in the
    ``nth`` transaction that runs one (a multi-row insert may take several statements)."""
    matcher = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    transactions: list[object] = []  # kept alive, so that no id is reused

    def check(conn, cursor, statement, parameters, context, executemany) -> None:
        if not matcher.search(statement):
            return
        transaction = conn.get_transaction()
        if not any(transaction is seen for seen in transactions):
            transactions.append(transaction)
            if len(transactions) == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    sa.event.listen(sa.Engine, "before_cursor_execute", check)


def main(argv: list[str]) -> None:
    """Arm the kill, then run the kelisim command with the arguments after ``--``."""
    pattern, nth, separator, *arguments = argv
    assert separator == "--", __doc__
    kill_before(pattern, int(nth))
    from kelisim.cli import main as kelisim

    sys.argv = ["kelisim", *arguments]
    kelisim()


if __name__ == "__main__":
    main(sys.argv[1:])
