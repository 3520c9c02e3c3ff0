"""Raqib (رقيب, "the watchful one"): an Arabic-first platform for countering the financing of terrorism.

Raqib keeps sanctions watchlists (UN, OFAC, EU, UK, Canada, OpenSanctions/FollowTheMoney and
national lists) versioned with the diff of every update, and screens names, payments and text
against them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
