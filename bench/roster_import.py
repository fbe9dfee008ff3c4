"""Time the roster import on SQLite and PostgreSQL, on a fresh database each.

    .venv/bin/python bench/roster_import.py [--rows 10000] [--backends sqlite,postgres]
                                            [--pg-url postgres://postgres@127.0.0.1:5432/postgres]

For each backend the script migrates an empty database (a temporary SQLite file; for
PostgreSQL a throwaway database created on the server of ``--pg-url``, ``BENCH_PG_URL`` or
``DATABASE_URL``, dropped afterwards), imports a station network of a county's size
(426 stations, through the station import) and generates N roster rows written the way
offices write them (full-width digits, spaces, several levels in one cell, birth months in
many forms, stations by name or code). It then times the first import (every row created),
a re-import of the same file (every row unchanged) and a dry run, and counts the queries.
Each backend runs in its own process, as Django settings are read once per process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
from pathlib import Path

from common import database_version, default_pg_url, fresh_database, run_child, timed

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英玉华志红金凤文斌海燕春梅德胜福来正刚玉兰"
UNITS = ["村党支部书记", "村委会主任", "中学教师", "卫生院医生", "个体工商户", "农民", "合作社理事长", "镇人大主席"]
PARTIES = ["中共党员", "群众", "民盟盟员", "无党派人士", ""]
ETHNICITIES = ["汉", "汉族", "汉族", "回族", "苗族", "壮"]
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
LEVEL_CELLS = [
    ("乡镇", 50),
    ("镇", 10),
    ("乡镇级", 5),
    (" 乡镇 ", 5),
    ("县、乡镇", 8),
    ("县/镇", 3),
    ("县，乡镇", 3),
    ("县", 8),
    ("县级", 3),
    ("县人大代表", 2),
    ("市", 2),
    ("市,县", 1),
    ("省级", 1),
]


# The parent process: run each backend in a child and print the table
# ------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=default_pg_url())
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        drop = fresh_database(args.worker, args.pg_url)
        try:
            print(json.dumps(measure(args.worker, args.rows)))
        finally:
            drop()
        return
    arguments = ["--rows", str(args.rows), "--pg-url", args.pg_url]
    results = [run_child(__file__, backend, arguments) for backend in args.backends.split(",")]
    print_table(args.rows, results)


def print_table(rows: int, results: list[dict]) -> None:
    print(f"\nRoster import, {rows:,} rows (target: under 3 s wall time)\n")
    header = f"{'backend':<12}{'step':<28}{'seconds':>9}{'cpu s':>7}{'queries':>9}  outcome"
    print(header)
    print("-" * len(header))
    for result in results:
        if "error" in result:
            print(f"{result['backend']:<12}{'skipped: ' + result['error']}")
            continue
        for step in result["steps"]:
            timing = f"{step['seconds']:>9.2f}{step['cpu']:>7.2f}{step['queries']:>9}"
            print(f"{result['backend']:<12}{step['step']:<28}{timing}  {step['outcome']}")
        print(f"{'':<12}({result['database']}, {result['stations']} stations)")
    print()


# The child process: one backend
# ------------------------------------------------------------------------------
def measure(backend: str, rows: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from deputies.models import DeputyGroup
    from deputies.roster import COLUMNS, import_roster
    from stations.models import Station
    from stations.station_io import COLUMNS as STATION_COLUMNS
    from stations.station_io import import_stations

    call_command("migrate", verbosity=0)
    work = Path(os.environ["LIAISON_VAR_DIR"])
    rng = random.Random(20240615)

    stations = county_stations()
    station_file = work / "stations.csv"
    write_csv(station_file, STATION_COLUMNS, stations)
    steps = [timed_import("station import (426 rows)", lambda: import_stations(station_file), connection)]
    groups = [f"{name}代表小组" for name in ("城关", "河口", "东山", "西岭", "南湖", "北坡", "法律服务", "教育卫生")]
    DeputyGroup.objects.bulk_create([DeputyGroup(name=name) for name in groups])

    roster_file = work / "roster.csv"
    write_csv(roster_file, COLUMNS, roster_rows(rows, stations, groups, rng), encoding="gb18030")
    steps.append(timed_import("first import (all new)", lambda: import_roster(roster_file), connection))
    steps.append(timed_import("re-import (all unchanged)", lambda: import_roster(roster_file), connection))
    steps.append(timed_import("dry run", lambda: import_roster(roster_file, dry_run=True), connection))
    return {
        "backend": backend,
        "database": database_version(connection),
        "stations": Station.objects.count(),
        "steps": steps,
    }


def timed_import(step: str, action, connection) -> dict:
    result, cost = timed(action, connection)
    if not result.ok:
        raise SystemExit(f"{step}: {[str(error) for error in result.errors[:5]]}")
    outcome = f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged"
    return {"step": step, **cost, "outcome": outcome}


def write_csv(path: Path, header, rows, encoding: str = "utf-8-sig") -> None:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


# Generated data
# ------------------------------------------------------------------------------
def county_stations() -> list[list[str]]:
    """Yunan's network: 16 centers, 58 area, 125 village, 1 inter-provincial station, 223 points, 2 studios."""
    rows = [["HUB", "县人大代表联络总站", "县级总站", "", "县人大常委会", "0766-3821234"]]
    areas, villages = [], []
    for t in range(1, 17):
        center = f"T{t:02d}"
        rows.append([center, f"第{t}镇代表之家", "代表之家", "HUB", f"第{t}镇人民政府", ""])
        for a in range(1, 5 if t <= 10 else 4):
            if len(areas) < 58:
                areas.append(f"{center}A{a}")
                rows.append([areas[-1], f"第{t}镇第{a}片区联络站", "片区联络站", center, "", ""])
    for v in range(125):
        area = areas[v % len(areas)]
        villages.append(f"{area}V{v:03d}")
        rows.append([villages[-1], f"{area}村联络站{v}", "村级联络站", area, "", ""])
    for p in range(223):
        village = villages[p % len(villages)]
        rows.append([f"{village}P{p:03d}", f"联络点{p}", "联络点", village, "", ""])
    rows.append(["XB1", "省际联络站", "省际联络站", "HUB", "", ""])
    rows += [["ST1", "代表工作室一", "代表工作室", "T01", "", ""], ["ST2", "代表工作室二", "代表工作室", "T02", "", ""]]
    return rows


