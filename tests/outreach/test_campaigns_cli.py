"""`flask --app app campaigns ...` as staff use it: create, preview, start, status, funnel CSV, and clear
errors for bad input."""
from __future__ import annotations

import json

from outreach_helpers import add_residents, set_options


def test_campaign_from_the_command_line(seeded, fake):
    add_residents(seeded, ("facebook", "fb-in", 1), ("zalo", "z-old", 24 * 10))
    set_options(seeded)
    runner = seeded.test_cli_runner()
    made = runner.invoke(args=["campaigns", "create", "--name", "Khai sinh", "--communes", "xa-a", "--guide",
                               "khai-sinh", "--message-vi", "Từ 1/1 nộp hồ sơ khai sinh trực tuyến được miễn lệ phí.",
                               "--quiet-hours", "00:00-00:00"])
    campaign = json.loads(made.output)["campaign"]
    assert json.loads(runner.invoke(args=["campaigns", "preview", str(campaign)]).output) == {
        "facebook": {"window": 1}, "zalo": {"skipped:outside_window_no_template": 1}}
    started = json.loads(runner.invoke(args=["campaigns", "start", str(campaign)]).output)
    assert (started["status"], started["targeted"], started["pending"]) == ("running", 2, 2)
    with seeded.app_context():
        from outreach.sender import sweep

        sweep()  # the workers' upkeep starts the senders (the CLI process queues nothing on the embedded default)
    status = json.loads(runner.invoke(args=["campaigns", "status", str(campaign)]).output)
    assert (status["status"], status["sent"], status["skipped"], status["pending"], status["percent"]) == \
        ("done", 1, 1, 0, 100.0)
    assert status["reasons"] == {"skipped:outside_window_no_template": 1}
    assert runner.invoke(args=["campaigns", "funnel", "--csv", str(campaign)]).output.splitlines()[1] == \
        f"{campaign},2,1,0,0,0"
    refused = runner.invoke(args=["campaigns", "pause", str(campaign)])
    assert refused.exit_code == 2 and "is done" in refused.output


def test_bad_campaigns_are_refused_with_the_reason(seeded):
    runner = seeded.test_cli_runner()
    for args, reason in ((["--communes", "xa-khong-co"], "unknown commune"),
                         (["--communes", "xa-a", "--guide", "no-such-guide"], "unknown procedure guide"),
                         (["--communes", "xa-a", "--quiet-hours", "9pm"], "quiet hours")):
        result = runner.invoke(args=["campaigns", "create", "--name", "x", "--message-vi", "Xin chào", *args])
        assert result.exit_code == 2 and reason in result.output
    assert "at most 640" in runner.invoke(args=["campaigns", "create", "--name", "x", "--communes", "xa-a",
                                                "--message-vi", "a" * 641]).output
