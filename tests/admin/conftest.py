"""Admin fixtures: two communes in two provinces, one account per role, a logged-in client."""
from __future__ import annotations

import pytest

from admin.auth import hash_password
from admin.models import StaffUser
from admin_helpers import PASSWORD, login
from infra.db import session_scope
from infra.models import Commune
from knowledge.store import import_from_files

HOURS = {"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}


@pytest.fixture
def world(app):
    """Communes A (slug "demo", the web chat's, province P1) and B ("xa-b", P2);
    accounts staff-a, staff-b (commune), prov-1 (province P1), root (super). Returns commune ids."""
    with app.app_context():
        import_from_files()
        with session_scope() as session:
            a = Commune(slug="demo", name="Xã An Bình", province="P1", office_hours=HOURS)
            b = Commune(slug="xa-b", name="Xã Bình Minh", province="P2")
            session.add_all([a, b])
            session.flush()
            users = [("staff-a", "commune", a.id, None), ("staff-b", "commune", b.id, None),
                     ("prov-1", "province", None, "P1"), ("root", "super", None, None)]
            for name, role, commune_id, province in users:
                session.add(StaffUser(username=name, password_hash=hash_password(PASSWORD), role=role,
                                      commune_id=commune_id, province=province, language="en", active=True))
            ids = {"a": a.id, "b": b.id}
    return ids


def _logged_in(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


@pytest.fixture
def staff_a(app, world):
    """A test client logged in as commune staff of A."""
    return _logged_in(app, "staff-a")


@pytest.fixture
def root(app, world):
    """A test client logged in as super admin."""
    return _logged_in(app, "root")
