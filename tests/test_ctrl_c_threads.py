"""Ctrl-C at the interview prompt must reach the main thread, however many threads torch has started.

The kernel hands a process's SIGINT to any thread that does not hold it. If a torch worker catches it,
Python's flag is set but the main thread, blocked reading the candidate's line, never wakes, and the
interview ignores Ctrl-C. So every thread other than the main one must hold SIGINT, including the
worker threads torch starts the first time the main thread grades an answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads thread signal masks from /proc"),
]

SIGINT_BIT = 1 << 1  # bit (signal number - 1) of a SigBlk mask

# As in an interview: the grader loads and warms up in a background thread, then the main thread grades.
INTERVIEW_THREADS = """
import json, threading
from pathlib import Path
from interviewer.bank import load_bank
from interviewer.grading import load_grader
from interviewer.session import BackgroundGrader

bank = load_bank(None)
loader = BackgroundGrader(lambda: load_grader(bank=bank)).start()
grader = loader.get()
question = bank.questions[0]
grader.grade(question, "An answer typed at the prompt, long enough to need a real forward pass.")
grader.grade(question, question.reference)

masks = {}
for task in Path("/proc/self/task").iterdir():
    fields = dict(line.split(":", 1) for line in (task / "status").read_text().splitlines() if ":" in line)
    masks[task.name] = int(fields["SigBlk"].strip(), 16)
print(json.dumps({"main": threading.main_thread().native_id, "masks": masks}))
"""


def test_only_the_main_thread_takes_ctrl_c_after_grading() -> None:
    run = subprocess.run(
        [sys.executable, "-c", INTERVIEW_THREADS], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    main = str(report["main"])
    masks = report["masks"]
    others = {tid: mask for tid, mask in masks.items() if tid != main}
    assert not masks[main] & SIGINT_BIT, "the main thread must take Ctrl-C"
    assert others, "the grader starts threads; none were seen"
    taking_ctrl_c = [tid for tid, mask in others.items() if not mask & SIGINT_BIT]
    assert not taking_ctrl_c, f"threads {taking_ctrl_c} of {sorted(masks)} would swallow Ctrl-C"
