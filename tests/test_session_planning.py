"""The session planner: years → band, and band → questions easy to hard (pure, no model)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.bank import LEVELS, Bank, Concept, Question, load_bank
from interviewer.errors import InputError
from interviewer.planning import band_for, parse_years, plan_session, role_of

SESSION_BANK = Path(__file__).parent / "fixtures" / "session-bank.yaml"
LEVEL_YEARS = {"basic": (0.0, 1.0), "intermediate": (1.0, 3.0), "advanced": (3.0, 6.0)}
LEVEL_DIFFICULTY = {"basic": (1.0, 4.0), "intermediate": (4.0, 7.0), "advanced": (7.0, 10.0)}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(SESSION_BANK)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("0", 0, 0),
        ("2", 2, 2),
        ("2.5", 2.5, 2.5),
        ("1-3", 1, 3),
        ("3-6", 3, 6),
        ("7+", 7, math.inf),
        (" 1 – 3 ", 1, 3),
    ],
)
def test_parse_years_accepts_the_documented_forms(text: str, low: float, high: float) -> None:
    years = parse_years(text)
    assert (years.low, years.high) == (low, high)


@pytest.mark.parametrize("text", ["", "abc", "-1", "3-1", "1-", "+7", "two", "1..3", "1-3-5"])
def test_parse_years_rejects_anything_else_naming_the_accepted_forms(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_years(text)
    assert "--years" in str(caught.value)
    assert "1-3" in str(caught.value)


@pytest.mark.parametrize(
    ("years", "band"),
    [("0", "basic"), ("0-1", "basic"), ("1", "intermediate"), ("2", "intermediate"), ("1-3", "intermediate"),
     ("2.5", "intermediate"), ("3-6", "advanced"), ("6", "advanced"), ("7+", "advanced")],
)  # fmt: skip
def test_years_map_onto_the_bank_bands(bank: Bank, years: str, band: str) -> None:
    assert band_for(bank, years) == band


def test_intermediate_plan_has_warm_ups_core_and_one_stretch(bank: Bank) -> None:
    plan = plan_session(bank, years="1-3", count=8, seed=1)
    roles = [role_of(question, "intermediate") for question in plan]
    assert len(plan) == 8
    assert roles == ["warm-up", "warm-up", *["core"] * 5, "stretch"]
    assert [q.difficulty for q in plan] == sorted(q.difficulty for q in plan)


def test_experienced_candidates_get_no_stretch_beyond_the_top_band(bank: Bank) -> None:
    plan = plan_session(bank, years="7+", count=5, seed=3)
    assert {q.level for q in plan} <= {"intermediate", "advanced"}
    assert sum(q.level == "advanced" for q in plan) == 3  # every advanced question the bank has


def test_same_seed_gives_the_same_session(bank: Bank) -> None:
    first = plan_session(bank, years="1-3", count=4, seed=42)
    assert [q.id for q in first] == [q.id for q in plan_session(bank, years="1-3", count=4, seed=42)]


def test_without_a_seed_equal_choices_vary_between_sessions(bank: Bank) -> None:
    plans = {tuple(q.id for q in plan_session(bank, years="1-3", count=4)) for _ in range(40)}
    assert len(plans) > 1


def test_topic_and_level_filter_the_plan(bank: Bank) -> None:
    by_topic = plan_session(bank, years="1-3", topic="Regularization", seed=1)
    assert {q.topic for q in by_topic} == {"regularization"}
    assert [q.id for q in by_topic] == ["s-04", "s-05", "s-09"]  # all the bank has, easy to hard
    by_level = plan_session(bank, years="0", level="advanced", seed=1)
    assert {q.level for q in by_level} == {"advanced"}


def test_a_filter_that_matches_nothing_says_what_exists(bank: Bank) -> None:
    with pytest.raises(InputError, match=r"topics in this bank: .*regularization"):
        plan_session(bank, years="2", topic="quantum")
    with pytest.raises(InputError, match="unknown level"):
        plan_session(bank, years="2", level="expert")
    with pytest.raises(InputError, match="--count"):
        plan_session(bank, years="2", count=0)


# ----- properties over generated banks ---------------------------------------------------------------


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    levels = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=25))
    questions = []
    for index, level in enumerate(levels):
        low, high = LEVEL_DIFFICULTY[level]
        questions.append(
            Question(
                id=f"q-{index:02d}",
                level=level,
                years=LEVEL_YEARS[level],
                difficulty=draw(st.floats(low, high, allow_nan=False).map(lambda x: round(x, 1))),
                topic=draw(st.sampled_from(["a", "b"])),
                question=f"Question {index}?",
                reference=f"Reference {index}.",
                concepts=(Concept(f"concept {index}", ()),),
            )
        )
    return Bank("generated", "Generated", 1, tuple(questions))


years_texts = st.sampled_from(["0", "0.5", "1", "2", "2.5", "1-3", "3", "3-6", "5", "7+", "10"])


@settings(max_examples=150, deadline=None)
@given(bank=banks(), years=years_texts, count=st.integers(1, 12), seed=st.integers(0, 2**32))
def test_plans_are_in_non_decreasing_difficulty_and_respect_count(
    bank: Bank, years: str, count: int, seed: int
) -> None:
    plan = plan_session(bank, years=years, count=count, seed=seed)
    difficulties = [q.difficulty for q in plan]
    assert difficulties == sorted(difficulties)
    assert len(plan) == min(count, len(bank.questions))
    assert len({q.id for q in plan}) == len(plan)


@settings(max_examples=150, deadline=None)
@given(bank=banks(), years=years_texts, count=st.integers(3, 12), seed=st.integers(0, 2**32))
def test_the_core_comes_from_the_candidates_band(bank: Bank, years: str, count: int, seed: int) -> None:
    band = band_for(bank, years)
    in_band = [q for q in bank.questions if q.level == band]
    plan = plan_session(bank, years=years, count=count, seed=seed)
    roles = [role_of(q, band) for q in plan]
    # All but at most two warm-ups and one stretch are core, as long as the band has enough questions.
    assert roles.count("core") >= min(len(in_band), count - 3)
    if len(in_band) >= count:
        assert roles.count("stretch") <= 1
        assert roles.count("warm-up") <= 2
    assert plan == plan_session(bank, years=years, count=count, seed=seed)
