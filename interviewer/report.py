"""Feedback reports as data, then renderers: graded rows → `Report` → Markdown, self-contained HTML or JSON.

The same `Report` serves batch grading (rows of `interviewer grade` output) and interview sessions (rows
from the history). Renderers are pure functions of a `Report`; nothing here reads files or the clock, so
the same rows always give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

# Only dataclasses and the verdict bands: importing it loads nothing heavy.
from interviewer.grading.result import WrongClaimReport, verdict_for

if TYPE_CHECKING:
    from interviewer.bank import Bank, Question

REPORT_VERSION = 1
STUDY_FIRST = 3
UNKNOWN_TOPIC = "ad hoc"
NO_CANDIDATE = "(no candidate)"


@dataclass(frozen=True)
class CoveredConcept:
    """A concept the answer covered and the answer span that showed it."""

    concept: str
    evidence: str


@dataclass(frozen=True)
class ReportItem:
    """One graded answer with everything needed to learn from it."""

    id: str
    question_id: str | None
    question: str
    topic: str
    answer: str
    score: float
    verdict: str
    covered: tuple[CoveredConcept, ...]
    missed: tuple[str, ...]
    wrong_claims: tuple[WrongClaimReport, ...]
    flags: tuple[str, ...]
    reference: str


@dataclass(frozen=True)
class UngradedRow:
    """A row that could not be graded, with the reason from the grading run."""

    id: str
    error: str


@dataclass(frozen=True)
class TopicScore:
    """Mean score (0–100) of the answers on one topic."""

    topic: str
    mean: float
    answers: int


@dataclass(frozen=True)
class StudyConcept:
    """A missed concept, how often and how heavily (summed concept weight) it was missed, and where."""

    concept: str
    times_missed: int
    weight: float
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """A feedback report for one candidate or session: overall score, per-topic means, what to study, items."""

    title: str
    candidate: str | None
    overall: float | None
    verdict: str | None
    topics: tuple[TopicScore, ...]
    study_first: tuple[StudyConcept, ...]
    items: tuple[ReportItem, ...]
    ungraded: tuple[UngradedRow, ...]
    grader: str | None


@dataclass(frozen=True)
class IndexEntry:
    """One candidate's report in an index: who, which file, overall score, answers graded."""

    candidate: str
    file: str
    overall: float | None
    verdict: str | None
    answers: int


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        # Graded CSV cells and hand-made rows may hold a JSON list as text.
        try:
            value = json.loads(value) if value.startswith("[") else [value] if value else []
        except json.JSONDecodeError:
            value = [value]
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return str(value).strip() if value is not None else ""


def _item(row: Mapping[str, Any], question: Question | None) -> ReportItem:
    """A report item from a graded row; question text, topic and reference come from the row or the bank."""
    score = round(float(row["score"]), 1)
    return ReportItem(
        id=_text(row, "id"),
        question_id=_text(row, "question_id") or None,
        question=_text(row, "question") or (question.question if question else ""),
        topic=_text(row, "topic") or (question.topic if question else UNKNOWN_TOPIC),
        answer=_text(row, "answer"),
        score=score,
        verdict=_text(row, "verdict") or verdict_for(score),
        covered=tuple(
            CoveredConcept(str(item.get("concept", "")), str(item.get("evidence", "")))
            for item in _dicts(row.get("concepts_matched"))
        ),
        missed=_strings(row.get("concepts_missed")),
        wrong_claims=tuple(
            WrongClaimReport(
                str(item.get("said", "")), str(item.get("misconception", "")), str(item.get("correction", ""))
            )
            for item in _dicts(row.get("wrong_claims"))
        ),
        flags=_strings(row.get("flags")),
        reference=_text(row, "reference") or (question.reference if question else ""),
    )


def _study_first(
    items: Sequence[ReportItem], questions: Sequence[Question | None]
) -> tuple[StudyConcept, ...]:
    """Missed concepts ranked by summed weight (how often × how important), then by count, then first seen."""
    totals: dict[str, tuple[str, int, float, list[str]]] = {}
    for item, question in zip(items, questions, strict=True):
        weights = (
            {concept.name.casefold(): concept.weight for concept in question.concepts} if question else {}
        )
        for name in item.missed:
            key = name.casefold()
            shown, count, weight, where = totals.get(key, (name, 0, 0.0, []))
            label = item.question_id or item.id
            totals[key] = (shown, count + 1, weight + weights.get(key, 1.0), [*where, label])
    ranked = sorted(
        enumerate(totals.values()), key=lambda pair: (-pair[1][2], -pair[1][1], pair[0])
    )  # fmt: skip
    return tuple(
        StudyConcept(name, count, round(weight, 2), tuple(dict.fromkeys(where)))
        for _, (name, count, weight, where) in ranked[:STUDY_FIRST]
    )


