""" "Did you mean" hints for broken references, exactly as the row engine gives them,
over millions of keys.

The row engine's :func:`aifacts.validation.rules.base.nearest` asks difflib for the three keys most
like the broken value (ratio at least 0.6). Computing difflib's ratio for a million
keys takes Python seconds per reference, so here two upper bounds of the ratio,
computed for many keys at once, rule out the keys that cannot be hints:

* the *quick ratio* (characters shared, whatever their order), for every key: keys
  are tried from the highest quick ratio down, and the search stops once it falls
  below the third-best ratio found;
* the *longest common subsequence*: the characters difflib matches keep their order
  in both strings, so twice their number over the total length bounds the ratio;
  it is computed in numpy for a block of keys at a time, and a key whose bound is
  below the third-best ratio so far is skipped.

Only keys whose ratio reaches the third best are offered to ``nearest``, so the
hints are the row engine's, for a few ratios computed again.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Candidates", "Keys"]

#: Keys tried at a time (their subsequence bounds are computed together).
_BLOCK = 4096
#: The subsequence bound is skipped above this many character pairs per key (slow).
_MAX_PAIRS = 4096
#: Marks the end of a shorter key in the block's character matrix (not a character).
_PAD = np.uint32(0xFFFFFFFF)


class Keys:
    """The distinct keys of one reference's target: each character's count per key is
    computed once, and each broken value's hints once."""

    def __init__(self, keys: pa.Array) -> None:
        # distinct, as the row engine's keys are: a key may be both kept and failed
        self.keys = pc.unique(keys)
        self.lengths = pc.utf8_length(self.keys).to_numpy(zero_copy_only=False)
        self._counts: dict[str, Any] = {}
        self._offered: dict[str, Candidates] = {}

    def count(self, char: str, at_most: int) -> Any:
        """How often ``char`` occurs in each key, up to ``at_most`` (numpy)."""
        if at_most > 255:  # beyond what the kept counts hold
            found = pc.count_substring(self.keys, char).to_numpy(zero_copy_only=False)
            return np.minimum(found, at_most)
        if char not in self._counts:
            found = pc.count_substring(self.keys, char).to_numpy(zero_copy_only=False)
            self._counts[char] = np.minimum(found, 255).astype(np.uint8)
        return np.minimum(self._counts[char], at_most)

    def candidates(self, wanted: str) -> Candidates:
        """The keys ``wanted`` may be a typo of (see :class:`Candidates`)."""
        if wanted not in self._offered:
            self._offered[wanted] = Candidates(wanted, self)
        return self._offered[wanted]


class Candidates(Mapping[str, int]):
    """The keys that may be among ``wanted``'s ``n`` hints: a mapping for
    :func:`aifacts.validation.rules.base.nearest` (only iterated: a broken value is no key)."""

    def __init__(self, wanted: str, keys: Keys, n: int = 3, cutoff: float = 0.6) -> None:
        shared, total = _shared(wanted, keys)
        quick = np.where(total > 0, 2.0 * shared / np.maximum(total, 1), 1.0)
        order = _by_quick_ratio(shared, total, quick, cutoff)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(wanted)
        best: list[float] = []  # the n best ratios so far, best first
        ratios: list[tuple[float, str]] = []
        for start in range(0, len(order), _BLOCK):
            block = order[start : start + _BLOCK]
            texts = keys.keys.take(pa.array(block)).to_pylist()
            bounds = _subsequence_bounds(wanted, texts, keys.lengths[block])
            for index, text, bound in zip(block.tolist(), texts, bounds.tolist(), strict=True):
                floor = best[n - 1] if len(best) >= n else 0.0
                if quick[index] < floor:
                    break  # no key left can reach the n best
                if bound < max(floor, cutoff):
                    continue  # this one cannot: not a hint, nor among the n best
                matcher.set_seq1(text)
                ratios.append((matcher.ratio(), text))
                best = sorted([*best, ratios[-1][0]], reverse=True)[:n]
            else:
                continue
            break
        floor = best[n - 1] if len(best) >= n and best[n - 1] >= cutoff else cutoff
        self._choices = [text for ratio, text in ratios if ratio >= floor]

    def __contains__(self, key: object) -> bool:
        return False  # only broken references are looked up

    def __getitem__(self, key: str) -> int:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)


def _shared(wanted: str, keys: Keys) -> tuple[Any, Any]:
    """Characters each key shares with ``wanted`` (as multisets), and their total
    length: difflib's quick ratio is twice the first over the second."""
    shared = np.zeros(len(keys.keys), dtype=np.int64)
    for char in set(wanted):
        shared += keys.count(char, wanted.count(char))
    return shared, keys.lengths.astype(np.int64) + len(wanted)


def _by_quick_ratio(shared: Any, total: Any, quick: Any, cutoff: float) -> Any:
    """The keys at or above ``cutoff``, highest quick ratio first (ties in key order).

    Quick ratios take few distinct values, one per (shared, total) pair: each key is
    sorted by its pair's rank, a small integer that numpy sorts by radix.
    """
    order = np.flatnonzero(quick >= cutoff)
    if not len(order):
        return order
    width = int(total[order].max()) + 1
    if (int(shared[order].max()) + 1) * width > 1 << 22:  # huge keys: sort the ratios
        return order[np.argsort(-quick[order], kind="stable")]
    code = shared[order] * width + total[order]
    pairs = np.flatnonzero(np.bincount(code))
    values = np.where(pairs % width > 0, 2.0 * (pairs // width) / np.maximum(pairs % width, 1), 1.0)
    _, ranks = np.unique(-values, return_inverse=True)  # equal ratios share a rank
    rank_of = np.zeros(pairs[-1] + 1, dtype=np.int16 if len(pairs) < 1 << 15 else np.int32)
    rank_of[pairs] = ranks
    return order[np.argsort(rank_of[code], kind="stable")]


def _subsequence_bounds(wanted: str, texts: list[str], lengths: Any) -> Any:
    """For each key of ``texts``, twice its longest common subsequence with ``wanted``
    over their total length (1.0 when both are empty, as difflib says): an upper
    bound of difflib's ratio; 2.0 (no bound) for keys too long to be worth it."""
    width = int(lengths.max()) if len(texts) else 0
    if width * len(wanted) > _MAX_PAIRS:
        return np.full(len(texts), 2.0)
    goal = np.frombuffer(wanted.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # row[i]: the longest common subsequence of the key so far and wanted[:i]
    row = [np.zeros(len(texts), dtype=np.int32) for _ in range(len(goal) + 1)]
    if width and len(goal):
        padded = "".join(text.ljust(width, "\0") for text in texts)
        raw = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        chars = np.where(np.arange(width) < lengths[:, None], raw.reshape(-1, width), _PAD)
        for column in np.asfortranarray(chars).T:
            diagonal = row[0]
            for i, char in enumerate(goal, start=1):
                above = row[i]
                row[i] = np.where(column == char, diagonal + 1, np.maximum(above, row[i - 1]))
                diagonal = above
    total = lengths + len(goal)
    return np.where(total > 0, 2.0 * row[-1] / np.maximum(total, 1), 1.0)
