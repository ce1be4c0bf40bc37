"""De-duplication: exact content hashes and MinHash near-duplicate (reprint) detection.

Pure functions and one in-memory index; no I/O. A signature is 128 uint32 MinHash values
over word shingles, stored as 512 little-endian bytes; no datasketch type leaves this module.
The choices (shingle size, threshold, verification) are measured in ``eval/dedup.py`` and
explained in ``docs/dedup.md``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_SIZE = 4
MIN_SIZE_RATIO = 0.3
LSH_BANDS = 20
SEED = 1
NUM_PERM = 128  # permutations of a stored signature
_SCHEME = "affine32"
_DTYPE = np.dtype("<u4")
_SHA1_WORDS = 5  # a SHA-1 digest is five uint32

_WORD = re.compile(r"[^\W_]+")
# Soft hyphen, zero-width spaces and joiners, BOM: invisible, but they split or glue words.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


@dataclass(frozen=True)
class Match:
    """An indexed document that a query duplicates, with the estimated similarity."""

    doc_id: int
    similarity: float


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, ё as е, without punctuation or invisible characters."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).lower().replace("ё", "е")
    return _WORD.findall(text)


def normalise_for_hash(text: str) -> str:
    """The text as its words joined by single spaces: case, quotes, dashes, spacing erased."""
    return " ".join(words(text))


def content_hash(text: str) -> str:
    """Hex SHA-256 of the normalised text: equal for exact duplicates up to formatting."""
    return _digest(normalise_for_hash(text).encode("utf-8"))


def fingerprints(text: str, compounds: list[str] | None = None) -> tuple[str, bytes]:
    """The content hash and the signature of a text, from one pass over its words.

    ``compounds``, the text's words as ``kelisim.text.terms.words`` found them (lower-case, ё as
    е, hyphenated compounds whole), spares finding them again: cut at their hyphens, they are
    this module's words of a text that NFKC and the invisible characters leave as it is.
    """
    if compounds is not None and _unchanged_by_words(text):
        # Compounds hold no space and their hyphens only join words: each hyphen is a cut.
        normalised = " ".join(compounds).replace("-", " ")
    else:
        normalised = normalise_for_hash(text)
    data = normalised.encode("utf-8")
    count = normalised.count(" ") + 1 if normalised else 0
    return _digest(data), _signature(data, count, NUM_PERM, SHINGLE_SIZE)


def _unchanged_by_words(text: str) -> bool:
    """Whether ``words`` finds the words of ``text`` as it is (no NFKC change, nothing invisible)."""
    if _INVISIBLE.search(text) is not None:
        return False
    if "…" in text and "Σ" not in text:
        # NFKC's «...» for «…» (common in news) changes no word: punctuation for punctuation.
        # Not beside a capital sigma, whose lower case depends on whether a letter follows.
        text = text.replace("…", "...")
    return unicodedata.is_normalized("NFKC", text)


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> list[bytes]:
    """Word n-grams of the given size; a text shorter than that is one shingle of all its words."""
    return _shingles(" ".join(tokens).encode("utf-8"), len(tokens), size)


def _shingles(data: bytes, count: int, size: int) -> list[bytes]:
    """``shingles`` of the ``count`` words that ``data`` holds, UTF-8 and joined by single spaces."""
    size = max(1, size)
    if count <= size:
        return [data]
    # Words hold no space, and no UTF-8 sequence holds the space byte: the spaces are the cuts.
    spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord(" "))
    starts = np.concatenate(([0], spaces + 1))[: count - size + 1].tolist()
    ends = np.append(spaces, len(data))[size - 1 :].tolist()
    return [data[start:end] for start, end in zip(starts, ends)]


def signature(text: str, num_perm: int = NUM_PERM, *, shingle_size: int = SHINGLE_SIZE) -> bytes:
    """MinHash of the text's word shingles as ``4 * num_perm`` bytes (uint32, little-endian)."""
    tokens = words(text)
    return _signature(" ".join(tokens).encode("utf-8"), len(tokens), num_perm, shingle_size)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signature(data: bytes, count: int, num_perm: int, shingle_size: int) -> bytes:
    """The MinHash of ``_shingles(data, count, shingle_size)``.

    datasketch's affine32 MinHash, computed here for all shingles at once: a shingle hashes to
    the first 4 bytes of its SHA-1 (little-endian), mixed by the MurmurHash3 finalizer, then
    permuted by a * h + b mod 2^32; a signature value is the least over the shingles.
    """
    digests = b"".join([hashlib.sha1(s).digest() for s in _shingles(data, count, shingle_size)])
    hashes = _fmix32(np.frombuffer(digests, dtype=_DTYPE)[::_SHA1_WORDS])
    a, b = _permutations(num_perm)
    return (np.multiply.outer(hashes, a) + b).min(axis=0).astype(_DTYPE).tobytes()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer of each value (uint32 arithmetic wraps, as it must)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(_values(a) == _values(b)))


