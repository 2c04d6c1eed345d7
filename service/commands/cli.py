"""Command line: `flask --app wsgi db|users|audit|demo ...` (worker and clock live in `jobs.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from service.platform.db import db
from service.staff.audit import record
from service.staff.auth import AuthError, create_user, issue_token

MIGRATIONS = Path(__file__).parent.parent / "migrations"

db_cli = AppGroup("db", help="Database schema.")
users_cli = AppGroup("users", help="Staff accounts.")


def alembic_config(app: Flask) -> object:
    """An Alembic Config for this app's database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = app.extensions["paceline.settings"].database_url
    return cfg


def upgrade_database(app: Flask) -> None:
    """Apply every migration (the Procfile's release step; tests and `make run` call it too)."""
    from alembic import command

    command.upgrade(alembic_config(app), "head")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    upgrade_database(current_app)
    click.echo("database is up to date")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "facilitator", "clinician"]), required=True)
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account (the password is prompted for, or read from stdin)."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    session = db.session()
    try:
        user = create_user(session, email, role, password, name)
        session.commit()
    except AuthError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    record(session, action="write", object_type="staff", object_id=str(user.id),
           address="command line", detail=f"account created ({user.role.value})")  # fmt: skip
    click.echo(f"created {user.role.value} {user.email} (id {user.id})")


@users_cli.command("token")
@click.argument("email")
def users_token(email: str) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is stored)."""
    from sqlalchemy import select

    from service.models import StaffUser

    session = db.session()
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {email}")
    token = issue_token(session, user)
    session.commit()
    record(session, action="write", object_type="token", object_id=str(user.id),
           address="command line", detail="API token issued")  # fmt: skip
    click.echo(token)


@click.command("demo")
@click.option("--password", default="paceline-demo", show_default=True)
def demo(password: str) -> None:
    """Seed a demo group with staff accounts (idempotent) and print how to log in."""
    from service.commands.demo import seed_demo

    for line in seed_demo(db.session(), current_app.extensions["paceline.settings"], password):
        click.echo(line)


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 at the first row that was changed, removed or inserted."""
    from service.staff.audit import verify

    verdict = verify(db.session())
    if verdict.broken_at is None:
        click.echo(f"audit trail intact: {verdict.rows} rows, every hash holds")
        return
    click.echo(f"audit trail BROKEN at row {verdict.broken_at}: {verdict.reason} "
               f"({verdict.rows} rows read)", err=True)  # fmt: skip
    raise SystemExit(1)


def register_cli(app: Flask) -> None:
    """Attach every command group to `app`."""
    app.cli.add_command(audit_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo)
