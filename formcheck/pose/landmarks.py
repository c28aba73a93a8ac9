"""MediaPipe's 33-point pose topology, by name.

Use ``Landmark.LEFT_HIP`` rather than a bare index. "Left" is the person's
left, as MediaPipe labels it (which is image-right when they face the camera).

References
----------
MediaPipe Pose Landmarker model card: 33 landmarks in BlazePose order.
"""

from __future__ import annotations

from enum import IntEnum


class Landmark(IntEnum):
    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


N_LANDMARKS = len(Landmark)

#: Pairs (left, right) of every two-sided landmark; swapping sides swaps each pair.
LEFT_RIGHT_PAIRS: tuple[tuple[Landmark, Landmark], ...] = tuple(
    (lm, Landmark[lm.name.replace("LEFT", "RIGHT")]) for lm in Landmark if "LEFT" in lm.name
)


def _mirror_index() -> tuple[int, ...]:
    perm = list(range(N_LANDMARKS))
    for left, right in LEFT_RIGHT_PAIRS:
        perm[left], perm[right] = int(right), int(left)
    return tuple(perm)


#: Index permutation that swaps every left landmark with its right twin.
MIRROR_INDEX: tuple[int, ...] = _mirror_index()

#: Skeleton edges for drawing, grouped by body side ("left", "right", "centre").
SKELETON: tuple[tuple[Landmark, Landmark, str], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, "centre"),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP, "centre"),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, "left"),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, "right"),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW, "left"),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST, "left"),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW, "right"),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST, "right"),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE, "left"),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, "left"),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL, "left"),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX, "left"),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX, "left"),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, "right"),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE, "right"),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL, "right"),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX, "right"),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX, "right"),
    (Landmark.NOSE, Landmark.LEFT_EAR, "centre"),
    (Landmark.NOSE, Landmark.RIGHT_EAR, "centre"),
)
