"""Storage: the only place in Kelisim with SQL.

SQLite (embedded, the default) or PostgreSQL by URL, with the same behaviour; the schema is
migrated by Alembic on open. Everything returned is a frozen view record (``views``).
See docs/storage.md.
"""

from kelisim.store.api import HttpValidators, Store
from kelisim.store.documents import Writer
from kelisim.store.errors import (
    DuplicateContentError,
    DuplicateOriginError,
    DuplicateSourceError,
    InvalidValueError,
    SchemaTooNewError,
    StoreError,
    UnknownDocumentError,
    UnknownSourceError,
)
from kelisim.store.views import (
    DocumentView,
    GroupCount,
    ReadingStats,
    RegionCount,
    UnreadDocument,
    ReprintView,
    RunView,
    SearchHit,
    SearchPage,
    SourceView,
    StoreStats,
)

__all__ = [
    "DocumentView",
    "GroupCount",
    "ReadingStats",
    "RegionCount",
    "UnreadDocument",
    "DuplicateContentError",
    "DuplicateOriginError",
    "DuplicateSourceError",
    "HttpValidators",
    "InvalidValueError",
    "ReprintView",
    "RunView",
    "SchemaTooNewError",
    "SearchHit",
    "SearchPage",
    "SourceView",
    "Store",
    "StoreError",
    "StoreStats",
    "UnknownDocumentError",
    "UnknownSourceError",
    "Writer",
]
