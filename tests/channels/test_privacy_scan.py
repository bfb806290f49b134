"""Personal data, looked for everywhere: a resident fills a guided form on Messenger (through the fake
platform, real HTTP and the real job queue) and another on the web chat; then every column of every
table, the conversation state and the captured log are searched for the values they typed.
Found only sealed (Fernet); after "xóa dữ liệu của tôi", found nowhere, sealed or not."""
from __future__ import annotations

import itertools
import json
import logging
import re
from datetime import datetime, timedelta, timezone

from conftest import PAGE_A, fb_body, message_text, now_ms, seed, signed_fb
from sqlalchemy import select, text, update

from bot.state import state_key
from infra import sealing
from infra.db import session_scope
from infra.models import Base, MessageLog, TranscriptLine
from procedures.prefill_models import HandoffPageEvent

# as typed, and as the bot stores them after validation
TYPED = ("trần thị hoa", "5/6/1995", "0010 9501 2345", "+84 987 654 321")
NEEDLES = ("trần thị hoa", "5/6/1995", "05/06/1995", "001095012345", "0987654321", "987654321")
FORM = ("để kết hôn", "chưa", "chưa", "không")  # the marital-status flow up to its result
_mids = itertools.count(1)


def _flat(value: object) -> str:
    """A cell as searchable text: lower case, digits separated by spaces, dots or dashes joined."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text_ = str(value).casefold()
    return text_ + "\n" + re.sub(r"(?<=\d)[ .\-]+(?=\d)", "", text_).replace("+84", "0")


def _found(value: object) -> list[str]:
    flat = _flat(value)
    return [needle for needle in NEEDLES if needle in flat]


def _opened(value: object) -> list[object]:
    """Whatever a cell holds sealed, opened with every purpose's key."""
    raw = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    tokens = re.findall(r"gAAAAA[\w\-=]+", raw)
    return [opened for token in tokens for purpose in sealing.PURPOSES
            if (opened := sealing.unseal(token, purpose)) is not None]


def scan(app) -> tuple[list, list]:
    """(clear, sealed): where the values are in clear, and where only once unsealed."""
    clear, sealed = [], []
    with app.app_context(), session_scope() as db:
        for table in Base.metadata.sorted_tables:
            for row in db.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    if found := _found(value):
                        clear.append((table.name, column, found))
                    if "/go/" in _flat(value):  # a bearer link to the prepared page is as good as the data
                        clear.append((table.name, column, ["/go/"]))
                    for opened in _opened(value):
                        if found := _found(opened):
                            sealed.append((table.name, column, found))
    return clear, sealed


def store_values(app, residents) -> list[str]:
    """Conversation state of the residents, and (Redis) every string and list in the keyspace."""
    store = app.extensions["store"]
    values = [store.get(key) or "" for key in residents]
    client = getattr(store, "redis", None) or getattr(store, "_redis", None)
    if client is not None:
        for key in client.scan_iter():
            kind = client.type(key)
            if kind in (b"string", "string"):
                values.append(str(client.get(key)))
            elif kind in (b"list", "list"):
                values += [str(item) for item in client.lrange(key, 0, -1)]
    return values


class Messenger:
    """A resident on the commune's Facebook Page: each message goes through the webhook and the jobs."""

    def __init__(self, live, fake, psid: str) -> None:
        self.live, self.fake, self.psid = live, fake, psid

    def _send(self, message: dict) -> list[str]:
        before = len(self.fake.sends("facebook"))
        item = {"sender": {"id": self.psid}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
                "message": {"mid": f"m_privacy_{next(_mids)}", **message}}
        raw, headers = signed_fb(fb_body(PAGE_A, item))
        assert self.live.post("/webhooks/facebook", raw, headers).status_code == 200
        self.live.run_jobs()
        return [message_text(c.body["message"]) for c in self.fake.sends("facebook")[before:]]

    def say(self, words: str) -> list[str]:
        return self._send({"text": words})

    def tap(self, payload: str) -> list[str]:
        return self._send({"text": payload, "quick_reply": {"payload": payload}})


def _webchat(client, user: str, **body) -> list[dict]:
    response = client.post("/webchat/messages?commune=xa-a", json={"user": user, **body})
    assert response.status_code == 200
    return response.get_json()["replies"]


def _fill_form_on_messenger(resident: Messenger) -> list[str]:
    resident.say("xác nhận tình trạng hôn nhân")
    resident.tap("FLOW:start:tinh-trang-hon-nhan")
    for answer in FORM:
        resident.say(answer)
    resident.tap("FLOW:prefill")
    received = []
    for value in TYPED:
        received += resident.say(value)
    return received + resident.say("đúng")


def _fill_form_on_the_web(client, user: str) -> str:
    _webchat(client, user, text="xác nhận tình trạng hôn nhân")
    _webchat(client, user, payload="FLOW:start:tinh-trang-hon-nhan")
    for answer in FORM:
        _webchat(client, user, text=answer)
    _webchat(client, user, payload="FLOW:prefill")
    replies = [r for value in TYPED for r in _webchat(client, user, text=value)]
    summary = "\n".join(r["text"] for r in replies)
    _webchat(client, user, text="đúng")
    return summary


