"""Grading: features of an answer against reference answers and concepts, combined into a calibrated score."""
