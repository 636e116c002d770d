#!/usr/bin/env python3
"""Prints each test assembly's wall time and the slowest tests of the .trx files given (dotnet test's trx logger)."""
import argparse
import xml.etree.ElementTree as ET
from datetime import datetime

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    hours, minutes, secs = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trx", nargs="+")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    results = []
    for path in args.trx:
        run = ET.parse(path).getroot()
        times = run.find("t:Times", NS)
        storage = run.find(".//t:UnitTest/t:TestMethod", NS).get("codeBase").rsplit("/", 1)[-1]
        # Times are ISO 8601 with a UTC offset; the run's wall time is what CI pays for this assembly.
        wall = datetime.fromisoformat(times.get("finish")) - datetime.fromisoformat(times.get("start"))
        tests = run.findall(".//t:UnitTestResult", NS)
        print(f"{storage}: {len(tests)} tests, {wall.total_seconds():.0f} s wall")
        results += [(seconds(r.get("duration", "0:0:0")), r.get("outcome"), r.get("testName")) for r in tests]
    print(f"slowest {args.top} tests:")
    for duration, outcome, name in sorted(results, reverse=True)[: args.top]:
        print(f"{duration:8.1f} s  {outcome:<7} {name}")


if __name__ == "__main__":
    main()
