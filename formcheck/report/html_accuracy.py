"""How accurate each number is, in the HTML report: a cell per metric and a section.

The cell shows what :func:`formcheck.cues.accuracy.accuracy_label` says ("±20 ms at
30 fps", "not validated"), with the full figures as its tooltip; the section lists,
for a sports scientist, each validated metric's bias, 95 % limits of agreement, mean
absolute error, worst case, trials and frame rate (each number tagged with its path in
``report.json``, as everywhere in the report), what the validation can and cannot
show, and the data set's citation. Computes nothing: the figures are the metric's
:class:`~formcheck.results.Accuracy`, the words come from :mod:`formcheck.cues`.
"""

from __future__ import annotations

from formcheck.cues.accuracy import accuracy_label
from formcheck.cues.words_accuracy import (
    ACCURACY_BASIS,
    ACCURACY_CAVEAT,
    ACCURACY_COLUMNS,
    ACCURACY_HINT,
    HOW_ACCURATE_TITLE,
    NOT_VALIDATED_LONG,
    VALIDATION_DATA,
    accuracy_detail,
    accuracy_text,
    citation,
)
from formcheck.render.angles import pretty_name
from formcheck.report.html_kit import esc, num
from formcheck.report.model import Report
from formcheck.results import Metric


def accuracy_cell(report: Report, name: str, m: Metric) -> str:
    """The metric table's "how accurate" cell (empty when nothing is to be said)."""
    label = accuracy_label(report.activity, name, m, symbol=True)
    if m.accuracy is None:
        tip = f' title="{esc(NOT_VALIDATED_LONG)}"' if label else ""
        return f'<td class="accuracy"{tip}>{esc(label)}</td>'
    tip = f"{accuracy_text(m.accuracy, m.unit, like=m.value, symbol=True)}. " + accuracy_detail(
        m.accuracy, m.unit, like=m.value, symbol=True
    )
    return f'<td class="accuracy" data-accuracy="{esc(name)}" title="{esc(tip)}">{esc(label)}</td>'


def any_label(report: Report) -> bool:
    """Whether the metric table needs its "how accurate" column."""
    return any(accuracy_label(report.activity, n, m) for n, m in report.metrics.items())


def _row(name: str, m: Metric) -> str:
    acc = m.accuracy
    assert acc is not None
    key = f"metrics.{name}.accuracy"
    v = m.value
    label, _ = pretty_name(name)
    return (
        f'<tr data-accuracy-row="{esc(name)}"><td>{esc(label)}</td>'
        f"<td>{esc(accuracy_label('run', name, m, symbol=True))}</td>"
        f'<td class="n">{num(acc.bias, m.unit, f"{key}.bias", v)}</td>'
        f'<td class="n">{num(acc.loa_low, m.unit, f"{key}.loa_low", v)} to '
        f"{num(acc.loa_high, m.unit, f'{key}.loa_high', v)}</td>"
        f'<td class="n">{num(acc.mae, m.unit, f"{key}.mae", v)}</td>'
        f'<td class="n">{num(acc.worst, m.unit, f"{key}.worst", v)}</td>'
        f"<td>{esc(m.unit)}</td>"
        f'<td class="n">{acc.n}</td>'
        f'<td class="n">{acc.fps_validated} fps</td></tr>'
    )


def accuracy_section(report: Report) -> str:
    """The "How accurate" section: the validated metrics' figures, or nothing when the
    report has no number that needs a word on its accuracy."""
    if not any_label(report):
        return ""
    validated = {n: m for n, m in report.metrics.items() if m.accuracy is not None}
    body = ""
    if validated:
        rows = "".join(_row(n, m) for n, m in validated.items())
        numeric = {"bias", "95 % limits of agreement", "mean abs. error", "worst", "clips"}
        numeric.add("validated at")
        heads = "".join(
            f'<th class="n">{esc(h)}</th>' if h in numeric else f"<th>{esc(h)}</th>"
            for h in ACCURACY_COLUMNS
        )
        body = (
            f'<div class="widewrap"><table><thead><tr>{heads}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    cites = sorted({citation(m.accuracy) for m in validated.values() if m.accuracy})
    refs = "".join(f"<li>{esc(VALIDATION_DATA)}: {esc(c)}.</li>" for c in cites if c)
    return (
        f'<section id="accuracy"><h2>{esc(HOW_ACCURATE_TITLE)}</h2>'
        f'<p class="hint">{esc(ACCURACY_HINT)} {esc(ACCURACY_BASIS)}</p>'
        f'{body}<ul class="notes"><li>{esc(ACCURACY_CAVEAT)}</li>{refs}</ul></section>'
    )
