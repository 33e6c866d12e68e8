"""`careflow serve`: the web app on uvicorn, refusing to start on a database that is not migrated."""

import sys

import typer

from careflow.console import err


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)"),
    port: int = typer.Option(8000, "--port", help="Port to listen on"),
    database: str | None = typer.Option(
        None, "--database", help="Database URL; default $CAREFLOW_DATABASE_URL or a SQLite file in ./careflow-data"
    ),
    tls: bool = typer.Option(
        False, "--tls", envvar="CAREFLOW_TLS", help="Served over HTTPS (here or by a proxy): Secure cookies and HSTS"
    ),
    workers: int = typer.Option(
        1, "--job-workers", envvar="CAREFLOW_JOB_WORKERS", help="Worker processes for projections"
    ),
) -> None:
    """Start the web app: pages for people, a JSON API under /api/v1, projections in worker processes."""
    import uvicorn

    from careflow.errors import NotMigrated
    from careflow.services import web_database_url
    from careflow.web.app import WebConfig, create_app, find_govuk_frontend
    from careflow.web.logs import configure

    assets = find_govuk_frontend()
    if assets is None:
        err.print("GOV.UK Frontend is not installed (run: make web-assets); pages use careflow's own CSS only.")
    try:
        app = create_app(
            WebConfig(web_database_url(database), secure_cookies=tls, job_workers=workers, govuk_frontend=assets)
        )
    except NotMigrated as error:
        err.print(f"[red]careflow serve: {error}[/red]")
        sys.exit(2)
    configure()  # only once the server really starts: a refused start leaves logging as it was
    uvicorn.run(app, host=host, port=port, proxy_headers=tls, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
