"""Phone screenshots (390×844) for the README: the web chat, a guide, the hand-off page and the
handover inbox, taken in Chromium from the bot on a throw-away database with the demo commune's
sample data. Run by `bash scripts/screenshots`; writes docs/screenshots/*.png."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
STAFF, PASSWORD = "can-bo-demo", "screenshots only"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("no Chromium: apt-get install chromium (or set CHROMIUM_PATH)")


def demo_app(folder: str):
    """The app on a new SQLite database: knowledge base, demo commune (sample data), one clerk."""
    from admin.auth import hash_password
    from admin.models import StaffUser
    from app import create_app
    from infra.db import session_scope
    from infra.migrate import upgrade_database
    from infra.models import Commune
    from knowledge.store import import_from_files

    url = f"sqlite:///{folder}/screens.db"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "screenshots", "JOBS_INLINE": True,
                      "ADMIN_SECURE_COOKIES": False})
    with app.app_context():
        upgrade_database(url)
        import_from_files()
        with session_scope() as session:
            commune = Commune(slug="demo", name="Xã Demo (dữ liệu mẫu)", province="Tỉnh Mẫu",
                              address="Số 1 đường Mẫu, thôn Mẫu (địa chỉ mẫu)", phone="0000 000 000 (số mẫu)",
                              office_hours={"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]})
            session.add(commune)
            session.flush()
            session.add(StaffUser(username=STAFF, password_hash=hash_password(PASSWORD), role="commune",
                                  commune_id=commune.id, language="vi", active=True))
    return app


def serve(app) -> str:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def tap(page, title: str) -> None:
    count = page.locator("#log li.bot").count()
    page.locator("#choices").get_by_role("button", name=title, exact=True).first.click()
    page.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # a locator: the CSP forbids eval


def shoot(page, name: str) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"wrote docs/screenshots/{name}.png ({(OUT / f'{name}.png').stat().st_size // 1024} KB)")


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        base = serve(demo_app(folder))
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        resident = browser.new_page(viewport=PHONE, locale="vi-VN")
        resident.goto(f"{base}/chat")
        resident.locator("#log li.bot").first.wait_for(timeout=15000)
        tap(resident, "Đăng ký khai sinh")
        shoot(resident, "chat")
        tap(resident, "Hướng dẫn từng bước")
        for answer in ("Có", "Có", "Có", "Có"):  # first registration, born here, Vietnamese parents, married
            tap(resident, answer)
        count = resident.locator("#log li.bot").count()
        resident.fill("#text", "12/3/2025")
        resident.press("#text", "Enter")
        resident.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # a locator: the CSP forbids eval
        shoot(resident, "guide")
        tap(resident, "Trang giấy tờ của tôi")
        link = resident.locator("#log li.bot a[href*='/go/']").last.get_attribute("href")
        handoff = browser.new_page(viewport=PHONE, locale="vi-VN")
        handoff.goto(link)
        shoot(handoff, "handoff-page")
        tap(resident, "Menu")
        tap(resident, "Gặp cán bộ")
        clerk = browser.new_page(viewport=PHONE, locale="vi-VN")
        clerk.goto(f"{base}/admin/login")
        clerk.fill("input[name=username]", STAFF)
        clerk.fill("input[name=password]", PASSWORD)
        clerk.click("form.card button[type=submit]")
        clerk.wait_for_url("**/handover")  # a clerk with a resident waiting lands on the inbox
        shoot(clerk, "handover-inbox")
        clerk.locator("ul.list a").first.click()
        clerk.locator("#reply").wait_for()
        shoot(clerk, "handover-conversation")
        browser.close()


if __name__ == "__main__":
    main()
