#!/usr/bin/env python3
"""The Python peer: what a researcher would script by hand to plan a catalog, and the naive planner.

    peer.py plan --catalog DIR --profile FILE [--output FILE]
        Reads DIR/Roadmaps/*.yaml and DIR/Plugins/*/plugin.yaml with PyYAML's C loader, keeps the profile's
        roadmap and plugins (and the plugins they require), builds the requirement graph with networkx,
        refuses cycles, orders it with networkx's topological sort and fills weeks greedily in that order
        (see `fill`). Writes a JSON plan (items with their weeks, then weeks with their allocations) and
        prints its summary.

    peer.py naive --plan-json FILE --order FILE --catalog DIR... [--profile FILE]
        The naive plan for plan quality: the modules of a `roadmap plan --format json` output, filled in the
        order of FILE (GNU tsort's output), with the same hours a week and max_parallel (from the plan's
        profile) and each module's min_weeks (from the catalogs). Prints one JSON line: finish week, the
        lower bound computed here, and the roadmap plan's own finish and lower bound.

The greedy fill obeys the design's rules: a week gives `hours_per_week`, a module gets at most
ceil(hours / min_weeks) a week, at most `max_parallel` modules are in progress, and a module starts only
once everything it requires has all its hours (within a week, a prerequisite finished early leaves the rest
of the week to what follows). It takes modules strictly in the given order: when a slot frees up, the next
module in the order starts if its requirements are done, and otherwise the slot waits. Arithmetic is in whole
minutes, as roadmap's scheduler does.
"""

import argparse
import glob
import json
import math
import os
import sys

import networkx as nx
import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    sys.exit("peer.py: PyYAML was built without libyaml; install libyaml-dev and reinstall PyYAML")


def minutes(hours):
    return max(1, int(round(hours * 60)))


def load_catalogs(dirs):
    """Every package in the folders, by id (the first folder wins, as on roadmap's search path)."""
    packages = {}
    for d in dirs:
        files = sorted(glob.glob(os.path.join(d, "Roadmaps", "*.yaml")))
        files += sorted(glob.glob(os.path.join(d, "Plugins", "*", "plugin.yaml")))
        for path in files:
            with open(path, "rb") as f:
                doc = yaml.load(f, Loader=Loader)
            pid = doc.get("roadmap") if "stages" in doc else doc.get("plugin")
            if pid is None:
                pid = doc.get("plugin") or doc.get("roadmap")
            packages.setdefault(pid, doc)
    return packages


def module_table(packages, chosen):
    """Modules of the chosen packages: full id -> (hours, weekly cap in minutes or None, [required full ids])."""
    table = {}
    for pid in chosen:
        for m in packages[pid].get("modules") or []:
            full = "%s/%s" % (pid, m["id"])
            hours = float(m["hours"])
            cap = None
            if m.get("min_weeks") and m["min_weeks"] > 1:
                cap = minutes(math.ceil(hours / m["min_weeks"]))
            reqs = []
            for r in m.get("requires") or []:
                r = str(r)
                reqs.append(r if "/" in r else "%s/%s" % (pid, r))
            table[full] = (hours, cap, reqs, m.get("stage"))
    return table


def fill(order, minutes_of, cap_of, requires, capacity, max_parallel):
    """Greedy weekly fill in `order`. Returns (weeks, start, end): weeks is a list of [(id, minutes)]."""
    done = set()
    remaining = {i: minutes_of[i] for i in order}
    start, end = {}, {}
    weeks = []
    active = []
    position = 0
    n = len(order)
    while len(done) < n:
        week = len(weeks) + 1
        left = capacity
        used = {}
        allocations = {}
        while left > 0:
            progressed = False
            index = 0
            while index < len(active) and left > 0:
                task = active[index]
                cap = cap_of[task]
                room = (cap - used.get(task, 0)) if cap is not None else left
                give = min(remaining[task], room, left)
                if give > 0:
                    start.setdefault(task, week)
                    remaining[task] -= give
                    left -= give
                    used[task] = used.get(task, 0) + give
                    allocations[task] = allocations.get(task, 0) + give
                    progressed = True
                if remaining[task] == 0:
                    end[task] = week
                    done.add(task)
                    active.pop(index)
                else:
                    index += 1
            started = False
            while left > 0 and len(active) < max_parallel and position < n:
                task = order[position]
                if not all(r in done for r in requires[task]):
                    break
                active.append(task)
                position += 1
                started = True
            if not progressed and not started:
                break
        weeks.append(list(allocations.items()))
        if week > 100_000:
            raise SystemExit("peer.py: plan longer than 100,000 weeks")
    return weeks, start, end