def test_form_details_are_kept_only_sealed_and_erased_everywhere(live, fake, caplog):
    caplog.set_level(logging.DEBUG)
    app = live.app
    messenger = Messenger(live, fake, "psid-privacy")
    received = "\n".join(_fill_form_on_messenger(messenger))
    # the resident reads their own details on the platform ...
    assert "Trần Thị Hoa" in received and "001095012345" in received and "0987654321" in received
    web = app.test_client()
    summary = _fill_form_on_the_web(web, "web-privacy")
    assert "Trần Thị Hoa" in summary and "05/06/1995" in summary

    # ... and nothing keeps them in clear: transcripts and delivery rows hold the field names
    clear, sealed = scan(app)
    assert clear == [], clear
    assert {table for table, _column, _found in sealed} == {"prefill_records"}, sealed
    with app.app_context(), session_scope() as db:
        lines = db.scalars(select(TranscriptLine.text).where(TranscriptLine.user_id == "psid-privacy")).all()
    assert "[họ và tên]" in lines and any("1. Họ và tên: [họ và tên]" in line for line in lines), lines
    states = [state_key(r) for r in (_who("facebook", "psid-privacy"), _who("webchat", "web-privacy"))]
    assert [v for v in store_values(app, states) if _found(v) or any(_found(o) for o in _opened(v))] == []
    assert _found(caplog.text) == []

    [page] = {path for c in fake.sends("facebook") for path in re.findall(r"/go/[\w.\-]+", json.dumps(c.body))}
    assert web.get(page).status_code == 200  # the resident opens their page
    with app.app_context(), session_scope() as db:  # when the page was sent and opened: Messenger only, no data
        assert sorted((e.kind, e.channel) for e in db.scalars(select(HandoffPageEvent))) == [
            ("opened", "facebook"), ("prepared", "facebook")]

    confirmation = "\n".join(messenger.say("xóa dữ liệu của tôi"))
    assert "thông tin bạn đã chuẩn bị cho biểu mẫu (1)" in confirmation and "lịch sử trò chuyện" in confirmation
    assert "trang hồ sơ đã chuẩn bị được gửi và được mở (2)" in confirmation
    web_confirmation = _webchat(web, "web-privacy", text="xóa dữ liệu của tôi")[0]["text"]
    assert "thông tin bạn đã chuẩn bị cho biểu mẫu (1)" in web_confirmation

    clear, sealed = scan(app)
    assert clear == [] and sealed == [], (clear, sealed)
    assert [v for v in store_values(app, states) if _found(v) or any(_found(o) for o in _opened(v))] == []
    assert _found(caplog.text) == []
    with app.app_context(), session_scope() as db:
        kept = db.scalars(select(TranscriptLine.text).where(TranscriptLine.user_id.in_(["psid-privacy", "web-privacy"])))
        assert kept.all() == []  # the erase turn leaves no line either
        assert db.scalars(select(HandoffPageEvent)).all() == []
        assert db.scalar(select(MessageLog.id).where(MessageLog.text.like("%hôn nhân%"))) is None


def _who(channel: str, user: str):
    from bot.privacy import ResidentId

    return ResidentId(channel=channel, commune="xa-a", user=user)


def test_a_second_erase_says_nothing_is_left(app, client):

    seed(app)
    _webchat(client, "web-twice", text="xác nhận tình trạng hôn nhân")
    first = _webchat(client, "web-twice", text="xóa dữ liệu của tôi")[0]["text"]
    assert "lịch sử trò chuyện" in first
    second = _webchat(client, "web-twice", text="xóa dữ liệu của tôi")[0]["text"]
    assert second.startswith("Không có dữ liệu nào của bạn"), second


def test_export_cli_and_retention_purge(app, runner, client):

    seed(app)
    _webchat(client, "web-export", text="giờ làm việc của xã")
    result = runner.invoke(args=["privacy", "export", "--channel", "webchat", "--commune", "xa-a",
                                 "--user", "web-export"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [line["from"] for line in data["conversation"]][:2] == ["in", "bot"]
    assert data["logged_questions"][0]["text"] == "giờ làm việc của xã"
    old = datetime.now(timezone.utc) - timedelta(days=app.config["RETENTION_DAYS"] + 1)
    with app.app_context(), session_scope() as db:
        db.execute(update(TranscriptLine).values(created_at=old))
        db.execute(update(MessageLog).values(created_at=old))
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and json.loads(result.output)["transcript_lines"] >= 2, result.output
    with app.app_context(), session_scope() as db:
        assert db.execute(text("SELECT count(*) FROM transcript_lines")).scalar() == 0
        assert db.scalar(select(MessageLog.text).where(MessageLog.text.is_not(None))) is None
        assert db.scalar(select(MessageLog.id)) is not None  # the statistics keep the decision

