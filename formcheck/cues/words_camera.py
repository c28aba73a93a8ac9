"""Words about cameras: the browser camera component's labels and errors, and a camera
of this computer that cannot be opened."""

from __future__ import annotations

#: Plain words for the component's getUserMedia errors (shown in its frame).
TRANSLATIONS = {
    "start": "START",
    "stop": "STOP",
    "select_device": "Choose camera",
    "media_api_not_available": (
        "This browser cannot use a camera here. Open formcheck at http://127.0.0.1 or "
        "http://localhost on this computer (browsers allow cameras only there or on https)."
    ),
    "device_ask_permission": "Allow formcheck to use your camera in the browser's prompt.",
    "device_not_available": (
        "No camera found, or another app (video call, camera app) is using it. Plug a "
        "camera in or close the other app, then press START again."
    ),
    "device_access_denied": (
        "Camera permission was refused. Allow the camera for this page in the browser's "
        "site settings (the camera icon in the address bar), then press START again."
    ),
}


#: getUserMedia error names (as the component prints them) -> plain words.
CAMERA_ERRORS: dict[str, str] = {
    "NotAllowedError": TRANSLATIONS["device_access_denied"],
    "PermissionDeniedError": TRANSLATIONS["device_access_denied"],
    "SecurityError": TRANSLATIONS["media_api_not_available"],
    "NotFoundError": (
        'No camera was found. Plug one in (or choose "A camera on this computer"), '
        "then press START again."
    ),
    "DevicesNotFoundError": "No camera was found. Plug one in, then press START again.",
    "OverconstrainedError": "The camera cannot give a picture this page can use; try another.",
    "NotReadableError": (
        "The camera is in use by another app (a video call or the camera app). Close it, "
        "then press START again."
    ),
    "TrackStartError": "The camera is in use by another app. Close it, then press START again.",
    "AbortError": "The camera could not start. Unplug and replug it, then press START again.",
}


def local_camera_unavailable(source: int | str) -> tuple[str, str]:
    """A camera of this computer that cannot be opened (message, hint)."""
    return (
        f"Camera {source} of this computer cannot be opened: there is no such camera, or "
        "another program (a video call, the camera app) is using it.",
        "Plug a camera in or close the program using it, or choose the camera in this "
        "browser, then press START again.",
    )