def lower_bound(ids, minutes_of, cap_of, requires, capacity, order, max_parallel):
    """roadmap's lower bound (Planner.lowerBound): total work over capacity, and along every chain of
    requirements both its work over capacity and its weeks, where a module takes ceil(minutes / rate) weeks and
    may share its first week with the end of what it requires; and the slots: a module spanning s weeks is in
    progress at the end of s - 1 of them, and at most max_parallel are at the end of any week; with one slot, a module's middle weeks are its alone."""
    if not ids:
        return 0
    bound = -(-sum(minutes_of[i] for i in ids) // capacity)
    week_ends = 0
    middle_weeks = middle_minutes = 0
    work, weeks = {}, {}
    for i in order:
        rate = min(capacity, cap_of[i] if cap_of[i] is not None else capacity)
        span = -(-minutes_of[i] // rate)
        week_ends += span - 1
        if span > 2:
            middle_weeks += span - 2
            middle_minutes += (span - 2) * rate
        work_before = max((work[r] for r in requires[i]), default=0)
        weeks_before = max((weeks[r] for r in requires[i]), default=0)
        work[i] = work_before + minutes_of[i]
        weeks[i] = span if weeks_before == 0 else weeks_before + span - 1
        bound = max(bound, -(-work[i] // capacity), weeks[i])
    if week_ends > 0:
        bound = max(bound, 1 + -(-week_ends // max(1, max_parallel)))
    if max_parallel <= 1 and middle_weeks > 0:
        total = sum(minutes_of[i] for i in ids)
        bound = max(bound, middle_weeks + -(-(total - middle_minutes) // capacity))
    return bound


def command_plan(args):
    with open(args.profile, "rb") as f:
        profile = yaml.load(f, Loader=Loader)
    packages = load_catalogs(args.catalog)
    chosen = [profile["roadmap"]]
    queue = list(profile.get("specializations") or [])
    while queue:
        pid = queue.pop(0)
        if pid in chosen:
            continue
        if pid not in packages:
            sys.exit("peer.py: unknown package %s" % pid)
        chosen.append(pid)
        queue.extend((packages[pid].get("requires") or {}).keys())
    table = module_table(packages, chosen)
    graph = nx.DiGraph()
    graph.add_nodes_from(table)
    for full, (_, _, reqs, _) in table.items():
        for r in reqs:
            if r not in table:
                sys.exit("peer.py: %s requires unknown module %s" % (full, r))
            graph.add_edge(r, full)
    if not nx.is_directed_acyclic_graph(graph):
        sys.exit("peer.py: requirement cycle: %s" % nx.find_cycle(graph))
    order = list(nx.topological_sort(graph))
    capacity = minutes(float(profile.get("hours_per_week", 10)))
    parallel = int(profile.get("max_parallel", 2))
    minutes_of = {i: minutes(table[i][0]) for i in order}
    cap_of = {i: table[i][1] for i in order}
    requires = {i: table[i][2] for i in order}
    weeks, start, end = fill(order, minutes_of, cap_of, requires, capacity, parallel)
    bound = lower_bound(order, minutes_of, cap_of, requires, capacity, order, parallel)
    plan = {
        "items": [
            {"id": i, "hours": minutes_of[i] / 60, "requires": requires[i], "start_week": start[i], "end_week": end[i]}
            for i in order
        ],
        "weeks": [
            {"week": w + 1, "allocations": [{"id": i, "hours": round(m / 60, 2)} for i, m in allocations]}
            for w, allocations in enumerate(weeks)
        ],
        "summary": {"modules": len(order), "weeks": len(weeks), "lower_bound_weeks": bound},
    }
    text = json.dumps(plan, indent=2, sort_keys=True)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    print(json.dumps(plan["summary"]), file=sys.stderr)


def command_naive(args):
    with open(args.plan_json) as f:
        plan = json.load(f)
    packages = load_catalogs(args.catalog)
    chosen = [plan["roadmap"]["id"]] + [p["id"] for p in plan["plugins"]]
    table = module_table(packages, chosen)
    ids = [item["id"] for item in plan["items"]]
    in_plan = set(ids)
    with open(args.order) as f:
        order = [line.strip() for line in f if line.strip() in in_plan]
    if sorted(order) != sorted(ids):
        sys.exit("peer.py: the order does not list the plan's modules")
    by_id = {item["id"]: item for item in plan["items"]}
    minutes_of = {i: minutes(by_id[i]["hours"]) for i in ids}
    cap_of = {i: table[i][1] for i in ids}
    requires = {i: [r for r in by_id[i]["requires"] if r in in_plan] for i in ids}
    capacity = minutes(float(plan["profile"]["hours_per_week"]))
    parallel = int(plan["profile"]["max_parallel"])
    weeks, _, _ = fill(order, minutes_of, cap_of, requires, capacity, parallel)
    bound = lower_bound(ids, minutes_of, cap_of, requires, capacity, order, parallel)
    print(json.dumps({
        "modules": len(ids), "naive_weeks": len(weeks), "lower_bound_weeks": bound,
        "roadmap_weeks": plan["summary"]["weeks"], "roadmap_lower_bound_weeks": plan["summary"]["lower_bound_weeks"],
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--catalog", action="append", required=True)
    p.add_argument("--profile", required=True)
    p.add_argument("--output")
    n = sub.add_parser("naive")
    n.add_argument("--plan-json", required=True)
    n.add_argument("--order", required=True)
    n.add_argument("--catalog", action="append", required=True)
    args = parser.parse_args()
    if args.command == "plan":
        command_plan(args)
    else:
        command_naive(args)


if __name__ == "__main__":
    main()
