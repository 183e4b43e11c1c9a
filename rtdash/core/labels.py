"""The one table of words for fields: the dashboard's column headers, the lookup
screen, the command line's tables and listing, and the CSV export's header all take a
field's name from here, so a supervisor who reads "Line" on the screen finds "Line" in
the terminal output and in the spreadsheet. The words are the dashboard's: it is what
people look at all day. JSON output keeps the API's names, for scripts.
"""

from __future__ import annotations

#: a call's fields (``ActiveCall`` attributes) and the dashboard's computed columns
CALL_LABELS: dict[str, str] = {
    "in_state": "In state",
    "total": "Total",
    "call_ref": "Call",
    "state": "State",
    "igrp": "Installation",
    "call_start": "Started",
    "state_start": "State since",
    "src_number": "Caller",
    "dialled_number": "Dialled",
    "dgrp": "Line (dgrp)",
    "dgrp_name": "Line",
    "queue": "Queue",
    "agent_ref": "Agent ref",
    "agent_name": "Agent",
    "ring_time": "Ring time (s)",
    "queue_duration": "Queue time (s)",
    "bridge_duration": "Talk time (s)",
    "call_duration": "Call duration (s)",
    "wait": "Wait (s)",
    "in_state_seconds": "In state (s)",
    "extra": "Other fields",
}

#: a user's fields (``PbxUser`` attributes) and the dashboard's computed columns
USER_LABELS: dict[str, str] = {
    "in_state": "In state",
    "user_id": "User id",
    "state": "State",
    "igrp": "Installation",
    "operator_ref": "Operator ref",
    "display_name": "Name",
    "extension": "Ext",
    "state_start": "Since",
    "dashboard": "Dashboard",
    "in_state_seconds": "In state (s)",
    "agent_state": "Agent state",
    "extra": "Other fields",
}

#: a lookup answer's fields (``CallerDetails`` attributes)
DETAIL_LABELS: dict[str, str] = {
    "ch_name": "Channel",
    "ch": "Channel id",
    "ch_type": "Channel type",
    "pub": "Publisher",
    "campaign": "Campaign",
    "ad_group": "Ad group",
    "keyword": "Keyword",
    "vid": "Visitor id",
    "landing_page_title": "Landing page",
    "landing_url": "Landing URL",
    "page_title": "Conversion page",
    "conversion_url": "Conversion URL",
    "referrer": "Referrer",
    "trigger_time": "Triggered",
    "igrp": "Installation",
    "igrp_name": "Installation name",
    "dgrp": "Line (dgrp)",
    "dgrp_name": "Line",
    "txr": "Transaction ref",
    "src_number": "Caller",
    "dialled_number": "Dialled",
    "dest_number": "Answered on",
    "call_state": "State",
    "call_duration": "Call duration",
    "bridge_duration": "Talk time",
}
