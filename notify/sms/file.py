"""Tests and staging: one JSON line per message appended to a file, deduplicated on the idempotency key.

A line holds to, text, idempotency_key, time (ISO 8601, UTC), sender and gateway_id. A key already in the file
is not written again: the send succeeds with the gateway_id of the first line, like a gateway that deduplicates.
The file is locked while it is read and appended to (flock where the platform has it), so several threads or
processes can share one file.
"""

import contextlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

from notify.sms.base import SendResult, SmsBackend, SmsMessage

try:
    import fcntl
except ImportError:  # pragma: no cover (not on Windows)
    fcntl = None


class FileBackend(SmsBackend):
    verbose_name = _("File (tests)")
    _thread_lock = threading.Lock()

    def __init__(self, path: str | Path, *, sender: str = "file") -> None:
        super().__init__(sender=sender)
        self.path = Path(path)
        # The keys in the file, read incrementally: a send reads only the lines added since the last one, so a
        # long-lived file does not make each send slower (reading it whole took 27 ms at 10,000 lines).
        self._gateway_ids: dict[str, str] = {}
        self._read_upto = 0
        self._file_id: tuple[int, int] | None = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[BinaryIO]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, self.path.open("a+b") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def records(self) -> list[dict]:
        """Every well-formed line of the file (a line cut short by a crash is skipped)."""
        if not self.path.exists():
            return []
        with self._locked() as handle:
            return list(_records(handle))

    def _send(self, message: SmsMessage) -> SendResult:
        with self._locked() as handle:
            self._catch_up(handle)
            if message.idempotency_key in self._gateway_ids:
                gateway_id = self._gateway_ids[message.idempotency_key]
                return SendResult.success(gateway_id, detail="already in the file")
            gateway_id = f"file-{uuid.uuid4().hex}"
            record = {
                "to": message.to,
                "text": message.text,
                "idempotency_key": message.idempotency_key,
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "sender": self.sender,
                "gateway_id": gateway_id,
            }
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            end = handle.seek(0, os.SEEK_END)
            if end:
                handle.seek(end - 1)
                if handle.read(1) != b"\n":  # a line cut short by a crash must not swallow this one
                    line = b"\n" + line
            handle.write(line)
            handle.flush()
        return SendResult.success(gateway_id, detail=f"appended to {self.path.name}")

    def _catch_up(self, handle: BinaryIO) -> None:
        """Index the complete lines written since the last look (by this or any other process)."""
        stat = os.fstat(handle.fileno())
        file_id = (stat.st_dev, stat.st_ino)
        if file_id != self._file_id or stat.st_size < self._read_upto:  # a new or truncated file: start over
            self._file_id, self._read_upto = file_id, 0
            self._gateway_ids.clear()
        handle.seek(self._read_upto)
        for line in handle:
            if not line.endswith(b"\n"):
                break  # being written, or cut short by a crash: looked at again next time
            self._read_upto += len(line)
            record = _parse(line)
            if record is not None and "idempotency_key" in record:
                self._gateway_ids[str(record["idempotency_key"])] = str(record.get("gateway_id", ""))


def _parse(line: bytes) -> dict | None:
    try:
        record = json.loads(line.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is one
        return None
    return record if isinstance(record, dict) else None


def _records(handle: BinaryIO) -> Iterator[dict]:
    handle.seek(0)
    for line in handle:
        record = _parse(line)
        if record is not None:
            yield record
