"""The words for a metric's validated uncertainty (:mod:`formcheck.cues.accuracy`).

A runner reads a short "±20 ms at 30 fps" beside the number (the 95 % limits of
agreement with the lab, bias included: 95 % of the validation's clips were within it);
a sports scientist finds the bias, the limits, the mean absolute error, the worst case,
the number of trials, the frame rate and the data set in :func:`accuracy_detail`.
Numbers go through :mod:`formcheck.cues.format`, with the decimals of the metric itself.
"""

from __future__ import annotations

from formcheck.cues.format import fmt, unit_text
from formcheck.results import Accuracy

#: Said of a running number no validation covers (at this frame rate, in this view).
NOT_VALIDATED = "not validated"
#: The same, where there is room for a sentence.
NOT_VALIDATED_LONG = "not validated against a lab reference at this frame rate and view"
#: The licence of the validation's data set, cited wherever its results appear.
DATA_LICENCE = "CC BY 4.0"
#: What the ± means, once per table (HTML report, app, text summary).
ACCURACY_HINT = (
    "How accurate: \u201caccuracy: ±X\u201d is the range expected to hold 95 % of clips at "
    "the clip's frame rate (Bland-Altman 95 % limits of agreement with force plates and "
    "motion capture, bias included; the ± right after a value is its step-to-step spread); "
    "\u201creads 5-24 ms low\u201d means formcheck reads low throughout that range; "
    "\u201cnot validated\u201d where no validation covers the number."
)
#: Before the short accuracy figure where it sits beside a value and its spread (text).
ACCURACY_TAG = "accuracy"
#: The app's expander with every validated metric's figures.
ACCURACY_DETAILS = "Accuracy figures for a sports scientist"
#: The HTML section's line on what the figures compare.
ACCURACY_BASIS = (
    "Bias is formcheck minus the lab; the figures are for the clip's value (its median) "
    "against the lab's, on 10 s clips."
)
#: Before the data set's citation.
VALIDATION_DATA = "Validation data"
#: The HTML metric table's column and its explanation.
HOW_ACCURATE = "how accurate"
HOW_ACCURATE_TITLE = "How accurate"
HOW_ACCURATE_NOTE = '"How accurate" is the validated uncertainty (see How accurate below).'
#: The HTML accuracy table's headers.
ACCURACY_COLUMNS = (
    "measure",
    "±",
    "bias",
    "95 % limits of agreement",
    "mean abs. error",
    "worst",
    "unit",
    "clips",
    "validated at",
)
#: What the validation can and cannot show (the HTML report's accuracy section).
ACCURACY_CAVEAT = (
    "The validation ran formcheck on lab runners' motion-capture markers projected into "
    "a side-view camera, with pose-like noise added: it measures formcheck's own event "
    "and metric code, not the pose model's errors on real video (clothing, occlusion, "
    "lighting), so real clips can be less accurate. Front and rear views were not "
    "validated."
)


def _amount(x: float, unit: str, like: float | None, symbol: bool, keep_digit: bool = False) -> str:
    """A size in the metric's unit, with the decimals the metric is shown with;
    ``keep_digit``: one significant digit where those decimals would round it to
    nothing (±0.003 leg lengths, not ±0.00; for the ± figure a runner reads)."""
    text = fmt(x, unit, like=like)
    try:
        rounds_away = keep_digit and x != 0 and float(text) == 0
    except ValueError:
        rounds_away = False
    if rounds_away:
        text = f"{x:.1g}"
    u = unit_text(unit) if symbol else unit
    if not u:
        return text
    return f"{text}{'' if symbol and u in ('°', '%') else ' '}{u}"


def plus_minus(acc: Accuracy, unit: str, like: float | None = None, symbol: bool = False) -> str:
    """``"±20 ms"``: the larger 95 % limit of agreement (bias included); when both limits
    lie on one side of zero, the range they span instead (``"reads 5-24 ms low"``): a
    symmetric ± would hide that formcheck reads low (or high) throughout."""
    if acc.loa_low > 0 or acc.loa_high < 0:
        a, b = sorted((abs(acc.loa_low), abs(acc.loa_high)))
        way = "high" if acc.loa_low > 0 else "low"
        return f"reads {fmt(a, unit, like=like)}-{_amount(b, unit, like, symbol, True)} {way}"
    return f"±{_amount(acc.plus_minus, unit, like, symbol, True)}"


def accuracy_short(
    acc: Accuracy, unit: str, like: float | None = None, symbol: bool = False
) -> str:
    """``"±20 ms at 30 fps"`` (beside a number in a table)."""
    return f"{plus_minus(acc, unit, like, symbol)} at {acc.fps_validated} fps"


def bias_words(acc: Accuracy, unit: str, like: float | None = None, symbol: bool = False) -> str:
    """``"reads 18 ms low on average"`` when the bias is more than half the ± figure,
    else empty (a bias inside the noise is not worth a runner's attention)."""
    if not abs(acc.bias) > 0.5 * acc.plus_minus:
        return ""
    way = "high" if acc.bias > 0 else "low"
    return f"reads {_amount(abs(acc.bias), unit, like, symbol)} {way} on average"


def accuracy_text(acc: Accuracy, unit: str, like: float | None = None, symbol: bool = False) -> str:
    """The runner's sentence: ``"±20 ms at 30 fps (95 % of clips; validated against
    force plates and motion capture)"``, with the bias when it matters."""
    bias = bias_words(acc, unit, like, symbol)
    return (
        f"{accuracy_short(acc, unit, like, symbol)} (95 % of clips; validated against "
        f"{acc.reference}{'; ' + bias if bias else ''})"
    )


def citation(acc: Accuracy) -> str:
    """The data set, as cited wherever its results appear."""
    return f"{acc.source}, {DATA_LICENCE}" if acc.source else ""


def accuracy_detail(
    acc: Accuracy, unit: str, like: float | None = None, symbol: bool = False
) -> str:
    """Everything a sports scientist checks: ``"bias -18 ms; 95 % limits of agreement
    -38 to 2 ms; mean absolute error 18 ms; worst 45 ms; 18 trials at 30 fps; pose-like
    noise 4 px; reference: force plates and motion capture (Fukuchi ... 2017, CC BY 4.0)"``
    (clips: the validation's 10 s clips at that rate)."""
    lo = fmt(acc.loa_low, unit, like=like)
    hi = _amount(acc.loa_high, unit, like, symbol)
    parts = [
        f"bias {_amount(acc.bias, unit, like, symbol)}",
        f"95 % limits of agreement {lo} to {hi}",
        f"mean absolute error {_amount(acc.mae, unit, like, symbol)}",
        f"worst {_amount(acc.worst, unit, like, symbol)}",
        f"{acc.n} clips at {acc.fps_validated} fps",
    ]
    if acc.noise:
        parts.append(acc.noise)
    cite = citation(acc)
    parts.append(f"reference: {acc.reference}" + (f" ({cite})" if cite else ""))
    return "; ".join(parts)
