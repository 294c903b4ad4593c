"""No full ID or phone number in any log record, whoever logs it and wherever it goes.

``install()`` masks each record as it is made (a log-record factory), so
handlers added later (a log file, a crash report, pytest's capture) get
masked records too; ``RedactingFilter`` does the same for one handler or
logger where a factory cannot be used. Database errors are the usual
carrier: PostgreSQL repeats the offending values ("Key (id_number)=(...)").
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from wuye_desktop.storage.redact import redact

_DONE = "_wuye_redacted"


def redact_record(record: logging.LogRecord) -> None:
    """Mask the message, its arguments, the traceback and the stack of one record, in place."""
    if getattr(record, _DONE, False):
        return
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a bad format string: keep what there is, masked
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    setattr(record, _DONE, True)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install() -> None:
    """Mask every log record of this process from now on (safe to call more than once)."""
    previous = logging.getLogRecordFactory()
    if not getattr(previous, _DONE, False):
        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            redact_record(record)
            return record

        setattr(factory, _DONE, True)
        logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def log_to_data_folder(logs: Path, name: str = "wuye-desktop.log") -> None:
    """Keep a log file beside the register, for support; rotated so it never fills the disk."""
    from logging.handlers import RotatingFileHandler

    try:
        logs.mkdir(parents=True, exist_ok=True)
        # A name that is not UTF-8 (a file, a folder) must not cost the record it is in: escaped, not lost.
        handler = RotatingFileHandler(logs / name, maxBytes=2_000_000, backupCount=3, encoding="utf-8",
                                      errors="backslashreplace")
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", logs, exc)
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
