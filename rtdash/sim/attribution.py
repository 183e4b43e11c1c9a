"""Visitor and marketing attribution for one call (the ``activeCall`` row).

Generated on demand from the call's own seed rather than stored: only the calls someone
looks up ever need it, a centre at load 2000 starts ~800k calls a day, and a lookup
minutes later must return the same row as a lookup now. Only the live parts (call
state and durations) depend on the clock.
"""

from __future__ import annotations

import random

from rtdash.sim import data
from rtdash.sim.centre import Centre
from rtdash.sim.entities import BRIDGED, ENDED, Call
from rtdash.sim.wire import Row, redact_number, utc_formatter

_UTC = utc_formatter()


def _pick_weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    x = rng.random() * sum(w for _, w in table)
    for value, weight in table:
        if x < weight:
            return value
        x -= weight
    return table[-1][0]


def txr_of(centre: Centre, call: Call) -> str:
    """A 9-digit transaction reference, unique per installation (7919 is coprime to 9e8)."""
    return str(100_000_000 + (call.seq * 7919 + centre.igrp * 104_729) % 900_000_000)


def attribution_row(centre: Centre, call: Call, now: int, redact: bool = False) -> Row:
    """The ``activeCall`` row: full attribution in advanced mode, three keys in basic.

    ``triggerDatetime`` is always UTC, whatever ``tz`` the request named (vendor rule).
    """
    line = call.line
    txr = txr_of(centre, call)
    if centre.installation.mode == "basic":
        return {"igrp": centre.igrp_s, "dgrp": line.dgrp_s, "txr": txr}

    rng = random.Random(call.seed)
    biz = centre.business
    ch_type = _pick_weighted(rng, data.CHANNEL_TYPES)
    ch, ch_name, pub, vref = rng.choice(data.CHANNELS[ch_type])
    campaign = ad_group = keyword = ""
    query = ""
    if ch_type == "ppc":
        campaign = rng.choice(biz.campaigns)
        ad_group = rng.choice(biz.ad_groups)
        keyword = rng.choice(biz.keywords)
        query = f"?gclid={rng.getrandbits(64):016x}" if pub == "Google Ads" else "?msclkid=1"
    elif ch_type == "social":
        campaign = rng.choice(biz.campaigns)
        ad_group = rng.choice(biz.ad_groups)
        query = f"?utm_source={pub.lower()}&utm_medium=paid_social"
    elif ch_type == "seo" and rng.random() < 0.3:
        keyword = rng.choice(biz.keywords)
    offline = ch_type == "direct" and rng.random() < 0.25  # number seen in print: no visit
    site = f"https://www.{biz.domain}"
    if offline:
        vid = landing_title = page_title = landing = conversion = ""
    else:
        vid = str(rng.randrange(10**9, 10**10))
        landing_title, landing_path = rng.choice(biz.pages)
        page_title, _ = rng.choice((*biz.pages, biz.conversion_page))
        landing = site + landing_path + query
        conversion = site + biz.conversion_page[1]

    if call.phase == ENDED:
        state = call.outcome
        end = call.end if call.end is not None else now
    else:
        state, end = "in progress", now
    bridge = 0
    if call.bridge_start is not None:
        bridge = end - call.bridge_start
    dest = (
        str(call.agent.extension)
        if call.agent is not None and (call.phase == BRIDGED or call.outcome == "answered")
        else ""
    )

    return {
        "igrp": centre.igrp_s,
        "igrpName": centre.installation.name,
        "vid": vid,
        "dgrp": line.dgrp_s,
        "dgrpName": line.name,
        "ch": ch,
        "chName": ch_name,
        "chType": ch_type,
        "pub": pub,
        "campaign": campaign,
        "adGroup": ad_group,
        "matchRef": keyword,
        "srcPhoneNumber": redact_number(call.src) if redact else call.src,
        "dialledPhoneNumber": line.number,
        "destPhoneNumber": dest,
        "triggerDatetime": _UTC(call.start),
        "landingPageTitle": landing_title,
        "pageTitle": page_title,
        "landingHref": landing,
        "conversionHref": conversion,
        "vref": vref,
        "callState": state,
        "callDuration": str(end - call.start),
        "bridgeDuration": str(bridge),
        "txr": txr,
        "pt_source": f"{(pub or ch_type).lower().replace(' ', '-')}-{ch_type}",
        "pt_region": rng.choice(data.REGIONS),
        "c_customer_id": f"CUST-{rng.randrange(10**6):06d}" if rng.random() < 0.4 else "",
        "c_basket_value": f"{rng.uniform(9, 450):.2f}" if rng.random() < 0.3 else "",
        "c_member_tier": rng.choice(data.MEMBER_TIERS),
    }