def build_report(
    rows: Iterable[Mapping[str, Any]],
    bank: Bank | None,
    *,
    title: str | None = None,
    candidate: str | None = None,
) -> Report:
    """A report from graded rows (`interviewer grade` output or session rows), enriched from `bank`."""
    items: list[ReportItem] = []
    questions: list[Question | None] = []
    ungraded: list[UngradedRow] = []
    graders: list[str] = []
    candidates: set[str] = set()
    for row in rows:
        candidates.add(_text(row, "candidate"))
        if row.get("error") or row.get("score") is None:
            ungraded.append(UngradedRow(_text(row, "id"), _text(row, "error") or "no score"))
            continue
        question_id = _text(row, "question_id")
        question = bank.get(question_id) if bank is not None and question_id in bank else None
        items.append(_item(row, question))
        questions.append(question)
        graders.append(_text(row, "grader"))
    topics: dict[str, list[float]] = {}
    for item in items:
        topics.setdefault(item.topic, []).append(item.score)
    overall = round(sum(item.score for item in items) / len(items), 1) if items else None
    if candidate is None and len(candidates) == 1:
        candidate = next(iter(candidates)) or None
    return Report(
        title=title or (f"Interview report — {candidate}" if candidate else "Interview report"),
        candidate=candidate,
        overall=overall,
        verdict=verdict_for(overall) if overall is not None else None,
        topics=tuple(
            TopicScore(topic, round(sum(scores) / len(scores), 1), len(scores))
            for topic, scores in sorted(topics.items())
        ),
        study_first=_study_first(items, questions),
        items=tuple(items),
        ungraded=tuple(ungraded),
        grader=next((name for name in graders if name), None),
    )


def group_by_candidate(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Rows per candidate (`(no candidate)` for rows without one), candidates in first-seen order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_text(row, "candidate") or NO_CANDIDATE, []).append(row)
    return groups


def file_stem(name: str, taken: set[str]) -> str:
    """A safe, unique file stem for a candidate name (`Ann O'Neil` → `ann-o-neil`); adds it to `taken`."""
    base = re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")[:60] or "candidate"
    stem, number = base, 1
    while stem in taken:
        number += 1
        stem = f"{base}-{number}"
    taken.add(stem)
    return stem


# ----- JSON -----------------------------------------------------------------------------------------


def to_json(report: Report) -> str:
    """The report as JSON text with `"version": 1` first."""
    return json.dumps({"version": REPORT_VERSION, **asdict(report)}, ensure_ascii=False, indent=2) + "\n"


