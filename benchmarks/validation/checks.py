"""The issue's checks, computed from the pooled results (met or not, with the figure)."""

from __future__ import annotations

from benchmarks.validation.camera import VISIBILITY, Condition


def label(p: dict) -> str:
    """A pooled condition's name, e.g. "60 fps, noise 4 px"."""
    return f"{int(p['fps'])} fps, " + Condition(p["fps"], p["noise_px"], p["far_visibility"]).label


def targets(pooled: list[dict]) -> list[tuple[str, bool | None, str]]:
    """The issue's checks, computed: (what, met, the figure); met None for a figure
    given for information (the far leg poorly seen, which the checks do not cover)."""
    out = []
    by = {(p["fps"], p["noise_px"]): p for p in pooled if p["far_visibility"] >= VISIBILITY}
    p60 = by.get((60.0, 0.0))
    if p60:
        s = p60["step"]
        out.append(
            (
                "initial-contact bias within 3 ms (60 fps, clean)",
                abs(s["initial_contact_ms"]["bias"]) <= 3,
                f"{s['initial_contact_ms']['bias']:+.1f} ms",
            )
        )
        for what, key, limit, fmt in (
            ("overstride MAE at most 0.015 leg lengths", "overstride_leg_lengths", 0.015, "{:.4f}"),
            ("shin angle MAE at most 1.5 deg", "shin_angle_deg", 1.5, "{:.2f} deg"),
            ("knee flexion MAE at most 1.5 deg", "knee_flexion_deg", 1.5, "{:.2f} deg"),
            ("foot-strike angle MAE at most 1.5 deg", "foot_angle_deg", 1.5, "{:.2f} deg"),
        ):
            mae = s[key]["mae"]
            out.append((f"{what} (per step, 60 fps, clean)", mae <= limit, fmt.format(mae)))
        share = p60.get("timing_share", {}).get("foot_angle_deg")
        if share:
            out.append(
                (
                    "for information: formcheck's strike angle with its contact moved onto the "
                    "force plate's (the part of its error that follows the contact's timing "
                    f"taken away; that timing's SD is {share['timing_sd_ms']:.1f} ms), per step",
                    None,
                    f"MAE {share['mae_without_timing']:.2f} deg",
                )
            )
        lab = p60.get("lab", {})
        for key, what in (
            (
                "touchdown_angle_deg",
                "the strike angle on the markers at their own touch-down against at the 50 N "
                "contact (what a contact found from the feet's motion can reach), per step",
            ),
            (
                "midstance_reference_deg",
                "the markers' foot at 33-67 % of contact (formcheck's reference) minus the "
                "standing foot, per step",
            ),
            (
                "clip_bound_deg",
                "both at their best, on the markers: the strike angle at their own touch-down, "
                "on the stillest tenth of the stance (a reference the clip itself gives, as a "
                "video must), against the lab's (standing reference, 50 N contact), per step",
            ),
        ):
            if key in lab:
                a = lab[key]
                out.append(
                    (
                        f"for information: {what}",
                        None,
                        f"MAE {a['mae']:.2f} deg, bias {a['bias']:+.2f}",
                    )
                )
    for p in pooled:
        if p["noise_px"] != 0.0 or p["far_visibility"] < VISIBILITY:
            continue
        cad = p["clip"]["cadence_spm"]["mae"]
        out.append(
            (
                f"cadence MAE at most 0.2 steps/min ({int(p['fps'])} fps, clean)",
                cad <= 0.2,
                f"{cad:.2f}",
            )
        )
        out.append(
            (
                f"no missed or extra step ({int(p['fps'])} fps, clean)",
                p["missed"] == 0 and p["extra"] == 0,
                f"{p['missed']} missed, {p['extra']} extra",
            )
        )
    for p in pooled:
        if p["fps"] == 60.0 and p["far_visibility"] < VISIBILITY:
            ic = p["step"]["initial_contact_ms"]
            out.append(
                (
                    f"for information: initial-contact bias, {label(p)} (contacts not refined)",
                    None,
                    f"{ic['bias']:+.1f} ms",
                )
            )
    return out
