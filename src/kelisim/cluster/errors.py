"""What goes wrong with a cluster, said so that the user knows what to do."""


class ClusterError(Exception):
    """The cluster cannot be used (no Dask, a SQLite store, no scheduler, other versions), or a
    run on it was interrupted (run it again to resume)."""


class VersionMismatch(ClusterError):
    """A worker runs another Kelisim or another reader than the client."""
