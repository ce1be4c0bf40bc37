"""One fuzz target under atheris: ``python -m fuzz.harness NAME [libFuzzer flags] [corpus…]``.

The target's modules are imported inside ``atheris.instrument_imports`` so their code is
instrumented for coverage; string comparisons guide the mutations (atheris' regular-expression
hook is left off: it fails on bytes patterns, which h11 and others compile at import).
``fuzz/run.py`` runs this once per target in its own process.
"""

from __future__ import annotations

import sys

import atheris

from fuzz.targets import TARGETS


def main(argv: list[str]) -> None:
    """Fuzz the target named by ``argv[1]``; the rest of ``argv`` goes to libFuzzer."""
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: python -m fuzz.harness {{{','.join(TARGETS)}}} [libFuzzer flags]")
    target = TARGETS[argv[1]]
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports(include=["fuzz", *target.instrument]):
        function = target.load()
        target.warm_up()  # inside: modules the target imports lazily get instrumented too
    atheris.Setup([argv[0], *argv[2:]], function)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
