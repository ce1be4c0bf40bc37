"""Talking to the web: the polite, safe fetcher and what it returns or raises."""

from kelisim.net.decode import TooLarge, gunzip_capped
from kelisim.net.errors import REASONS, FetchError
from kelisim.net.fetch import Fetcher, Response
from kelisim.net.validators import MemoryValidatorCache, ValidatorCache

__all__ = [
    "REASONS",
    "FetchError",
    "Fetcher",
    "MemoryValidatorCache",
    "Response",
    "TooLarge",
    "ValidatorCache",
    "gunzip_capped",
]
