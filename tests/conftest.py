"""Shared fixtures; each lives in its own module and is imported here."""

import atexit
import os
import shutil
import tempfile

# The user's data folder (its store, a model trained there by `kelisim train`) must not change
# what the tests see: they get an empty one, their own in each xdist worker. Set before kelisim
# is imported.
_DATA_HOME = tempfile.mkdtemp(prefix="kelisim-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
os.environ.pop("KELISIM_MODELS", None)
_OWNER = os.getpid()  # a forked child that exits normally must not remove it under the tests
atexit.register(lambda: os.getpid() == _OWNER and shutil.rmtree(_DATA_HOME, ignore_errors=True))

if __package__:  # tests/ is a package
    from .pg import pg_cluster, pg_url, store_url  # noqa: F401
    from .store_fixtures import make_doc, seed_docs, store  # noqa: F401
    from .browser import browser, context, live_server, page, pytest_runtest_makereport  # noqa: F401
    from .xdist_order import pytest_collection_modifyitems  # noqa: F401
else:
    from pg import pg_cluster, pg_url, store_url  # noqa: F401
    from store_fixtures import make_doc, seed_docs, store  # noqa: F401
    from browser import browser, context, live_server, page, pytest_runtest_makereport  # noqa: F401
    from xdist_order import pytest_collection_modifyitems  # noqa: F401
