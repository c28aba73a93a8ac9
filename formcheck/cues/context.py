"""Training-habit context shown with every report (not measured from video).

From the articles behind ``shared/docs/cues.md`` ("Training habits", warm-up,
cool-down and exercise doses), in formcheck's own words. One place: the
report, the HTML and the app all read ``Report.context``.
"""

from __future__ import annotations

from types import MappingProxyType

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
    }
)


def training_context(activity: str) -> tuple[str, ...]:
    """Context lines for an activity's report (empty for an unknown activity)."""
    return TRAINING_CONTEXT.get(activity, ())
