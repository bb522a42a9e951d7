"""`make bench`: load-test the portal side by side with a bare Django ceiling.

Everything runs on loopback and stops by itself:
1. seeds a PostgreSQL database (`batang_bench`) with `seed_demo --scale`;
2. serves the portal (production settings, REDIS_URL set) and a bare Django "hello"
   project with the same gunicorn settings (2 sync workers);
3. measures each page with wrk (req/s, p50, p99) and divides by the ceiling measured
   right before it (the load of a shared machine drifts during a run);
4. runs the surge, seat-race and mail fan-out scenarios;
5. prints one table and writes bench/results/latest.json.

Run `python bench/run.py --help` for the knobs; `make bench` uses the defaults.
`--only whatsapp_fanout` (or any scenario name, comma-separated) runs just those
scenarios: no seeding, no gunicorn, no pages; the figures still go to latest.json,
merged into the last full run's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from processes import process_stop

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS = ROOT / "bench" / "results"
# Overridable so that several people on one machine do not share a bench database/broker.
BENCH_DB = os.environ.get("BENCH_DB", "batang_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_services() -> None:
    """Start PostgreSQL and Redis when they are down (as .ci/run does)."""
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        version = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True)
    if ping.returncode != 0:
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
            + ["--save", "", "--appendonly", "no"],
            check=True,
        )
    for _ in range(30):
        ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0
        pong = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True)
        if ready and pong.stdout.strip() == b"PONG":
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL or Redis did not start")


def portal_env(site_port: int, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
            "REDIS_URL": BENCH_REDIS_URL,
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": "bench-secret-key-long-enough-for-check-deploy-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{site_port}",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict, scale: int, *, seed: bool = True) -> None:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{BENCH_DB}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DB], check=True)
    log("migrate")
    manage(env, "migrate", "--noinput", "-v", "0")
    if not seed:
        return
    log(f"seed_demo --scale {scale} (idempotent: fast when already seeded)")
    started = time.monotonic()
    manage(env, "seed_demo", "--scale", str(scale))
    log(f"seeded in {time.monotonic() - started:.0f} s")


def start_gunicorn(wsgi: str, port: int, env: dict, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(PY).with_name("gunicorn")),
            wsgi,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.3)
    process_stop(process, timeout=10)
    raise SystemExit(f"{wsgi} did not answer on port {port}")


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, *, duration: int, connections: int, headers=(), script=None, script_args=()):
    """Run wrk once; return req/s, p50/p99 in ms and counts of errors and non-2xx/3xx."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": round(rps, 1),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "non_2xx_3xx": int(non_ok.group(1)) if non_ok else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


COPY_GOAL = 0.8
# The hello ceiling of the README's quiet run: a p50 goal in milliseconds (staff pages)
# is scaled by how much slower the machine is now than then (ceiling / ceiling now), so
# it means the same on a busy or a faster machine as the ratios do.
REFERENCE_CEILING_RPS = 2545.0


def copy_public_pages(base: str, pages: list[dict], workdir: Path) -> Path:
    """Save each cached public page's bytes (gzip, as phones ask) for the copy ceiling.

    Marks each such page with `copy` (its number at the ceiling) and `bytes`.
    """
    listed = []
    for page in pages:
        if not page.get("cached"):
            continue
        request = urllib.request.Request(base + page["path"], headers={"Accept-Encoding": "gzip"})  # noqa: S310
        for _ in range(2):  # the second answer is the one from the cache
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = response.read()
                content_type = response.headers.get("Content-Type", "text/html")
                encoding = response.headers.get("Content-Encoding", "")
        target = workdir / f"copy-{len(listed)}.bin"
        target.write_bytes(body)
        page["copy"], page["bytes"] = len(listed), len(body)
        listed.append(
            {"file": str(target), "content_type": content_type, "content_encoding": encoding}
        )
    manifest = workdir / "copy-pages.json"
    manifest.write_text(json.dumps(listed))
    return manifest


def worker_peak_rss(master: subprocess.Popen) -> dict:
    """Peak resident memory (VmHWM, MB) of each gunicorn worker of this master."""
    peaks = []
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(round(int(found.group(1)) / 1024, 1))
    return {"workers": peaks, "max": max(peaks, default=0.0)}


