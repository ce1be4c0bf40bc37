"""The errors the store raises: one base class, so callers can catch them all."""

from __future__ import annotations


class StoreError(Exception):
    """Anything the store refuses to do, with a message for people."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer Kelisim than this one."""


class DuplicateSourceError(StoreError):
    """A source with this name already exists."""


class UnknownSourceError(StoreError):
    """No source has this name or id."""


class DuplicateOriginError(StoreError):
    """A document or reprint with this origin is already stored."""


class DuplicateContentError(StoreError):
    """A canonical document with this content hash is already stored."""


class UnknownDocumentError(StoreError):
    """No canonical document has this id."""


class InvalidValueError(StoreError, ValueError):
    """A value outside what the schema allows (a source kind, a reprint kind, a similarity)."""


class StoreOutageError(StoreError):
    """The database cannot be used for now (locked, unreachable, out of disk space).

    The transaction that met it was not committed; the same command may succeed later.
    """


class StoreLockedError(StoreOutageError):
    """Another process held the database's write lock for longer than the busy timeout."""


class StoreUnavailableError(StoreOutageError):
    """The database server cannot be reached, or the connection to it was lost."""


class StoreDiskError(StoreOutageError):
    """The database could not write to its disk."""


class StoreFullError(StoreDiskError):
    """The database's disk (or its file size limit) is full."""
