"""A commune's sending options (outreach_settings): its approved templates for residents outside the
messaging window, and whether it pays for Zalo consultation messages on days 3–7.

Staff edit them in the admin and operators with `flask --app app campaigns templates`; both go
through `save`, which checks what the sender will fill in: a placeholder other than {commune},
{link}, {link_token} or {campaign} would only fail at send time, for every resident.
"""
from __future__ import annotations

import re
from string import Formatter

from sqlalchemy.orm import Session

from i18n import N_
from outreach.models import OutreachSettings

PLACEHOLDERS = ("commune", "link", "link_token", "campaign")
NAMES = ", ".join("{%s}" % name for name in PLACEHOLDERS)
MAX_PARAMS, MAX_PARAM = 20, 500
# Meta: template names are lower-case letters, digits and underscores; languages like vi or en_US
FACEBOOK_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
ZALO_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ZALO_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")


class OptionsError(ValueError):
    """What is wrong with a template, in words staff can act on: a gettext msgid and its values
    (the admin translates it; str() is the English text, for the CLI)."""

    def __init__(self, msgid: str, **values) -> None:
        super().__init__(msgid.format(**values))
        self.msgid, self.values = msgid, values


def facebook_template(name: str, language: str = "vi", body: list[str] | None = None,
                      url: list[str] | None = None) -> dict | None:
    """The Messenger utility template as the sender uses it; None when no name is given (removed)."""
    name, language = (name or "").strip(), (language or "vi").strip()
    if not name:
        return None
    if not FACEBOOK_NAME.match(name):
        raise OptionsError(N_("A Messenger template name has only lower-case letters, digits and underscores."))
    if not LANGUAGE.match(language):
        raise OptionsError(N_("A template language looks like vi or en_US."))
    template = {"name": name, "language": language, "body": _params(body or [])}
    if url:
        template["url"] = _params(url)
    return template


def zalo_template(template_id: str, data: dict[str, str] | None = None) -> dict | None:
    """The Zalo ZBS template as the sender uses it; None when no id is given (removed)."""
    template_id = (template_id or "").strip()
    if not template_id:
        return None
    if not ZALO_ID.match(template_id):
        raise OptionsError(N_("A Zalo template id has only letters, digits, - and _."))
    data = data or {}
    if len(data) > MAX_PARAMS or any(not ZALO_KEY.match(str(key)) for key in data):
        raise OptionsError(N_("A Zalo template has at most {count} parameters, named with letters, digits and _."),
                           count=MAX_PARAMS)
    return {"template_id": template_id, "data": dict(zip(data, _params([str(v) for v in data.values()])))}


def from_json(value: object, platform: str) -> dict | None:
    """A template given as JSON (the CLI), checked like the admin's form."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise OptionsError(N_("A template is a JSON object."))
    if platform == "facebook":
        return facebook_template(str(value.get("name") or ""), str(value.get("language") or "vi"),
                                 _list(value.get("body")), _list(value.get("url")))
    data = value.get("data") or {}
    if not isinstance(data, dict):
        raise OptionsError(N_("A Zalo template's data is an object of parameters."))
    return zalo_template(str(value.get("template_id") or ""), data)


def _list(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OptionsError(N_("Template parameters are a list."))
    return [str(v) for v in value]


def _params(values: list[str]) -> list[str]:
    if len(values) > MAX_PARAMS:
        raise OptionsError(N_("A template has at most {count} parameters."), count=MAX_PARAMS)
    for value in values:
        if len(value) > MAX_PARAM:
            raise OptionsError(N_("A template parameter has at most {count} characters."), count=MAX_PARAM)
        try:
            names = [field for _text, field, _spec, _conv in Formatter().parse(value) if field is not None]
        except ValueError:
            raise OptionsError(N_("A stray brace in \"{value}\": placeholders are {names}."), value=value,
                               names=NAMES) from None
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            raise OptionsError(N_("Unknown placeholder \"{name}\": use {names}."), name=unknown[0], names=NAMES)
    return values


def save(db: Session, commune_id: int, **changes) -> OutreachSettings:
    """Set the given options (facebook_template, zalo_template, zalo_paid_consultation) of one commune."""
    row = db.get(OutreachSettings, commune_id)
    if row is None:
        row = OutreachSettings(commune_id=commune_id, zalo_paid_consultation=False)
        db.add(row)
    for name in ("facebook_template", "zalo_template", "zalo_paid_consultation"):
        if name in changes:
            setattr(row, name, changes[name])
    db.flush()
    return row


def current(db: Session, commune_id: int) -> dict:
    row = db.get(OutreachSettings, commune_id)
    return {"facebook_template": row.facebook_template if row else None,
            "zalo_template": row.zalo_template if row else None,
            "zalo_paid_consultation": bool(row and row.zalo_paid_consultation)}
