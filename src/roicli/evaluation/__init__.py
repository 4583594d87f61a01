"""Kirkpatrick levels 1 to 3 from participant-level files: surveys, tests, LMS and xAPI records.

config → load (one pseudonymiser per run; read: presets, headers, answers/scales, privacy) →
model → figures/inference → programme (a programme's figures) → chain (the chain of impact,
level 0 to ROI) and checks (the data-collection plan); questions links the catalogue to them.
"""
