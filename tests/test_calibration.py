"""The combiner: deterministic, monotone fitting; a strict JSON format; calibrate and eval commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.errors import ModelError
from interviewer.evaluation import (
    f1_scores,
    fit_ramps,
    fold_groups,
    pearson,
    soft_share_above,
    soft_share_below,
    spearman,
)
from interviewer.grading.calibration import (
    FEATURES,
    SIGNED_FEATURES,
    Calibration,
    choose_knots,
    expand,
    fit_logistic,
    load_calibration,
    predict_base,
)

FIXTURE = Path(__file__).parent / "fixtures" / "graded-small.jsonl"


def synthetic(rows: int = 300) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(7)
    matrix = generator.random((rows, len(FEATURES)))
    # The target rises with the first features and falls with question_share (the last one).
    targets = np.clip(0.6 * matrix[:, 0] + 0.4 * matrix[:, 3] - 0.3 * matrix[:, -1] + 0.1, 0, 1)
    return matrix, targets


def test_fit_is_deterministic_and_monotone() -> None:
    matrix, targets = synthetic()
    first = fit_logistic(matrix, targets, np.ones(len(targets)))
    second = fit_logistic(matrix, targets, np.ones(len(targets)))
    assert first == second
    weights, _ = first
    for name, weight in zip(FEATURES, weights, strict=True):
        if name not in SIGNED_FEATURES:
            assert weight >= 0.0
    assert weights[0] > 0.5 and weights[-1] < 0


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(min_value=-0.5, max_value=1.5), min_size=len(FEATURES), max_size=len(FEATURES)),
    feature=st.sampled_from([name for name in FEATURES if name not in SIGNED_FEATURES]),
    step=st.floats(min_value=0.0, max_value=1.0),
)
def test_a_fitted_ramp_model_is_monotone_in_every_evidence_feature(
    values: list[float], feature: str, step: float
) -> None:
    matrix, targets = synthetic()
    knots, weights, intercept = fit_ramps(matrix, targets, np.ones(len(targets)))
    calibration = Calibration(knots=knots, weights=weights, intercept=intercept)
    point = dict(zip(FEATURES, values, strict=True))
    assert calibration.base({**point, feature: point[feature] + step}) >= calibration.base(point) - 1e-12
    for against in SIGNED_FEATURES:
        assert calibration.base({**point, against: point[against] + step}) <= calibration.base(point) + 1e-12
    parts = calibration.contributions(point)
    assert sum(parts.values()) == pytest.approx(calibration.logit(point))
    # Grading computes the ramps in plain floats, fitting through `expand`: the two must agree.
    row = np.asarray([[point[name] for name in FEATURES]])
    assert predict_base(expand(row, knots), weights, intercept)[0] == pytest.approx(calibration.base(point))


def test_ramps_rise_from_zero_to_one_between_neighbouring_knots() -> None:
    knots = choose_knots(np.asarray([[0.0], [0.25], [0.5], [0.75], [1.0]]), ramps=2)
    assert knots == ((0.0, 0.5, 1.0),)
    ramps = expand(np.asarray([[-1.0], [0.25], [0.75], [2.0]]), knots)
    assert ramps.tolist() == [[0.0, 0.0], [0.5, 0.0], [1.0, 0.5], [1.0, 1.0]]
    assert choose_knots(np.asarray([[3.0], [3.0]]))[0] == (3.0, 4.0), "a constant column still gets a ramp"


def test_more_evidence_never_lowers_the_base_score() -> None:
    calibration = load_calibration()
    values = dict.fromkeys(calibration.features, 0.4)
    base = calibration.base(values)
    for name in calibration.features:
        if name in SIGNED_FEATURES:
            continue
        assert calibration.base({**values, name: 0.9}) >= base


def test_shipped_calibration_round_trips(tmp_path: Path) -> None:
    shipped = load_calibration()
    path = tmp_path / "grader.json"
    path.write_text(json.dumps(shipped.to_dict()))
    assert load_calibration(path) == shipped
    assert shipped.provenance["data"], "the shipped file records its training data"


def test_a_broken_calibration_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "grader.json"
    path.write_text('{"features": ["cosine", "mystery"], "weights": [1, 2], "intercept": 0}')
    with pytest.raises(ModelError, match="mystery"):
        load_calibration(path)
    assert load_calibration(tmp_path / "absent.json") == Calibration()


def test_metric_helpers() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [1, 10, 100]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0
    assert f1_scores([True, False, True, False], [True, False, True, False]) == (1.0, 1.0)
    assert fold_groups(["a", "b", "c", "d"], 2) == [{"a", "c"}, {"b", "d"}]


def test_soft_band_shares_reward_margin_not_just_the_side_of_the_line() -> None:
    from types import SimpleNamespace

    rows: Any = [SimpleNamespace(target=0.2), SimpleNamespace(target=0.9)]
    # The weak answer (2/10) at 20 counts more as "below 40" than at 39; the strong one is ignored.
    far = soft_share_below(rows, [20.0, 10.0], expert_max=3, score_max=40)
    near = soft_share_below(rows, [39.0, 10.0], expert_max=3, score_max=40)
    assert 0.5 < near < far < 1.0
    assert soft_share_above(rows, [0.0, 90.0], expert_min=8, score_min=70) > 0.95
    assert soft_share_above(rows[:1], [90.0], expert_min=8, score_min=70) == 0.0


@pytest.mark.slow
def test_calibrate_is_deterministic_and_eval_reports_the_contract_fields(
    tmp_path: Path, grader: object
) -> None:
    runner = CliRunner()
    outputs = []
    for name in ("one.json", "two.json"):
        result = runner.invoke(app, ["calibrate", str(FIXTURE), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    fitted = json.loads(outputs[0])
    assert fitted["features"] == list(FEATURES)
    assert fitted["provenance"]["data"][0]["sha256"]

    result = runner.invoke(app, ["eval", str(FIXTURE), "--folds", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for key in ("pearson", "spearman", "rmse", "weighted_f1", "macro_f1", "folds"):
        assert key in report
    assert report["pearson"] > 0.5, "answers in the fixture are clearly separable"

    result = runner.invoke(app, ["eval", str(FIXTURE), "--group", "nonsense"])
    assert result.exit_code == 2
    assert "--group" in result.output
