"""Answers to an analyst's questions: comparisons across entities, in one unit."""
