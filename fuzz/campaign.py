#!/usr/bin/env python3
"""h2sim fuzz campaign: mutated scenarios, damaged logs, mutated fault plans and random argument
vectors, each run as a real `h2sim` process. Independent of h2sim's own code: it only reads the
repository's seed files and judges the process from the outside.

Every case must:
  * exit with 0, 1 or 2, within the wall bound (a hang otherwise), never by a signal (a crash);
  * print no stack trace and no "internal error";
  * on exit 2 print exactly one line on stderr starting "h2sim: ", naming the mutated file and
    its line ("FILE:N:") when that file is a scenario or a fault plan it could parse the line of;
  * for logs: never report "verified" (nor "diverged") unless the file is byte-identical to the
    recorded one: a damaged log is exit 2.

Usage (fuzz/README.md):  python3 fuzz/campaign.py [--scenarios N] [--logs N] [--plans N]
                         [--argv N] [--seed S] [--jobs J] [--hours H] [--out DIR]
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "Cli", "bin", "Release", "net10.0", "h2sim")
WALL_BOUND_S = 90  # no case may take longer: past it the case is a hang
STACK_TRACE = re.compile(r"^\s+at \S", re.M)

TOKENS = [
    b"&a ", b"*a", b"&v [", b"*v]", b"[", b"]", b"{", b"}", b"- ", b"!!", b"!optional ", b": ", b"\t", b"\x00",
    b"\"", b"'", b"#", b"|\n", b">\n", b"9223372036854775808", b"-9223372036854775808", b"4294967296",
    b"2147483648", b"65537", b"1_000_000_000", b"0x", b"0xffffffffffffffff", b"-1", b"1e9", b"NaN",
    b"((((((((((", b"))))))))))", b"!!!!!!!!", b"/ -1", b"% -1", b" * 4611686018427387904",
    b"(-9223372036854775807 - 1)", b"max(", b"min(", b"self", b"arg", b"call: main", b"repeat: {times: 1000000000, do: [yield]}",
    b"forever: [yield]", b"topology: {clusters: 1000000}", b"max_cpus: 65536", b"prio: 256", b"boots: 1000000",
    b"\xff\xfe", b"\xef\xbb\xbf", b"\r\n", b"~", b"null", b"true", b"<<: *a",
]

PLAN_TOKENS = [
    b"{", b"}", b"[", b"]", b"=", b":", b",", b"\"", b"#", b"//", b"${x}", b"include \"x\"", b"probabilty", b"kind",
    b"action", b"drop", b"delay", b"reorder", b"duplicate", b"KILL", b"*", b"-1", b"1e309", b"NaN", b"0.5",
    b"18446744073709551616", b"ids = [\"1:2\"]", b"rules = [", b"h2sim.faults {", b"\n", b"\\",
]


def mutate(data, tokens, rng):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 5, 8])):
        op = rng.randrange(9)
        n = len(data)
        if n == 0:
            data += rng.choice(tokens)
            continue
        i = rng.randrange(n)
        if op == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[i] = rng.randrange(256)
        elif op == 2:
            del data[i:i + rng.randrange(1, 64)]
        elif op == 3:
            j = rng.randrange(n)
            data[i:i] = data[j:j + rng.randrange(1, 256)]
        elif op == 4:
            data[i:i] = rng.choice(tokens)
        elif op == 5:
            del data[rng.randrange(n):]
        elif op == 6:
            lines = bytes(data).split(b"\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
        elif op == 7:
            m = re.search(rb"\d+", bytes(data[i:]))
            if m:
                data[i + m.start():i + m.end()] = rng.choice([b"0", b"-1", b"9223372036854775807", b"4294967297", b"65536", b"256", b"100000000000000000000"])
        else:
            t = rng.choice(tokens)
            data[i:i] = t * rng.choice([10, 100, 1000, 6000])
    return bytes(data)


def run(args, timeout=WALL_BOUND_S):
    start = time.monotonic()
    try:
        p = subprocess.run([BINARY] + args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.monotonic() - start
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace"), time.monotonic() - start


def judge(kind, args, rc, out, err, named_file=None):
    """Returns a list of problems (empty = fine)."""
    problems = []
    if rc is None:
        return ["hang"]
    if rc < 0 or rc >= 128:
        problems.append(f"crash (exit {rc})")
    elif rc not in (0, 1, 2):
        problems.append(f"wrong exit code {rc}")
    if STACK_TRACE.search(err) or "Unhandled exception" in err or "Stack overflow" in err:
        problems.append("stack trace")
    if "internal error" in err:
        problems.append("internal error")
    if rc == 2:
        lines = [l for l in err.splitlines() if l.strip()]
        if len(lines) != 1 or not lines[0].startswith("h2sim: "):
            problems.append("input error not one line")
        elif named_file is not None and not re.search(re.escape(os.path.basename(named_file)) + r":\d+: ", lines[0]) \
                and not any(s in lines[0] for s in NO_LINE_MESSAGES):
            problems.append("input error without file:line")
    return problems


# Input errors about a file as a whole, which have no line to name.
NO_LINE_MESSAGES = ["empty or not a regular file", "larger than a", "no h2sim.faults section", "--param ", "not found"]


def scenario_case(rng, seeds, work):
    seed_path = rng.choice(seeds)
    data = mutate(open(seed_path, "rb").read(), TOKENS, rng)
    path = os.path.join(work, f"s{rng.randrange(1 << 30)}.yaml")
    open(path, "wb").write(data)
    kernel = rng.choice(["base", "pr39", "master"])
    args = ["run", path, "--kernel", kernel, "--json", "--timeout", "30"]
    if rng.random() < 0.85:  # in process (fast); the rest on the Akka engine
        args += ["--record", path + ".h2log"]
    rc, out, err, secs = run(args)
    return judge("scenario", args, rc, out, err, path), (rc, secs, path, args, err)


def log_case(rng, logs, work):
    original = open(rng.choice(logs), "rb").read()
    if rng.random() < 0.3:
        cut = rng.randrange(len(original))
        data = original[:cut] if rng.random() < 0.7 else original + original[cut:cut + rng.randrange(1, 64)]
    else:
        data = mutate(original, [b"\x00", b"\xff", b"\x0a", b"\x09\x21"], rng)
    path = os.path.join(work, f"l{rng.randrange(1 << 30)}.h2log")
    open(path, "wb").write(data)
    verb = ["replay", path, "--verify", "--json", "--timeout", "30"] if rng.random() < 0.8 else \
        ["minimize", path, "-o", path + ".min.h2log", "--timeout", "30", "--json"]
    rc, out, err, secs = run(verb)
    problems = judge("log", verb, rc, out, err)
    identical = data == original
    accepted = rc in (0, 1) and not identical
    if accepted:
        problems.append("damaged log accepted")
    return problems, (rc, secs, path, verb, err, accepted)


def plan_case(rng, plans, scenario, work):
    data = mutate(open(rng.choice(plans), "rb").read(), PLAN_TOKENS, rng)
    path = os.path.join(work, f"p{rng.randrange(1 << 30)}.conf")
    open(path, "wb").write(data)
    args = ["run", scenario, "--kernel", "master", "--faults", path, "--json", "--timeout", "30", "--record", path + ".h2log"]
    rc, out, err, secs = run(args)
    return judge("plan", args, rc, out, err, path), (rc, secs, path, args, err)


VERBS = ["run", "suite", "sweep", "replay", "minimize", "explore", "gen", "gen storm", "bench", "bench phold", "bench naive", "bench compare", "frobnicate", ""]
OPTIONS = ["--kernel", "--bug", "--param", "--seed", "--partitions", "--horizon", "--json", "--timeout", "--record", "--timeline",
           "--fault", "--faults", "--cost-jitter", "--verify", "--drop", "--delay", "--runs", "--time", "--out", "-o", "--report",
           "--clusters", "--vms-per-cluster", "--threads", "--cross-cluster-parents", "--kill-fraction", "--hthreads", "--lps",
           "--events", "--remote", "--rounds", "--warmup-events", "--help", "--version", "--join-timeout", "--bogus", "-x", "--"]
VALUES = ["0", "1", "2", "-1", "3", "1000000000", "18446744073709551616", "abc", "", "base", "pr39", "master", "all", "NaN", "1e400",
          "x=1", "blocker_spins=1..3", "blocker_spins=5..1:0", "KILL:drop", "KILL:drop:2", "*:delay:0.5:10-5", "1:2", "1:2:3",
          "vmwork-gate-needs-ie", "nonsense-bug", "/dev/zero", "/nonexistent/x", "\x01", "--json", "0.5", "64", "65", "100000"]


def argv_case(rng, scenario_files, log, work):
    words = rng.choice(VERBS).split()
    for _ in range(rng.randrange(0, 7)):
        r = rng.random()
        if r < 0.45:
            words.append(rng.choice(OPTIONS))
        elif r < 0.75:
            words.append(rng.choice(VALUES))
        elif r < 0.85:
            words.append(rng.choice(scenario_files))
        elif r < 0.9:
            words.append(log)
        else:
            words.append(os.path.join(work, f"o{rng.randrange(1 << 20)}"))
    # Output paths stay in the work folder; every case is bounded.
    words = [os.path.join(work, "x") if w in ("/", ".") else w for w in words]
    if "node" in words:
        words = [w for w in words if w != "node"]
    words += ["--timeout", "20"]
    rc, out, err, secs = run(words)
    return judge("argv", words, rc, out, err), (rc, secs, None, words, err)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", type=int, default=5000)
    ap.add_argument("--logs", type=int, default=1000)
    ap.add_argument("--plans", type=int, default=500)
    ap.add_argument("--argv", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--hours", type=float, default=0, help="repeat the mix until this much time has passed (0: once)")
    ap.add_argument("--out", default=os.path.join(ROOT, "fuzz", "findings"))
    a = ap.parse_args()

    if not os.path.exists(BINARY):
        subprocess.run([os.path.join(ROOT, "h2sim"), "--version"], check=True, capture_output=True)
    work = tempfile.mkdtemp(prefix="h2sim-fuzz-")
    os.makedirs(a.out, exist_ok=True)
    scenarios = sorted(os.path.join(d, f) for d in (os.path.join(ROOT, "scenarios", "h2-pthread"), os.path.join(ROOT, "scenarios", "cluster")) for f in os.listdir(d) if f.endswith(".yaml"))
    for c, t in ((3, 4), (4, 8)):
        storm = os.path.join(work, f"storm{c}x{t}.yaml")
        subprocess.run([BINARY, "gen", "storm", "--clusters", str(c), "--threads", str(t), "-o", storm], check=True, capture_output=True)
        scenarios.append(storm)
    plans = sorted(os.path.join(ROOT, "hocon", "faults", f) for f in os.listdir(os.path.join(ROOT, "hocon", "faults")))
    full_plan = os.path.join(work, "full.conf")
    open(full_plan, "w").write('h2sim.faults {\n  cost-jitter-percent = 2\n  bkl-seed = 7\n  rules = [\n    { kind = "*", action = delay, probability = 0.5, delay-min = 10, delay-max = 20, source = -1, target = -1, from = 0, to = 0 }\n    { kind = KILL, action = drop, ids = ["5:1"] }\n  ]\n}\n')
    plans.append(full_plan)
    logs = []
    for name in ("stuck_in_mutex", "exit_vs_futex_block", "join_basic"):
        log = os.path.join(work, name + ".h2log")
        subprocess.run([BINARY, "run", os.path.join(ROOT, "scenarios", "h2-pthread", name + ".yaml"), "--kernel", "master", "--record", log, "--json"], capture_output=True)
        logs.append(log)
    stuck = os.path.join(ROOT, "scenarios", "h2-pthread", "stuck_in_mutex.yaml")

    totals = {k: {"cases": 0, "crashes": 0, "hangs": 0, "wrong exit codes": 0, "stack traces": 0, "internal errors": 0,
                  "input errors not one line": 0, "input errors without file:line": 0, "damaged logs accepted": 0,
                  "exit 0": 0, "exit 1": 0, "exit 2": 0, "max seconds": 0.0}
              for k in ("scenarios", "logs", "plans", "argv")}
    started = time.monotonic()
    rng = random.Random(a.seed)
    round_ = 0
    while True:
        jobs = [("scenarios", i) for i in range(a.scenarios)] + [("logs", i) for i in range(a.logs)] + \
               [("plans", i) for i in range(a.plans)] + [("argv", i) for i in range(a.argv)]
        rng.shuffle(jobs)
        seeds = [rng.randrange(1 << 62) for _ in jobs]

        def one(job_seed):
            (kind, _), s = job_seed
            r = random.Random(s)
            if kind == "scenarios":
                return kind, scenario_case(r, scenarios, work)
            if kind == "logs":
                return kind, log_case(r, logs, work)
            if kind == "plans":
                return kind, plan_case(r, plans, stuck, work)
            return kind, argv_case(r, scenarios, logs[0], work)

        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            for n, (kind, (problems, info)) in enumerate(pool.map(one, zip(jobs, seeds)), 1):
                t = totals[kind]
                t["cases"] += 1
                rc, secs = info[0], info[1]
                t["max seconds"] = max(t["max seconds"], round(secs, 2))
                if rc in (0, 1, 2):
                    t[f"exit {rc}"] += 1
                for p in problems:
                    key = {"hang": "hangs", "stack trace": "stack traces", "internal error": "internal errors",
                           "input error not one line": "input errors not one line",
                           "input error without file:line": "input errors without file:line",
                           "damaged log accepted": "damaged logs accepted"}.get(p, "crashes" if p.startswith("crash") else "wrong exit codes")
                    t[key] += 1
                if problems:
                    keep = os.path.join(a.out, f"{kind}-{t['cases']}")
                    os.makedirs(keep, exist_ok=True)
                    if info[2]:
                        shutil.copy(info[2], keep)
                    open(os.path.join(keep, "finding.txt"), "w").write(f"{problems}\nargs: {info[3]}\nexit: {rc}\nstderr:\n{info[4]}\n")
                    print(f"[{kind}] {problems}: {info[3]} -> {rc}: {info[4][:300]!r}", flush=True)
                if n % 250 == 0:
                    print(f"... {n}/{len(jobs)} cases, {time.monotonic() - started:.0f} s", flush=True)
        round_ += 1
        if a.hours <= 0 or time.monotonic() - started > a.hours * 3600:
            break

    shutil.rmtree(work, ignore_errors=True)
    summary = {"rounds": round_, "seconds": round(time.monotonic() - started), "seed": a.seed, "totals": totals}
    print(json.dumps(summary, indent=2))
    bad = sum(t[k] for t in totals.values() for k in ("crashes", "hangs", "wrong exit codes", "stack traces", "internal errors",
                                                        "input errors not one line", "input errors without file:line", "damaged logs accepted"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
