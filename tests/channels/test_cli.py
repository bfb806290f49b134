"""`flask --app app communes add|list|set`: tenancy and encrypted tokens."""
from __future__ import annotations

import json

from cryptography.fernet import Fernet
from sqlalchemy import select

from channels import crypto
from channels.models import ChannelAccount
from infra.db import session_scope


def test_add_list_set_keeps_tokens_encrypted(app, runner):
    result = runner.invoke(args=["communes", "add", "xa-c", "--name", "Xã Cát Tiên", "--address", "Thôn 1",
                                 "--phone", "0263 111", "--office-hours", '{"days": [0,1,2,3,4], "periods": [["07:30","11:30"]]}',
                                 "--facebook-page-id", "555", "--facebook-page-token", "fb-secret-token",
                                 "--zalo-oa-id", "777", "--zalo-access-token", "za-secret",
                                 "--zalo-refresh-token", "zr-secret", "--zalo-expires-in", "90000"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["communes", "list", "--json"])
    row = json.loads(listed.output.strip().splitlines()[-1])
    assert row["slug"] == "xa-c" and row["office_hours"]["days"] == [0, 1, 2, 3, 4]
    assert row["facebook"] == {"id": "555", "access_token": "set", "refresh_token": None, "expires_at": None}
    assert row["zalo"]["id"] == "777" and row["zalo"]["refresh_token"] == "set"
    assert row["police"] == {"name": None, "address": None, "phone": None, "hours": None}
    assert "secret" not in listed.output
    # a token read from standard input replaces the old one
    changed = runner.invoke(args=["communes", "set", "xa-c", "--facebook-page-token", "-", "--phone", "0263 222"],
                            input="fb-new-token\n")
    assert changed.exit_code == 0, changed.output
    with app.app_context(), session_scope() as db:
        rows = {a.platform: a for a in db.scalars(select(ChannelAccount))}
        assert "fb-new-token" not in rows["facebook"].access_token
        assert crypto.decrypt(rows["facebook"].access_token) == "fb-new-token"
        assert crypto.decrypt(rows["zalo"].refresh_token) == "zr-secret"
    # the commune police post: its own name, address, phone and hours
    police = runner.invoke(args=["communes", "set", "xa-c", "--police-name", "Công an xã Cát Tiên", "--police-address",
                                 "Thôn 2", "--police-phone", "069 1", "--police-hours",
                                 '{"days": [0,1,2,3,4,5], "periods": [["07:00","11:00"]]}'])
    assert police.exit_code == 0, police.output
    row = json.loads(runner.invoke(args=["communes", "list", "--json"]).output.strip().splitlines()[-1])
    assert row["police"] == {"name": "Công an xã Cát Tiên", "address": "Thôn 2", "phone": "069 1",
                             "hours": {"days": [0, 1, 2, 3, 4, 5], "periods": [["07:00", "11:00"]]}}


def test_clear_errors(app, runner):
    assert "no commune" in runner.invoke(args=["communes", "set", "nowhere", "--name", "x"]).output
    assert "needs --name" in runner.invoke(args=["communes", "add", "xa-d"]).output
    runner.invoke(args=["communes", "add", "xa-d", "--name", "D", "--facebook-page-id", "1", "--facebook-page-token", "t"])
    taken = runner.invoke(args=["communes", "add", "xa-e", "--name", "E", "--facebook-page-id", "1"])
    assert taken.exit_code != 0 and "already belongs" in taken.output
    assert "invalid" in runner.invoke(args=["communes", "set", "xa-d", "--office-hours", "nope"]).output.lower()


def test_missing_or_wrong_key_is_explained(make_app, channel_settings):
    app = make_app(TOKEN_ENCRYPTION_KEY=None)
    result = app.test_cli_runner().invoke(args=["communes", "add", "xa-f", "--name", "F",
                                                "--facebook-page-id", "9", "--facebook-page-token", "t"])
    assert result.exit_code != 0 and "TOKEN_ENCRYPTION_KEY" in result.output
    writer = make_app(**channel_settings)
    writer.test_cli_runner().invoke(args=["communes", "add", "xa-g", "--name", "G", "--facebook-page-id", "8",
                                          "--facebook-page-token", "t"])
    other = make_app(TOKEN_ENCRYPTION_KEY=Fernet.generate_key().decode())
    with other.app_context(), session_scope() as db:
        row = db.scalar(select(ChannelAccount))
        try:
            crypto.decrypt(row.access_token)
        except crypto.TokenKeyError as error:
            assert "wrong key" in str(error)
        else:
            raise AssertionError("decrypted with the wrong key")
