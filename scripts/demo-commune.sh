# The demo commune the local web chat speaks for (sourced by scripts/start when it creates it).
# SAMPLE DATA, so that the first answers are complete: a real commune enters its own hours,
# address and phone in /admin (Settings) or with `.venv/bin/flask --app app communes set`.
DEMO_SLUG="demo"
DEMO_NAME="Xã Demo (dữ liệu mẫu)"
DEMO_ADDRESS="Số 1 đường Mẫu, thôn Mẫu (địa chỉ mẫu, chưa phải địa chỉ thật)"
DEMO_PHONE="0000 000 000 (số mẫu)"
# Monday to Friday, 07:30–11:30 and 13:30–17:00, the usual one-stop desk hours
DEMO_OFFICE_HOURS='{"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}'
