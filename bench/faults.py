"""`make faults`: one fault at a time against a production-like deployment, under load.

Everything runs on loopback, on ports from --port-base (default 18100), and stops by
itself; the machine's own PostgreSQL and Redis are never touched:
- a throw-away PostgreSQL cluster (initdb into var/faults/pg), database `batang_faults`,
  migrated and seeded with `seed_demo`;
- its own redis-server (cache, sessions, Celery broker);
- gunicorn (2 workers, production settings), the two Celery workers of README
  "Deploying" (urgent+periodic, default+bulk: the queues `make worker` uses), beat (the
  project's CatchUpScheduler), an aiosmtpd server in this process that can refuse (421)
  or answer slowly.
Then, one at a time: Redis stopped, Redis hung (SIGSTOP), PostgreSQL stopped, the mail
server refusing, the mail server slow (with a digest batch on it), the mail worker
SIGKILLed in the middle of a digest batch, beat across a broker outage. During each fault a load
loop requests anonymous pages, a signed-in job seeker's /me/ and writes (sign-up,
apply, withdraw, password reset); afterwards the mail is given time to settle and the
database is asked which writes committed. One table is printed (and written to
var/faults/latest.json).

    python bench/faults.py [--fault-seconds N] [--only NAME ...]

Mail retries are scaled down (first retry after 5 s, at most 30 s apart; a send
unfinished for 100 s counts as stale) so that a run takes minutes, not hours.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import glob
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from processes import process_stop, production_env

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WORK = ROOT / "var" / "faults"
DATABASE = "batang_faults"
# Worker name -> its queues, as README "Deploying" runs them: time-critical mail and the
# periodic jobs never wait behind a slow mail server or a digest.
WORKERS = {"fast": "urgent,periodic", "mail": "default,bulk"}
SETTLE_SECONDS = 240  # how long the mail of a fault may take to settle afterwards


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The services ---------------------------------------------------------------------


class Postgres:
    """A throw-away cluster, run as the postgres user when this process is root."""

    def __init__(self, port: int):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise SystemExit("needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)")
        self.bindir = Path(found[-1]).parent
        self.port = port
        self.dir = WORK / "pg"
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, timeout=120)

    def create(self) -> None:
        self.destroy()
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            # The postgres user must be able to reach its folder.
            for parent in (WORK, WORK.parent):
                parent.chmod(parent.stat().st_mode | 0o011)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # As in production (scripts/provision.sh): a memory cap that never evicts queues.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port, "redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


class MailServer:
    """aiosmtpd in a thread; records (time, X-Notification-Id, kind, To) of every mail."""

    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.received: list[tuple[float, str, str, str]] = []
        self.refusing = False
        self.delay = 0.0
        self.refused = 0
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_MAIL(self, smtp, session, envelope, address, options):  # noqa: N802
                if server.refusing:
                    with server.lock:
                        server.refused += 1
                    return "421 4.3.2 Service not available, try again later"
                envelope.mail_from = address
                return "250 OK"

            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802
                if server.delay:
                    await asyncio.sleep(server.delay)
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with server.lock:
                    server.received.append(
                        (
                            time.time(),
                            str(message["X-Notification-Id"] or ""),
                            str(message["X-Notification-Kind"] or ""),
                            str(message["To"] or ""),
                        )
                    )
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def copies(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        with self.lock:
            for _t, notification_id, _kind, _to in self.received:
                if notification_id.isdigit():
                    counts[int(notification_id)] = counts.get(int(notification_id), 0) + 1
        return counts

    def first_arrival(self, to: str) -> float | None:
        with self.lock:
            return next((t for t, _id, _kind, rcpt in self.received if rcpt == to), None)


def wait_port(port: int, what: str, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}")


class Deployment:
    """The portal's processes: gunicorn, a Celery worker, beat."""

    def __init__(self, args, postgres: Postgres, redis: Redis, mail: MailServer):
        self.args = args
        self.web_port = args.port_base
        self.postgres, self.redis, self.mail = postgres, redis, mail
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = {name: WORK / f"{name}.log" for name in ("gunicorn", *WORKERS, "beat")}
        self.env = production_env(
            database_url=postgres.url,
            site_url=f"http://127.0.0.1:{self.web_port}",
            folder=WORK,
            log_level="WARNING",
            extra={
                "REDIS_URL": redis.url,
                "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
                "EMAIL_TIMEOUT": "10",
                "NOTIFICATIONS_RETRY_BASE_SECONDS": "5",
                "NOTIFICATIONS_RETRY_MAX_SECONDS": "30",
                "NOTIFICATIONS_SENDING_STALE_SECONDS": "100",
            },
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def django(self, *args: str) -> object:
        """Run bench/fault_fixtures.py; return its JSON answer."""
        result = subprocess.run(
            [PY, str(ROOT / "bench" / "fault_fixtures.py"), *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"fault_fixtures {args[0]} failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        with self.logs[name].open("a") as out:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def start_gunicorn(self) -> None:
        self._spawn("gunicorn", [str(Path(PY).with_name("gunicorn")), "batang_portal.wsgi",
                                 "--workers", "2", "--bind", f"127.0.0.1:{self.web_port}",
                                 "--timeout", "60", "--log-level", "warning"])  # fmt: skip
        wait_port(self.web_port, "gunicorn")

    def start_worker(self, name: str) -> None:
        # The two workers of README "Deploying" (together, the queues `make worker` uses);
        # their logs show every task run (the sweeper's, after a broker outage).
        self._spawn(name, [PY, "-m", "celery", "-A", "batang_portal", "worker", "-l", "info",
                           "-Q", WORKERS[name], "-c", "2",
                           "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"],
                    env={"DJANGO_LOG_LEVEL": "INFO"})  # fmt: skip

    def start_beat(self) -> None:
        self._spawn("beat", [PY, "-m", "celery", "-A", "batang_portal", "beat", "-l", "info",
                             "-s", str(WORK / "celerybeat-schedule")])  # fmt: skip

    def kill(self, name: str, sig=signal.SIGTERM) -> None:
        if name in self.processes:
            process_stop(self.processes[name], sig=sig)

    def stop_all(self) -> None:
        for name in ("beat", *WORKERS, "gunicorn"):
            self.kill(name)


# --- The load --------------------------------------------------------------------------


class Load:
    """Threads requesting pages and writing while a fault lasts; every request recorded."""

    def __init__(self, port: int, fixtures: dict):
        self.port = port
        self.fixtures = fixtures
        self.appliers = list(fixtures["appliers"])
        self.resets = list(fixtures["reset_emails"])
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.reset_phase()

    def reset_phase(self) -> None:
        with self.lock:
            self.requests: list[tuple[str, int, float]] = []  # (kind, status or -1, seconds)
            self.writes: list[dict] = []

    def request(self, kind: str, method: str, path: str, body: str = "", cookie: str = ""):
        headers = {
            # Each request from its own address, as many people would (rate limits are
            # per address; the deployment trusts one proxy hop).
            "X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}",
            "Accept-Language": "id",
        }
        if cookie:
            headers["Cookie"] = cookie
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        status, location = -1, ""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
            status, location = response.status, response.getheader("Location") or ""
            connection.close()
        except OSError:
            status = -1
        elapsed = time.monotonic() - started
        with self.lock:
            self.requests.append((kind, status, elapsed))
        return status, location

    def _anonymous(self) -> None:
        paths = self.fixtures["anonymous"]
        while not self.stop.is_set():
            self.request("anonymous", "GET", random.choice(paths))
            time.sleep(0.03)  # a steady load, not a flood: the machine is shared

    def _signed_in(self) -> None:
        while not self.stop.is_set():
            self.request("/me/", "GET", "/me/", cookie=self.fixtures["me_cookie"])
            time.sleep(0.05)

    def _writer(self) -> None:
        from urllib.parse import urlencode

        turn = 0
        while not self.stop.is_set():
            turn += 1
            csrf = uuid.uuid4().hex  # 32 characters: a CSRF secret Django accepts as token
            # Sign-up.
            address = f"faults-{uuid.uuid4().hex[:12]}@example.com"
            body = urlencode({"csrfmiddlewaretoken": csrf, "full_name": "Uji Gangguan",
                              "email": address, "phone": "081234567890",
                              "password": "batik-kandeman-77"})  # fmt: skip
            status, _ = self.request("sign-up", "POST", "/accounts/register/", body,
                                     cookie=f"csrftoken={csrf}")  # fmt: skip
            self._record("sign-up", address, status, ok=status == 302)
            # Apply, then withdraw the application just made.
            if self.appliers:
                applier = self.appliers.pop()
                cookie = f"sessionid={applier['session']}; csrftoken={applier['csrf']}"
                body = urlencode({"csrfmiddlewaretoken": applier["csrf"],
                                  "motivation": "Saya ingin bekerja di KEK Batang."})  # fmt: skip
                status, location = self.request("apply", "POST", applier["path"], body, cookie)
                self._record("apply", applier["trainee_id"], status, ok=status == 302)
                match = re.search(r"/me/applications/(\d+)/", location)
                if match:
                    body = urlencode({"csrfmiddlewaretoken": applier["csrf"], "reason": "uji"})
                    status, _ = self.request(
                        "withdraw", "POST", f"{match.group()}withdraw/", body, cookie
                    )
                    self._record("withdraw", int(match.group(1)), status, ok=status == 302)
            # A password reset now and then: time-critical mail (the urgent queue).
            if turn % 3 == 0 and self.resets:
                address = self.resets.pop()
                body = urlencode({"csrfmiddlewaretoken": csrf, "email": address})
                sent_at = time.time()
                status, _ = self.request("reset", "POST", "/accounts/password_reset/", body,
                                         cookie=f"csrftoken={csrf}")  # fmt: skip
                self._record("reset", address, status, ok=status == 302, at=sent_at)
            time.sleep(0.2)

    def _record(self, kind: str, key, status: int, *, ok: bool, at: float | None = None):
        with self.lock:
            self.writes.append({"kind": kind, "key": key, "status": status, "ok": ok, "at": at})

    def start(self) -> None:
        self.stop.clear()
        targets = [self._anonymous, self._anonymous, self._signed_in, self._writer]
        self.threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=40)


# --- The faults ------------------------------------------------------------------------


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        body = response.read()
        return response.status == 200 and json.loads(body).get("broker") == "ok"
    except (OSError, ValueError):
        return False


def wait_healthy(port: int, timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if healthy(port):
            return time.monotonic() - started
        time.sleep(0.5)
    return float("nan")


class Run:
    def __init__(self, args):
        self.args = args
        base = args.port_base
        self.postgres = Postgres(base + 2)
        self.redis = Redis(base + 1)
        self.mail = MailServer(base + 3)
        self.deployment = Deployment(args, self.postgres, self.redis, self.mail)
        self.rows: list[dict] = []

    def seconds(self, default: int) -> int:
        return self.args.fault_seconds or default

    # Each fault: do it, hold it for its duration while the load runs, undo it.

    def redis_stopped(self):
        self.redis.stop()
        yield self.seconds(60)
        self.redis.start()

    def redis_hung(self):
        self.redis.hang()
        yield self.seconds(45)
        self.redis.resume()

    def postgres_stopped(self):
        self.postgres.stop()
        yield self.seconds(60)
        self.postgres.start()

    def mail_refusing(self):
        self.mail.refusing = True
        yield self.seconds(120)
        self.mail.refusing = False

    def mail_slow(self):
        # Every reply to DATA 5 s late (under the worker's 10 s EMAIL_TIMEOUT), with a
        # digest batch on it: time-critical mail must not wait behind the batch.
        self.mail.delay = 5.0
        self.deployment.django("digests", "100", f"slow-{uuid.uuid4().hex[:6]}")
        yield self.seconds(60)
        self.mail.delay = 0.0

    def worker_killed(self):
        before = len(self.mail.received)
        self.deployment.django("digests", "300", f"kill-{uuid.uuid4().hex[:6]}")
        deadline = time.monotonic() + 60
        while len(self.mail.received) < before + 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.deployment.kill("mail", signal.SIGKILL)  # the digests' worker, mid-batch
        yield min(self.seconds(10), 10)
        self.deployment.start_worker("mail")  # as a supervisor restarts it

    def beat_broker_outage(self):
        self.beat_log_offset = self.deployment.logs["beat"].stat().st_size
        self.redis.stop()
        # Long enough for the every-minute sweeper's tick to fall inside the outage.
        yield max(self.seconds(70), 65)
        self.redis.start()
        self.broker_back = time.time()
        self.sweeper_ran_after = None
        threading.Thread(target=self._watch_sweeper, daemon=True).start()

    def _watch_sweeper(self) -> None:
        """Note when the periodic worker first runs the sweeper after the broker's return."""
        worker_log = self.deployment.logs["fast"]
        offset = worker_log.stat().st_size
        while time.time() - self.broker_back < SETTLE_SECONDS:
            if re.search(
                r"notification_requeue_stale_task\[[^\]]+\] succeeded",
                worker_log.read_text()[offset:],
            ):
                self.sweeper_ran_after = round(time.time() - self.broker_back)
                return
            time.sleep(0.5)

    FAULTS = {
        "redis-stopped": "Redis stopped",
        "redis-hung": "Redis hung (SIGSTOP)",
        "postgres-stopped": "PostgreSQL stopped",
        "mail-refusing": "mail server refusing (421)",
        "mail-slow": "mail server slow (5 s replies)",
        "worker-killed": "worker SIGKILLed mid-batch",
        "beat-broker-outage": "beat across a broker outage",
    }

    def setup(self) -> dict:
        WORK.mkdir(parents=True, exist_ok=True)
        for path in self.deployment.logs.values():
            path.write_text("")
        log(f"PostgreSQL cluster on port {self.postgres.port} (var/faults/pg)")
        self.postgres.create()
        self.redis.start()
        self.mail.start()
        log("migrate, seed_demo, collectstatic")
        self.deployment.manage("migrate", "--noinput", "-v", "0")
        self.deployment.manage("seed_demo")
        self.deployment.manage("collectstatic", "--noinput", "-v", "0")
        log("fixtures: sessions, appliers")
        fixtures = self.deployment.django("prepare", str(WORK))
        self.deployment.start_gunicorn()
        for name in WORKERS:
            self.deployment.start_worker(name)
        self.deployment.start_beat()
        if np_nan(wait_healthy(self.deployment.web_port, timeout=60)):
            raise SystemExit("the deployment did not become healthy")
        return fixtures

    def run(self) -> list[dict]:
        fixtures = self.setup()
        load = Load(self.deployment.web_port, fixtures)
        names = self.args.only or list(self.FAULTS)
        for name in ["baseline", *names]:
            self.rows.append(self.one(name, load, fixtures["cohort_id"]))
            log(json.dumps(self.rows[-1]))
        return self.rows

    def one(self, name: str, load: Load, cohort_id: int) -> dict:
        log(f"--- {name}")
        load.start()
        # Warm-up, not counted: the page cache is as fresh as under steady traffic.
        time.sleep(5)
        load.reset_phase()
        started = time.time()
        mail_before = len(self.mail.received)
        refused_before = self.mail.refused
        if name == "baseline":
            time.sleep(self.seconds(30) if not self.args.fault_seconds else 15)
            fault_seconds = time.time() - started
        else:
            fault = getattr(self, name.replace("-", "_"))()
            duration = next(fault)
            log(f"fault on for {duration} s")
            time.sleep(duration)
            with contextlib.suppress(StopIteration):
                next(fault)
            fault_seconds = time.time() - started
        load.finish()
        recovered = wait_healthy(self.deployment.web_port)
        log(f"healthy again after {recovered:.1f} s; mail settling")
        row = self.measure(name, load, started, fault_seconds, recovered, cohort_id)
        row["mail refused (421)"] = self.mail.refused - refused_before
        row["mails received"] = len(self.mail.received) - mail_before
        if name == "beat-broker-outage":
            row.update(self.beat_figures())
        return row

    def measure(self, name, load, started, fault_seconds, recovered, cohort_id) -> dict:
        writes = list(load.writes)
        phase = {
            "started": started,
            "cohort_id": cohort_id,
            "signups": [w["key"] for w in writes if w["kind"] == "sign-up"],
            "applies": [w["key"] for w in writes if w["kind"] == "apply"],
            "withdraws": [w["key"] for w in writes if w["kind"] == "withdraw"],
        }
        phase_file = WORK / f"phase-{name}.json"
        phase_file.write_text(json.dumps(phase))
        # Let the outbox settle: nothing queued or being sent among the phase's rows.
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            answer = self.deployment.django("check", str(phase_file))
            pending = [r for r in answer["outbox"] if r[1] in ("queued", "sending")]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(5)
        committed = {
            "sign-up": set(answer["signed_up"]),
            "apply": set(answer["applied"]),
            "withdraw": set(answer["withdrawn"]),
        }
        wrongly_failed = sum(
            1
            for w in writes
            if w["kind"] in committed and not w["ok"] and w["key"] in committed[w["kind"]]
        )
        copies = self.mail.copies()
        outbox = answer["outbox"]
        delivered = [r for r in outbox if copies.get(r[0], 0) >= 1]
        duplicated = sum(max(copies.get(r[0], 0) - 1, 0) for r in outbox)
        lost = [r for r in outbox if r[1] == "sent" and copies.get(r[0], 0) == 0]
        failed = [r for r in outbox if r[1] == "failed"]
        failed_but_delivered = [r for r in failed if copies.get(r[0], 0) >= 1]
        # Time-critical mail: from the reset request to its arrival.
        reset_delays = []
        for w in writes:
            if w["kind"] == "reset" and w["ok"]:
                arrival = self.mail.first_arrival(w["key"])
                if arrival is not None:
                    reset_delays.append(arrival - w["at"])
        requests = load.requests

        def count(kinds, predicate):
            return sum(1 for kind, status, _s in requests if kind in kinds and predicate(status))

        latencies = sorted(s for _k, status, s in requests if status > 0)
        write_latencies = sorted(
            s for k, status, s in requests if status > 0 and k not in ("anonymous", "/me/")
        )
        pages = ("anonymous", "/me/")
        return {
            "fault": name,
            "seconds": round(fault_seconds),
            "requests": len(requests),
            "anonymous 5xx": f"{count({'anonymous'}, lambda s: s >= 500)}"
            f"/{count({'anonymous'}, lambda s: True)}",
            "/me/ 5xx": f"{count({'/me/'}, lambda s: s >= 500)}/{count({'/me/'}, lambda s: True)}",
            "503 pages": count(pages, lambda s: s == 503),
            "other 5xx": count(
                set(pages) | {"sign-up", "apply", "withdraw", "reset"},
                lambda s: s >= 500 and s != 503,
            ),  # fmt: skip
            "errors (no answer)": count({k for k, _s, _t in requests}, lambda s: s == -1),
            "p50 ms": round(statistics.median(latencies) * 1000) if latencies else None,
            "p95 ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000)
            if latencies
            else None,
            "write p95 ms": round(write_latencies[int(len(write_latencies) * 0.95) - 1] * 1000)
            if write_latencies
            else None,
            "writes": len(writes),
            "writes failed": sum(1 for w in writes if not w["ok"]),
            "writes reported failed but committed": wrongly_failed,
            "outbox rows": len(outbox),
            "mails delivered": len(delivered),
            "mails duplicated": duplicated,
            "mails lost": len(lost),
            "mails failed": len(failed),
            "of them delivered": len(failed_but_delivered),
            "failed reasons": sorted({r[3][:60] for r in failed}),
            "still queued": sum(1 for r in outbox if r[1] in ("queued", "sending")),
            "urgent mail delay p50/max s": (
                f"{statistics.median(reset_delays):.1f}/{max(reset_delays):.1f}"
                if reset_delays
                else None
            ),
            "recovered after s": round(recovered, 1),
        }

    def beat_figures(self) -> dict:
        """Did the sweeper tick that fell due during the outage run after it?"""
        beat_log = self.deployment.logs["beat"].read_text()[self.beat_log_offset :]
        missed = beat_log.count("could not publish notifications-requeue-stale")
        return {
            "sweeper publishes failed in outage": missed,
            "sweeper ran after return s": self.sweeper_ran_after,
        }

    def teardown(self) -> None:
        self.deployment.stop_all()
        self.mail.stop()
        self.redis.stop()
        if not self.args.keep:
            self.postgres.destroy()
        else:
            self.postgres.stop()


def np_nan(value: float) -> bool:
    return value != value


COLUMNS = [
    "fault", "seconds", "requests", "anonymous 5xx", "/me/ 5xx", "503 pages", "other 5xx",
    "errors (no answer)", "p50 ms", "p95 ms", "write p95 ms", "writes", "writes failed",
    "writes reported failed but committed", "outbox rows", "mails delivered",
    "mails duplicated", "mails lost", "mails failed", "of them delivered", "still queued",
    "urgent mail delay p50/max s", "recovered after s",
]  # fmt: skip


def print_table(rows: list[dict]) -> None:
    print()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in COLUMNS) + " |")
    for row in rows:
        extra = {k: v for k, v in row.items() if k not in COLUMNS and v}
        if extra:
            print(f"{row['fault']}: {json.dumps(extra)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault-seconds", type=int, default=int(os.environ.get("FAULT_SECONDS") or 0),
                        help="hold every fault this long (default: 60 s, 45 s hung, 120 s refusing)")  # fmt: skip
    parser.add_argument("--only", nargs="*", choices=list(Run.FAULTS), help="run only these faults")
    parser.add_argument("--port-base", type=int, default=18100, help="ports base..base+3")
    parser.add_argument("--keep", action="store_true", help="keep var/faults/pg afterwards")
    args = parser.parse_args()
    for tool in ("redis-server", "runuser"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")
    run = Run(args)
    started = time.monotonic()
    try:
        rows = run.run()
    finally:
        run.teardown()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "latest.json").write_text(
        json.dumps(
            {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": rows}, indent=1
        )  # fmt: skip
    )
    print_table(rows)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{(time.monotonic() - started) / 60:.1f} min")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