def prepare_fixtures(env: dict, workdir: Path) -> dict:
    """Ask the portal (bench/fixtures.py, run under Django) for URLs, sessions, lists."""
    result = subprocess.run(
        [PY, str(ROOT / "bench" / "fixtures.py"), str(workdir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 40)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 8)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--only",
        default="",
        help="run only these scenarios (comma-separated, e.g. whatsapp_fanout,mail_fanout)",
    )
    args = parser.parse_args()
    if args.only:
        return run_only(args)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    started = time.monotonic()
    ensure_services()
    portal_port, ceiling_port = free_port(), free_port()
    env = portal_env(portal_port)
    # Migrations always run (the code may be newer than the data); seeding is optional.
    prepare_database(env, args.scale, seed=not args.skip_seed)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    fixtures = prepare_fixtures(env, workdir)
    # Fresh planner statistics, as autovacuum keeps them in production: right after a
    # bulk seed they are stale and PostgreSQL picks bad plans (a 30 ms hash join for a
    # 0.1 ms index lookup on the dashboard's attendance count).
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "ANALYZE", BENCH_DB], check=True
    )

    portal = start_gunicorn("batang_portal.wsgi", portal_port, env, args.workers)
    ceiling = None
    memory: dict = {}
    rows: list[dict] = []
    try:
        base = f"http://127.0.0.1:{portal_port}"
        # The second ceiling answers each cached public page's own bytes from memory.
        manifest = copy_public_pages(base, fixtures["pages"], workdir)
        ceiling_env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_CEILING_PAGES=str(manifest))
        ceiling = start_gunicorn("bench.ceiling.wsgi", ceiling_port, ceiling_env, args.workers)
        hello_url = f"http://127.0.0.1:{ceiling_port}/"
        log("ceiling: bare Django hello view")
        wrk(hello_url, duration=2, connections=args.connections)
        bare = wrk(hello_url, duration=args.duration, connections=args.connections)
        rows.append({"figure": "bare Django hello (ceiling)", **bare, "ratio": 1.0, "goal": None})
        for page in fixtures["pages"]:
            log(f"{page['name']}: {page['path']}")
            # Phones' browsers always accept gzip; so does the benchmark.
            headers = ["Accept-Encoding: gzip"]
            if page.get("cookie"):
                headers.append(f"Cookie: {page['cookie']}")
            kwargs = {
                "duration": args.duration,
                # Staff pages: as many at once as a busy office asks (fixtures.py).
                "connections": page.get("connections", args.connections),
                "headers": headers,
            }
            if page.get("post_list"):
                kwargs["script"] = ROOT / "bench" / "post.lua"
                kwargs["script_args"] = [page["post_list"], page.get("post_extra", "")]
            else:
                wrk(base + page["path"], **{**kwargs, "duration": 2})  # warm caches
            # The ceiling again right before the page: on a shared machine the load drifts
            # during the run, and a ratio is only fair between neighbours in time.
            short = max(3, args.duration // 2)
            ceiling_now = wrk(hello_url, duration=short, connections=args.connections)
            row = {"figure": page["name"]}
            if "copy" in page:
                copy_url = f"http://127.0.0.1:{ceiling_port}/copy/{page['copy']}/"
                copy_now = wrk(
                    copy_url, duration=short, connections=args.connections, headers=headers
                )
                row["copy_ceiling_rps"] = copy_now["rps"]
            figures = wrk(base + page["path"], **kwargs)
            row.update(figures)
            row["connections"] = kwargs["connections"]
            if page.get("goal_p50_ms") is not None:
                row["goal_p50_ms"] = page["goal_p50_ms"]
                slower = REFERENCE_CEILING_RPS / ceiling_now["rps"] if ceiling_now["rps"] else 1
                row["p50_scaled_ms"] = round(figures["p50_ms"] / slower, 1)
            row["ratio"] = (
                round(figures["rps"] / ceiling_now["rps"], 3) if ceiling_now["rps"] else 0
            )
            row["goal"] = page["goal"]
            row["ceiling_rps"] = ceiling_now["rps"]
            if "copy" in page:
                copy_rps = row["copy_ceiling_rps"]
                row["copy_ratio"] = round(figures["rps"] / copy_rps, 3) if copy_rps else 0
                row["copy_goal"] = COPY_GOAL
                row["bytes"] = page["bytes"]
            rows.append(row)
        extra = {
            name: run_scenario(name, base, scenario, env)
            for name, scenario in fixtures.get("scenarios", {}).items()
        }
        # After every page and scenario: the most a worker process held at once.
        memory = worker_peak_rss(portal)
    finally:
        process_stop(portal, timeout=10)
        if ceiling is not None:
            process_stop(ceiling, timeout=10)

    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {"cores": os.cpu_count()},
        "settings": vars(args),
        "data": fixtures.get("counts", {}),
        "pages": rows,
        "gunicorn_worker_peak_rss_mb": memory,
        "scenarios": extra,
        "elapsed_s": round(time.monotonic() - started),
    }
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {RESULTS / 'latest.json'} in {report['elapsed_s']} s")
    return 0


