"""interviewer: an offline, LLM-free mock interviewer and short-answer grader."""

__version__ = "0.1.0"
