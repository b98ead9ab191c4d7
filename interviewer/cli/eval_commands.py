"""`interviewer calibrate` and `interviewer eval`: fit the grader on human grades and check it against them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from interviewer.errors import InputError

GROUPS = ("question_id", "meta.assignment")


def _bank_if_any(bank_path: Path | None) -> Any:
    """The bank named by --bank, else the default one when installed; ad-hoc data needs none."""
    from interviewer import paths
    from interviewer.bank import load_bank

    if bank_path is None and not paths.default_bank().is_file():
        return None
    return load_bank(bank_path)


def register(app: typer.Typer) -> None:
    """Attach `calibrate` and `eval` to the root app."""
    app.command("calibrate")(calibrate)
    app.command("eval")(evaluate)


def calibrate(
    data: list[Path] = typer.Argument(
        ..., help="Graded JSONL files (ASAG schema); bank rows tune the bank stage."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the grader JSON."),
    bank_path: Path | None = typer.Option(None, "--bank", help="Bank for rows that name a question_id."),
    model: str | None = typer.Option(None, "--model", help="Embedding model folder (default: packaged)."),
) -> None:
    """Fit the grader's combiner on human grades and write it (deterministic: same data, same file)."""
    from interviewer import evaluation
    from interviewer.embeddings import get_embedder
    from interviewer.grading.calibration import FEATURES, Calibration
    from interviewer.grading.grader import Grader
    from interviewer.grading.labelled import read_labelled

    bank = _bank_if_any(bank_path)
    # Features do not depend on the calibration; the bank stage is tuned on top of the fresh fit.
    grader = Grader(get_embedder(model), Calibration(), bank=bank)
    ad_hoc: list[tuple[Any, Any]] = []
    curated_rows: list[Any] = []
    cv: dict[str, Any] = {}
    for path in data:
        rows = read_labelled(path, bank=bank)
        plain = [row for row in rows if not row.curated]
        curated_rows.extend(row for row in rows if row.curated and row.part != "test")
        if plain:
            typer.echo(f"{path.name}: {len(plain)} rows, computing features…", err=True)
            features = grader.features_many([(row.question, row.answer) for row in plain])
            ad_hoc.append((plain, features))
            folds = evaluation.cross_validate(plain, features, group="question_id", folds=5)
            cv[path.name] = evaluation.metrics_for(plain, list(folds.predictions), folds.decisions).to_dict()
    if not ad_hoc:
        raise InputError("no ad-hoc rows (question + reference) to fit the combiner on; pass the ASAG files")
    knots, weights, intercept, threshold = evaluation.fit_base(ad_hoc)
    calibration = Calibration(
        features=FEATURES, knots=knots, weights=weights, intercept=intercept, threshold=threshold
    )
    bank_figures: dict[str, Any] = {}
    if curated_rows:
        typer.echo(f"bank stage: tuning on {len(curated_rows)} bank answers…", err=True)
        stage, bank_figures = evaluation.tune_bank_stage(
            calibration, evaluation.scorer_for(grader, curated_rows), curated_rows
        )
        calibration = replace(calibration, bank_stage=stage)
    calibration = replace(
        calibration,
        provenance={
            "command": "interviewer calibrate " + " ".join(path.name for path in data),
            "data": evaluation.dataset_provenance(data),
            "model": grader.embedder.model_id,
            "cross_validation_5_folds_by_question": cv,
            "bank_stage_fit_on": {"rows": len(curated_rows), **bank_figures},
        },
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(calibration.to_dict(), indent=2, sort_keys=False) + "\n", encoding="utf-8")
    typer.echo(f"wrote {output} (grader cal-{calibration.fingerprint})")


