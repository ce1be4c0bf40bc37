"""robots.txt: fetched once per origin for the fetcher's life, then obeyed.

What an answer means follows RFC 9309: a 2xx body is parsed; a 4xx other than 429 means there
are no rules (allow all); a 429, a 5xx or an unreadable answer (too large, redirect loop)
means the site cannot tell us its rules, so we stay away (disallow all) until the fetcher is
made again, which for ``collect`` and ``watch`` is the next poll. A site whose robots.txt
cannot be reached at all (connection error, timeout) is left alone the same way, but its
URLs fail with that reason, which says more than "robots".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from kelisim.net.errors import FetchError
from kelisim.net.guard import Target

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
MAX_CRAWL_DELAY = 30.0
_UNREACHABLE = ("connection", "timeout")

# Downloads a robots.txt URL: (status, body), body empty unless 2xx; raises FetchError.
Download = Callable[[str], tuple[int, bytes]]


@dataclass(frozen=True)
class SiteRules:
    """What robots.txt lets us do on one origin, and why everything is refused if it is."""

    rules: RobotFileParser
    refusal: str = ""
    unreachable: FetchError | None = None


def rules_from(status: int, body: bytes) -> SiteRules:
    """The rules an answer to a robots.txt request stands for."""
    if 200 <= status < 300:
        return SiteRules(parsed(body.decode("utf-8", errors="replace").splitlines()))
    rules = RobotFileParser()
    if 400 <= status < 500 and status != 429:
        rules.allow_all = True
        return SiteRules(rules)
    rules.disallow_all = True
    return SiteRules(rules, f"robots.txt answered HTTP {status}, so the site is left alone for now")


def parsed(lines: list[str]) -> RobotFileParser:
    """The rules of robots.txt lines; a line Python's parser chokes on is left out, not fatal.

    ``urllib.robotparser`` raises ValueError on «Crawl-delay: ²» (a digit int() refuses), on
    numbers of more than 4,300 digits and on «Disallow: //[» (a malformed IPv6 host).
    """
    rules = RobotFileParser()
    try:
        rules.parse(lines)
    except ValueError:
        rules = RobotFileParser()  # start over, with only the lines that parse on their own
        rules.parse([line for line in lines if _parses(line)])
    return rules


def _parses(line: str) -> bool:
    try:
        RobotFileParser().parse(["User-agent: *", line])
    except ValueError:
        return False
    return True


def _failed(error: FetchError) -> SiteRules:
    rules = RobotFileParser()
    rules.disallow_all = True
    refusal = f"robots.txt could not be read ({error.detail}), so the site is left alone for now"
    return SiteRules(rules, refusal, error if error.reason in _UNREACHABLE else None)


class RobotsCache:
    """The robots.txt rules of each origin the fetcher has talked to."""

    def __init__(self, user_agent: str, download: Download) -> None:
        self._agent = user_agent
        self._download = download
        self._sites: dict[str, SiteRules] = {}

    def check(self, target: Target) -> None:
        """Raise FetchError unless robots.txt lets our user agent fetch the target."""
        site = self._site(target)
        if site.unreachable is not None:
            raise FetchError(target.url, site.unreachable.reason, site.refusal)
        if not site.rules.can_fetch(self._agent, target.url):
            raise FetchError(target.url, "robots", site.refusal or
                             f"robots.txt of {target.origin} disallows it for {self._agent!r}")

    def crawl_delay(self, target: Target) -> float | None:
        """The Crawl-delay the site asks of us, capped at MAX_CRAWL_DELAY seconds."""
        delay = self._site(target).rules.crawl_delay(self._agent)
        # Compared before float(): «Crawl-delay: 9999…» (400 digits) overflows a float.
        return None if delay is None else float(min(delay, MAX_CRAWL_DELAY))

    def _site(self, target: Target) -> SiteRules:
        if target.origin not in self._sites:
            self._sites[target.origin] = self._fetch(target.origin + "/robots.txt")
        return self._sites[target.origin]

    def _fetch(self, url: str) -> SiteRules:
        try:
            return rules_from(*self._download(url))
        except FetchError as error:
            return _failed(error)
