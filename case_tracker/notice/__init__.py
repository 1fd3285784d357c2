"""The rectification notice (整改通知书) an inspected unit receives after an inspection.

One notice per inspection: addressed to the inspected unit(s), it lists each
problem found — its category, the facts, the rectification requirement and
the deadline — and asks for a written report by a date, with a contact.

The input is a plain record of the inspection (:func:`inspection_record` for a
register held as a :class:`~case_tracker.stats.dataset.Dataset`; the add-on's
``di.inspection._notice_record()`` for Odoo, also reachable over RPC), turned
into :class:`NoticeData` by :func:`build_notice` and into a PDF by
:func:`case_tracker.notice.pdf.render` (imported lazily: it loads ReportLab).
"""

from __future__ import annotations

from case_tracker.notice.data import (
    NoticeData,
    NoticeError,
    NoticeProblem,
    build_notice,
    inspection_record,
)

__all__ = [
    "NoticeData",
    "NoticeError",
    "NoticeProblem",
    "build_notice",
    "inspection_record",
    "render",
]


def __getattr__(name: str):
    if name == "render":
        from case_tracker.notice.pdf import render

        return render
    raise AttributeError(name)