class NearDuplicateIndex:
    """Signatures of canonical documents, queried for the best reprint match.

    LSH (banded MinHash) finds candidates cheaply; each is then verified by the larger of
    two estimates: the Jaccard similarity, and the share of the query contained in the
    candidate (a reprint that dropped the lead or half the text). Containment counts only
    when the query has at least ``MIN_SIZE_RATIO`` of the candidate's shingles, so a quoted
    sentence is not a reprint of its article; and only that way round, so an article that
    quotes a whole post is not a reprint of the post.
    """

    def __init__(self, threshold: float, num_perm: int = NUM_PERM, *, containment: bool = True) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.containment = containment
        self._lsh = _lsh(threshold, num_perm, containment)
        self._values: dict[int, np.ndarray] = {}
        self._sizes: dict[int, float] = {}

    def __len__(self) -> int:
        """The number of indexed documents."""
        return len(self._values)

    def __contains__(self, doc_id: object) -> bool:
        """Whether a document id is indexed."""
        return doc_id in self._values

    def add(self, doc_id: int, sig: bytes) -> None:
        """Index a canonical document's signature; an id can be added only once."""
        if doc_id in self._values:
            raise ValueError(f"document {doc_id} is already indexed")
        values = self._checked(sig).copy()  # own the values, not the caller's buffer
        self._lsh.insert(doc_id, _lean(values), check_duplication=False)
        self._values[doc_id] = values
        self._sizes[doc_id] = _cardinality(values)

    def find(self, sig: bytes) -> Match | None:
        """The best match at or above the threshold: highest score, then Jaccard, then lowest id."""
        values = self._checked(sig)
        candidates = self._lsh.query(_lean(values))
        if not candidates:
            return None
        size = _cardinality(values)
        best = max((self._score(jaccard, size, d), jaccard, -d)
                   for d, jaccard in zip(candidates, self._jaccards(values, candidates)))
        if best[0] < self.threshold:
            return None
        return Match(-best[2], best[0])

    def _jaccards(self, values: np.ndarray, doc_ids: list[int]) -> list[float]:
        """The estimated Jaccard similarity of the query to each of these documents."""
        # All candidates in one comparison: numpy's overhead per call outweighs 128 values.
        equal = np.count_nonzero(np.array([self._values[d] for d in doc_ids]) == values, axis=1)
        return (equal / len(values)).tolist()

    def _score(self, jaccard: float, size: float, doc_id: int) -> float:
        if not self.containment or jaccard == 1.0:
            return jaccard
        return max(jaccard, estimate_containment(jaccard, size, self._sizes[doc_id]))

    def _checked(self, sig: bytes) -> np.ndarray:
        values = _values(sig)
        if len(values) != self.num_perm:
            raise ValueError(f"signature of {len(values)} values, the index has {self.num_perm}")
        return values


def estimate_containment(jaccard: float, query_size: float, doc_size: float) -> float:
    """Estimated share of the query's shingles found in the document (0 outside the size window)."""
    if not MIN_SIZE_RATIO * doc_size <= query_size <= doc_size:
        return 0.0
    return min(1.0, jaccard * (query_size + doc_size) / ((1.0 + jaccard) * query_size))


def _lsh(threshold: float, num_perm: int, containment: bool) -> MinHashLSH:
    # Containment needs candidates well below the threshold (a half reprint has Jaccard ~0.45):
    # 20 bands of 2 rows, measured in docs/dedup.md; datasketch's optimum for Jaccard alone.
    if not containment:
        return MinHashLSH(threshold=threshold, num_perm=num_perm)
    return MinHashLSH(num_perm=num_perm, params=(min(LSH_BANDS, num_perm // 2), 2))


def _values(sig: bytes) -> np.ndarray:
    if len(sig) % _DTYPE.itemsize:
        raise ValueError(f"a signature is a multiple of 4 bytes, got {len(sig)}")
    return np.frombuffer(sig, dtype=_DTYPE)


def _cardinality(values: np.ndarray) -> float:
    # The k-minimum-values estimate of the set size, as datasketch's MinHash.count().
    return len(values) / float(np.sum(values / 4294967295.0)) - 1.0


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values.astype(np.uint32), scheme=_SCHEME)


_PERMUTATIONS: dict[int, np.ndarray] = {}


def _permutations(num_perm: int) -> np.ndarray:
    # datasketch draws the permutations from the seed on every MinHash(); draw them once.
    if num_perm not in _PERMUTATIONS:
        _PERMUTATIONS[num_perm] = MinHash(num_perm, SEED, scheme=_SCHEME).permutations
    return _PERMUTATIONS[num_perm]