def evaluate(
    data: Path = typer.Argument(..., help="Graded JSONL file (ASAG schema, or bank rows with question_id)."),
    folds: int | None = typer.Option(None, "--folds", help="Folds for ad-hoc data (default: one per group)."),
    group: str = typer.Option(
        "question_id", "--group", help="Fold grouping: question_id or meta.assignment."
    ),
    output_format: str = typer.Option("table", "--format", help="table or json."),
    bank_path: Path | None = typer.Option(None, "--bank", help="Bank for rows that name a question_id."),
    model: str | None = typer.Option(None, "--model", help="Embedding model folder (default: packaged)."),
    calibration_path: Path | None = typer.Option(
        None, "--calibration", help="Grader JSON (default: shipped)."
    ),
) -> None:
    """Agreement with human grades: out-of-fold for ad-hoc data, the shipped grader for bank data."""
    from interviewer import evaluation
    from interviewer.grading import load_grader
    from interviewer.grading.labelled import read_labelled

    if group not in GROUPS:
        raise InputError(f"--group {group}: expected one of {', '.join(GROUPS)}")
    if output_format not in ("table", "json"):
        raise InputError(f"--format {output_format}: expected table or json")
    bank = _bank_if_any(bank_path)
    grader = load_grader(bank=bank, model=model, calibration=calibration_path)
    rows = read_labelled(data, bank=bank)
    curated = [row for row in rows if row.curated]
    plain = [row for row in rows if not row.curated]
    report: dict[str, Any] = {"data": data.name, "grader": grader.version}
    if plain:
        features = grader.features_many([(row.question, row.answer) for row in plain])
        result = evaluation.cross_validate(plain, features, group=group, folds=folds)
        metrics = evaluation.metrics_for(plain, list(result.predictions), result.decisions)
        report.update(metrics.to_dict())
        report["protocol"] = f"out-of-fold, {len(result.folds)} folds grouped by {group}"
        report["folds"] = result.folds
    if curated:
        scores = evaluation.scorer_for(grader, curated)(grader.calibration)
        parts: dict[str, Any] = {}
        for part in sorted({row.part for row in curated}):
            chosen = [(row, score) for row, score in zip(curated, scores, strict=True) if row.part == part]
            parts[part or "all"] = evaluation.bank_metrics(
                [r for r, _ in chosen], [s for _, s in chosen]
            ).to_dict()
        overall = evaluation.bank_metrics(curated, scores).to_dict()
        if not plain:
            report.update({k: v for k, v in overall.items() if k != "per_question_spearman"})
        report["bank"] = {"all": overall, "parts": parts}
    if output_format == "json":
        typer.echo(json.dumps(evaluation.rounded(report), indent=2))
        return
    typer.echo(render_table(report))


def render_table(report: dict[str, Any]) -> str:
    """Plain-text table of an evaluation report."""
    lines = [f"{report['data']} · {report['grader']}"]
    if "protocol" in report:
        lines.append(report["protocol"])
        lines.append(_metric_line(report))
    bank = report.get("bank")
    if bank:
        for name, figures in [("all", bank["all"]), *bank["parts"].items()]:
            if name == "all" and len(bank["parts"]) == 1:
                continue
            lines.append(f"bank answers · {name}: " + _metric_line(figures))
            lines.append(
                "  expert-high (8–10) scored ≥ 70: {high:.0%} of {nh} · expert-low (0–3) scored < 40: {low:.0%} of {nl}"
                " · mean per-question Spearman {pq:.3f}".format(
                    high=figures["high_scored_70_plus"],
                    nh=figures["expert_high"],
                    low=figures["low_scored_below_40"],
                    nl=figures["expert_low"],
                    pq=figures["per_question_spearman_mean"],
                )
            )
    return "\n".join(lines)


def _metric_line(figures: dict[str, Any]) -> str:
    parts = [
        f"rows {figures['rows']}",
        f"Pearson {figures['pearson']:.3f}",
        f"Spearman {figures['spearman']:.3f}",
    ]
    for name, label in (
        ("rmse", "RMSE"),
        ("mae_100", "MAE/100"),
        ("weighted_f1", "weighted F1"),
        ("macro_f1", "macro F1"),
    ):
        if name in figures:
            parts.append(f"{label} {figures[name]:.3f}")
    return " · ".join(parts)
