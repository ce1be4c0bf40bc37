"""Vendor the dashboard's browser libraries from the npm registry into the package.

The dashboard never loads a script from a CDN: Leaflet (the map), uPlot (the charts) and
Swagger UI (the API's page at /docs) are pinned here by version and by the registry's sha512
integrity, fetched once by this script and committed under src/kelisim/web/static/vendor/. Run it
again only to change a version.

    python scripts/vendor_js.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "kelisim" / "web" / "static" / "vendor"

# name, version, integrity, {path in the tarball: file name in VENDOR}
PACKAGES = (
    ("leaflet", "1.9.4",
     "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
     {"package/dist/leaflet.js": "leaflet.js", "package/dist/leaflet.css": "leaflet.css",
      "package/LICENSE": "leaflet.LICENSE"}),
    ("uplot", "1.6.32",
     "sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw==",
     {"package/dist/uPlot.iife.min.js": "uPlot.iife.min.js",
      "package/dist/uPlot.min.css": "uPlot.min.css", "package/LICENSE": "uPlot.LICENSE"}),
    # Apache-2.0: its NOTICE travels with it, and the bundle's header points to the licences of
    # the libraries bundled inside it.
    ("swagger-ui-dist", "5.35.0",
     "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
     {"package/swagger-ui-bundle.js": "swagger-ui-bundle.js",
      "package/swagger-ui.css": "swagger-ui.css", "package/LICENSE": "swagger-ui.LICENSE",
      "package/NOTICE": "swagger-ui.NOTICE",
      "package/swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-bundle.js.LICENSE.txt"}),
)


def fetch(name: str, version: str, integrity: str) -> bytes:
    """The package tarball, checked against its pinned integrity."""
    url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"{name}@{version}: integrity mismatch ({digest})")
    return data


def extract(data: bytes, files: dict[str, str]) -> None:
    """Write the wanted files of a tarball into VENDOR."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, target in files.items():
            (VENDOR / target).write_bytes(archive.extractfile(member).read())


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for name, version, integrity, files in PACKAGES:
        extract(fetch(name, version, integrity), files)
        print(f"{name}@{version}: {', '.join(files.values())}")
    (VENDOR / "VERSIONS.txt").write_text(
        "".join(f"{name} {version} {integrity}\n" for name, version, integrity, _ in PACKAGES))


if __name__ == "__main__":
    main()
