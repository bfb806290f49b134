"""Every guide asks about the common case first (issue 14): the first quick reply of a question ("Yes"
for a yes/no question, the first choice otherwise) never alone sends the resident to a rarer variant —
re-registration, an extension, a foreign parent are the "No" or a later choice, as in the marriage guide."""
from __future__ import annotations

import pytest

from procedures.flow import flow_ids, load_flow, matches, variant_name


def _first_option(question: dict) -> object:
    return True if question["kind"] == "yes_no" else question["choices"][0]["value"]


def _default_variant(flow: dict) -> str | None:
    last = flow["outcomes"][-1]
    return None if last.get("when") else last["variant"]


@pytest.mark.parametrize("flow_id", flow_ids())
def test_the_first_option_of_a_question_is_never_a_rarer_case_on_its_own(flow_id):
    flow = load_flow(flow_id)
    default = _default_variant(flow)
    for question in flow["questions"]:
        if question["kind"] == "date":
            continue
        first = {question["id"]: _first_option(question)}
        for outcome in flow["outcomes"]:
            if outcome.get("when") == first and outcome["variant"] != default:
                pytest.fail(f"{flow_id}: the first option of {question['id']!r} picks {outcome['variant']!r}; "
                            "put the common case first (a yes/no question's rarer case on 'No')")


@pytest.mark.parametrize("flow_id", ["khai-sinh", "tam-tru", "ket-hon"])
def test_tapping_the_first_option_all_the_way_reaches_the_common_variant(flow_id):
    """The plain case of the three guides whose first question used to, or could, open on the rare case."""
    flow = load_flow(flow_id)
    answers: dict = {}
    for question in flow["questions"]:
        if question["kind"] == "date":
            answers[question["id"]] = "given"
        elif matches(question.get("ask_if"), answers):
            answers[question["id"]] = _first_option(question)
    assert variant_name(flow, answers) == "standard", answers
