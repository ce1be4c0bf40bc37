"""Kelisim on a Dask distributed cluster, with PostgreSQL as the shared store (docs/cluster.md).

The client reads the inputs, de-duplicates and writes documents in input order, as a local run
does; the workers clean the inputs and read the stored documents. Dask is the optional extra
``kelisim[cluster]`` and is imported only when a cluster is used.
"""

from kelisim.cluster.errors import ClusterError
from kelisim.cluster.options import ClusterOptions

__all__ = ["ClusterError", "ClusterOptions"]
