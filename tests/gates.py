"""What the evaluation gates share: the pinned floors and loading an evaluation script."""

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def floors(key: str) -> dict:
    """The floors pinned in tests/floors.json under ``key``."""
    return json.loads((ROOT / "tests" / "floors.json").read_text(encoding="utf-8"))[key]


def load_eval(name: str) -> ModuleType:
    """The script eval/NAME.py as a module (eval/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"eval_{name}", ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
