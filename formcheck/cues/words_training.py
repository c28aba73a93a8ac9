"""The training context a report closes with, and the articles behind the cues by name.

Every source a user reads names its article or paper; :func:`cited` spells out the
short article keys of the cue notes (and of sources stored by older versions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from formcheck.cues import words_floor, words_stretches, words_warmup

# ---- training context ---------------------------------------------------------------------
# Training-habit context shown with every report (not measured from video), from the
# articles behind the coaching-cue notes (shared/docs) ("Training habits", warm-up, cool-down and
# exercise doses), in formcheck's own words. The report, the HTML and the app all
# read ``Report.context``.

_WARM_UP = (
    "Before a run, warm up with moving stretches (leg swings, hip circles, cat-cow, a "
    "few glute bridges); after it, walk a few minutes, then hold gentle stretches for "
    "20-30 s each without bouncing [A0, A1]."
)
_SEE_SOMEONE = (
    "See a physiotherapist or doctor for sharp or lasting pain, pain spreading down a "
    "leg, or pain that gets in the way of daily life [A3, A1]."
)

TRAINING_CONTEXT: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "run": (
            "Build mileage gradually: add no more than about 10 % a week [A4].",
            "Keep one or two rest days a week so the back and legs recover [A4].",
            _WARM_UP,
            "Strong glutes and trunk take load off the lower back: glute bridges, planks, "
            "side planks and bird dogs two or three times a week [A3, A4] (formcheck "
            "checks those too).",
            _SEE_SOMEONE,
        ),
        "glute-bridge": (
            "A set of about 15 bridges, each with a short pause (about 1 s) at the top and "
            "a slow, controlled way down, is a good dose [A0].",
            "Stop each rep where shoulders, hips and knees make a straight line; pushing "
            "higher only arches the lower back.",
            _SEE_SOMEONE,
        ),
        "plank": (
            "Aim for holds of about 30 s in a straight line from shoulders to ankles and "
            "build up over the weeks; a shorter straight hold beats a long sagging one [A3].",
            _SEE_SOMEONE,
        ),
        "side-plank": (
            "Hold with shoulders, hips and feet in one line, hips lifted; do both sides and "
            "build up the time gradually [A1].",
            _SEE_SOMEONE,
        ),
        "bird-dog": (
            "Reach the arm and the opposite leg out level with the trunk, hold a few "
            "seconds, switch sides; keep the trunk still throughout [A1, A3].",
            _SEE_SOMEONE,
        ),
        **{k: (*v, _SEE_SOMEONE) for k, v in words_stretches.TRAINING_CONTEXT.items()},
        **{name: (*lines, _SEE_SOMEONE) for name, lines in words_warmup.TRAINING.items()},
        **{name: (*lines, _SEE_SOMEONE) for name, lines in words_floor.TRAINING.items()},
    }
)


#: The five articles behind the coaching cues, by the short keys the cue notes use.
ARTICLES: Mapping[str, str] = MappingProxyType(
    {
        "A0": "Warm-up and recovery tips for runners (article)",
        "A1": "Lower-back stretches before and after running (article)",
        "A2": "Running with back pain: form tips (article)",
        "A3": "Fixing lower-back pain from running (article)",
        "A4": "Causes of lower-back pain in runners (article)",
    }
)
_NOTES_FILE = "cues" + ".md"  # the developers' notes file, never named to a user


def cited(text: str) -> str:
    """``text`` with article keys spelled out, for a user who has no notes file: a
    source ``"<notes> [A4][A2]; Wille 2014"`` (as reports stored before formcheck
    0.1.1 carry it) reads ``"Causes of ... (article); Running with ... (article);
    Wille 2014"``, and ``"... bouncing [A0, A1]."`` reads ``"... bouncing (articles:
    Warm-up ...; Lower-back stretches ...)."``"""

    def names(keys: str) -> str:
        found = re.findall(r"A\d", keys)
        return "; ".join(ARTICLES.get(k, k) for k in found)

    text = text.replace(f"{_NOTES_FILE} lit. notes", "running-biomechanics literature")
    text = re.sub(
        rf"{re.escape(_NOTES_FILE)}\s*((?:\[A\d(?:,\s*A\d)*\])+|A\d)",
        lambda m: names(m.group(1)),
        text,
    )
    text = text.replace(_NOTES_FILE, "the coaching articles")

    def in_prose(keys: str) -> str:
        titles = [ARTICLES.get(k, k).removesuffix(" (article)") for k in re.findall(r"A\d", keys)]
        return f" (article{'s' if len(titles) > 1 else ''}: {'; '.join(titles)})"

    return re.sub(r"\s*\[(A\d(?:,\s*A\d)*)\]", lambda m: in_prose(m.group(1)), text)


def training_context(activity: str) -> tuple[str, ...]:
    """Context lines for an activity's report (empty for an unknown activity)."""
    return tuple(cited(x) for x in TRAINING_CONTEXT.get(activity, ()))
