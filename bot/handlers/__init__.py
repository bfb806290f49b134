"""Handlers, tried in order: the first whose `handles(turn)` is true answers the turn.

Each module has one job and two functions: `handles(turn) -> bool` and `handle(turn) -> list[Reply]`.
"""
from bot.handlers import (
    campaign_link,
    catalogue_answer,
    clarify,
    faq_answer,
    greeting,
    guided_flow,
    handoff,
    language,
    navigation,
    personal_details,
    procedure_guide,
    status_lookup,
    thanks,
    unknown,
    unreadable,
    unsubscribe,
)

HANDLERS = (
    unreadable,
    campaign_link,
    unsubscribe,  # before navigation: a whole-message "hủy" outside a guide stops reminders
    navigation,
    language,
    handoff,
    guided_flow,
    status_lookup,
    catalogue_answer,  # the national catalogue, when no curated intent answers (issue 13)
    procedure_guide,
    faq_answer,
    personal_details,  # before clarify: a name is not a question about a procedure
    greeting,
    thanks,
    clarify,
    unknown,  # always last: it handles everything
)
