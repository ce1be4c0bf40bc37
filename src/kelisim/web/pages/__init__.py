"""The dashboard's pages: each renders what its JSON twin under /api returns."""
