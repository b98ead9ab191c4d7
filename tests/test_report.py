"""Reports from fixed graded rows (no model): golden Markdown and JSON, ranking, escaping, the CLI.

Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_report.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.bank import load_bank
from interviewer.batch_io import read_graded_jsonl
from interviewer.cli import app
from interviewer.report import (
    REPORT_VERSION,
    build_report,
    chart_bars,
    file_stem,
    group_by_candidate,
    to_html,
    to_json,
    to_markdown,
)

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
GRADED = GOLDEN / "graded-rows.jsonl"
SMALL_BANK = HERE / "fixtures" / "small-bank.yaml"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: rerun with UPDATE_GOLDEN=1 and review"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return read_graded_jsonl(GRADED)


def test_markdown_report_matches_golden(rows: list[dict[str, object]]) -> None:
    check_golden("report.md", to_markdown(build_report(rows, load_bank(SMALL_BANK))))


def test_json_report_matches_golden_and_has_a_version(rows: list[dict[str, object]]) -> None:
    text = to_json(build_report(rows, load_bank(SMALL_BANK)))
    check_golden("report.json", text)
    assert json.loads(text)["version"] == REPORT_VERSION == 1


def test_report_is_enriched_from_the_bank_and_from_carried_columns(rows: list[dict[str, object]]) -> None:
    report = build_report(rows, load_bank(SMALL_BANK))
    epoch, _, contradiction, ad_hoc, _ = report.items
    assert epoch.question == "What is an epoch in Deep Learning training?"
    assert epoch.topic == "foundations" and epoch.reference.startswith("An epoch is one complete pass")
    assert ad_hoc.question == "What does a learning rate control?" and ad_hoc.topic == "optimization"
    assert contradiction.wrong_claims[0].said == "An epoch is one weight update"
    assert [u.id for u in report.ungraded] == ["5"]
    assert report.overall == round((86.0 + 12.0 + 30.5 + 64.2 + 55.0) / 5, 1)
    assert {t.topic: t.answers for t in report.topics} == {
        "foundations": 2,
        "optimization": 1,
        "regularization": 2,
    }


def test_study_first_ranks_missed_concepts_by_weight_and_frequency(rows: list[dict[str, object]]) -> None:
    report = build_report(rows, load_bank(SMALL_BANK))
    # "randomly drops…" (weight 3) missed twice outweighs "one full pass…" (weight 3, once).
    assert [c.concept for c in report.study_first] == [
        "randomly drops neurons during training",
        "one full pass over the training data",
        "many epochs are needed",
    ]
    assert report.study_first[0].times_missed == 2 and report.study_first[0].weight == 6.0


def test_without_a_bank_ad_hoc_rows_still_report(rows: list[dict[str, object]]) -> None:
    report = build_report(rows, None)
    assert report.items[3].question == "What does a learning rate control?"
    assert report.items[0].question == "" and report.items[0].topic == "ad hoc"
    assert "(not given)" in to_markdown(report)


def test_html_escapes_answers_and_loads_nothing(rows: list[dict[str, object]]) -> None:
    page = to_html(build_report(rows, load_bank(SMALL_BANK)))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page
    assert page.count('class="bar-') == 3  # one bar per topic
    assert "Ann O&#39;Neil" not in page  # single report over all candidates: no candidate in the title


def test_markdown_escapes_html_in_answers(rows: list[dict[str, object]]) -> None:
    text = to_markdown(build_report(rows, load_bank(SMALL_BANK)))
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "dropout \\| overfitting" in text


def test_chart_bars_scale_with_the_score() -> None:
    report = build_report(
        [{"id": "1", "score": 50.0, "topic": "a"}, {"id": "2", "score": 100.0, "topic": "b"}], None
    )
    half, full = chart_bars(report.topics)
    assert full.width == 2 * half.width and (half.band, full.band) == ("partial", "excellent")


def test_candidates_are_grouped_in_first_seen_order_with_safe_unique_file_names(
    rows: list[dict[str, object]],
) -> None:
    assert list(group_by_candidate(rows)) == ["Ann O'Neil", "bob"]
    taken = {"index"}
    assert [file_stem(name, taken) for name in ["Ann O'Neil", "ann o neil", "../etc", "index", "!!"]] == [
        "ann-o-neil",
        "ann-o-neil-2",
        "etc",
        "index-2",
        "candidate",
    ]


def test_report_command_by_candidate_writes_one_file_each_and_an_index(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    args = ["report", str(GRADED), "--by", "candidate", "--format", "json", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--bank", str(SMALL_BANK)])
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["ann-o-neil.json", "bob.json", "index.json"]
    index = json.loads((out / "index.json").read_text())
    assert index["version"] == 1
    assert [(e["candidate"], e["file"], e["answers"]) for e in index["reports"]] == [
        ("Ann O'Neil", "ann-o-neil.json", 2),
        ("bob", "bob.json", 3),
    ]
    bob = json.loads((out / "bob.json").read_text())
    assert bob["candidate"] == "bob" and bob["title"] == "Interview report — bob"
    assert [u["id"] for u in bob["ungraded"]] == ["5"]


def test_report_command_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(GRADED), "-o", str(out), "--bank", str(SMALL_BANK)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_report_command_markdown_to_stdout() -> None:
    result = CliRunner().invoke(app, ["report", str(GRADED), "--bank", str(SMALL_BANK)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Interview report")


def test_report_command_by_candidate_needs_a_directory() -> None:
    result = CliRunner().invoke(app, ["report", str(GRADED), "--by", "candidate"])
    assert result.exit_code == 2
    assert "-o DIR" in result.stderr


def test_report_command_on_a_bad_jsonl_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "graded.jsonl"
    path.write_text('{"id": "1", "score": 50}\nnot json\n')
    result = CliRunner().invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert "line 2" in result.stderr


def test_report_of_a_session_id_uses_the_history_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    import interviewer.history

    session_rows = [
        {"question_id": "dl-01", "question": "What is an epoch?", "reference": "One pass over the data.",
         "topic": "training", "answer": "A pass over all data.", "score": 80.0, "verdict": "strong",
         "concepts_matched": [], "concepts_missed": ["many epochs"], "flags": [], "wrong_claims": []},
    ]  # fmt: skip
    asked: list[str] = []

    def fake_rows(session_id: str) -> list[dict[str, object]]:
        asked.append(session_id)
        return session_rows

    monkeypatch.setattr(interviewer.history, "session_report_rows", fake_rows)
    result = CliRunner().invoke(
        app, ["report", "2026-11-25-1", "--format", "json", "--bank", str(SMALL_BANK)]
    )
    assert result.exit_code == 0, result.stderr
    assert asked == ["2026-11-25-1"]
    data = json.loads(result.stdout)
    assert data["title"] == "Interview report — session 2026-11-25-1"
    assert data["items"][0]["question"] == "What is an epoch?" and data["items"][0]["topic"] == "training"


def test_a_graded_csv_reports_the_same_as_the_jsonl(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    from interviewer.batch_io import CsvRowWriter

    path = tmp_path / "graded.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        CsvRowWriter(stream).write_batch(rows)  # type: ignore[arg-type]
    runner = CliRunner()
    from_csv = runner.invoke(app, ["report", str(path), "--bank", str(SMALL_BANK), "--format", "json"])
    from_jsonl = runner.invoke(app, ["report", str(GRADED), "--bank", str(SMALL_BANK), "--format", "json"])
    assert from_csv.exit_code == 0, from_csv.stderr
    assert json.loads(from_csv.stdout) == json.loads(from_jsonl.stdout)


def test_a_graded_csv_with_a_broken_cell_names_the_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "graded.csv"
    path.write_text('id,score,flags\n1,50,[]\n2,40,"[not json"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert "row 2" in result.stderr and "flags" in result.stderr
