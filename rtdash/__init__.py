"""rtdash: a terminal real-time dashboard for contact centres on Infinity's hosted PBX."""

__version__ = "0.1.0"
