"""Session planning: years of experience → a band, and a band → an ordered list of questions.

Pure functions over a `Bank`: no I/O, and the same arguments with the same seed give the same plan.
A plan has one or two warm-ups from the band below the candidate's, a core from their band and one stretch
question from the band above (when there is one), sorted by non-decreasing difficulty.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.bank import LEVELS, Bank, Question
from interviewer.errors import InputError

# The seed's bands; a bank whose level has no questions falls back on these.
DEFAULT_BAND_YEARS = {"basic": (0.0, 1.0), "intermediate": (1.0, 3.0), "advanced": (3.0, 6.0)}
YEARS_FORMS = "a number (0, 2, 2.5), a range (1-3, 3-6) or an open range (7+)"
_NUMBER = r"\d+(?:\.\d+)?"
_YEARS_PATTERN = re.compile(rf"^\s*(?P<low>{_NUMBER})\s*(?:(?P<plus>\+)|[-–]\s*(?P<high>{_NUMBER}))?\s*$")
DEFAULT_COUNT = 8


@dataclass(frozen=True)
class Years:
    """Years of experience as given: `low`–`high` (equal for one number; `high` is inf for `7+`)."""

    low: float
    high: float
    text: str

    @property
    def typical(self) -> float:
        """The one figure that places the candidate in a band: the middle of the range (low for `N+`)."""
        return self.low if math.isinf(self.high) else (self.low + self.high) / 2


def parse_years(value: str | float | Years) -> Years:
    """`0`, `2`, `2.5`, `1-3`, `7+` (str or number) as Years; InputError naming the accepted forms."""
    if isinstance(value, Years):
        return value
    text = f"{value:g}" if isinstance(value, int | float) else str(value)
    match = _YEARS_PATTERN.match(text)
    if match is None:
        raise InputError(f"--years {text!r} is not understood; give {YEARS_FORMS}")
    low = float(match["low"])
    if match["plus"]:
        return Years(low, math.inf, text.strip())
    high = float(match["high"]) if match["high"] is not None else low
    if high < low:
        raise InputError(f"--years {text!r}: the range runs backwards; write it low-high, e.g. 1-3")
    return Years(low, high, text.strip())


def band_years(bank: Bank) -> dict[str, tuple[float, float]]:
    """Each level's span of years in this bank (min low, max high), or the seed's span when it has none."""
    spans = dict(DEFAULT_BAND_YEARS)
    for level in LEVELS:
        years = [question.years for question in bank.questions if question.level == level]
        if years:
            spans[level] = (min(low for low, _ in years), max(high for _, high in years))
    return spans


def band_for(bank: Bank, years: str | float | Years) -> str:
    """The level whose band holds the candidate's typical years (bands are half-open; 6+ is advanced)."""
    typical = parse_years(years).typical
    band = LEVELS[0]
    for level, (low, _) in band_years(bank).items():
        if typical >= low:
            band = level
    return band


def plan_session(
    bank: Bank,
    *,
    years: str | float | Years,
    count: int = DEFAULT_COUNT,
    topic: str | None = None,
    level: str | None = None,
    seed: int | None = None,
) -> list[Question]:
    """Up to `count` questions for a candidate with `years`, easiest first; InputError if none fit."""
    if count < 1:
        raise InputError(f"--count {count}: ask for at least one question")
    band = level if level is not None else band_for(bank, years)
    eligible = bank.select(topic=topic, level=level)
    if not eligible:
        raise InputError(_nothing_fits(bank, topic, level))
    by_level = {name: [q for q in eligible if q.level == name] for name in LEVELS}
    rng = random.Random(seed)
    band_index = LEVELS.index(band)
    below = by_level[LEVELS[band_index - 1]] if band_index > 0 else []
    above = by_level[LEVELS[band_index + 1]] if band_index + 1 < len(LEVELS) else []

    n_stretch = 1 if above and count >= 3 else 0
    n_warm_up = min(len(below), _warm_up_count(count - n_stretch))
    n_core = count - n_stretch - n_warm_up
    chosen = (
        _sample(rng, below, n_warm_up) + _sample(rng, by_level[band], n_core) + _sample(rng, above, n_stretch)
    )
    # A thin band is topped up so `count` holds while the bank allows: nearest levels first, easier first.
    shortfall = count - len(chosen)
    for neighbour in _neighbours(band_index):
        if shortfall <= 0:
            break
        spare = [q for q in by_level[LEVELS[neighbour]] if q not in chosen]
        extra = _sample(rng, spare, shortfall)
        chosen += extra
        shortfall -= len(extra)
    position = {question.id: index for index, question in enumerate(bank.questions)}
    return sorted(chosen, key=lambda q: (q.difficulty, position[q.id]))


def role_of(question: Question, band: str) -> str:
    """`warm-up`, `core` or `stretch`: where a planned question sits relative to the candidate's band."""
    offset = LEVELS.index(question.level) - LEVELS.index(band)
    return "core" if offset == 0 else "warm-up" if offset < 0 else "stretch"


def _warm_up_count(questions_left: int) -> int:
    # Two warm-ups settle nerves in a full session; a short one can only afford one.
    if questions_left >= 6:
        return 2
    return 1 if questions_left >= 2 else 0


def _sample(rng: random.Random, questions: Sequence[Question], n: int) -> list[Question]:
    return rng.sample(list(questions), min(n, len(questions))) if n > 0 else []


def _neighbours(band_index: int) -> list[int]:
    """Other level indexes by distance from the band, the easier one first at equal distance."""
    others = [index for index in range(len(LEVELS)) if index != band_index]
    return sorted(others, key=lambda index: (abs(index - band_index), index))


def _nothing_fits(bank: Bank, topic: str | None, level: str | None) -> str:
    asked = " and ".join(
        part for part in (f"topic {topic!r}" if topic else "", f"level {level!r}" if level else "") if part
    )
    if not asked:
        return f"{bank.path or bank.name}: the bank has no questions"
    return f"no question matches {asked}; topics in this bank: {', '.join(bank.topics())}"
