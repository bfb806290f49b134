"""A fake Graph Send API + Zalo OpenAPI/OAuth on 127.0.0.1: a real HTTP server that records
every call and can be told to fail (5xx, slow answers, rate limits, invalid tokens, blocked users).

Used by the channel tests (in a thread) and by bench/webhook_load.py (as a process:
`python tests/channels/fake_platform.py --port N --fail-rate 0.3`).
"""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Call:
    service: str  # facebook | zalo | zalo_oauth
    path: str
    headers: dict
    body: object
    status: int = 200
    outcome: str = "ok"  # ok | the failure served
    at: float = field(default_factory=time.monotonic)
    message_id: str | None = None  # Messenger: the mid answered for an accepted message
    platform_ms: int | None = None  # ... and its time on the platform's clock (echo timestamp, read watermarks)


class FakePlatform:
    """State and behaviour; `wsgi` is the WSGI app. Plans are consumed one failure per send call."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.facebook_tokens: dict[str, str] = {}  # page token -> page id
        self.zalo_tokens: dict[str, str] = {}  # access token -> OA id
        self.zalo_refresh: dict[str, str] = {}  # refresh token -> OA id (single use)
        self.plan: list[str] = []  # failures to serve to the next send calls, in order
        self.fail_rate = 0.0  # random 5xx share of send calls (benchmark)
        self.random = random.Random(7)
        self.oauth_delay = 0.0
        self.slow_seconds = 2.0
        self.blocked: set[str] = set()  # user ids that blocked the page / OA
        self._ids = itertools.count(1)
        # outreach: approved templates, residents whose window the platform considers closed, and a
        # per-Page/OA send limit answered with the platform's rate-limit error (613 / -32) beyond it
        self.facebook_templates: set[str] = set()  # approved utility template names
        self.zalo_templates: set[str] = set()  # approved ZBS template ids
        self.outside_window: set[str] = set()  # PSIDs / Zalo user ids outside the messaging window
        self.rate_limit: int | None = None  # messages per second per Page/OA
        self.clock_offset_ms = 0  # the platform's clock against ours (Messenger times messages on its own)
        self._recent: dict[str, collections.deque] = {}

    # ------------------------------------------------------------------ inspection
    def sends(self, service: str) -> list[Call]:
        """Messages (not typing indicators) the platform accepted."""
        with self.lock:
            return [c for c in self.calls if c.service == service and c.outcome == "ok"
                    and isinstance(c.body, dict) and "message" in c.body]

    def attempts(self, service: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.service == service and isinstance(c.body, dict) and "message" in c.body]

    def template_sends(self) -> list[Call]:
        """Template messages accepted: Messenger utility templates and Zalo ZBS templates."""
        with self.lock:
            return [c for c in self.calls if c.outcome == "ok" and isinstance(c.body, dict) and (
                c.service == "zalo_template" or "template" in (c.body.get("message") or {}))]

    def _over_limit(self, owner: str) -> bool:
        """A sliding one-second window per Page/OA, as the platforms count their send limits."""
        if not self.rate_limit:
            return False
        now = time.monotonic()
        with self.lock:
            recent = self._recent.setdefault(owner, collections.deque())
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if len(recent) >= self.rate_limit:
                return True
            recent.append(now)
            return False

    def oauth_calls(self) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.service == "zalo_oauth"]

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.plan.clear()

    # ------------------------------------------------------------------ WSGI
    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path.endswith("/me/messages") and request.method == "POST":
            response = self._facebook(request)
        elif request.path == "/v3.0/oa/message/cs" and request.method == "POST":
            response = self._zalo(request, template=False)
        elif request.path == "/v3.0/oa/message/template" and request.method == "POST":
            response = self._zalo(request, template=True)
        elif request.path == "/v4/oa/access_token" and request.method == "POST":
            response = self._zalo_oauth(request)
        elif request.path.endswith("/me") and request.method == "GET":
            response = self._facebook_me(request)
        elif request.path == "/v2.0/oa/getoa" and request.method == "GET":
            response = self._zalo_getoa(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _record(self, service: str, request: Request, body: object) -> Call:
        call = Call(service, request.path, dict(request.headers), body)
        with self.lock:
            self.calls.append(call)
        return call

    def _next_failure(self) -> str | None:
        with self.lock:
            if self.plan:
                return self.plan.pop(0)
            if self.fail_rate and self.random.random() < self.fail_rate:
                return "http_500"
        return None

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, content_type="application/json")

    def _serve_failure(self, call: Call, failure: str, platform_error) -> Response | None:
        call.outcome = failure
        if failure == "http_500":
            call.status = 500
            return Response("<html>Internal Server Error</html>", status=500)
        if failure == "http_503":
            call.status = 503
            return Response("unavailable", status=503)
        if failure == "timeout":
            time.sleep(self.slow_seconds)
            call.status = 504
            return Response("too slow", status=504)
        return platform_error(failure)

    def _facebook(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        call = self._record("facebook", request, body)
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else request.args.get("access_token", "")
        page = self.facebook_tokens.get(token)
        call.headers["X-Page"] = page
        if page is None:
            call.outcome, call.status = "invalid_token", 400
            return self._fb_error(190, None, "Invalid OAuth access token.", 400)
        if isinstance(body, dict) and "sender_action" in body:
            call.outcome = "typing"
            return self._json({"recipient_id": body["recipient"]["id"]})
        failure = self._next_failure()
        if failure is None and isinstance(body, dict) and body.get("recipient", {}).get("id") in self.blocked:
            failure = "fb_551"
        if failure is None:
            failure = self._facebook_rules(body, page)
        if failure:
            return self._serve_failure(call, failure, lambda f: self._fb_named(call, f))
        call.message_id, call.platform_ms = f"m_{next(self._ids)}", int(time.time() * 1000) + self.clock_offset_ms
        return self._json({"recipient_id": body["recipient"]["id"], "message_id": call.message_id})

    # ------------------------------------------------------------------ Messenger webhooks it would send
    def echo_items(self, page: str) -> list[dict]:
        """`message_echoes` items for the Page's accepted messages: the platform's time of each."""
        return [{"sender": {"id": page}, "recipient": {"id": c.body["recipient"]["id"]}, "timestamp": c.platform_ms,
                 "message": {"is_echo": True, "app_id": 1517, "mid": c.message_id}}
                for c in self.sends("facebook") if c.headers.get("X-Page") == page and c.message_id]

    def read_item(self, page: str, psid: str, shift_ms: int = 0) -> dict:
        """The resident read everything the Page sent them so far: `read.watermark` is the platform's
        time of the last message (plus `shift_ms`: negative reads only up to before it)."""
        last = max(c.platform_ms for c in self.sends("facebook")
                   if c.headers.get("X-Page") == page and c.body["recipient"]["id"] == psid and c.platform_ms)
        return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": last + 1000,
                "read": {"watermark": last + shift_ms}}

    def _facebook_rules(self, body: dict, page: str) -> str | None:
        """Outreach rules: utility templates must be approved and only they pass outside the window."""
        message = body.get("message") or {}
        if "template" in message:
            if body.get("messaging_type") != "UTILITY" or message["template"].get("name") not in self.facebook_templates:
                return "fb_template"
        elif body.get("recipient", {}).get("id") in self.outside_window:
            return "fb_window"
        return "fb_rate_limit" if self._over_limit(f"facebook:{page}") else None

    def _fb_named(self, call: Call, failure: str) -> Response:
        code, subcode, text = {
            "fb_template": (100, None, "(#100) Template name does not exist or is not approved."),
            "fb_rate_limit": (613, None, "(#613) Calls to this api have exceeded the rate limit."),
            "fb_temporary": (1200, None, "Temporary send message failure. Please try again later."),
            "fb_551": (551, 1545041, "(#551) This person isn't available right now."),
            "fb_window": (10, 2018278, "This message is sent outside of allowed window."),
        }[failure]
        call.status = 400 if code != 1200 else 500
        return self._fb_error(code, subcode, text, call.status)

    def _fb_error(self, code: int, subcode: int | None, text: str, status: int) -> Response:
        error = {"message": text, "type": "OAuthException", "code": code, "fbtrace_id": "Afake"}
        if subcode:
            error["error_subcode"] = subcode
        return self._json({"error": error}, status)

    def _facebook_me(self, request: Request) -> Response:
        """GET /me with a Page token: the Page it opens (what `flask doctor` asks)."""
        self._record("facebook_me", request, None)
        auth = request.headers.get("Authorization", "")
        page = self.facebook_tokens.get(auth[len("Bearer "):] if auth.startswith("Bearer ") else "")
        if page is None:
            return self._fb_error(190, None, "Invalid OAuth access token.", 400)
        return self._json({"id": page})

    def _zalo_getoa(self, request: Request) -> Response:
        """GET /v2.0/oa/getoa with an access token: the OA it opens."""
        self._record("zalo_getoa", request, None)
        oa = self.zalo_tokens.get(request.headers.get("Access-Token", ""))
        if oa is None:
            return self._json({"error": -216, "message": "Access token is invalid"})
        return self._json({"error": 0, "message": "Success", "data": {"oa_id": oa, "name": "OA"}})

    def _zalo(self, request: Request, template: bool) -> Response:
        """A customer-service message to a follower (/message/cs) or a ZBS template by user id
        (/message/template, outreach.md §4.2): errors with HTTP 200, like the OA API."""
        body = request.get_json(silent=True)
        call = self._record("zalo_template" if template else "zalo", request, body)
        oa = self.zalo_tokens.get(request.headers.get("Access-Token", ""))
        call.headers["X-OA"] = oa
        if oa is None:
            call.outcome = "invalid_token"
            return self._json({"error": -216, "message": "Access token is invalid"})
        failure = self._next_failure() or self._zalo_rules(body, template)
        if failure is None and self._over_limit(f"zalo:{oa}"):
            failure = "zalo_-32"
        if failure:
            return self._serve_failure(call, failure, lambda f: self._json(
                {"error": int(f.split("_", 1)[1]), "message": f"fake error {f}"}))
        data = {"message_id": f"{'t' if template else 'z'}{next(self._ids)}",
                "user_id": body["user_id"] if template else body["recipient"]["user_id"],
                "sent_time": str(int(time.time() * 1000))}
        if template:
            data["quota"] = {"quota_type": "purchase_quota", "remain": 4821}
        return self._json({"error": 0, "message": "Success", "data": data})

    def _zalo_rules(self, body: object, template: bool) -> str | None:
        """A template must be approved; a blocked follower or one outside the window is refused."""
        if template:
            if not isinstance(body, dict) or body.get("template_id") not in self.zalo_templates:
                return "zalo_-131"
            return "zalo_-114" if body.get("user_id") in self.blocked else None
        user = (body.get("recipient") or {}).get("user_id") if isinstance(body, dict) else None
        if user in self.blocked:
            return "zalo_-227"
        return "zalo_-230" if user in self.outside_window else None

    def _zalo_oauth(self, request: Request) -> Response:
        form = request.form.to_dict()
        call = self._record("zalo_oauth", request, form)
        time.sleep(self.oauth_delay)
        with self.lock:
            oa = self.zalo_refresh.pop(form.get("refresh_token", ""), None)
            if oa is None or form.get("grant_type") != "refresh_token":
                call.outcome = "invalid_refresh"
                return self._json({"error": -14014, "error_name": "Invalid refresh token", "message": "invalid"})
            # the replaced access token dies with the old refresh token
            for token, owner in list(self.zalo_tokens.items()):
                if owner == oa:
                    del self.zalo_tokens[token]
            n = next(self._ids)
            access, refresh = f"zat-{oa}-{n}", f"zrt-{oa}-{n}"
            self.zalo_tokens[access] = oa
            self.zalo_refresh[refresh] = oa
        return self._json({"access_token": access, "refresh_token": refresh, "expires_in": "90000"})


class KeepUnderscoreHeaders(WSGIRequestHandler):
    """Zalo's headers are `access_token` and `secret_key`; werkzeug drops underscored headers
    (anti-spoofing) and would hide exactly what the fake must check. HTTP/1.1 keeps
    connections alive, as the real APIs do."""

    protocol_version = "HTTP/1.1"

    def make_environ(self):
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ["HTTP_" + key.upper().replace("-", "_")] = value
        return environ


class FakePlatformServer:
    """The fake platform served on 127.0.0.1 in a background thread."""

    def __init__(self, platform: FakePlatform | None = None, port: int = 0) -> None:
        self.platform = platform or FakePlatform()
        self.server = make_server("127.0.0.1", port, self.platform.wsgi, threaded=True,
                                  request_handler=KeepUnderscoreHeaders)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakePlatform:
        self.thread.start()
        return self.platform

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    """Run as a process (benchmark): tokens from --facebook TOKEN=PAGE and --zalo TOKEN=OA."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--facebook", action="append", default=[])
    parser.add_argument("--zalo", action="append", default=[])
    parser.add_argument("--rate-limit", type=int, default=0, help="messages per second per Page/OA (0: none)")
    parser.add_argument("--facebook-template", action="append", default=[])
    parser.add_argument("--zalo-template", action="append", default=[])
    parser.add_argument("--outside-window", default="", help="file of user ids outside the window, one a line")
    args = parser.parse_args()
    platform = FakePlatform()
    platform.fail_rate = args.fail_rate
    platform.rate_limit = args.rate_limit or None
    platform.facebook_templates = set(args.facebook_template)
    platform.zalo_templates = set(args.zalo_template)
    if args.outside_window:
        with open(args.outside_window, encoding="utf-8") as f:
            platform.outside_window = {line.strip() for line in f if line.strip()}
    platform.facebook_tokens = dict(pair.split("=", 1) for pair in args.facebook)
    platform.zalo_tokens = dict(pair.split("=", 1) for pair in args.zalo)
    server = make_server("127.0.0.1", args.port, stats_app(platform), threaded=True,
                         request_handler=KeepUnderscoreHeaders)
    server.serve_forever()


