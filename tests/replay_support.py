"""The replay corpus builder (scripts/build_replay.py) loaded as a module, for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_script():
    """scripts/build_replay.py as a module (registered first: dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location("build_replay", ROOT / "scripts" / "build_replay.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
