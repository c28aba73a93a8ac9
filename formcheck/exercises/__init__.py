"""Strength exercises: one per-frame analyzer per exercise, shared by live and batch.

``timing``     time-based building blocks: debounced states, hold clock, speech-cue
               limiter, time runs of a per-frame flag
``engine``     the analyzer skeleton (``update`` per frame, ``result`` at any time)
               and ``analyze_series``, the batch path that feeds it every frame
``posture``    per-frame body geometry and posture labels (lying, prone, all fours ...)
``classify``   ``--activity auto``: which exercise (or running) a clip shows
``glute_bridge``, ``plank``, ``side_plank``, ``bird_dog``
               one analyzer class each (registered in ``formcheck.live``) and an
               ``analyze(series, settings)`` batch entry (``formcheck.activities``)
               that feeds the same analyzer every frame.
``stretch``    static stretches (the cool-down): ``StretchSpec`` and one
               ``StretchAnalyzer`` (position, hold per side, bouncing)
``stretch_moves``  the seven stretches' positions and analyzers
``bounce``     bouncing in a held stretch: repeated quick swings of a joint angle
``counting``   hysteresis rep counter of one scalar signal (counted, dynamic moves)
``moves``      ``MoveSpec`` and the one ``DynamicMoveAnalyzer`` that runs any spec
               (``move_body``: what a spec's functions read); ``recognise``
``warmup_steps``  jumping jacks, high knees, butt kicks as specs
``floor_warmup``, ``floor_strength``  cat-cow, knee-to-chest march; dead bug,
               clamshell, donkey kick, superman, side-lying leg lift as specs
               (``floor_geometry``: lying and kneeling positions, resting baselines)
``warmup_standing``  standing twist, leg swings, hip and arm circles, squat as specs
``warmup_lunge``  the walking lunge with a twist as a spec

Pure: no OpenCV, MediaPipe, Streamlit or file I/O.
"""
