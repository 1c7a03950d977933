"""Fake Kavenegar and SMS.ir servers on 127.0.0.1, answering like the real gateways' public HTTP APIs.

    with FakeKavenegar(api_key="k", lines=("10004346",)) as gateway:
        gateway.answer_next(411)           # the next send is refused with return.status 411
        gateway.time_out_next(delay=2)     # the next send is accepted, but the answer comes after 2 s
        gateway.malformed_next("html")     # an HTML page instead of JSON
        gateway.http_error_next(503)       # a bare 5xx from a proxy in front
        backend = KavenegarBackend(api_key="k", sender="10004346", base_url=gateway.url, timeout=0.5)
    # after the block (or gateway.stop()) the port refuses connections

Each fake records every request it received (method, path, headers, parsed body) in .requests and every message
it really "sent" in .deliveries, so tests can assert what went out and that a retry did not send twice.
Kavenegar's dedup is implemented as its documentation describes localid: a send repeating a localid already seen
is not sent again and is answered with the earlier message. SMS.ir's send/bulk has no client-side id, so its fake,
like the real gateway, sends every request it accepts.
"""

import itertools
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

KAVENEGAR_MESSAGES = {
    200: "تایید شد",
    400: "پارامترها ناقص هستند",
    401: "حساب کاربری غیرفعال شده است",
    402: "عملیات ناموفق بود",
    403: "کد شناسایی API-Key معتبر نیست",
    404: "متد نامشخص است",
    405: "متد Get/Post اشتباه است",
    406: "پارامترهای اجباری خالی هستند",
    407: "دسترسی به اطلاعات مورد نظر ممکن نیست",
    409: "سرور قادر به پاسخ‌گویی نیست، بعدا تلاش کنید",
    411: "دریافت کننده نامعتبر است",
    412: "ارسال کننده نامعتبر است",
    413: "پیام خالی است یا طول آن بیش از حد مجاز است",
    414: "حجم درخواست بیش از حد مجاز است",
    415: "اندیس شروع بزرگ‌تر از تعداد کل است",
    416: "IP سرویس مبدا با تنظیمات مطابقت ندارد",
    417: "تاریخ ارسال اشتباه است",
    418: "اعتبار شما کافی نیست",
    419: "طول آرایه‌ها برابر نیست",
    420: "استفاده از لینک در متن پیام محدود شده است",
    422: "داده‌ها به دلیل کاراکتر نامناسب قابل پردازش نیست",
    424: "الگوی مورد نظر پیدا نشد",
    426: "این متد نیازمند سرویس پیشرفته است",
    427: "این خط نیازمند سطح دسترسی است",
    428: "ارسال کد از طریق تماس ممکن نیست",
    429: "IP محدود شده است",
    431: "ساختار کد صحیح نیست",
    432: "پارامتر کد در متن پیام پیدا نشد",
    451: "فراخوانی بیش از حد در بازه زمانی، IP محدود شده",
    501: "فقط ارسال پیام تست به شماره صاحب حساب ممکن است",
    607: "نام تگ اشتباه است",
}

SMSIR_MESSAGES = {
    0: "درخواست شما با خطا مواجه شد",
    1: "موفق",
    10: "کلید وب سرویس نامعتبر است",
    11: "کلید وب سرویس غیرفعال است",
    12: "کلید وب سرویس محدود به آی‌پی‌های تعریف شده است",
    13: "حساب کاربری غیرفعال است",
    14: "حساب کاربری در حالت تعلیق است",
    15: "پلن خود را ارتقا دهید",
    16: "مقدار پارامتر نادرست است",
    20: "تعداد درخواست بیش از حد مجاز است",
    101: "شماره خط نامعتبر است",
    102: "اعتبار کافی نیست",
    103: "متن خالی است",
    104: "موبایل نادرست است",
    105: "تعداد موبایل‌ها بیش از حد مجاز است",
    106: "تعداد متن‌ها بیش از حد مجاز است",
    107: "لیست موبایل‌ها خالی است",
    108: "لیست متن‌ها خالی است",
    109: "زمان ارسال نامعتبر است",
    110: "تعداد موبایل‌ها و متن‌ها برابر نیست",
    111: "با این شناسه ارسالی ثبت نشده است",
    112: "رکوردی برای حذف یافت نشد",
    113: "قالب یافت نشد",
    114: "طول مقدار پارامتر بیش از حد مجاز است",
    115: "شماره موبایل در لیست سیاه است",
    116: "پارامترهای قالب مقداردهی نشده است",
    117: "متن مورد تایید نیست",
    118: "تعداد پیام‌ها بیش از حد مجاز است",
    119: "پلن خود را ارتقا دهید",
    123: "خط ارسال‌کننده نیاز به فعال‌سازی دارد",
    124: "فقط ارسال OTP ممکن است",
}

_HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
    b"<hr><center>nginx</center></body></html>"
)
_IRANIAN_NATIONAL_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)
_SMSIR_MOBILE = re.compile(r"(?:\+98|0098|98|0)?9[0-9]{9}", re.ASCII)


