"""Terminal rendering of an interview: questions, feedback, summary, plan and history (rich).

Everything user text goes through `Text` objects, never markup strings, so brackets in answers or in the
bank print as typed. A console on a pipe gets no colour and no spinner (rich decides from the stream;
NO_COLOR is honoured by rich), and rich wraps long lines to the terminal's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from interviewer.bank import Question
from interviewer.history import AnswerRecord
from interviewer.planning import role_of
from interviewer.session import SessionSummary

BAR_WIDTH = 20
PIPE_WIDTH = 120
QUESTION_PREVIEW = 60
COMMANDS_HELP = ":hint  :skip  :repeat  :ref  :quit"
VERDICT_STYLES = {"excellent": "bold green", "strong": "green", "partial": "yellow", "weak": "red"}
FLAG_TEXT = {
    "keyword_list": "This reads like a list of keywords — explain what happens and why.",
    "restates_question": "This mostly restates the question — say what the answer actually is.",
    "off_topic": "This seems to answer a different question.",
    "hedge": "This says you are not sure — give your best explanation; partial answers earn credit.",
    "filler": "This is general talk without specifics — name the mechanism and what it does.",
    "gibberish": "This could not be read as an answer.",
    "too_short": "Very short — a sentence or two more would show what you understand.",
    "contradiction": "Part of this contradicts the reference — a key idea is reversed or wrong.",
    "empty": "No answer was given.",
}


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout (or stderr) with highlighting off: only our own styles colour the output."""
    console = Console(stderr=stderr, highlight=False, emoji=False)
    if not console.is_terminal:
        # Piped output is read by programs and pasted into files: one line per message, wide tables.
        console.soft_wrap = True
        console.width = max(console.width, PIPE_WIDTH)
    return console


