"""No log record, traceback or crash log carries a full ID or mobile number."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from wuye_desktop.storage import log_redaction, redact

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """A handler added after ``install``, as a log file or crash report would be."""
    log_redaction.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("wuye_desktop.test_redaction")
    logger.addHandler(handler)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)


def test_messages_and_their_arguments_are_masked(captured: io.StringIO) -> None:
    log = logging.getLogger("wuye_desktop.test_redaction")
    log.warning("party %s phone %s", ID_NUMBER, MOBILE)
    log.warning(f"Key (id_number)=({ID_NUMBER}) already exists")
    text = captured.getvalue()
    assert ID_NUMBER not in text and MOBILE not in text
    assert "110***********002X" in text and "138****5678" in text


def test_tracebacks_are_masked(captured: io.StringIO) -> None:
    log = logging.getLogger("wuye_desktop.test_redaction")
    try:
        raise ValueError(f"bad party {ID_NUMBER} / {MOBILE}")
    except ValueError:
        log.exception("saving failed")
    text = captured.getvalue()
    assert "Traceback" in text and "ValueError" in text
    assert ID_NUMBER not in text and MOBILE not in text


def test_the_filter_masks_records_made_before_install() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "call %s", (MOBILE,), None)
    assert log_redaction.RedactingFilter().filter(record)
    assert record.getMessage() == "call 138****5678"


def test_installing_twice_masks_once() -> None:
    log_redaction.install()
    factory = logging.getLogRecordFactory()
    log_redaction.install()
    assert logging.getLogRecordFactory() is factory
    record = factory("x", logging.INFO, __file__, 1, "%s", (ID_NUMBER,), None)
    assert record.getMessage() == "110***********002X"


def test_the_command_line_installs_it(tmp_path, entry_faulthandler) -> None:  # type: ignore[no-untyped-def]
    from wuye_desktop.cli import main

    previous = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)  # as a fresh process starts
    try:
        assert main(["--data-dir", str(tmp_path / "data"), "init"]) == 0
        record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "caller %s", (MOBILE,), None)
    finally:
        logging.setLogRecordFactory(previous)
    assert record.getMessage() == "caller 138****5678"


@pytest.mark.parametrize("typed", [
    "+86 139 8765 4321", "139-8765-4321", "１３９８７６５４３２１", "420106 19850612 0012", "420106850612001",
    "0714-6228899转123", "住3栋2单元501室",
])
def test_every_spelling_of_a_number_is_masked_in_a_log_line(captured: io.StringIO, typed: str) -> None:
    log = logging.getLogger("wuye_desktop.test_redaction")
    log.error("saving case failed: facts=%r", f"张三（{typed}）称楼上漏水")
    line = captured.getvalue()
    assert typed not in line and "张三" in line and "楼上漏水" in line
    assert not redact.find(line), line
