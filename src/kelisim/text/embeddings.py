"""navec's news embeddings and the natasha package's data folder, shared: the NER model and the
attitude model's dense features use one copy per process (~100 MB).

The files ship inside the natasha package; it is not imported (it would pull in pymorphy2,
yargy and ipymarkup), only its folder is found.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

NEWS_EMBEDDING = "navec_news_v1_1B_250K_300d_100q"


def natasha_data() -> Path:
    """The natasha package's ``data`` folder (models in ``model/``, embeddings in ``emb/``)."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the natasha package, which ships the NER model and the embeddings, "
                           "is not installed")
    return Path(spec.submodule_search_locations[0]) / "data"


@lru_cache(maxsize=2)
def navec(name: str = NEWS_EMBEDDING):
    """A navec embedding of natasha's data folder (``navec.Navec``), read once per process."""
    from navec import Navec

    return Navec.load(str(natasha_data() / "emb" / f"{name}.tar"))
