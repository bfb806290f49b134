"""Logging in and out: hashed passwords, throttled failures, server-side revocable sessions.

The signed session cookie carries a random session id; the session lives in the store (Redis, or
this process on the embedded default) for ADMIN_SESSION_TTL after the last request. Logging out
deletes it, so a copied cookie stops working at once; changing the password ends every session too
(the cookie also names the password, see StaffUser.get_id).
"""
from __future__ import annotations

import logging
import secrets

from flask import Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from admin.blueprint import bp
from admin.i18n import _
from admin.models import StaffUser
from i18n import LANGUAGES
from infra.db import get_session
from infra.outage import StoreUnavailable

log = logging.getLogger(__name__)
login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.session_protection = "strong"

# A constant hash to check against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a password")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    CSRFProtect(app)


@login_manager.user_loader
def _load_user(session_id: str) -> StaffUser | None:
    user_id, _sep, fingerprint = session_id.partition(".")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18):
        return None
    if _session_owner() != user_id:  # logged out, expired, or never opened here
        return None
    user = get_session().get(StaffUser, int(user_id))
    if user is None or user.password_hash[-16:] != fingerprint:
        return None
    _store_call(lambda store: store.set(_session_key(session["sid"]), user_id,
                                        ttl=current_app.config["ADMIN_SESSION_TTL"]))  # sliding expiry
    return user


def _session_key(sid: str) -> str:
    return f"admin:session:{sid}"


def _session_owner() -> str | None:
    """The user id the store holds for this cookie's session id, if the session is still open."""
    sid = session.get("sid")
    if not isinstance(sid, str) or not sid:
        return None
    return _store_call(lambda store: store.get(_session_key(sid)))


def _store_call(call):
    """A session store call; the store being away is a 503 with the reason, never a 500 or a pass."""
    try:
        return call(current_app.extensions["store"])
    except Exception as error:
        log.warning("session store unavailable (%s): admin request refused", type(error).__name__)
        raise StoreUnavailable("the session store is not answering") from error  # the 503 page


def open_session(user: StaffUser) -> None:
    """A new server-side session for `user` (the old cookie's session, if any, was cleared before)."""
    sid = secrets.token_urlsafe(32)
    _store_call(lambda store: store.set(_session_key(sid), str(user.id), ttl=current_app.config["ADMIN_SESSION_TTL"]))
    login_user(user)
    session["sid"] = sid


def close_session() -> None:
    """Ends this browser's session in the store, so the cookie no longer works anywhere."""
    sid = session.get("sid")
    if isinstance(sid, str) and sid:
        _store_call(lambda store: store.delete(_session_key(sid)))
    logout_user()
    session.clear()


def staff_key() -> str:
    """The rate-limit key of an admin request: the signed-in staff member, else the address.

    Read from the signed cookie without loading the user, so counting never touches the database."""
    claimed = session.get("_user_id")
    if isinstance(claimed, str) and claimed:
        return "staff:" + claimed.partition(".")[0]
    return "address:" + (request.remote_addr or "unknown")


@login_manager.unauthorized_handler
def _unauthorized():
    if request.method != "GET":
        abort(401)
    return redirect(url_for("admin.login", next=request.full_path if request.query_string else request.path))


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _throttle_keys(username: str) -> list[tuple[str, int]]:
    """Failures counted per username AND address together (failures from elsewhere never lock a
    clerk out), and per address with a higher bar (many usernames guessed from one place)."""
    config = current_app.config
    address = request.remote_addr or "unknown"
    return [(f"admin:login-fail:pair:{address}|{username.lower()}", config["ADMIN_LOGIN_LIMIT_USER"]),
            (f"admin:login-fail:ip:{address}", config["ADMIN_LOGIN_LIMIT_IP"])]


def is_throttled(username: str) -> bool:
    keys = _throttle_keys(username)
    counts = _store_call(lambda store: store.get_many([key for key, _limit in keys]))
    return any(int(count or 0) >= limit for count, (_key, limit) in zip(counts, keys))


def record_failure(username: str) -> None:
    for key, _limit in _throttle_keys(username):
        _store_call(lambda store, key=key: store.incr(key, ttl=current_app.config["ADMIN_LOGIN_WINDOW"]))


def authenticate(username: str, password: str) -> StaffUser | None:
    user = None if "\x00" in username else get_session().scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Only paths inside the admin: never an open redirect to another site."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.home"))
    if request.method == "GET":
        return render_template("admin/login.html", next=request.args.get("next", ""))
    username = (request.form.get("username") or "").strip()[:80]
    password = request.form.get("password") or ""
    if is_throttled(username):
        return render_template("admin/login.html", next=request.form.get("next", ""),
                               error=_("Too many failed attempts. Please wait 15 minutes and try again.")), 429
    user = authenticate(username, password)
    if user is None:
        record_failure(username)
        return render_template("admin/login.html", next=request.form.get("next", ""),
                               error=_("Wrong username or password.")), 401
    _store_call(lambda store: store.delete(_throttle_keys(username)[0][0]))
    session.clear()  # a fresh session on login: no fixation
    open_session(user)
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    close_session()
    return redirect(url_for("admin.login"))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400, description="unknown language")
    if current_user.is_authenticated:
        current_user.language = lang
        get_session().commit()
    else:
        session["admin_lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