def score_bar(score: float, width: int = BAR_WIDTH) -> str:
    """A bar of `width` cells, filled in proportion to a 0–100 score."""
    filled = round(max(0.0, min(100.0, score)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def show_intro(
    console: Console, *, title: str, total: int, years: str, band: str, session_id: str | None
) -> None:
    """The session banner: bank title, length, band, and the commands."""
    heading = Text(f"{title} · {total} questions · {years} years ({band} band)", style="bold")
    if session_id:
        heading.append(f" · session {session_id}", style="dim")
    console.print(heading)
    console.print(f"Answer in your own words; finish with an empty line (or Ctrl-D). {COMMANDS_HELP}")


def show_question(console: Console, number: int, total: int, question: Question) -> None:
    """`Question 3/8 · intermediate · difficulty 5.5` and the question text."""
    console.print()
    header = Text(
        f"Question {number}/{total} · {question.level} · difficulty {question.difficulty:.1f}", style="bold"
    )
    console.print(header)
    console.print(Text(question.question))


def show_feedback(console: Console, record: AnswerRecord) -> None:
    """Score bar and verdict, covered concepts with evidence, missed concepts, flags, wrong claims, advice."""
    grade = record.grade
    if grade is None:
        console.print(Text("  Skipped.", style="dim"))
        return
    score = float(grade["score"])
    line = Text(f"  Score {score:.0f}/100  ")
    line.append(score_bar(score), style=VERDICT_STYLES.get(grade["verdict"], ""))
    line.append(f"  {grade['verdict']}", style=VERDICT_STYLES.get(grade["verdict"], ""))
    console.print(line)
    for matched in grade["concepts_matched"]:
        covered = Text("  ✓ ", style="green")
        covered.append(matched["concept"])
        covered.append(f'   "{matched["evidence"]}"', style="dim")
        console.print(covered)
    if grade["concepts_missed"]:
        missed = Text("  ✗ missed: ", style="red")
        missed.append(" · ".join(grade["concepts_missed"]))
        console.print(missed)
    for flag in grade["flags"]:
        console.print(Text(f"  ! {flag_text(flag)}", style="yellow"))
    for claim in grade.get("wrong_claims", []):
        wrong = Text("  ✗ You said: ", style="red")
        wrong.append(f'"{claim["said"]}"')
        wrong.append("  In fact: ", style="bold")
        wrong.append(claim["correction"])
        console.print(wrong)
    if record.hints:
        console.print(Text(f"  Hints used: {len(record.hints)}", style="dim"))
    advice = next_time_advice(grade)
    if advice:
        console.print(Text(f"  → {advice}", style="cyan"))


def flag_text(flag: str) -> str:
    """A flag in plain words."""
    return FLAG_TEXT.get(flag, flag.replace("_", " ").capitalize() + ".")


def next_time_advice(grade: dict[str, Any]) -> str | None:
    """One sentence on what to add next time: the most important missed concept, else the main flag."""
    if grade["concepts_missed"]:
        return f"Next time, also explain: {grade['concepts_missed'][0]}."
    if "keyword_list" in grade["flags"]:
        return "Next time, write it out in full sentences."
    return None


def show_hint(console: Console, concept: str | None) -> None:
    """One revealed concept name, or that there are no more."""
    if concept is None:
        console.print(Text("  (no more hints for this question)", style="dim"))
    else:
        console.print(Text(f"  Hint: mention {concept}", style="cyan"))


def show_reference(console: Console, record: AnswerRecord | None) -> None:
    """The reference answer of the last graded question (references are shown only after answering)."""
    if record is None:
        console.print(
            Text("  The reference answer is shown after you answer; answer or :skip first.", style="dim")
        )
        return
    console.print(Text(f"  Reference for question {record.position} ({record.question_id}):", style="bold"))
    console.print(Text(f"  {record.reference}"))


def show_unknown_command(console: Console, command: str) -> None:
    """Name the commands when an unknown one is typed."""
    console.print(Text(f"  Unknown command {command}; commands: {COMMANDS_HELP}", style="yellow"))


def show_summary(console: Console, summary: SessionSummary, questions: Sequence[Question]) -> None:
    """The end-of-session table, per-topic averages and weakest concepts."""
    console.print()
    console.print(Text("Summary", style="bold"))
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("question")
    table.add_column("level", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("missed concepts")
    for answer in summary.answers:
        score = "skipped" if answer.score is None else f"{answer.score:.0f}"
        missed = ", ".join(answer.grade["concepts_missed"]) if answer.grade else ""
        table.add_row(
            str(answer.position), Text(_preview(answer.question)), answer.level, score, Text(missed)
        )
    console.print(table)
    if summary.topic_averages:
        topics = Text("By topic: ")
        topics.append(" · ".join(f"{topic} {mean:.0f}" for topic, mean in summary.topic_averages.items()))
        console.print(topics)
    titles = {question.id: question.question for question in questions}
    if summary.weakest:
        console.print(Text("Weakest concepts, and questions that train them:", style="bold"))
        for rank, weak in enumerate(summary.weakest, 1):
            line = Text(f"  {rank}. {weak.concept} — ")
            line.append(", ".join(f"{qid} ({_preview(titles.get(qid, qid), 40)})" for qid in weak.questions))
            console.print(line)


def show_closing(console: Console, summary: SessionSummary, *, saved: bool) -> None:
    """`Session … saved · mean … · answered a/b` and where the report can be written."""
    answered = sum(answer.score is not None for answer in summary.answers)
    mean = "–" if summary.mean_score is None else f"{summary.mean_score:.0f}"
    state = "saved" if saved else "NOT saved (history unavailable)"
    console.print()
    console.print(
        Text(f"Session {summary.session_id} {state} · mean {mean} · answered {answered}/{summary.planned}")
    )
    if saved:
        console.print("Write a report with:")
        show_command(console, f"interviewer report {summary.session_id} --format html -o report.html")


def show_resume_hint(console: Console, session_id: str, *, answered: int, total: int, saved: bool) -> None:
    """How to continue a paused session (or that it could not be saved)."""
    if not saved:
        console.print(Text(f"Session {session_id} stopped after {answered}/{total}; it was not saved."))
        return
    console.print(Text(f"Session {session_id} saved ({answered}/{total} done). Continue with:"))
    show_command(console, f"interviewer resume {session_id}")


def show_command(console: Console, command: str) -> None:
    """A command to copy, indented on its own line and never wrapped by rich (the terminal may fold it)."""
    console.print(Text(f"  {command}", style="bold"), soft_wrap=True)


def show_plan(console: Console, plan: Sequence[Question], *, band: str, years: str, seed: int) -> None:
    """The dry-run plan: number, id, role, level, difficulty, topic and question."""
    console.print(
        Text(f"Plan for {years} years ({band} band): {len(plan)} questions · seed {seed}", style="bold")
    )
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (("#", "right"), ("id", "left"), ("role", "left"), ("level", "left")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("difficulty", justify="right", no_wrap=True)
    table.add_column("topic", no_wrap=True)
    table.add_column("question")
    for number, question in enumerate(plan, 1):
        table.add_row(
            str(number),
            question.id,
            role_of(question, band),
            question.level,
            f"{question.difficulty:.1f}",
            question.topic,
            Text(question.question),
        )
    console.print(table)


def show_history(console: Console, overview: dict[str, Any]) -> None:
    """Past sessions (id, date, band, answered/planned, mean, status) and per-topic trend."""
    sessions = overview["sessions"]
    if not sessions:
        console.print("No sessions yet; start one with `interviewer start --years 1-3`.")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("id", "date", "years", "band", "answered", "mean", "status"):
        table.add_column(name, no_wrap=True, justify="right" if name in ("answered", "mean") else "left")
    for session in sessions:
        mean = "–" if session["mean_score"] is None else f"{session['mean_score']:.0f}"
        table.add_row(
            session["id"],
            session["started_at"][:16].replace("T", " "),
            session["years"],
            session["band"],
            f"{session['answered']}/{session['planned']}",
            mean,
            session["status"],
        )
    console.print(table)
    if overview["topics"]:
        console.print()
        console.print(Text("Per-topic trend (mean score per session, oldest first):", style="bold"))
        width = max(len(topic) for topic in overview["topics"])
        for topic, points in overview["topics"].items():
            trend = " → ".join(f"{point['mean_score']:.0f}" for point in points)
            console.print(Text(f"  {topic:<{width}}  {trend}"))


def _preview(text: str, width: int = QUESTION_PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
