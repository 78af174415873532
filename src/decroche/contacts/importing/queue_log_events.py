"""The queue_log events the importer knows, and what each means (docs/formats.md,
"queue-log"): Asterisk's own and those Wazo adds. Pure module: data, read by `queue_log`
(the parser) and `mapping` (which `[outcomes]` entries can take effect).
"""

# Contract outcome of each way of leaving the queue unanswered (SPEC §3 answer rate).
DEFAULT_OUTCOMES = {
    "ABANDON": "abandoned",  # the caller hung up while waiting
    "EXITWITHKEY": "abandoned",  # the caller chose to leave the queue: not served
    "EXITWITHTIMEOUT": "overflowed_out",  # routed on after the maximum wait: an overflow
    "EXITEMPTY": "overflowed_out",  # no member in the queue: routed on, an overflow
    "WITHDRAW": "abandoned",  # withdrawn from the queue by an application: not served
}
# Calls the queue refused as they arrived: Wazo writes one line, with no ENTERQUEUE. A
# closed queue (its schedule) plays the closure: the contract's "dissuaded on closure".
# The others go to the queue's fallback destination, as EXITEMPTY does: an overflow out.
# SPEC §3 has no "saturation" term; counting a full queue as dissuaded on a telecom problem
# would excuse understaffing from the answer rate, so a centre that agrees it with the
# Cnam says so in its mapping (`[outcomes] FULL = "dissuaded_telecom"`).
SINGLE_LINE_OUTCOMES = {
    "CLOSED": "dissuaded_closure",
    "JOINEMPTY": "overflowed_out",
    "FULL": "overflowed_out",
    "DIVERT_CA_RATIO": "overflowed_out",
    "DIVERT_HOLDTIME": "overflowed_out",
}
OUTCOME_EVENTS = frozenset(DEFAULT_OUTCOMES) | frozenset(SINGLE_LINE_OUTCOMES)
CALL_END_ANSWERED = {
    "COMPLETECALLER",
    "COMPLETEAGENT",
    "TRANSFER",
    "BLINDTRANSFER",
    "ATTENDEDTRANSFER",
}
TRANSFERS = {"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
LOGINS = {"AGENTLOGIN", "AGENTCALLBACKLOGIN"}
LOGOFFS = {"AGENTLOGOFF", "AGENTCALLBACKLOGOFF"}
PAUSES = {"PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL"}
MEMBER_EVENTS = {"ADDMEMBER", "REMOVEMEMBER", *PAUSES, *LOGINS, *LOGOFFS}
# An agent rung who did not answer, or whose ringing stopped: not a call of its own.
RING_ATTEMPTS = {"RINGNOANSWER", "RINGCANCELED"}
INFORMATIONAL = {"QUEUESTART", "CONFIGRELOAD", "SYSCOMPAT", "PENALTY"}
# States during which a pause or an unpause waits for the end of the work in hand.
BUSY = {"talking", "wrap_up"}
