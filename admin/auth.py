"""Logging in and out: hashed passwords, throttled failures, Flask-Login sessions."""
from __future__ import annotations

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
    if not user_id.isdigit():
        return None
    user = get_session().get(StaffUser, int(user_id))
    if user is None or user.password_hash[-16:] != fingerprint:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    if request.method != "GET":
        abort(401)
    return redirect(url_for("admin.login", next=request.full_path if request.query_string else request.path))


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _throttle_keys(username: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [(f"admin:login-fail:user:{username.lower()}", config["ADMIN_LOGIN_LIMIT_USER"]),
            (f"admin:login-fail:ip:{request.remote_addr}", config["ADMIN_LOGIN_LIMIT_IP"])]


def is_throttled(username: str) -> bool:
    store = current_app.extensions["store"]
    return any(int(store.get(key) or 0) >= limit for key, limit in _throttle_keys(username))


def record_failure(username: str) -> None:
    store = current_app.extensions["store"]
    for key, _limit in _throttle_keys(username):
        store.incr(key, ttl=current_app.config["ADMIN_LOGIN_WINDOW"])


def authenticate(username: str, password: str) -> StaffUser | None:
    user = get_session().scalar(select(StaffUser).where(StaffUser.username == username))
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
    current_app.extensions["store"].delete(_throttle_keys(username)[0][0])
    session.clear()  # a fresh session on login: no fixation
    login_user(user)
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
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
