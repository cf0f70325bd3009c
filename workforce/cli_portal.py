"""``workforce serve`` and ``workforce users add``: the upload portal and its accounts.

``cli.py`` declares the commands' options and calls these functions.  The portal's modules (FastAPI, uvicorn, the
account store) are imported when a command runs, not when ``workforce`` starts.
"""

from __future__ import annotations

import click


def serve_portal(*, host: str, port: int) -> None:
    """Run the upload portal on ``host``:``port`` until stopped (settings from WORKFORCE_PORTAL_* variables)."""
    import uvicorn

    from workforce.portal.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def add_user(*, email: str, ics_code: str | None, national: bool) -> None:
    """Create the account (or reset its password) and print its initial password once."""
    from workforce.portal.config import load_config
    from workforce.portal.store import PortalStore
    from workforce.reference import reference_ics_codes

    if national == bool(ics_code):
        raise click.UsageError("give exactly one of --ics CODE or --national")
    if "@" not in email:
        raise click.BadParameter("expected an email address", param_hint="EMAIL")
    codes = reference_ics_codes()
    if ics_code and ics_code.upper() not in codes:
        raise click.BadParameter(f"{ics_code} is not one of the 42 ICB ODS codes", param_hint="--ics")
    store = PortalStore(load_config().database_url)
    try:
        password = store.add_user(email, ics_code, national)
    finally:
        store.dispose()
    who = "national team" if national else f"ICS {ics_code.upper()}"  # type: ignore[union-attr]
    click.echo(f"Account {email.lower()} ({who}) ready. Initial password (shown once): {password}")
