"""Shared fixtures; each lives in its own module and is imported here."""

import os
import tempfile

# The user's data folder (its store, a model trained there by `kelisim train`) must not change
# what the tests see: they get an empty one. Set before kelisim is imported.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="kelisim-test-data-")
os.environ.pop("KELISIM_MODELS", None)

if __package__:  # tests/ is a package
    from .pg import pg_cluster, pg_url, store_url  # noqa: F401
    from .store_fixtures import make_doc, seed_docs, store  # noqa: F401
    from .browser import browser, context, live_server, page, pytest_runtest_makereport  # noqa: F401
else:
    from pg import pg_cluster, pg_url, store_url  # noqa: F401
    from store_fixtures import make_doc, seed_docs, store  # noqa: F401
    from browser import browser, context, live_server, page, pytest_runtest_makereport  # noqa: F401
