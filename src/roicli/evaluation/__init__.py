"""Kirkpatrick levels 1 to 3 from participant-level files: surveys, tests, LMS and xAPI records.

config → read (presets, headers, answers/scales, privacy) → model → figures/inference → checks.
"""
