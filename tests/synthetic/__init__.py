"""Synthetic landmark series whose answers are set by the test.

``gait``: a generated runner (cadence, lean, overstride, bounce, foot strike,
asymmetry, drift, leg swaps, dropped frames, side/front/rear views).
``exercises``: exercise sets (reps, holds). Builders return a ``PoseSeries``
plus the truth the analysis must recover.
"""
