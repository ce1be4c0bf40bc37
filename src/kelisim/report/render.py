"""The report as HTML (one self-contained file: styles, chart and map inline) and as PDF
(WeasyPrint, A4, page numbers). Nothing is fetched: the PDF's URL fetcher allows data: only.

Fonts: the styles ask for DejaVu Sans, then Noto Sans, PT Sans, Liberation Sans and Arial —
all carry Cyrillic and Kazakh letters (ә ғ қ ң ө ұ ү һ і); Debian ships DejaVu
(fonts-dejavu-core).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kelisim.report.chart import trend_svg
from kelisim.report.maps import legend_html, map_svg
from kelisim.report.model import Report
from kelisim.report.texts import Texts

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
REFS_SHOWN = 8  # document links after a claim; the rest are counted
FORMATS = ("html", "pdf", "json")


def html(report: Report, base_url: str | None = DEFAULT_BASE_URL) -> str:
    """The report as one HTML page; document links point at the dashboard at ``base_url``."""
    texts = Texts(report.lang)
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report, t=texts, base=(base_url or DEFAULT_BASE_URL).rstrip("/"),
        docs={d.id: d for d in report.documents}, refs_shown=REFS_SHOWN,
        css=Markup(_css()), chart=Markup(trend_svg(report.trend, texts)),
        map=Markup(map_svg(report.map, texts)), legend=Markup(legend_html(texts)))


def pdf(report: Report, base_url: str | None = DEFAULT_BASE_URL) -> bytes:
    """The report as a PDF (A4), from the same HTML."""
    from weasyprint import HTML  # loaded only to print: it takes a second to import
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html(report, base_url), url_fetcher=fetcher).write_pdf()


def render(report: Report, fmt: str, base_url: str | None = DEFAULT_BASE_URL) -> bytes:
    """The report in ``fmt`` (html, pdf, or json: its JSON twin) as bytes to write."""
    if fmt == "json":
        return report.model_dump_json(indent=2).encode("utf-8")
    if fmt == "html":
        return html(report, base_url).encode("utf-8")
    if fmt == "pdf":
        return pdf(report, base_url)
    raise ValueError(f"a report's format is one of {', '.join(FORMATS)}, not {fmt!r}")


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("kelisim.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["css_string"] = css_string
    env.filters["web_url"] = web_url
    return env


def web_url(url: str | None) -> str:
    """The URL if it is a web address, else "" (a feed's ``javascript:`` link is no link)."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else ""


def css_string(text: str) -> Markup:
    """Text to stand inside a double-quoted CSS string in a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup(escaped.replace("<", "\\3c "))


@cache
def _css() -> str:
    return resources.files("kelisim.report").joinpath("templates", "report.css").read_text("utf-8")