def roster_rows(count: int, stations: list[list[str]], groups: list[str], rng: random.Random) -> list[list[str]]:
    homes = [row for row in stations if row[2] in ("代表之家", "片区联络站", "村级联络站")]
    level_cells = [cell for cell, weight in LEVEL_CELLS for _ in range(weight)]
    phones = rng.sample(range(10**8), count)
    rows = []
    for index in range(count):
        code, name = rng.choice(homes)[:2]
        station = code if index % 3 == 0 else name
        if index % 10 == 0:
            station += "、" + rng.choice(homes)[0]
        levels = rng.choice(level_cells)
        several = any(separator in levels for separator in "、/，,")
        rows.append(
            [
                messy_name(rng),
                rng.choice(["男", "女", "女 ", "男"]),
                rng.choice(ETHNICITIES),
                birth_month(rng),
                rng.choice(PARTIES),
                phone(phones[index], rng),
                rng.choice(UNITS),
                levels,
                "第十八届、第十九届" if several and index % 2 else rng.choice(["第十八届", "18", "第18届", "十八届"]),
                rng.choice(["第一选区", "第二选区", "东门选区", ""]),
                station,
                rng.choice(groups) if index % 4 == 0 else "",
                rng.choice(["", "", "法律", "教育", "农业"]),
            ]
        )
    return rows


def messy_name(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])
    return rng.choice([name, name, f" {name}", f"{name}\u3000"])


def birth_month(rng: random.Random) -> str:
    year, month = rng.randint(1955, 1998), rng.randint(1, 12)
    return rng.choice(
        [f"{year}.{month:02d}", f"{year}-{month:02d}", f"{year}/{month}", f"{year}年{month}月", f"{year}{month:02d}"]
    )


def phone(number: int, rng: random.Random) -> str:
    digits = f"13{number:09d}"
    spaced = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return rng.choice([digits, digits, spaced, f"{digits[:3]}-{digits[3:]}", digits.translate(FULL_WIDTH_DIGITS)])


if __name__ == "__main__":
    main()
