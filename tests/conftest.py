"""Shared fixtures; each lives in its own module and is imported here."""

import os
import tempfile

# A model trained on this machine by `kelisim train` must not change what the tests see.
os.environ["KELISIM_MODELS"] = tempfile.mkdtemp(prefix="kelisim-test-models-")

if __package__:  # tests/ is a package
    from .pg import pg_cluster, pg_url, store_url  # noqa: F401
    from .store_fixtures import make_doc, seed_docs, store  # noqa: F401
else:
    from pg import pg_cluster, pg_url, store_url  # noqa: F401
    from store_fixtures import make_doc, seed_docs, store  # noqa: F401
