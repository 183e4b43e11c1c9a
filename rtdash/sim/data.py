"""Static material the simulator draws from: names, businesses, marketing channels.

Kept apart from the model so the model reads as dynamics only, and so the flavour of a
demo can change without touching any timing logic. All phone numbers come from Ofcom's
ranges reserved for drama and documentation, and all web addresses use ``.example``
domains, so nothing the simulator serves can reach or identify a real party.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo",
    "Freya", "Oscar", "Lily", "Harry", "Grace", "Jack", "Sophia", "Charlie", "Ella", "Thomas",
    "Poppy", "Henry", "Evie", "Alfie", "Rosie", "Jacob", "Florence", "Theo", "Willow", "Finley",
    "Daisy", "Archie", "Sienna", "Joshua", "Matilda", "Samuel", "Ruby", "William", "Elsie",
    "Aisha", "Mohammed", "Priya", "Arjun", "Zara", "Yusuf", "Niamh", "Callum", "Siobhan",
    "Rhys", "Ffion", "Eilidh", "Hamish", "Kwame", "Chidi", "Mei", "Tomasz", "Agnieszka",
    "Luca", "Sofia", "Mateo",
)

SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Lewis", "Turner", "Hill",
    "Cooper", "Ward", "Morris", "Moore", "Harris", "Clark", "Baker", "Kaur", "Singh", "Ali",
    "Murphy", "O'Brien", "Campbell", "Stewart", "MacDonald", "Price", "Morgan", "Bell",
    "Okafor", "Mensah", "Nowak", "Kowalski", "Chen", "Wong", "Rossi", "Costa", "Fraser",
    "Reid", "Graham", "Shaw", "Mills", "Knight", "Lloyd",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One inbound number group (``dgrp``) and the queue its calls land in."""

    dgrp: int
    name: str
    queue: str
    weight: float
    number: str


@dataclass(frozen=True, slots=True)
class BusinessSpec:
    """What a simulated company sells and how its web site is laid out."""

    domain: str
    lines: tuple[LineSpec, ...]
    campaigns: tuple[str, ...]
    ad_groups: tuple[str, ...]
    keywords: tuple[str, ...]
    pages: tuple[tuple[str, str], ...]  # (title, path)
    conversion_page: tuple[str, str]


NORTHWIND = BusinessSpec(
    domain="northwind.example",
    lines=(
        LineSpec(33244, "Sales line", "sales", 0.35, "+441632960100"),
        LineSpec(33245, "Support line", "support", 0.35, "+441632960200"),
        LineSpec(33246, "Billing line", "billing", 0.15, "+441632960300"),
        LineSpec(33247, "Bookings line", "bookings", 0.15, "+441632960400"),
    ),
    campaigns=(
        "Spring Broadband Offer",
        "Brand - Exact",
        "Business Fibre",
        "Switch & Save",
        "Retargeting - Basket",
        "Summer Bundles",
    ),
    ad_groups=(
        "Broadband Deals",
        "Fibre 900",
        "Brand Terms",
        "Business Lines",
        "Bundles TV",
        "Price Match",
    ),
    keywords=(
        "cheap broadband",
        "fibre broadband deals",
        "northwind phone number",
        "business broadband",
        "broadband and tv",
        "switch broadband provider",
        "northwind contact",
        "fastest broadband near me",
    ),
    pages=(
        ("Broadband Deals | Northwind", "/broadband"),
        ("Fibre 900 | Northwind", "/broadband/fibre-900"),
        ("Business Broadband | Northwind", "/business"),
        ("TV & Broadband Bundles | Northwind", "/bundles"),
        ("Help & Support | Northwind", "/help"),
        ("Northwind | Home", "/"),
    ),
    conversion_page=("Contact Us | Northwind", "/contact"),
)

