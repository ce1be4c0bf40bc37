"""The web shell: the JSON API (and, later, the dashboard) over the Kelisim core library."""