@dataclass
class RecordedRequest:
    method: str
    path: str  # with the query string; for Kavenegar it holds the API key, as on the real gateway
    headers: Message  # case-insensitive, as HTTP header names are (urllib sends "X-api-key")
    raw_body: bytes
    body: object  # parsed: a dict of single values for a form, the JSON value for JSON, else None


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Scripted:
    kind: str  # "status" | "timeout" | "malformed" | "http"
    deliver: bool
    status: int = 0
    delay: float = 0.0
    variant: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a slow answer closes its end; that is the point of the test


class _Handler(BaseHTTPRequestHandler):
    gateway: "FakeGateway"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        record = RecordedRequest(
            method=self.command,
            path=self.path,
            headers=self.headers,
            raw_body=raw,
            body=_parse_body(self.headers.get("Content-Type", ""), raw),
        )
        reply = self.gateway.respond(record)
        if reply is None:
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


def _parse_body(content_type: str, raw: bytes) -> object:
    if "application/x-www-form-urlencoded" in content_type:
        return {name: values[0] for name, values in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    if "json" in content_type:
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            return None
    return None


def _json(status: int, value: object) -> Reply:
    return Reply(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))


class FakeGateway:
    """The thread, the recording and the per-test script; subclasses answer like their gateway."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.deliveries: list[dict] = []
        self._script: deque[_Scripted] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- life ---------------------------------------------------------------------------------------------------
    def start(self, port: int | None = None) -> "FakeGateway":
        """Listen on a free port the first time, and on the same port again after stop(), like a gateway back up."""
        handler = type("Handler", (_Handler,), {"gateway": self})
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._port if port is None else port), handler)
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering: from now on a connection to url is refused."""
        self._stopping.set()  # wakes handlers sleeping in a scripted timeout
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}{self.prefix}"

    prefix = ""

    # -- the script ---------------------------------------------------------------------------------------------
    def answer_next(self, status: int) -> None:
        """The next request is refused by the gateway with this status (nothing is sent)."""
        self._script.append(_Scripted("status", deliver=False, status=status))

    def time_out_next(self, delay: float, deliver: bool = True) -> None:
        """The next request is handled (and sent, unless deliver=False), but the answer leaves after delay seconds."""
        self._script.append(_Scripted("timeout", deliver=deliver, delay=delay))

    def malformed_next(self, variant: str = "html", deliver: bool | None = None) -> None:
        """The next answer is not the gateway's JSON: "html" (a proxy page, nothing sent), "truncated" (the real
        answer cut off in the middle, after the message was sent) or "empty" (HTTP 200 and no body)."""
        if deliver is None:
            deliver = variant == "truncated"
        self._script.append(_Scripted("malformed", deliver=deliver, variant=variant))

    def http_error_next(self, status: int = 502, body: bytes = _HTML_PAGE, headers: dict | None = None) -> None:
        """The next answer is this bare HTTP status, as from a proxy in front of the gateway (nothing sent)."""
        content_type = "text/html" if body.lstrip().startswith(b"<") else "text/plain"
        self._script.append(
            _Scripted("http", deliver=False, status=status, body=body, variant=content_type, headers=headers or {})
        )

    # -- answering ----------------------------------------------------------------------------------------------
    def respond(self, record: RecordedRequest) -> Reply | None:
        with self._lock:
            self.requests.append(record)
            scripted = self._script.popleft() if self._script else None
            if scripted is not None and scripted.kind == "status":
                return self.error(scripted.status)
            if scripted is not None and scripted.kind == "http":
                return Reply(scripted.status, scripted.body, scripted.variant, scripted.headers)
            if scripted is None or scripted.deliver:
                reply = self.handle(record)
            else:
                reply = self.error(self.busy_status)
        if scripted is None:
            return reply
        if scripted.kind == "timeout":
            self._stopping.wait(scripted.delay)  # outside the lock: the client's retry must get through meanwhile
            return reply
        if scripted.variant == "html":
            return Reply(200, _HTML_PAGE, "text/html")
        if scripted.variant == "empty":
            return Reply(200, b"")
        return Reply(200, self.truncate(reply.body))

    def truncate(self, body: bytes) -> bytes:
        return body[: len(body) // 2]

    busy_status = 0

    def handle(self, record: RecordedRequest) -> Reply:
        raise NotImplementedError

    def error(self, status: int) -> Reply:
        raise NotImplementedError


class FakeKavenegar(FakeGateway):
    """POST /v1/{API-KEY}/sms/send.json with receptor, message, sender, localid (form-encoded or query)."""

    prefix = "/v1"
    busy_status = 409

    def __init__(self, api_key: str = "test-kavenegar-key", lines: tuple[str, ...] = ("10004346",)) -> None:
        super().__init__()
        self.api_key = api_key
        self.lines = lines
        self._message_ids = itertools.count(8792343)
        self._by_localid: dict[str, list[dict]] = {}

    def error(self, status: int) -> Reply:
        message = KAVENEGAR_MESSAGES.get(status, "خطای ناشناخته")
        return _json(status, {"return": {"status": status, "message": message}, "entries": None})

    def handle(self, record: RecordedRequest) -> Reply:
        match = re.fullmatch(r"/v1/([^/]+)/sms/send\.json", urlsplit(record.path).path)
        if match is None:
            return self.error(404)
        if unquote(match.group(1)) != self.api_key:
            return self.error(403)
        if record.method not in ("GET", "POST"):
            return self.error(405)
        params = {name: values[0] for name, values in parse_qs(urlsplit(record.path).query).items()}
        if isinstance(record.body, dict):
            params.update(record.body)
        receptors = [r.strip() for r in params.get("receptor", "").split(",") if r.strip()]
        text = params.get("message", "")
        sender = params.get("sender") or self.lines[0]
        localids = [v.strip() for v in params.get("localid", "").split(",") if v.strip()]
        if not receptors or not text:
            return self.error(400)
        if any(_IRANIAN_NATIONAL_MOBILE.fullmatch(r) is None for r in receptors):
            return self.error(411)
        if sender not in self.lines:
            return self.error(412)
        if any(not v.isdigit() for v in localids) or (localids and len(localids) != len(receptors)):
            return self.error(400)
        key = ",".join(localids)
        if key and key in self._by_localid:  # the documented dedup: not sent again, the earlier message is returned
            return _json(
                200, {"return": {"status": 200, "message": KAVENEGAR_MESSAGES[200]}, "entries": self._by_localid[key]}
            )
        entries = []
        for receptor in receptors:
            entry = {
                "messageid": next(self._message_ids),
                "message": text,
                "status": 1,
                "statustext": "در صف ارسال",
                "sender": sender,
                "receptor": receptor,
                "date": int(time.time()),
                "cost": 120,
            }
            entries.append(entry)
            self.deliveries.append(
                {"id": entry["messageid"], "to": receptor, "text": text, "sender": sender, "localid": key}
            )
        if key:
            self._by_localid[key] = entries
        return _json(200, {"return": {"status": 200, "message": KAVENEGAR_MESSAGES[200]}, "entries": entries})

    def truncate(self, body: bytes) -> bytes:
        """Cut in the middle of the echoed text, the nastiest place for a client that quotes what it got."""
        marker = b'"message": "'
        at = body.rfind(marker)
        if at < 0:
            return super().truncate(body)
        return body[: at + len(marker) + 12]


class FakeSmsIr(FakeGateway):
    """POST /v1/send/bulk, header X-API-KEY, JSON {"lineNumber", "messageText", "mobiles", "sendDateTime"}."""

    prefix = "/v1"
    busy_status = 0

    def __init__(self, api_key: str = "test-smsir-key", lines: tuple[int, ...] = (30007732000000,)) -> None:
        super().__init__()
        self.api_key = api_key
        self.lines = lines
        self._message_ids = itertools.count(86522023)

    @staticmethod
    def http_status_for(status: int) -> int:
        """Documented: 400 logical error, 401 authentication, 429 too many requests, 500 unexpected error."""
        if status == 1:
            return 200
        if 10 <= status <= 15:
            return 401
        if status == 20:
            return 429
        if status == 0:
            return 500
        return 400

    def error(self, status: int) -> Reply:
        message = SMSIR_MESSAGES.get(status, "خطای ناشناخته")
        return _json(self.http_status_for(status), {"status": status, "message": message, "data": None})

    def handle(self, record: RecordedRequest) -> Reply:
        if urlsplit(record.path).path != "/v1/send/bulk":
            return Reply(404, b"", "text/plain")
        if record.headers.get("X-API-KEY") != self.api_key:
            return self.error(10)
        if record.method != "POST":
            return Reply(405, b"", "text/plain")
        body = record.body
        if not isinstance(body, dict):
            return self.error(16)
        line = body.get("lineNumber")
        text = body.get("messageText")
        mobiles = body.get("mobiles")
        if isinstance(line, str) and line.isdigit():
            line = int(line)
        if line not in self.lines:
            return self.error(101)
        if not isinstance(mobiles, list) or not mobiles:
            return self.error(107)
        if len(mobiles) > 100:
            return self.error(105)
        if not isinstance(text, str) or not text.strip():
            return self.error(103)
        if any(not isinstance(m, str) or _SMSIR_MOBILE.fullmatch(m) is None for m in mobiles):
            return self.error(104)
        ids = []
        for mobile in mobiles:
            message_id = next(self._message_ids)
            ids.append(message_id)
            self.deliveries.append({"id": message_id, "to": mobile, "text": text, "line": line})
        data = {"packId": str(uuid.uuid4()), "messageIds": ids, "cost": float(len(ids))}
        return _json(200, {"status": 1, "message": SMSIR_MESSAGES[1], "data": data})
