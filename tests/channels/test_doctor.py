"""`flask --app app doctor`: every setting that matters with a verdict; exit status 1 on a failure.
Tokens are asked of the fake platform (GET /me, GET /v2.0/oa/getoa), as the real ones would be."""
from __future__ import annotations

from conftest import PAGE_A, TOKEN_A, TOKEN_B, ZALO_ACCESS
from cryptography.fernet import Fernet

from channels.models import FACEBOOK
from channels.tenancy import Credentials, get_commune, set_account
from infra.db import session_scope


def doctor(app, *args: str):
    return app.test_cli_runner().invoke(args=["doctor", *args])


def lines(result, status: str) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(f"[{status:^4}]")]


def test_a_working_configuration_passes_and_no_secret_is_printed(seeded, fake):
    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test"
    result = doctor(seeded)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("verdict: ok")
    assert lines(result, "FAIL") == []
    accepted = [line for line in lines(result, "ok") if "the platform accepts it" in line]
    assert len(accepted) == 3  # two Page tokens and the OA's access token
    for name in ("database", "redis", "TOKEN_ENCRYPTION_KEY", "facebook", "zalo", "PUBLIC_BASE_URL", "start-up"):
        assert any(f"] {name}:" in line for line in result.output.splitlines()), name
    for secret in (TOKEN_A, TOKEN_B, ZALO_ACCESS, seeded.config["TOKEN_ENCRYPTION_KEY"], "fb-app-secret"):
        assert secret not in result.output


def test_a_replaced_key_names_the_commune_whose_token_must_be_re_entered(seeded, fake):
    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test"
    seeded.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    with seeded.app_context(), session_scope() as db:
        set_account(db, get_commune(db, "xa-a"), FACEBOOK, Credentials(PAGE_A, TOKEN_A))
    result = doctor(seeded)
    assert result.exit_code == 1
    failed = lines(result, "FAIL")
    assert any(line.startswith("[FAIL] xa-b facebook") and "communes set xa-b" in line for line in failed), failed
    assert not any("xa-a facebook" in line for line in failed)
    assert result.output.splitlines()[-1].startswith("verdict: FAIL")


def test_a_token_the_platform_rejects_and_a_missing_public_base_url_fail(seeded, fake):
    del fake.facebook_tokens[TOKEN_B]  # revoked on Facebook's side
    result = doctor(seeded)
    assert result.exit_code == 1
    failed = "\n".join(lines(result, "FAIL"))
    assert "xa-b facebook" in failed and "rejects it" in failed
    assert "PUBLIC_BASE_URL" in failed and "start-up" in failed
    assert doctor(seeded, "--offline").exit_code == 1  # PUBLIC_BASE_URL still missing


def test_the_embedded_default_is_healthy(make_app):
    result = doctor(make_app(), "--offline")
    assert result.exit_code == 0, result.output
    assert "not configured" in result.output