def index_to_json(entries: Sequence[IndexEntry]) -> str:
    """An index of per-candidate reports as JSON text with `"version": 1`."""
    data = {"version": REPORT_VERSION, "reports": [asdict(entry) for entry in entries]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ----- Markdown -------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text safe inside Markdown that may be rendered as HTML: tags escaped, table pipes escaped."""
    return html.escape(text, quote=False).replace("|", "\\|")


def _quote(text: str) -> list[str]:
    return [f"> {_md(line)}".rstrip() for line in (text or "(empty)").splitlines()]


def _bar(score: float, width: int = 20) -> str:
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def _score_line(report: Report) -> str:
    graded = len(report.items)
    parts = [f"{graded} answer{'s' if graded != 1 else ''} graded"]
    if report.ungraded:
        parts.append(f"{len(report.ungraded)} not graded")
    if report.overall is None:
        return "No graded answers · " + " · ".join(parts)
    return f"**Overall {report.overall:.1f} / 100 · {report.verdict}** · " + " · ".join(parts)


def _md_item(number: int, item: ReportItem) -> list[str]:
    label = " · ".join(part for part in (item.question_id, item.topic) if part)
    lines = [f"### {number}. {_md(label)} — {item.score:.1f} · {item.verdict}", ""]
    lines += [
        f"**Question:** {_md(item.question) or '(not given)'}",
        "",
        "**Answer:**",
        "",
        *_quote(item.answer),
        "",
    ]
    if item.covered:
        lines += ["**Covered:**", ""]
        lines += [f"- ✓ {_md(c.concept)} — “{_md(c.evidence)}”" for c in item.covered]
        lines.append("")
    if item.missed:
        lines += ["**Missed:**", "", *(f"- ✗ {_md(name)}" for name in item.missed), ""]
    if item.wrong_claims:
        lines += ["**Wrong claims:**", ""]
        lines += [
            f"- “{_md(w.said)}” — {_md(w.misconception)} → {_md(w.correction)}" for w in item.wrong_claims
        ]
        lines.append("")
    if item.flags:
        lines += [f"**Flags:** {', '.join(_md(flag) for flag in item.flags)}", ""]
    if item.reference:
        lines += ["**Reference answer:**", "", *_quote(item.reference), ""]
    return lines


def to_markdown(report: Report) -> str:
    """The report as Markdown: overall score, per-topic table with bars, concepts to study, each answer."""
    lines = [f"# {_md(report.title)}", "", _score_line(report), ""]
    if report.topics:
        lines += ["## Scores by topic", "", "| topic | answers | mean | |", "|---|---:|---:|---|"]
        lines += [f"| {_md(t.topic)} | {t.answers} | {t.mean:.1f} | {_bar(t.mean)} |" for t in report.topics]
        lines.append("")
    if report.study_first:
        lines += ["## Concepts to study first", ""]
        for number, concept in enumerate(report.study_first, start=1):
            times = f"missed {concept.times_missed}×" if concept.times_missed > 1 else "missed once"
            lines.append(
                f"{number}. **{_md(concept.concept)}** — {times} ({_md(', '.join(concept.questions))})"
            )
        lines.append("")
    if report.items:
        lines += ["## Answers", ""]
        for number, item in enumerate(report.items, start=1):
            lines += _md_item(number, item)
    if report.ungraded:
        lines += ["## Not graded", ""]
        lines += [f"- id {_md(row.id)}: {_md(row.error)}" for row in report.ungraded]
        lines.append("")
    if report.grader:
        lines += [f"<sub>Graded by {_md(report.grader)}</sub>", ""]
    return "\n".join(lines)


def index_to_markdown(entries: Sequence[IndexEntry], *, title: str = "Interview reports") -> str:
    """An index of per-candidate reports as a Markdown table with links."""
    lines = [f"# {_md(title)}", "", "| candidate | overall | verdict | answers |", "|---|---:|---|---:|"]
    for entry in entries:
        overall = f"{entry.overall:.1f}" if entry.overall is not None else "–"
        lines.append(
            f"| [{_md(entry.candidate)}]({entry.file}) | {overall} | {entry.verdict or '–'} | {entry.answers} |"
        )
    return "\n".join(lines) + "\n"


# ----- HTML -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBar:
    """One bar of the per-topic SVG chart, in SVG user units."""

    label: str
    score: float
    y: float
    width: float
    band: str


CHART_LABEL_WIDTH = 170.0
CHART_BAR_SPACE = 360.0
CHART_ROW_HEIGHT = 28.0


def chart_bars(topics: Sequence[TopicScore]) -> list[ChartBar]:
    """Bar geometry for the per-topic chart: one row per topic, width proportional to the mean score."""
    return [
        ChartBar(
            label=topic.topic,
            score=topic.mean,
            y=index * CHART_ROW_HEIGHT,
            width=round(max(1.0, topic.mean / 100 * CHART_BAR_SPACE), 1),
            band=verdict_for(topic.mean),
        )
        for index, topic in enumerate(topics)
    ]


def _environment() -> Any:
    # Jinja2 is imported here: only the report command pays for it.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("interviewer", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG chart, no scripts, nothing loaded)."""
    template = _environment().get_template("report.html.j2")
    bars = chart_bars(report.topics)
    return str(
        template.render(
            report=report,
            bars=bars,
            chart_height=max(1, len(bars)) * CHART_ROW_HEIGHT,
            label_width=CHART_LABEL_WIDTH,
            bar_space=CHART_BAR_SPACE,
        )
    )


def index_to_html(entries: Sequence[IndexEntry], *, title: str = "Interview reports") -> str:
    """An index of per-candidate reports as one self-contained HTML page with relative links."""
    return str(_environment().get_template("index.html.j2").render(entries=entries, title=title))
