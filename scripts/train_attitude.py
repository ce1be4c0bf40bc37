"""Train the shipped attitude model on RuEthnoHate: src/kelisim/understanding/data/attitude.npz.

The training itself is :mod:`kelisim.understanding.training` (shared with `kelisim train`, which
adds analysts' corrections and writes to the models folder instead). This script writes the
model that ships in the package, with its 5-fold cross-validated figures.
Run: ``.venv/bin/python scripts/train_attitude.py [--data ../shared/data] [--out PATH] [--no-cv]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kelisim.understanding import training

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "kelisim" / "understanding" / "data" / "attitude.npz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validated figures")
    args = parser.parse_args(argv)
    path = training.data_path(args.data)
    started = time.perf_counter()
    pairs = training.pairs_of(training.load_records(path))
    cv = training.train(pairs, training.fingerprint(path), args.out, cv=not args.no_cv)
    print(f"{len(pairs)} pairs, {time.perf_counter() - started:.1f} s, macro-F1 "
          f"{cv.get('macro_f1', 'not measured')}, wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