def bench_app(fail_rate: str = "0", facebook: str = "", zalo: str = "", rate_limit: int = 0,
              facebook_templates: str = "", zalo_templates: str = ""):
    """For `gunicorn -w 1 -k gthread` (the benchmarks): keep-alive connections as the real APIs offer,
    which werkzeug's development server does not. Token pairs are comma-separated TOKEN=ID; templates
    comma-separated names / ids; `rate_limit` messages per second per Page/OA (0: none)."""
    platform = FakePlatform()
    platform.fail_rate = float(fail_rate)
    platform.rate_limit = int(rate_limit) or None
    platform.facebook_templates = {t for t in facebook_templates.split(",") if t}
    platform.zalo_templates = {t for t in zalo_templates.split(",") if t}
    platform.facebook_tokens = dict(pair.split("=", 1) for pair in facebook.split(",") if pair)
    platform.zalo_tokens = dict(pair.split("=", 1) for pair in zalo.split(",") if pair)
    return stats_app(platform)


def stats_app(platform: FakePlatform):
    """The fake platform plus GET /_stats: accepted messages per (service, recipient, text)."""
    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_stats":
            with platform.lock:
                sends = [c for c in platform.calls if isinstance(c.body, dict)
                         and ("message" in c.body or c.service == "zalo_template")]
                ok = [c for c in sends if c.outcome == "ok"]
                data = {"attempts": len(sends), "rejected": collections.Counter(c.outcome for c in sends if c.outcome != "ok"),
                        "accepted": [[c.service, json.dumps(c.body.get("recipient") or {"user_id": c.body.get("user_id")}),
                                      c.at] for c in ok]}
            return Response(json.dumps(data), content_type="application/json")(environ, start_response)
        return platform.wsgi(environ, start_response)
    return app


if __name__ == "__main__":
    main()
