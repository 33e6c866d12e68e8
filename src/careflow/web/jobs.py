"""Background projections in worker processes: progress and results go to the store, so they outlive the server."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from careflow.errors import InputError
from careflow.store.database import make_engine, session_factory, transaction
from careflow.store.models import BaselineVersion, Job, JobArtefact, JobStatus, ScenarioVersion

log = logging.getLogger("careflow.web.jobs")
PROGRESS_EVERY_S = 0.25  # how often a running job writes its progress (the page polls about once a second)
SERVER_CHECK_S = 0.5  # how often a worker checks that its server is still there
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _media_type(name: str) -> str:
    return next((t for suffix, t in MEDIA_TYPES.items() if name.endswith(suffix)), XLSX)


def follow_server(server_pid: int) -> None:
    """In a worker process: exit as soon as the server that started it has gone, however it went.

    A server stopped by SIGTERM (uvicorn re-raises it after its own shutdown) or killed outright never tells its
    workers to stop, and they would live on as orphans. A job cut short this way is marked interrupted when the
    server next starts, as after a crash."""

    def watch() -> None:
        while os.getppid() == server_pid:
            time.sleep(SERVER_CHECK_S)
        os._exit(0)  # the server is gone: nothing in this process can be reported or stored any more

    threading.Thread(target=watch, name="careflow-follow-server", daemon=True).start()


def warm_up() -> None:
    """Import the engine in the worker before the first job, so the first progress bar moves at once."""
    import careflow.simulate.projection  # noqa: F401
    import careflow.web.usecases  # noqa: F401


def run_projection_job(database_url: str, job_id: int) -> str:
    """Run one queued projection job to the end; every outcome (result, located problems, fault) is stored."""
    from careflow.baseline.schema import Baseline
    from careflow.web import usecases

    engine = make_engine(database_url)
    sessions = session_factory(engine)
    try:
        with transaction(sessions) as db:
            job = db.get(Job, job_id)
            if job is None or job.status != JobStatus.queued.value:
                return "skipped"
            job.status, job.started_at = JobStatus.running.value, datetime.now(UTC)
            parameters = json.loads(job.parameters_json)
            base = db.get(BaselineVersion, job.baseline_version_id)
            assert base is not None
            baseline = Baseline.model_validate_json(base.parsed_json)
            scenario_row = db.get(ScenarioVersion, job.scenario_version_id) if job.scenario_version_id else None
            scenario_yaml = (scenario_row.yaml_text, f"scenario v{scenario_row.number}") if scenario_row else None
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            if time.monotonic() - last < PROGRESS_EVERY_S and done < total:
                return
            last = time.monotonic()
            with transaction(sessions) as db:
                db.execute(
                    update(Job).where(Job.id == job_id).values(done=done, total=total, progress=done / max(total, 1))
                )

        try:
            scenario = usecases.scenario_from_yaml(*scenario_yaml) if scenario_yaml else None
            result, files = usecases.project(
                baseline, scenario, parameters["runs"], parameters["years"], parameters["seed"], progress
            )
        except InputError as error:
            _finish(sessions, job_id, JobStatus.failed, error="\n".join(str(p) for p in error.problems))
            return "failed"
        except Exception as error:  # a fault in the engine: recorded on the job rather than lost in a worker
            log.exception("projection job %s failed", job_id)
            _finish(sessions, job_id, JobStatus.failed, error=f"careflow stopped unexpectedly: {type(error).__name__}")
            return "failed"
        with transaction(sessions) as db:
            for name, content in files.items():
                db.add(JobArtefact(job_id=job_id, name=name, media_type=_media_type(name), content=content))
        _finish(sessions, job_id, JobStatus.succeeded, result=json.dumps(result, default=_jsonable))
        return "succeeded"
    finally:
        engine.dispose()


def _jsonable(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def _finish(
    sessions: sessionmaker[Session], job_id: int, status: JobStatus, result: str | None = None, error: str | None = None
) -> None:
    with transaction(sessions) as db:
        values: dict[str, object] = {"status": status.value, "finished_at": datetime.now(UTC), "error": error}
        if result is not None:
            values.update(result_json=result, progress=1.0)
        db.execute(update(Job).where(Job.id == job_id).values(**values))


class JobRunner:
    """Hands jobs to worker processes (spawned, so no state leaks from the server); the request never waits.

    If a worker dies or fails outside the job's own error handling, the job is marked failed rather than left
    queued, and a broken pool is replaced so later jobs still run."""

    def __init__(self, database_url: str, workers: int = 1, processes: bool = True):
        self.database_url = database_url
        self.workers, self.processes = workers, processes
        self.sessions = session_factory(make_engine(database_url))
        self.executor = self._start()

    def _start(self) -> Executor:
        executor: Executor = (
            ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=follow_server,
                initargs=(os.getpid(),),
            )
            if self.processes
            else ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="careflow-job")
        )
        executor.submit(warm_up)
        return executor

    def submit(self, job_id: int) -> Future[str]:
        try:
            future = self.executor.submit(run_projection_job, self.database_url, job_id)
        except BrokenExecutor:
            self.executor = self._start()
            future = self.executor.submit(run_projection_job, self.database_url, job_id)
        future.add_done_callback(lambda done: self._settle(job_id, done))
        return future

    def _settle(self, job_id: int, future: Future[str]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is None:
            return
        log.error("projection job %s: the worker stopped (%s)", job_id, type(error).__name__)
        with transaction(self.sessions) as db:
            db.execute(
                update(Job)
                .where(Job.id == job_id, Job.status.in_([JobStatus.queued.value, JobStatus.running.value]))
                .values(
                    status=JobStatus.failed.value,
                    finished_at=datetime.now(UTC),
                    error=f"the worker stopped before finishing ({type(error).__name__}); run it again",
                )
            )

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
