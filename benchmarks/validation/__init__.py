"""Validation of formcheck's running metrics against force plates and motion capture.

``python -m benchmarks.validation`` reads the lab running data set in
``../shared/data/rbds/`` (Fukuchi RK, Fukuchi CA, Duarte M (2017) A public dataset
of running biomechanics and the effects of running speed on lower extremity
kinematics and kinetics. PeerJ 5:e3298, doi:10.7717/peerj.3298; CC BY 4.0),
builds the landmark series a side-view camera would see from the markers
(:mod:`.body`, :mod:`.camera`), runs formcheck's running analysis on it (what
:func:`formcheck.analyze_pose` runs for a run), and
compares formcheck's events and metrics with the force plate and the markers
(:mod:`.truth`, :mod:`.compare`). It writes

* ``benchmarks/validation/results.json``: every trial, rate and condition;
* ``formcheck/cues/accuracy.json``: the clip-level bias and limits of agreement
  per metric and frame rate that formcheck shows beside each number;
* ``benchmarks/ACCURACY.md``: the tables (:mod:`.write`).

Modules: :mod:`.rbds` (files), :mod:`.body` (joint centres), :mod:`.camera`
(virtual camera, sampling, noise), :mod:`.truth` (force-plate contacts and marker
values), :mod:`.stats` (Bland-Altman), :mod:`.compare` (one trial through
formcheck), :mod:`.write` (outputs).
"""