def run_scenario(name: str, base: str, scenario: dict, env: dict) -> dict:
    log(f"scenario {name}")
    done = subprocess.run(
        [PY, str(ROOT / "bench" / "scenarios.py"), name, base, json.dumps(scenario)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return json.loads(done.stdout.strip().splitlines()[-1])
    return {"error": done.stderr.strip().splitlines()[-3:]}


# What each scenario needs when run alone (--only): the fan-outs need no seeded data.
ALONE = {
    "mail_fanout": lambda: {"count": int(os.environ.get("BENCH_MAILS", 10_000))},
    "whatsapp_fanout": lambda: {
        "count": int(os.environ.get("BENCH_WHATSAPP", 10_000)),
        "concurrency": int(os.environ.get("BENCH_WHATSAPP_CONCURRENCY", 4)),
    },
}


def run_only(args) -> int:
    """Run some scenarios alone against a migrated database; merge into latest.json."""
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in ALONE]
    if unknown:
        raise SystemExit(f"--only runs {sorted(ALONE)}, not {unknown}")
    started = time.monotonic()
    ensure_services()
    env = portal_env(free_port())
    prepare_database(env, args.scale, seed=False)
    latest = RESULTS / "latest.json"
    report = json.loads(latest.read_text()) if latest.exists() else {"pages": [], "data": {}}
    report.setdefault("scenarios", {})
    for name in names:
        report["scenarios"][name] = {
            **run_scenario(name, "", ALONE[name](), env),
            "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        }
    report["machine"] = {"cores": os.cpu_count()}
    print_table({**report, "pages": [], "scenarios": {n: report["scenarios"][n] for n in names}})
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {latest} in {round(time.monotonic() - started)} s")
    return 0


def goal_met(row: dict) -> str:
    """ "yes"/"NO" against every goal the row has (ratios, the copy ratio, a p50 bound)."""
    checks = []
    if row.get("goal") is not None:
        checks.append(row["ratio"] >= row["goal"])
    if row.get("copy_goal") is not None:
        checks.append(row["copy_ratio"] >= row["copy_goal"])
    if row.get("goal_p50_ms") is not None:
        checks.append(row["p50_scaled_ms"] <= row["goal_p50_ms"])
    if not checks:
        return ""
    return "yes" if all(checks) else "NO"


def goal_text(row: dict) -> str:
    parts = []
    if row.get("goal") is not None:
        parts.append(f">={row['goal']}")
    if row.get("copy_goal") is not None:
        parts.append(f"copy>={row['copy_goal']}")
    if row.get("goal_p50_ms") is not None:
        parts.append(f"p50*<={row['goal_p50_ms']}ms ({row['p50_scaled_ms']:.0f})")
    return " ".join(parts)


def print_table(report: dict) -> None:
    print()
    print("data:", ", ".join(f"{k} {v:,}" for k, v in report["data"].items()))
    header = (
        f"{'figure':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
        f"{'ceiling':>8} {'ratio':>7} {'copy':>8} {'ratio':>7}  {'goal':24} met"
    )
    print(header)
    print("-" * len(header))
    bare_rps = report["pages"][0]["rps"] if report["pages"] else 0.0
    for row in report["pages"]:
        copy_rps = f"{row['copy_ceiling_rps']:>8.1f}" if "copy_ceiling_rps" in row else " " * 8
        copy_ratio = f"{row['copy_ratio']:>7.3f}" if "copy_ratio" in row else " " * 7
        print(
            f"{row['figure']:44} {row['rps']:>9.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['non_2xx_3xx']:>8} {row.get('ceiling_rps', bare_rps):>8.1f} "
            f"{row['ratio']:>7.3f} {copy_rps} {copy_ratio}  {goal_text(row):24} {goal_met(row)}"
        )
    memory = report.get("gunicorn_worker_peak_rss_mb") or {}
    if memory:
        print(f"gunicorn workers' peak RSS (MB): {memory['workers']} (max {memory['max']})")
    for name, figures in report["scenarios"].items():
        print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
    print()


if __name__ == "__main__":
    sys.exit(main())
