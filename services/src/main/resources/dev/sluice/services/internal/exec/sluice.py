"""Sluice helpers for Python steps (the working directory is on PYTHONPATH).

    import sluice
    event = sluice.event()                  # the triggering CloudEvent as a dict (also on stdin)
    sluice.emit("order.checked", {"ok": True}, subject="order-1")
"""
import json
import os


def event():
    """The CloudEvent that triggered this run, as a dict."""
    with open(os.environ["SLUICE_EVENT_FILE"], encoding="utf-8") as f:
        return json.load(f)


def emit(type, data=None, **attrs):
    """Emit one CloudEvent: a type, optional JSON-serialisable data, and attributes such as subject or source."""
    if not type:
        raise ValueError("emit: type is required")
    cloud_event = dict(attrs)
    cloud_event["type"] = type
    if data is not None:
        cloud_event["data"] = data
    line = (json.dumps(cloud_event, separators=(",", ":")) + "\n").encode("utf-8")
    # One write per event on an O_APPEND descriptor, so concurrent writers never interleave within a line.
    os.write(3, line)