HARBOUR = BusinessSpec(
    domain="harbourlettings.example",
    lines=(
        LineSpec(41870, "Lettings line", "lettings", 0.4, "+441632960500"),
        LineSpec(41871, "Maintenance line", "maintenance", 0.25, "+441632960600"),
        LineSpec(41872, "Viewings line", "viewings", 0.25, "+441632960700"),
        LineSpec(41873, "Accounts line", "accounts", 0.1, "+441632960800"),
    ),
    campaigns=("Landlord Leads", "Student Lets 2026", "Brand - Exact", "Portfolio Management"),
    ad_groups=("Letting Agents", "Rent My Property", "Student Flats", "Brand Terms"),
    keywords=(
        "letting agents near me",
        "rent my flat",
        "student accommodation",
        "harbour lettings",
        "property management fees",
        "flats to rent by the sea",
    ),
    pages=(
        ("Landlords | Harbour Lettings", "/landlords"),
        ("Properties to Rent | Harbour Lettings", "/to-rent"),
        ("Student Lets | Harbour Lettings", "/students"),
        ("Report a Repair | Harbour Lettings", "/repairs"),
        ("Harbour Lettings | Home", "/"),
    ),
    conversion_page=("Book a Viewing | Harbour Lettings", "/book"),
)

#: businesses handed out to installations in order; the list wraps for larger setups
BUSINESSES: tuple[BusinessSpec, ...] = (NORTHWIND, HARBOUR)


def business_for(index: int, igrp: int) -> BusinessSpec:
    """The business template of the installation at ``index``.

    The two defaults keep their hand-written dgrp ids; any further installation reuses a
    template with dgrp ids derived from its igrp so ids stay unique across installations.
    """
    spec = BUSINESSES[index % len(BUSINESSES)]
    if index < len(BUSINESSES):
        return spec
    lines = tuple(
        LineSpec(igrp * 100 + i + 1, ln.name, ln.queue, ln.weight, ln.number)
        for i, ln in enumerate(spec.lines)
    )
    return BusinessSpec(
        spec.domain,
        lines,
        spec.campaigns,
        spec.ad_groups,
        spec.keywords,
        spec.pages,
        spec.conversion_page,
    )


# Caller number prefixes (E.164). Each is followed by three random digits, which lands
# every number inside an Ofcom drama range: 07700 900xxx, 020 7946 0xxx, 0113 496 0xxx,
# 0161 496 0xxx.
CALLER_PREFIXES: tuple[tuple[str, float], ...] = (
    ("+447700900", 0.55),
    ("+442079460", 0.2),
    ("+441134960", 0.13),
    ("+441614960", 0.12),
)

ANONYMOUS = "anonymous"

#: (chType, weight)
CHANNEL_TYPES: tuple[tuple[str, float], ...] = (
    ("ppc", 0.35),
    ("seo", 0.3),
    ("direct", 0.15),
    ("referral", 0.1),
    ("social", 0.1),
)

#: chType -> [(ch id, chName, pub, referrer)]
CHANNELS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "ppc": (
        ("101", "Google Ads", "Google Ads", "https://www.google.com/"),
        ("102", "Microsoft Advertising", "Bing", "https://www.bing.com/"),
    ),
    "seo": (
        ("201", "Google Organic", "Google", "https://www.google.com/"),
        ("202", "Bing Organic", "Bing", "https://www.bing.com/"),
        ("203", "DuckDuckGo Organic", "DuckDuckGo", "https://duckduckgo.com/"),
    ),
    "direct": (("1", "Direct", "", ""),),
    "referral": (
        ("301", "Comparison Site", "CompareHub", "https://www.comparehub.example/"),
        ("302", "Partner Blog", "LocalLife", "https://blog.locallife.example/"),
    ),
    "social": (
        ("401", "Facebook Ads", "Facebook", "https://www.facebook.com/"),
        ("402", "Instagram", "Instagram", "https://www.instagram.com/"),
        ("403", "LinkedIn", "LinkedIn", "https://www.linkedin.com/"),
    ),
}

REGIONS: tuple[str, ...] = (
    "London",
    "South East",
    "North West",
    "Yorkshire",
    "West Midlands",
    "Scotland",
    "Wales",
    "South West",
)

MEMBER_TIERS: tuple[str, ...] = ("", "", "bronze", "silver", "gold")
